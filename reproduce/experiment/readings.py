"""Readings of the protocol: named sets of values for the choices the paper left open.

The paper fixes most of its experiment, but not everything a rerun has to
decide (docs/protocol.md; the list of choices is `RunConfig`'s `CHOICES` plus
``init_variance`` and ``max_epochs``).  A *reading* is one value for each of
them; ``stated`` is the protocol as we pinned it.  A reading is named by its
*atoms*, joined with ``+`` in a fixed order, each setting one choice away from
``stated``::

    get_reading("stated")                          # the protocol as written
    get_reading("var0.09")                         # variance 0.09 (0.3 read as a std)
    get_reading("var0.09+zero-target+cap100")      # and two more choices
    get_reading("var0.09+zero-target+cap100").apply(config)   # a RunConfig of it

Atoms (docs/protocol.md §7 gives, for each, the sentence of the paper or the
PyBrain behaviour that makes it plausible):

``var<V>``
    ``init_variance = V``.
``connections-only``
    ``init_scope = "connections"``: the GRU's own matrices keep PyBrain's N(0, 1).
``zero-target``
    ``untargeted = "zero_target"``: steps without a target count, with the zero vector.
``class0-target``
    ``untargeted = "class0_target"``: steps without a target count, with class 0 one-hot.
``random-validation``
    ``validation = "random"``: ``trainUntilConvergence``'s own random 36/12 split.
``data-per-seed``
    ``data_sets = "per_seed"``: a fresh data set for every seed.
``cap<N>``
    ``max_epochs = N``.

Two names with the same settings are the same reading (``var0.3`` is
``stated``): `Reading.name` is canonical, and every run of a reading has the
keys ``reading.apply(config)`` gives, so the stores of different readings never
mix even when they are one file.  `sensitivity_readings(V)` lists the readings of the
sensitivity study (``python -m reproduce sensitivity``).
"""
import dataclasses
import re
from dataclasses import dataclass

from pybrain_ext.protocol import INIT_VARIANCE, MAX_EPOCHS
from reproduce.experiment.config import RunConfig

STATED = "stated"

# The log grid of initial variances the sensitivity study scans (0.3 is stated).
VARIANCE_GRID = (0.003, 0.01, 0.03, 0.09, 0.3, 1.0)
# Epoch caps it scans.
CAP_GRID = (25, 50, 100, 200)


@dataclass(frozen=True)
class Atom:
    """One choice moved away from the stated protocol: ``field = value``; a numeric
    atom (``value`` None) takes its value from the digits after its name."""
    name: str
    field: str
    value: object
    summary: str          # what it sets (why: docs/protocol.md §7)

    def parse(self, part):
        """The value `part` (e.g. ``var0.09``) sets, or None if it is not this atom."""
        if self.value is not None:
            return self.value if part == self.name else None
        number = part[len(self.name):] if part.startswith(self.name) else ""
        kind = type(_STATED_VALUES[self.field])
        try:
            return kind(number) if re.fullmatch(r"[0-9.e-]+", number) else None
        except ValueError:
            return None

    def label(self, value):
        return self.name if self.value is not None else f"{self.name}{value:g}"


# In the order a reading's name joins them.
ATOMS = tuple(Atom(*a) for a in (
    ("var", "init_variance", None,
     "every initial parameter ~ N(0, V) instead of N(0, 0.3)"),
    ("connections-only", "init_scope", "connections",
     "the variance covers the connections only; the GRU layer's own recurrent "
     "matrices keep PyBrain's N(0, 1)"),
    ("zero-target", "untargeted", "zero_target",
     "the steps without a target count in training, validation and test, with the "
     "zero target vector (scored as class 0, as testOnClassData's argmax does)"),
    ("class0-target", "untargeted", "class0_target",
     "the steps without a target count in training, validation and test, with the "
     "one-hot target of class 0 (a memory that starts at 0, a history padded with 0)"),
    ("random-validation", "validation", "random",
     "the 12 validation sequences are a random subset of the first 48, drawn from the "
     "run's seed, as trainUntilConvergence's validationProportion = 0.25 splits them"),
    ("data-per-seed", "data_sets", "per_seed",
     "a fresh data set for every seed (seed data_seed + seed)"),
    ("cap", "max_epochs", None,
     "at most N + 1 epochs (trainUntilConvergence's maxEpochs = N) instead of 1000"),
))


