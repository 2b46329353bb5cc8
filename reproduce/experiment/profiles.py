"""Grid profiles: small declarative descriptions of a sweep that expand to `RunConfig`s.

``paper`` is the whole grid of docs/protocol.md §5, read from ``reproduce.experiment.protocol``;
``quick`` covers every task variant, cell type and step size with fewer
architectures, widths and seeds (minutes on two cores); ``smoke`` takes
seconds and exists for tests and for trying the machinery out::

    from reproduce.experiment.profiles import get_profile

    profile = get_profile("paper")
    profile.describe()   # '20 variants x 5 cells x 9 architectures x 5 widths x 3 delta0
                         #  = 13,500 configurations x 3 seeds = 40,500 runs'
    configs = profile.configs()          # 40,500 RunConfigs, each with its own key
    profile.configs(replicate=1)         # the same grid on data seed 1, seeds 3, 4, 5

A *replicate* is an independent rerun of a grid: replicate r draws every task
variant's data with seed ``DATA_SEED + r`` and shifts the parameter seeds by
r x (the profile's number of seeds), so no two replicates share a data set or a
seed.  Replicate 0 is the grid itself, with the keys it always had.  The noise
floor (``reproduce noise``) compares replicates with each other.

A profile's configurations differ only in the axes it names; every other field
of `RunConfig` keeps the protocol's default (``max_epochs`` may be lowered, as
``smoke`` does).  Profiles whose axes are subsets of the paper's (``quick`` is)
produce keys the paper profile shares, so a ``quick`` sweep into a store is
the first part of a ``paper`` sweep into the same store.
"""
import functools
import re
from dataclasses import dataclass

import tasks
from pybrain_ext.protocol import MAX_EPOCHS, SKIPS
from reproduce.experiment.config import RunConfig
from reproduce.experiment.protocol import (
    GRID_CELLS,
    GRID_DELTA0,
    GRID_LAYERS,
    GRID_SEEDS,
    GRID_WIDTHS,
)
from tasks.protocol import DATA_SEED

# The most replicates a command accepts (each is a whole grid).
MAX_REPLICATE = 99


def grid_architectures(layers=GRID_LAYERS, skips=SKIPS):
    """The (layers, skip) pairs of a grid: one layer only without skips (docs/protocol.md §2).

    With the protocol's axes: (1, none) and (L, s) for L in {2, 3} and s in
    {none, in, out, both} -- 9 architectures.
    """
    return tuple((n, skip) for n in layers for skip in skips if n > 1 or skip == "none")


@dataclass(frozen=True)
class Profile:
    """One grid: the product of its axes, seeds innermost.

    Parameters
    ----------
    name, description : str
    variants : tuple of str
        Task variant ids (``tasks.Variant.id``), e.g. ``"fdr-n3-k4"``.
    cells : tuple of str
        Cell types, keys of ``pybrain_ext.batched.cells.CELL_TYPES``.
    architectures : tuple of (int, str)
        (hidden layers, skip) pairs; one layer only with skip ``"none"``.
    widths, delta0, seeds : tuple
        Hidden units per layer, RProp's initial steps, parameter seeds.
    max_epochs : int
        The training cap of every run (a reading may set another).

    `configs` gives the grid under a reading of the protocol
    (`reproduce.experiment.readings`; ``stated`` by default).
    """
    name: str
    description: str
    variants: tuple
    cells: tuple
    architectures: tuple
    widths: tuple
    delta0: tuple
    seeds: tuple
    max_epochs: int = MAX_EPOCHS

    def __post_init__(self):
        for axis in ("variants", "cells", "architectures", "widths", "delta0", "seeds"):
            values = tuple(getattr(self, axis))
            if not values:
                raise ValueError(f"profile {self.name!r}: axis {axis} is empty")
            if len(set(values)) != len(values):
                raise ValueError(f"profile {self.name!r}: axis {axis} repeats a value: {values}")
            object.__setattr__(self, axis, values)
        for variant_id in self.variants:
            tasks.parse_variant(variant_id)  # raises ValueError naming the Table I ids
        # One RunConfig per corner of the grid checks cells, skips, widths, delta0 and seeds.
        for cell in self.cells:
            for layers, skip in self.architectures:
                RunConfig(task="mvb", k=2, cell=cell, layers=layers, hidden=self.widths[0],
                          skip=skip, delta0=self.delta0[0], seed=self.seeds[0],
                          max_epochs=self.max_epochs)
        for hidden in self.widths:
            for delta0 in self.delta0:
                for seed in self.seeds:
                    RunConfig(task="mvb", k=2, cell=self.cells[0], layers=1, hidden=hidden,
                              delta0=delta0, seed=seed, max_epochs=self.max_epochs)

    @property
    def n_configurations(self):
        """Configurations without the seed axis (the paper's count)."""
        return (len(self.variants) * len(self.cells) * len(self.architectures)
                * len(self.widths) * len(self.delta0))

    @property
    def n_runs(self):
        return self.n_configurations * len(self.seeds)

    def seeds_of(self, replicate=0):
        """The parameter seeds of `replicate`: the profile's, shifted by
        ``replicate * len(seeds)``."""
        shift = replicate * len(self.seeds)
        return tuple(seed + shift for seed in self.seeds)

    def configs(self, reading=None, replicate=0):
        """The profile's `RunConfig`s under `reading` (a `reproduce.experiment.readings.Reading`;
        None: stated) in `replicate` (module docstring): variant, cell, architecture,
        width, delta0, seed order."""
        return list(_grid(self, _settings(reading), replicate))

    def keys(self, reading=None, replicate=0):
        """The keys of `configs`, in their order (a tuple), to select a grid's runs by."""
        return _grid_keys(self, _settings(reading), replicate)

    def key_set(self, reading=None, replicates=(0,)):
        """The keys of the grids of several `replicates` together (a set)."""
        return set().union(*(self.keys(reading, r) for r in replicates))

    def describe(self, reading=None):
        """The counts, as printed before a sweep."""
        def n(count, word, plural=None):
            return f"{count:,} {word if count == 1 else (plural or word + 's')}"
        return (f"{n(len(self.variants), 'variant')} x {n(len(self.cells), 'cell')} x "
                f"{n(len(self.architectures), 'architecture')} x "
                f"{n(len(self.widths), 'width')} x {len(self.delta0)} delta0"
                f" = {n(self.n_configurations, 'configuration')}"
                f" x {n(len(self.seeds), 'seed')} = {n(self.n_runs, 'run')}"
                + ("" if self.max_epochs == MAX_EPOCHS else f" (max_epochs {self.max_epochs})")
                + ("" if reading is None else f"; reading {reading.name}: {reading.describe()}"))


