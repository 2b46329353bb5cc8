"""The faithful trainer: PyBrain's early-stopping rule on a fixed validation set."""
import random

import numpy as np
import pytest
from pybrain3.datasets import ImportanceDataSet
from pybrain3.supervised.trainers import BackpropTrainer

import tasks
from pybrain_ext.network import build_network
from pybrain_ext.rprop import EarlyStopping, RPropSettings
from pybrain_ext.training import classification_error, train_pybrain


class _ScriptedModule:
    """Stands in for a network: its one parameter is the number of epochs trained."""

    def __init__(self):
        self.params = np.zeros(1)


class _ScriptedTrainer(BackpropTrainer):
    """PyBrain's trainer with scripted errors, so its own trainUntilConvergence
    can be run on a chosen validation curve."""

    def __init__(self, training, validation):
        self.module = _ScriptedModule()
        self.ds = None
        self.verbose = False
        self.training = list(training)
        self.validation = list(validation)
        self.seen = 0

    def train(self):
        self.module.params += 1
        return self.training[int(self.module.params[0]) - 1]

    def testOnData(self, dataset=None, verbose=False):
        # validation curve: before training, then after each epoch; the final
        # call on the training data (after the stop) is not part of the curve
        value = self.validation[self.seen] if self.seen < len(self.validation) else -1.0
        self.seen += 1
        return value


def _dataset(n):
    ds = ImportanceDataSet(1, 1)
    for _ in range(n):
        ds.newSequence()
        ds.addSample([0], [0])
    return ds


def _drive(stopping, training, validation):
    """Our rule on a scripted curve: (epochs, restored epoch count)."""
    restored = 0
    for epoch in range(len(training)):
        if stopping.update(training[epoch], validation[epoch + 1]):
            restored = epoch + 1  # the parameters after epoch+1 RProp steps
        if stopping.stop_reason:
            return stopping.epochs, restored
    raise AssertionError("script too short")


CURVES = {
    "rises after a minimum": [1.0, .9, .8, .7, .65, .6, .62, .64, .66, .7, .71, .72, .73,
                              .74, .75, .76, .77, .78, .79, .80, .81, .82, .83, .84, .85,
                              .86, .87, .88, .89, .90],
    "noisy descent, then a drift up": list(1 / (1 + np.arange(200)) + 0.03 * np.arange(200)
                                          + 0.05 * np.sin(np.arange(200) * 1.7)),
    "improves to the cap": list(np.linspace(1.0, 0.1, 60)),
}


@pytest.mark.parametrize("name, max_epochs", [
    ("rises after a minimum", None), ("rises after a minimum", 25),
    ("noisy descent, then a drift up", None), ("noisy descent, then a drift up", 25),
    ("improves to the cap", 25), ("improves to the cap", 0)])
def test_rule_matches_pybrains_train_until_convergence(name, max_epochs):
    validation = CURVES[name]
    training = [v * 0.9 for v in validation[1:]]
    trainer = _ScriptedTrainer(training, validation)
    random.seed(0)  # PyBrain 3.0.4 splits the data set at random; here it is irrelevant
    train_errors, valid_errors = trainer.trainUntilConvergence(
        dataset=_dataset(8), maxEpochs=max_epochs, continueEpochs=10)
    pybrain_epochs = int(trainer.seen) - 2   # initial + one per epoch + final training
    pybrain_restored = int(trainer.module.params[0])  # overwritten with the best

    ours = EarlyStopping(validation[0], continue_epochs=10,
                         max_epochs=10 ** 9 if max_epochs is None else max_epochs)
    epochs, restored = _drive(ours, training, validation)
    assert epochs == pybrain_epochs == len(train_errors) - 1
    assert ours.validation_errors == valid_errors
    assert ours.training_errors == train_errors[:-1]   # PyBrain appends a final one
    # PyBrain copies the best *parameters*; ours says which epoch they came from
    assert restored == pybrain_restored == ours.best_epoch + 1


def test_convergence_threshold_rule():
    # Upstream PyBrain's later convergence_threshold: stop when the last
    # continueEpochs validation errors, rounded to 10 decimals, show no change.
    stopping = EarlyStopping(1.0, continue_epochs=3, convergence_decimals=10, max_epochs=100)
    for v in [0.5, 0.4, 0.3, 0.3 + 1e-12, 0.3 - 1e-12]:
        assert stopping.stop_reason is None
        stopping.update(v, v)
    # the window 0.3, 0.3+1e-12, 0.3-1e-12 rounds to one value
    assert stopping.stop_reason == "converged" and stopping.epochs == 5
    assert stopping.best_epoch == 4  # 0.3 - 1e-12 is still a new minimum


def test_max_epochs_means_that_many_plus_one_steps_like_pybrain():
    stopping = EarlyStopping(1.0, max_epochs=0)
    stopping.update(0.5, 0.5)
    assert stopping.stop_reason == "max_epochs" and stopping.epochs == 1


def test_nan_is_divergence_not_a_crash():
    stopping = EarlyStopping(1.0)
    stopping.update(0.5, 0.5)
    assert not stopping.update(float("nan"), 0.4)
    assert stopping.stop_reason == "diverged" and stopping.best_epoch == 0


@pytest.mark.parametrize("bad", [dict(delta0=0), dict(etaplus=-1.0), dict(max_epochs=-1),
                                 dict(continue_epochs=0), dict(max_epochs=1.5)])
def test_bad_settings(bad):
    with pytest.raises(ValueError):
        RPropSettings(**bad)


def _parts(task, k, **kw):
    return [tasks.to_pybrain(p) for p in tasks.split(tasks.generate(task, k, **kw))]


@pytest.mark.slow
def test_trained_lstm_solves_two_switches():
    """The paper's best on Multiswitch k=2 is 0 %; chance is 50 %.  A broken
    gradient, RProp step or stopping rule leaves the error near chance."""
    train, validation, test = _parts("multiswitch", 2)
    net = build_network("lstm", 2, 2, 1, 10, seed=0)
    assert classification_error(net, test) > 30  # untrained: near chance
    outcome = train_pybrain(net, train, validation, RPropSettings(delta0=0.1, max_epochs=300))
    assert classification_error(net, test) < 5
    assert outcome.stop_reason in ("validation rose", "converged", "max_epochs")
    np.testing.assert_array_equal(net.params, outcome.params)
    assert outcome.validation_error == min(outcome.validation_errors[1:])
