"""Run configurations through the batched engine, many at a time.

    results = fit_batched(configs)     # [(RunResult, trained params), ...] in input order
    results = train_batched(configs)   # [(RunResult, TrainOutcome), ...]: every epoch's errors

Configurations are grouped by what networks computed together must share --
the architecture (``config.architecture``) and the RProp/early-stopping
settings other than ``delta0`` -- and each group is trained by
:func:`pybrain_ext.batched.training.train` with at most :data:`BATCH_SIZE` networks in
the batch at once (fewer for large networks, see
:func:`~pybrain_ext.batched.training.batch_size_for`): as networks stop, the
group's waiting ones take their places.  Each network keeps its own data,
initial parameters (exactly ``make_network(config).params``) and ``delta0``;
its result does not depend on the others in its batch.

``RunResult.seconds`` is the run's share of the batch's wall time: every
epoch's time divided among the networks training in it, plus the time of its
own joining and leaving (shared with those joining or leaving with it) and an
equal share of loading the data and of the test-set evaluation.
"""
import dataclasses
import time

import numpy as np

from pybrain_ext.batched.architecture import Architecture
from pybrain_ext.batched.engine import Sequences, classification_error
from pybrain_ext.batched.layout import initial_params
from pybrain_ext.batched.training import batch_size_for, train
from reproduce.experiment.build import make_data
from reproduce.experiment.config import RunResult, package_versions

# networks computed together at most (fewer where their stored forward pass outgrows
# the cache: pybrain_ext.batched.training.batch_size_for)
BATCH_SIZE = 64


def batch_key(config):
    """What configurations must share to train in one batch."""
    settings = dataclasses.asdict(config.rprop())
    del settings["delta0"]
    return config.architecture, config.untargeted, tuple(sorted(settings.items()))


def fit_batched(configs, batch_size=BATCH_SIZE):
    """Train and evaluate ``configs`` in the batched engine.

    Parameters
    ----------
    configs : list of RunConfig
    batch_size : int
        Networks in a batch at once at most.

    Returns
    -------
    list of (RunResult, ndarray)
        In the order of ``configs``: the result (``engine="batched"``) and the
        trained (restored best) parameters in PyBrain's flat layout.
    """
    return [(result, outcome.params) for result, outcome in train_batched(configs, batch_size)]


def train_batched(configs, batch_size=BATCH_SIZE):
    """As `fit_batched`, with each run's whole ``TrainOutcome`` (its parameters and
    every epoch's training and validation error) in place of its parameters."""
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    groups = {}
    for index, config in enumerate(configs):
        groups.setdefault(batch_key(config), []).append(index)
    results = [None] * len(configs)
    for indices in groups.values():
        for index, outcome in zip(indices, _fit_group([configs[i] for i in indices],
                                                      batch_size)):
            results[index] = outcome
    return results


def _fit_group(configs, batch_size):
    start = time.perf_counter()
    arch = Architecture(*configs[0].architecture)
    cache = {}
    splits = []
    for config in configs:   # runs with the same data share it
        if config.data_key not in cache:
            cache[config.data_key] = make_data(config)
        splits.append(cache[config.data_key])
    untargeted = configs[0].untargeted
    train_data, validation_data, test_data = (
        Sequences.stack([split[part] for split in splits], arch.indim, arch.outdim, untargeted)
        for part in range(3))
    layout = arch.layout()
    params = np.stack([initial_params(layout, c.seed, c.init_variance, c.init_scope)
                       for c in configs])
    delta0 = np.array([c.delta0 for c in configs])
    batch_size = min(batch_size, batch_size_for(arch, train_data.seqs, train_data.steps))
    setup = time.perf_counter() - start
    outcomes = train(arch, params, train_data, validation_data, delta0, configs[0].rprop(),
                     batch_size=batch_size)
    evaluate_start = time.perf_counter()
    trained = np.stack([o.params for o in outcomes])
    test_error = np.concatenate([
        classification_error(arch, trained[rows], test_data.take(rows))
        for rows in np.array_split(np.arange(len(configs)),
                                   -(-len(configs) // batch_size))])
    overhead = (setup + time.perf_counter() - evaluate_start) / len(configs)
    versions = package_versions()
    return [(RunResult(test_error=float(test_error[m]), training_error=o.training_error,
                       validation_error=o.validation_error, epochs=o.epochs,
                       stop_reason=o.stop_reason, seconds=o.seconds + overhead,
                       engine="batched", versions=versions), o)
            for m, o in enumerate(outcomes)]
