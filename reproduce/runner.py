"""Run configurations on either engine and return their results.

``run(config, engine="pybrain")`` is the faithful path: PyBrain's own network,
trainer and data set.  ``run_many(configs, engine="batched")`` trains runs that
share an architecture together in the batched engine.  Both build the data and
the initial parameters the same way, so they start from the same numbers.
``fit_many`` also returns each run's trained parameters (PyBrain's flat layout;
load them with ``make_network(config)._setParameters(params)``), ``train_many``
its whole ``TrainOutcome`` (with every epoch's training and validation error).
"""
import time
import zlib

import numpy as np

import tasks
from pybrain_ext import build_network
from pybrain_ext.training import classification_error, train_pybrain
from reproduce.config import ENGINES, RunResult, package_versions


# First spawn_key word of the random validation split's stream (config.validation
# "random"), apart from the parameters' default_rng(seed) and the data's streams.
_VALIDATION_STREAM = zlib.crc32(b"reproduce.validation")


def make_data(config):
    """The (train, validation, test) TaskData of the config's variant.

    The data set's seed is ``config.data_set_seed``; with ``validation="random"``
    the training and validation sequences are drawn from the run's ``seed``
    (``tasks.split``).  What the steps without a target become
    (``config.untargeted``) is applied where the data enters an engine.
    """
    data = tasks.generate(config.task, config.k, steps_back=config.steps_back,
                          seed=config.data_set_seed)
    rng = None
    if config.validation == "random":
        rng = np.random.default_rng(np.random.SeedSequence(
            config.seed, spawn_key=(_VALIDATION_STREAM,)))
    return tasks.split(data, validation_rng=rng)


def make_network(config):
    """The config's PyBrain network, with its initial parameters."""
    v = config.variant
    return build_network(config.cell, v.indim, v.outdim, config.layers, config.hidden,
                         config.skip, seed=config.seed, init_variance=config.init_variance,
                         init_scope=config.init_scope)


def fit_pybrain(config):
    """Train and evaluate one configuration through PyBrain itself.

    Returns ``(RunResult, trained parameters)``.
    """
    result, outcome = train_pybrain_run(config)
    return result, outcome.params


def train_pybrain_run(config):
    """As `fit_pybrain`, with the whole ``TrainOutcome`` in place of the parameters."""
    start = time.perf_counter()
    train, validation, test = (tasks.to_pybrain(part, config.untargeted)
                               for part in make_data(config))
    net = make_network(config)
    outcome = train_pybrain(net, train, validation, config.rprop())
    return RunResult(
        test_error=classification_error(net, test),
        training_error=outcome.training_error,
        validation_error=outcome.validation_error,
        epochs=outcome.epochs, stop_reason=outcome.stop_reason,
        seconds=time.perf_counter() - start, engine="pybrain",
        versions=package_versions()), outcome


def train_many(configs, engine="batched"):
    """``(RunResult, TrainOutcome)`` of each of ``configs``, in order."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; allowed: {', '.join(ENGINES)}")
    if engine == "pybrain":
        return [train_pybrain_run(c) for c in configs]
    from reproduce.batching import train_batched
    return train_batched(configs)


def fit_many(configs, engine="batched"):
    """``(RunResult, trained parameters)`` of each of ``configs``, in order."""
    return [(result, outcome.params) for result, outcome in train_many(configs, engine)]


def run_many(configs, engine="batched"):
    """Results of ``configs``, in order."""
    return [result for result, _ in fit_many(configs, engine)]


def run(config, engine="pybrain"):
    """The result of one configuration."""
    return run_many([config], engine)[0]
