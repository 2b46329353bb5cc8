"""Run configurations through the batched engine, many at a time.

    results = fit_batched(configs)     # [(RunResult, trained params), ...] in input order

Configurations are grouped by what a batch must share -- the architecture
(``config.architecture``) and the RProp/early-stopping settings other than
``delta0`` -- and each group is cut into chunks of at most :data:`BATCH_SIZE`
networks that train together (:func:`pybrain_ext.batched.train`).  Each network
keeps its own data, initial parameters (exactly ``make_network(config).params``)
and ``delta0``; its result does not depend on the others in its chunk.

``RunResult.seconds`` is the run's share of its chunk's wall time: every epoch's
time divided among the networks still training in it, plus an equal share of
loading the data, setting up and the final evaluation.
"""
import dataclasses
import time

import numpy as np

from pybrain_ext.batched import Architecture, Sequences, classification_error, train
from pybrain_ext.network import initial_params
from reproduce.config import RunResult, package_versions
from reproduce.runner import make_data

# networks trained together at most; 64 keeps one batch's arrays in cache-friendly sizes
BATCH_SIZE = 64


def batch_key(config):
    """What configurations must share to train in one batch."""
    settings = dataclasses.asdict(config.rprop())
    del settings["delta0"]
    return config.architecture, tuple(sorted(settings.items()))


def fit_batched(configs, batch_size=BATCH_SIZE):
    """Train and evaluate ``configs`` in the batched engine.

    Parameters
    ----------
    configs : list of RunConfig
    batch_size : int
        Networks per batch at most.

    Returns
    -------
    list of (RunResult, ndarray)
        In the order of ``configs``: the result (``engine="batched"``) and the
        trained (restored best) parameters in PyBrain's flat layout.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    groups = {}
    for index, config in enumerate(configs):
        groups.setdefault(batch_key(config), []).append(index)
    results = [None] * len(configs)
    for indices in groups.values():
        for first in range(0, len(indices), batch_size):
            chunk = indices[first:first + batch_size]
            for index, outcome in zip(chunk, _fit_chunk([configs[i] for i in chunk])):
                results[index] = outcome
    return results


def _fit_chunk(configs):
    start = time.perf_counter()
    arch = Architecture(*configs[0].architecture)
    cache = {}
    splits = []
    for config in configs:   # one data set per variant and data seed, shared
        key = (config.variant_id, config.data_seed)
        if key not in cache:
            cache[key] = make_data(config)
        splits.append(cache[key])
    train_data, validation_data, test_data = (
        Sequences.stack([split[part] for split in splits], arch.indim, arch.outdim)
        for part in range(3))
    params = np.stack([initial_params(arch.paramdim, c.seed, c.init_variance) for c in configs])
    delta0 = np.array([c.delta0 for c in configs])
    setup = time.perf_counter() - start
    outcomes = train(arch, params, train_data, validation_data, delta0, configs[0].rprop())
    evaluate_start = time.perf_counter()
    trained = np.stack([o.params for o in outcomes])
    test_error = classification_error(arch, trained, test_data)
    overhead = (setup + time.perf_counter() - evaluate_start) / len(configs)
    versions = package_versions()
    return [(RunResult(test_error=float(test_error[m]), training_error=o.training_error,
                       validation_error=o.validation_error, epochs=o.epochs,
                       stop_reason=o.stop_reason, seconds=o.seconds + overhead,
                       engine="batched", versions=versions), o.params)
            for m, o in enumerate(outcomes)]
