"""Train configurations on either engine (`ENGINES`) and return their results.

``run(config, engine="pybrain")`` is the faithful path: PyBrain's own network,
trainer and data set.  ``run_many(configs, engine="batched")`` trains runs that
share an architecture together in the batched engine.  Both build the data and
the initial parameters the same way, so they start from the same numbers.
``fit_many`` also returns each run's trained parameters (PyBrain's flat layout;
load them with ``make_network(config)._setParameters(params)``), ``train_many``
its whole ``TrainOutcome`` (with every epoch's training and validation error).
"""
import time

import tasks
from pybrain_ext.training import classification_error, train_pybrain
from reproduce.experiment.build import make_data, make_network
from reproduce.experiment.config import ENGINES, RunResult, package_versions


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


def _train_pybrain(configs):
    return [train_pybrain_run(c) for c in configs]


def _train_batched(configs):
    from reproduce.experiment.batching import train_batched  # numba loads only when used
    return train_batched(configs)


# engine name -> trains a list of configs: [(RunResult, TrainOutcome)] in order
TRAINERS = {"pybrain": _train_pybrain, "batched": _train_batched}
assert tuple(TRAINERS) == ENGINES


def train_many(configs, engine="batched"):
    """``(RunResult, TrainOutcome)`` of each of ``configs``, in order."""
    if engine not in TRAINERS:
        raise ValueError(f"unknown engine {engine!r}; allowed: {', '.join(ENGINES)}")
    return TRAINERS[engine](configs)


def fit_many(configs, engine="batched"):
    """``(RunResult, trained parameters)`` of each of ``configs``, in order."""
    return [(result, outcome.params) for result, outcome in train_many(configs, engine)]


def run_many(configs, engine="batched"):
    """Results of ``configs``, in order."""
    return [result for result, _ in fit_many(configs, engine)]


def run(config, engine="pybrain"):
    """The result of one configuration."""
    return run_many([config], engine)[0]