@dataclass(frozen=True)
class Reading:
    """A named set of `RunConfig` values for the protocol's open choices.

    ``settings`` are the fields that differ from the stated protocol.
    """
    settings: tuple      # sorted (field, value) pairs

    @property
    def name(self):
        """The canonical name: the atoms in `ATOMS` order, or ``stated``."""
        s = dict(self.settings)
        return "+".join(atom.label(s[atom.field]) for atom in ATOMS
                        if atom.field in s and atom.value in (None, s[atom.field])) or STATED

    def apply(self, config):
        """`config` under this reading."""
        return dataclasses.replace(config, **dict(self.settings))

    def config_values(self):
        """The value of every reading field under this reading (stated ones too)."""
        values = {name: _STATED_VALUES[name] for name in READING_FIELDS}
        values.update(self.settings)
        return values

    def describe(self):
        """What the reading sets, in one line."""
        if not self.settings:
            return "the protocol as stated"
        return ", ".join(f"{k} = {v!r}" for k, v in self.settings)

    def matches(self, config):
        """Whether `config` (a RunConfig or its JSON dict) is a run of this reading,
        apart from the profile's own cap (``max_epochs`` counts only if the reading
        sets it)."""
        config = config if isinstance(config, RunConfig) else RunConfig(**config)
        fields = [f for f in READING_FIELDS if f != "max_epochs" or f in dict(self.settings)]
        # every field the reading decides, stated ones too, normalised as RunConfig does
        values = self.config_values()
        ours = dataclasses.replace(config, **{f: values[f] for f in fields})
        return all(getattr(config, f) == getattr(ours, f) for f in fields)


# The RunConfig fields a reading may set, and their stated values.
_STATED_VALUES = {f.name: f.default for f in dataclasses.fields(RunConfig)
                  if f.name in ("init_variance", "init_scope", "untargeted", "validation",
                                "data_sets", "max_epochs")}
READING_FIELDS = tuple(_STATED_VALUES)
assert _STATED_VALUES["init_variance"] == INIT_VARIANCE
assert _STATED_VALUES["max_epochs"] == MAX_EPOCHS


def _reading(settings):
    """The reading of `settings` (field -> value); values at their stated ones drop out,
    so equal readings compare and name alike."""
    return Reading(tuple(sorted((k, v) for k, v in settings.items()
                                if v != _STATED_VALUES[k])))


def with_overrides(reading, init_variance=None, max_epochs=None):
    """`reading` with ``--init-variance`` / ``--max-epochs`` style overrides (None: keep)."""
    settings = dict(reading.settings)
    for field, value in (("init_variance", init_variance), ("max_epochs", max_epochs)):
        if value is not None:
            settings[field] = value
    return _reading(settings)


def get_reading(name):
    """The reading called `name` (atoms joined by ``+``); ValueError naming the atoms."""
    if not isinstance(name, str) or not name:
        raise ValueError(f"a reading name is a non-empty string, got {name!r}")
    settings = {}
    for part in name.split("+"):
        if part == STATED:
            continue
        for atom in ATOMS:
            value = atom.parse(part)
            if value is not None:
                if atom.field in settings:
                    raise ValueError(f"reading {name!r} sets {atom.field} twice")
                settings[atom.field] = value
                break
        else:
            raise ValueError(
                f"unknown reading atom {part!r} in {name!r}; allowed: stated, "
                + ", ".join(a.name + ("" if a.value is not None else "<V>" if a.field
                                       == "init_variance" else "<N>") for a in ATOMS)
                + " (e.g. var0.09+zero-target+cap100), joined with '+'")
    try:
        RunConfig(task="mvb", k=2, cell="gru", layers=1, hidden=2, **settings)
    except ValueError as exc:
        raise ValueError(f"reading {name!r}: {exc}") from None
    return _reading(settings)


def sensitivity_readings(best_variance):
    """The readings of the sensitivity study: the variance grid, then every other
    choice alone at `best_variance`, then every epoch cap there."""
    var = f"var{best_variance:g}"
    names = [f"var{v:g}" for v in VARIANCE_GRID]
    names += [f"{var}+{atom}" for atom in ("connections-only", "zero-target",
                                            "random-validation", "data-per-seed")]
    names += [f"{var}+cap{n}" for n in CAP_GRID]
    return [get_reading(n) for n in names]


def reading_of(config, profile_cap=None):
    """The reading a run (a `RunConfig` or its JSON dict) was made under: its reading fields
    that differ from the stated ones.  Its ``max_epochs`` names a cap unless it is the
    protocol's or `profile_cap` (the cap of the profile the run belongs to; default: any
    profile's own cap, as ``smoke``'s)."""
    from reproduce.experiment.profiles import PROFILES
    config = config if isinstance(config, RunConfig) else RunConfig(**config)
    settings = {f: getattr(config, f) for f in READING_FIELDS}
    caps = ({profile_cap} if profile_cap is not None
            else {p.max_epochs for p in PROFILES.values()})
    if settings["max_epochs"] in caps:
        settings["max_epochs"] = MAX_EPOCHS
    return _reading(settings)
