"""One run of the study: its configuration (the key) and its result.

A :class:`RunConfig` is frozen, validated on construction and serialises to
canonical JSON; the SHA-256 of that JSON is the run's key in the results store,
so the same configuration is recognised in any process and never run twice.

    cfg = RunConfig(task="multiswitch", k=3, cell="lstm", layers=2, hidden=5,
                    skip="both", delta0=0.1, seed=0)
    cfg.key  # 'c0ffee...'
"""
import copy
import hashlib
import json
import platform
from dataclasses import asdict, dataclass, fields
from typing import Optional

import tasks
from pybrain_ext.batched.cells import cell_type
from pybrain_ext.batched.layout import INIT_SCOPES, check_architecture
from pybrain_ext.checks import set_checked
from pybrain_ext.protocol import (
    CONTINUE_EPOCHS,
    CONVERGENCE_DECIMALS,
    DELTAMAX,
    DELTAMIN,
    ETAMINUS,
    ETAPLUS,
    INIT_VARIANCE,
    MAX_EPOCHS,
)
from pybrain_ext.rprop import STOP_REASONS, UNTARGETED_STEPS, RPropSettings
from tasks.protocol import DATA_SEED, SEQUENCE_LENGTH

ENGINES = ("pybrain", "batched")

# The open choices of the protocol added after the first stores were written
# (docs: reproduce/readings.py).  A field at its default is left out of the
# canonical JSON, so every key written before it existed stays valid.
VALIDATION_SPLITS = ("fixed", "random")
DATA_SETS = ("per_variant", "per_seed")
CHOICES = {"init_scope": INIT_SCOPES, "untargeted": UNTARGETED_STEPS,
           "validation": VALIDATION_SPLITS, "data_sets": DATA_SETS}


