"""The paper's training rule without PyBrain (docs/protocol.md §3): RProp-'s settings,
PyBrain's early-stopping rule and what a training run yields.

Both engines use these very objects -- :func:`pybrain_ext.training.train_pybrain`
around PyBrain's ``RPropMinusTrainer``, :func:`pybrain_ext.batched.training.train`
around its own RProp- step -- so both stop alike by construction.  This module
imports neither PyBrain nor scipy::

    settings = RPropSettings(delta0=0.1, max_epochs=50)
    stopping = EarlyStopping(initial_error, settings.continue_epochs,
                             settings.convergence_decimals, settings.max_epochs)
    while stopping.stop_reason is None:
        improved = stopping.update(training_error, validation_error)   # one epoch
"""
import math
from dataclasses import asdict, dataclass

import numpy as np

from pybrain_ext.checks import set_checked
from pybrain_ext.protocol import (
    CONTINUE_EPOCHS,
    CONVERGENCE_DECIMALS,
    DELTAMAX,
    DELTAMIN,
    ETAMINUS,
    ETAPLUS,
    MAX_EPOCHS,
)

STOP_REASONS = ("converged", "validation rose", "max_epochs", "diverged")

# What the steps without a target (the first steps of an FDR sequence, say)
# become in training and scoring: "masked" leaves them out (importance 0, the
# protocol's choice), "zero_target" counts them with the zero target vector, as
# a plain PyBrain SequentialDataSet would hold them, and scores them by PyBrain's
# testOnClassData rule (argmax of the target, i.e. class 0, against the output's);
# "class0_target" counts them with the one-hot target of class 0 (a memory that
# starts at 0, a history padded with 0).
UNTARGETED_STEPS = ("masked", "zero_target", "class0_target")


def check_untargeted(value):
    """Raise ValueError unless `value` is one of :data:`UNTARGETED_STEPS`."""
    if value not in UNTARGETED_STEPS:
        raise ValueError(f"unknown untargeted-steps rule {value!r}; allowed: "
                         f"{', '.join(UNTARGETED_STEPS)}")


@dataclass(frozen=True)
class RPropSettings:
    """RProp- and early-stopping settings; defaults are the protocol's."""
    delta0: float = 0.1
    etaplus: float = ETAPLUS
    etaminus: float = ETAMINUS
    deltamin: float = DELTAMIN
    deltamax: float = DELTAMAX
    continue_epochs: int = CONTINUE_EPOCHS
    convergence_decimals: int = CONVERGENCE_DECIMALS
    max_epochs: int = MAX_EPOCHS

    def __post_init__(self):
        for name in ("delta0", "etaplus", "etaminus", "deltamin", "deltamax"):
            set_checked(self, name, float, above=0)
        set_checked(self, "continue_epochs", int, minimum=1)
        for name in ("convergence_decimals", "max_epochs"):
            set_checked(self, name, int, minimum=0)

    def trainer_kwargs(self):
        """Keyword arguments of PyBrain's ``RPropMinusTrainer``."""
        return dict(etaminus=self.etaminus, etaplus=self.etaplus, deltamin=self.deltamin,
                    deltamax=self.deltamax, delta0=self.delta0)


class EarlyStopping:
    """PyBrain's ``trainUntilConvergence`` stopping rule, fed one epoch at a time.

    Upstream PyBrain's rule (3.0.4's, plus the later ``convergence_threshold``):
    after each epoch the validation error is appended; the parameters are kept
    if it is the first epoch or a new minimum; training stops (restoring the kept
    parameters) when ``epoch >= max_epochs`` (so ``max_epochs + 1`` epochs run at
    most, as in PyBrain), when the minimum of the last ``continue_epochs``
    validation errors exceeds the maximum of the ``continue_epochs`` before them
    (``validation rose``), or when the last ``continue_epochs`` errors, rounded to
    ``convergence_decimals``, sum to no difference from the last
    (``converged``).  A NaN error stops it too (``diverged``; upstream raises).

    Parameters
    ----------
    initial_error : float
        Validation error before any training (PyBrain's ``bestverr``).
    """

    def __init__(self, initial_error, continue_epochs=CONTINUE_EPOCHS,
                 convergence_decimals=CONVERGENCE_DECIMALS, max_epochs=MAX_EPOCHS):
        self.continue_epochs = continue_epochs
        self.convergence_decimals = convergence_decimals
        self.max_epochs = max_epochs
        self.best_error = initial_error
        self.best_epoch = None          # index of the epoch whose parameters are kept
        self.validation_errors = [initial_error]
        self.training_errors = []       # one per epoch: the trainer's, before its step
        self.epochs = 0                 # epochs trained so far
        self.stop_reason = None

    def update(self, training_error, validation_error):
        """Record one epoch; return True if its parameters are the new best.

        After the call, ``stop_reason`` is set when training must stop.
        """
        assert self.stop_reason is None, "training already stopped"
        epoch = self.epochs
        self.epochs += 1
        self.validation_errors.append(validation_error)
        self.training_errors.append(training_error)
        if math.isnan(training_error) or math.isnan(validation_error):
            self.stop_reason = "diverged"
            return False
        improved = epoch == 0 or validation_error < self.best_error
        if improved:
            self.best_error = validation_error
            self.best_epoch = epoch
        c = self.continue_epochs
        if epoch >= self.max_epochs:
            self.stop_reason = "max_epochs"
        elif len(self.validation_errors) >= 2 * c:
            old = self.validation_errors[-2 * c:-c]
            new = self.validation_errors[-c:]
            last = round(new[-1], self.convergence_decimals)
            if min(new) > max(old):
                self.stop_reason = "validation rose"
            elif sum(round(v, self.convergence_decimals) - last for v in new) == 0:
                self.stop_reason = "converged"
        return improved


@dataclass(frozen=True)
class TrainOutcome:
    """What one training run produced (the parameters are the restored best)."""
    params: np.ndarray
    training_error: float       # of the restored parameters, on the training set
    validation_error: float     # the best validation error (of the restored parameters)
    epochs: int                 # epochs trained (RProp steps taken)
    best_epoch: int             # 0-based epoch whose parameters were restored; -1 if none
    stop_reason: str
    validation_errors: tuple    # before training, then after each epoch
    training_errors: tuple      # each epoch's training error (of the parameters before its step)
    seconds: float

    def summary(self):
        d = asdict(self)
        del d["params"], d["validation_errors"], d["training_errors"]
        return d