def _settings(reading):
    return reading.settings if reading is not None else ()     # None: stated


# A grid's RunConfigs (each checks its values) and their keys take seconds for `paper`;
# selecting runs asks for them again and again, so the last few are kept (a `paper` grid
# of RunConfigs is some 20 MB, its keys 5).
@functools.lru_cache(maxsize=2)
def _grid(profile, reading_settings, replicate):
    settings = {"max_epochs": profile.max_epochs, "data_seed": DATA_SEED + replicate}
    settings.update(reading_settings)
    out = []
    for variant_id in profile.variants:
        variant = tasks.parse_variant(variant_id)
        for cell in profile.cells:
            for layers, skip in profile.architectures:
                for hidden in profile.widths:
                    for delta0 in profile.delta0:
                        config = RunConfig(
                            task=variant.task, k=variant.k, steps_back=variant.steps_back,
                            cell=cell, layers=layers, hidden=hidden, skip=skip,
                            delta0=delta0, **settings)
                        out.extend(config.with_seeds(seed)
                                   for seed in profile.seeds_of(replicate))
    return tuple(out)


@functools.lru_cache(maxsize=8)
def _grid_keys(profile, reading_settings, replicate):
    return tuple(config.key for config in _grid(profile, reading_settings, replicate))


_ALL_VARIANTS = tuple(v.id for v in tasks.variants())

PROFILES = {p.name: p for p in (
    Profile(
        name="paper",
        description="the whole grid of docs/protocol.md section 5 (hours to days)",
        variants=_ALL_VARIANTS, cells=GRID_CELLS, architectures=grid_architectures(),
        widths=GRID_WIDTHS, delta0=GRID_DELTA0, seeds=GRID_SEEDS),
    Profile(
        name="quick",
        description="every variant, cell and step size; 4 of the 9 architectures, "
                    "3 of the 5 widths, 2 of the 3 seeds (minutes on 2 cores)",
        variants=_ALL_VARIANTS, cells=GRID_CELLS,
        architectures=((1, "none"), (2, "none"), (2, "both"), (3, "both")),
        widths=(5, 15, 50), delta0=GRID_DELTA0, seeds=(0, 1)),
    Profile(
        name="smoke",
        description="2 variants x 2 cells of tiny networks, 5 epochs (seconds; for tests)",
        variants=("fdr-n3-k3", "multiswitch-k2"), cells=("lstm", "tanh"),
        architectures=((1, "none"),), widths=(2,), delta0=(0.1,), seeds=(0, 1),
        max_epochs=5),
)}


def replicate_of(config):
    """The replicate a `RunConfig` (or its JSON dict) belongs to: its data seed's offset."""
    data_seed = config["data_seed"] if isinstance(config, dict) else config.data_seed
    return data_seed - DATA_SEED


def parse_replicates(text):
    """The replicates a ``--replicates`` value names, sorted: ``0``, ``0-4`` or ``0,2,3``;
    ValueError saying what is allowed otherwise."""
    allowed = (f"replicates are numbers from 0 to {MAX_REPLICATE}, as N, N-M or a "
               f"comma-separated list (e.g. 0-4 or 0,2,3)")
    out = set()
    for part in str(text).split(","):
        match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", part)
        if not match:
            raise ValueError(f"bad replicates {text!r}: {allowed}")
        first = int(match.group(1))
        last = int(match.group(2)) if match.group(2) is not None else first
        if last < first or last > MAX_REPLICATE:
            raise ValueError(f"bad replicates {text!r}: {allowed}")
        out.update(range(first, last + 1))
    return tuple(sorted(out))


def format_replicates(replicates):
    """``(0, 1, 2, 4)`` -> ``'0-2,4'`` (what `parse_replicates` reads back)."""
    parts, run = [], []
    for r in sorted(replicates):
        if run and r != run[-1] + 1:
            parts.append(run)
            run = []
        run.append(r)
    if run:
        parts.append(run)
    return ",".join(str(p[0]) if len(p) == 1 else f"{p[0]}-{p[-1]}" for p in parts)


def get_profile(name):
    """The profile called `name`; ValueError naming the known ones otherwise."""
    try:
        return PROFILES[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown profile {name!r}; known profiles: "
                         f"{', '.join(PROFILES)}") from None