@dataclass(frozen=True)
class RunConfig:
    """Everything that determines one run (docs/protocol.md §1-3).

    The task variant (``task``, ``k``, ``steps_back``), the network (``cell``,
    ``layers``, ``hidden``, ``skip``), training (``delta0`` and the protocol's
    RProp and early-stopping constants), and the two seeds: ``seed`` draws the
    initial parameters, ``data_seed`` the data set of the variant.

    The choices the paper leaves open (``reproduce.experiment.readings`` names sets of them):

    init_variance : float
        Variance of the initial parameters' normal draw (0.3).
    init_scope : {"all", "connections"}
        Which parameters that variance covers; with ``"connections"`` the GRU
        layer's own recurrent matrices keep PyBrain's N(0, 1).
    untargeted : {"masked", "zero_target", "class0_target"}
        The steps without a target: left out, or counted (training, validation
        and test; scored as class 0) with the zero target vector or with the
        one-hot target of class 0.
    validation : {"fixed", "random"}
        Sequences 36-47 validate, or ``trainUntilConvergence``'s random split of
        the first 48 (36 train, 12 validation), drawn from ``seed``.
    data_sets : {"per_variant", "per_seed"}
        One data set per task variant (seed ``data_seed``), or one per run
        (seed ``data_seed + seed``).
    max_epochs : int
        The cap on training epochs (1000).
    """
    task: str
    k: int
    cell: str
    layers: int
    hidden: int
    skip: str = "none"
    delta0: float = 0.1
    seed: int = 0
    steps_back: Optional[int] = None
    data_seed: int = DATA_SEED
    max_epochs: int = MAX_EPOCHS
    etaplus: float = ETAPLUS
    etaminus: float = ETAMINUS
    deltamin: float = DELTAMIN
    deltamax: float = DELTAMAX
    continue_epochs: int = CONTINUE_EPOCHS
    convergence_decimals: int = CONVERGENCE_DECIMALS
    init_variance: float = INIT_VARIANCE
    init_scope: str = "all"
    untargeted: str = "masked"
    validation: str = "fixed"
    data_sets: str = "per_variant"

    def __post_init__(self):
        # Every check writes back the plain value (np.int64(3) -> 3, 1e-1 -> 0.1), so that
        # equal configurations serialise alike and give one key.
        variant = tasks.Variant(self.task, self.k, self.steps_back)
        variant.check_length(SEQUENCE_LENGTH)
        object.__setattr__(self, "k", variant.k)
        object.__setattr__(self, "steps_back", variant.steps_back)
        layers, hidden, _, _ = check_architecture(self.cell, self.layers, self.hidden,
                                                  self.skip)
        object.__setattr__(self, "layers", layers)
        object.__setattr__(self, "hidden", hidden)
        self._check_seeds()          # alone: nothing else depends on them (`with_seeds`)
        set_checked(self, "init_variance", float, above=0)
        for name, allowed in CHOICES.items():
            if getattr(self, name) not in allowed:
                raise ValueError(f"unknown {name} {getattr(self, name)!r}; allowed: "
                                 f"{', '.join(allowed)}")
        if not cell_type(self.cell).recurrence_in_layer:
            # the scope changes nothing where no layer has parameters of its own: one key
            object.__setattr__(self, "init_scope", "all")
        settings = self.rprop()  # checks the training settings
        for name in (f.name for f in fields(RPropSettings)):
            object.__setattr__(self, name, getattr(settings, name))

    def _check_seeds(self):
        set_checked(self, "seed", int, minimum=0)
        set_checked(self, "data_seed", int, minimum=0)

    def with_seeds(self, seed=None, data_seed=None):
        """This configuration with another ``seed`` and/or ``data_seed`` (None: the same).

        As `dataclasses.replace`, but only the seeds are checked again, since nothing
        else in a RunConfig depends on them: a grid or a runs file makes thousands of
        configurations that differ only in their seeds.
        """
        other = copy.copy(self)
        for name, value in (("seed", seed), ("data_seed", data_seed)):
            if value is not None:
                object.__setattr__(other, name, value)
        other._check_seeds()
        return other

    @property
    def variant(self):
        return tasks.Variant(self.task, self.k, self.steps_back)

    @property
    def variant_id(self):
        return self.variant.id

    @property
    def data_set_seed(self):
        """The seed of the run's data set (``data_sets``)."""
        return self.data_seed + (self.seed if self.data_sets == "per_seed" else 0)

    @property
    def data_key(self):
        """What determines the run's train/validation/test data."""
        return (self.variant_id, self.data_set_seed, self.untargeted,
                self.seed if self.validation == "random" else None)

    @property
    def architecture(self):
        """What runs that can share a batch have in common."""
        return (self.cell, self.layers, self.hidden, self.skip,
                self.variant.indim, self.variant.outdim)

    def rprop(self):
        """The training settings (RunConfig has a field of each one's name)."""
        return RPropSettings(**{f.name: getattr(self, f.name) for f in fields(RPropSettings)})

    def to_json(self):
        """Canonical JSON: sorted keys, no spaces, floats as Python's repr; the
        `CHOICES` fields only where they differ from their defaults."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}   # every field a scalar
        for name in CHOICES:
            if data[name] == _DEFAULTS[name]:
                del data[name]
        return json.dumps(data, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text):
        data = json.loads(text)
        unknown = set(data) - {f.name for f in fields(cls)}
        if unknown:
            raise ValueError(f"unknown RunConfig fields: {', '.join(sorted(unknown))}")
        return cls(**data)

    @property
    def key(self):
        return hashlib.sha256(self.to_json().encode()).hexdigest()

    def label(self):
        """A short human-readable name."""
        return (f"{self.variant_id} {self.cell} L{self.layers} H{self.hidden} {self.skip} "
                f"d{self.delta0:g} s{self.seed}")


_DEFAULTS = {f.name: f.default for f in fields(RunConfig)}


@dataclass(frozen=True)
class RunResult:
    """The outcome of one run (docs/protocol.md §4)."""
    test_error: float           # % of unmasked test steps misclassified
    training_error: float       # importance-weighted squared error, restored parameters
    validation_error: float     # the best validation error
    epochs: int
    stop_reason: str
    seconds: float
    engine: str
    versions: dict

    def __post_init__(self):
        if self.stop_reason not in STOP_REASONS:
            raise ValueError(f"unknown stop reason {self.stop_reason!r}")
        if self.engine not in ENGINES:
            raise ValueError(f"unknown engine {self.engine!r}; allowed: {', '.join(ENGINES)}")

    def to_dict(self):
        return asdict(self)

    def same_outcome(self, other):
        """Equal apart from timing."""
        a, b = self.to_dict(), other.to_dict()
        a.pop("seconds"), b.pop("seconds")
        return a == b


def package_versions():
    """The versions a result depends on."""
    from importlib.metadata import version

    import numpy
    import scipy
    return {"python": platform.python_version(), "numpy": numpy.__version__,
            "scipy": scipy.__version__, "pybrain3": version("PyBrain3")}
