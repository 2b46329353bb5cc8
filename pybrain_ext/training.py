"""The paper's training, through PyBrain itself (docs/protocol.md §3).

``RPropMinusTrainer`` (full batch over the training sequences, importance mask)
with early stopping by PyBrain's ``trainUntilConvergence`` rule on a *fixed*
validation set.  PyBrain 3.0.4's ``trainUntilConvergence`` always splits the
data at random; :class:`pybrain_ext.rprop.EarlyStopping` is its rule, step for
step, for any validation set, and the batched engine uses the same class, so both
engines stop alike by construction.  The settings, the rule and the outcome type
live in :mod:`pybrain_ext.rprop`, which needs no PyBrain; this module holds what does.

    outcome = train_pybrain(net, train_ds, validation_ds, RPropSettings(delta0=0.1))
"""
import time

import numpy as np
from pybrain3.supervised.trainers import RPropMinusTrainer

from pybrain_ext.rprop import EarlyStopping, RPropSettings, TrainOutcome


def train_pybrain(net, train_ds, validation_ds, settings=RPropSettings()):
    """Train ``net`` in place with PyBrain's RProp- and early stopping.

    Parameters
    ----------
    net : pybrain3 RecurrentNetwork
        Built by :func:`pybrain_ext.network.build_network`; its parameters are the start
        and, on return, the restored best.
    train_ds, validation_ds : ImportanceDataSet
        The fixed training and validation sequences.
    settings : RPropSettings

    Returns
    -------
    TrainOutcome
    """
    start = time.perf_counter()
    trainer = RPropMinusTrainer(net, dataset=train_ds, **settings.trainer_kwargs())
    stopping = EarlyStopping(trainer.testOnData(validation_ds), settings.continue_epochs,
                             settings.convergence_decimals, settings.max_epochs)
    best = net.params.copy()
    with np.errstate(over="ignore", invalid="ignore"):
        while stopping.stop_reason is None:
            training_error = trainer.train()
            validation_error = trainer.testOnData(validation_ds)
            if stopping.update(training_error, validation_error):
                best = net.params.copy()
        net.params[:] = best
        training_error = trainer.testOnData(train_ds)
    return TrainOutcome(
        params=best, training_error=float(training_error),
        validation_error=float(stopping.best_error), epochs=stopping.epochs,
        best_epoch=-1 if stopping.best_epoch is None else stopping.best_epoch,
        stop_reason=stopping.stop_reason,
        validation_errors=tuple(map(float, stopping.validation_errors)),
        training_errors=tuple(map(float, stopping.training_errors)),
        seconds=time.perf_counter() - start)


def classification_error(net, dataset):
    """Percentage of unmasked steps whose output's argmax is not the target (§4).

    Parameters
    ----------
    net : pybrain3 network
    dataset : ImportanceDataSet
        One-hot targets; a step counts where its importance is non-zero.
    """
    wrong = counted = 0
    for seq in dataset._provideSequences():
        net.reset()
        for x, target, importance in seq:
            output = net.activate(x)
            if importance.any():
                counted += 1
                wrong += int(np.argmax(output) != np.argmax(target))
    if counted == 0:
        raise ValueError("the data set has no unmasked step to score")
    return 100.0 * wrong / counted
