"""PyBrain's RProp- and early stopping, for a batch of networks (PROTOCOL §3).

Each network has its own parameters, ``delta0``, data and
:class:`pybrain_ext.training.EarlyStopping` (the very class the PyBrain path
uses, so both engines stop by the same code).  An epoch is, per network,
exactly PyBrain's ``RPropMinusTrainer.train()`` followed by ``testOnData`` on
the validation set:

1. forward over the training sequences with the current parameters; its error
   is what ``train()`` returns;
2. backpropagation through time, derivatives summed over the sequences;
3. one RProp- step (:func:`rprop_step`, ``GradientDescent`` with ``rprop=True``);
4. validation error of the new parameters; ``EarlyStopping.update`` decides.

A network that stops keeps its best parameters and leaves the batch at once (the
arrays are compacted), so it costs nothing more while the others go on.
"""
import time

import numpy as np

from pybrain_ext.batched.engine import Workspace, backward, forward, mean_error
from pybrain_ext.training import EarlyStopping, RPropSettings, TrainOutcome


def keep_freed_memory():
    """Have glibc's ``malloc`` keep freed memory for reuse (elsewhere: a no-op).

    An epoch allocates and frees hundreds of temporaries of some hundred KiB.
    glibc serves blocks above its mmap threshold (128 KiB at first) from fresh
    pages, each 4 KiB page costing a page fault on first touch -- a tenth of the
    run time here -- and raises that threshold, and the trim threshold to twice
    it, only when such a block is freed.  Freeing one (untouched) block of 30 MiB
    raises both at once, so later temporaries reuse the heap.
    """
    np.empty(30 * 2 ** 20 // 8)


def rprop_step(params, derivs, theta, last, settings):
    """One step of PyBrain's RProp- (``GradientDescent.__call__``, ``rprop=True``), in place.

    Parameters
    ----------
    params, derivs, theta, last : ndarray, shape (models, P)
        Parameters, this step's ``derivs`` (minus the gradient; overwritten),
        the step sizes and the previous step's derivs.
    settings : RPropSettings
    """
    params += np.sign(derivs) * theta          # moves by the *current* step size
    switch = last * derivs
    # theta[switch > 0] *= etaplus; theta[switch < 0] *= etaminus, as factors (x 1.0 is exact)
    theta *= np.where(switch > 0, settings.etaplus,
                      np.where(switch < 0, settings.etaminus, 1.0))
    np.clip(theta, settings.deltamin, settings.deltamax, out=theta)
    np.copyto(last, np.where(switch < 0, 0.0, derivs))   # a flipped gradient is stored as 0


def train(arch, params, train_data, validation_data, delta0, settings=RPropSettings()):
    """Train a batch of networks with RProp- and early stopping, each as PyBrain would.

    Parameters
    ----------
    arch : Architecture
    params : ndarray, shape (models, arch.paramdim)
        Initial parameters in PyBrain's flat layout (not modified).
    train_data, validation_data : Sequences
        Each network's training and validation sequences.
    delta0 : array_like, shape (models,)
        Each network's initial RProp step.
    settings : RPropSettings
        Everything but ``delta0``, shared by the batch.

    Returns
    -------
    list of TrainOutcome
        In the networks' order; ``params`` the restored best, ``training_error``
        theirs on the training set.  ``seconds`` is the network's share of the
        batch's time: each epoch's wall time divided among the networks still
        training in it, plus an equal share of the setup and final evaluation.
    """
    start = time.perf_counter()
    keep_freed_memory()
    params = np.array(params, dtype=float)
    delta0 = np.asarray(delta0, dtype=float)
    models = len(params)
    if params.shape != (models, arch.paramdim):
        raise ValueError(f"params must have shape (models, {arch.paramdim}); got {params.shape}")
    if delta0.shape != (models,) or not np.all(delta0 > 0):
        raise ValueError(f"delta0 must hold one positive number per network ({models}); "
                         f"got {delta0!r}")
    for name, data in (("train_data", train_data), ("validation_data", validation_data)):
        if data.models != models or (data.indim, data.outdim) != (arch.indim, arch.outdim):
            raise ValueError(f"{name} must hold {models} data sets of indim {arch.indim}, "
                             f"outdim {arch.outdim}; got {data.models} of "
                             f"{data.indim}, {data.outdim}")

    best = params.copy()
    seconds = np.zeros(models)
    theta = np.repeat(delta0[:, None], arch.paramdim, axis=1)     # (models, P)
    last = np.zeros_like(params)
    active = np.arange(models)          # which networks the batch rows are
    train_now, validation_now = train_data, validation_data
    # one set of buffers per pass, reused every epoch (see engine.Workspace)
    work_train, work_validation, work_backward = Workspace(), Workspace(), Workspace()
    with np.errstate(over="ignore", invalid="ignore"):
        stopping = [EarlyStopping(e, settings.continue_epochs, settings.convergence_decimals,
                                  settings.max_epochs)
                    for e in mean_error(forward(arch, params, validation_data,
                                                work_validation).y, validation_data)]
        setup = time.perf_counter() - start
        while len(active):
            epoch_start = time.perf_counter()
            fw = forward(arch, params, train_now, work_train)
            training_error = mean_error(fw.y, train_now)
            derivs = backward(arch, params, train_now, fw, work_backward)
            rprop_step(params, derivs, theta, last, settings)
            validation_error = mean_error(
                forward(arch, params, validation_now, work_validation).y, validation_now)
            going = np.ones(len(active), dtype=bool)
            for row, net in enumerate(active):
                rule = stopping[net]
                # np.float64, as PyBrain's trainer returns them (round() is numpy's then)
                if rule.update(training_error[row], validation_error[row]):
                    best[net] = params[row]
                going[row] = rule.stop_reason is None
            seconds[active] += (time.perf_counter() - epoch_start) / len(active)
            if not going.all():         # the stopped leave the batch
                active = active[going]
                params, theta, last = params[going], theta[going], last[going]
                keep = np.flatnonzero(going)
                train_now, validation_now = train_now.take(keep), validation_now.take(keep)
        final_start = time.perf_counter()
        training_error = mean_error(forward(arch, best, train_data, work_train).y, train_data)
    seconds += (setup + time.perf_counter() - final_start) / models
    return [TrainOutcome(
        params=best[m], training_error=float(training_error[m]),
        validation_error=float(rule.best_error), epochs=rule.epochs,
        best_epoch=-1 if rule.best_epoch is None else rule.best_epoch,
        stop_reason=rule.stop_reason,
        validation_errors=tuple(map(float, rule.validation_errors)),
        seconds=float(seconds[m])) for m, rule in enumerate(stopping)]
