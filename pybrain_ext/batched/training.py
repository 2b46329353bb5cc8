"""PyBrain's RProp- and early stopping, for a batch of networks (docs/protocol.md §3).

Each network has its own parameters, ``delta0``, data and
:class:`pybrain_ext.rprop.EarlyStopping` (the very class the PyBrain path
uses, so both engines stop by the same code).  An epoch is, per network,
exactly PyBrain's ``RPropMinusTrainer.train()`` followed by ``testOnData`` on
the validation set:

1. forward over the training sequences with the current parameters; its error
   is what ``train()`` returns;
2. backpropagation through time, derivatives summed over the sequences;
3. one RProp- step (:func:`rprop_step`, ``GradientDescent`` with ``rprop=True``);
4. validation error of the new parameters; ``EarlyStopping.update`` decides.

A network that stops keeps its best parameters and leaves the batch at once (the
arrays are compacted), so it costs nothing more while the others go on; with
``batch_size`` smaller than the number of networks, waiting networks take the
free places, so a batch stays full until the last networks run out.
"""
import time

import numpy as np

from pybrain_ext.batched import kernels
from pybrain_ext.batched.cells import CELL_TYPES
from pybrain_ext.batched.engine import Workspace, backward, forward, mean_error
from pybrain_ext.batched.runtime import keep_freed_memory, one_blas_thread
from pybrain_ext.rprop import EarlyStopping, RPropSettings, TrainOutcome

# bytes a batch's stored forward pass may take before it outgrows the cache
WORKING_SET = 64 * 2 ** 20

def rprop_step(params, derivs, theta, last, settings):
    """One step of PyBrain's RProp- (``GradientDescent.__call__``, ``rprop=True``), in place.

    Parameters
    ----------
    params, derivs, theta, last : ndarray, shape (models, P)
        Parameters, this step's ``derivs`` (minus the gradient; not modified),
        the step sizes and the previous step's derivs (as PyBrain keeps them).
    settings : RPropSettings
    """
    if kernels.enabled():
        kernels.rprop_step(params, derivs, theta, last, settings.etaplus, settings.etaminus,
                           settings.deltamin, settings.deltamax)
        return
    params += np.sign(derivs) * theta          # moves by the *current* step size
    switch = last * derivs
    # theta[switch > 0] *= etaplus; theta[switch < 0] *= etaminus, as factors (x 1.0 is exact)
    theta *= np.where(switch > 0, settings.etaplus,
                      np.where(switch < 0, settings.etaminus, 1.0))
    np.clip(theta, settings.deltamin, settings.deltamax, out=theta)
    np.copyto(last, np.where(switch < 0, 0.0, derivs))   # a flipped gradient is stored as 0


def train(arch, params, train_data, validation_data, delta0, settings=RPropSettings(),
          batch_size=None):
    """Train networks with RProp- and early stopping, each as PyBrain would.

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
        Everything but ``delta0``, shared by all.
    batch_size : int, optional
        The most networks computed together (default: all).  The first
        ``batch_size`` start; whenever some stop, as many waiting ones join.
        A network's results do not depend on this or on its company.

    Returns
    -------
    list of TrainOutcome
        In the networks' order; ``params`` the restored best, ``training_error``
        theirs on the training set.  ``seconds`` is the network's share of the
        time: each epoch's wall time divided among the networks in it, and the
        time of joining (initial validation error) and of leaving (training
        error of the restored parameters) divided among those joining or leaving.
    """
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
    batch_size = models if batch_size is None else batch_size
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) \
            or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")

    with one_blas_thread():
        return _train(arch, params, train_data, validation_data, delta0, settings, batch_size)


def _train(arch, params, train_data, validation_data, delta0, settings, batch_size):
    models = len(params)
    best = params.copy()
    training_error_of_best = np.zeros(models)
    seconds = np.zeros(models)
    stopping = [None] * models
    waiting = list(range(models))[::-1]      # popped from the end: network 0 first
    # the batch: which networks its rows are, and their RProp state
    active = np.zeros(0, dtype=int)
    current = np.zeros((0, arch.paramdim))
    theta, last = current.copy(), current.copy()
    # one set of buffers per pass, reused every epoch (see engine.Workspace)
    work_train, work_validation, work_backward = Workspace(), Workspace(), Workspace()
    with np.errstate(over="ignore", invalid="ignore"):
        while len(active) or waiting:
            if waiting and len(active) < batch_size:         # join, with PyBrain's bestverr
                start = time.perf_counter()
                rows = np.array([waiting.pop() for _ in range(min(batch_size - len(active),
                                                                  len(waiting)))])
                joining = validation_data.take(rows)
                initial = mean_error(forward(arch, params[rows], joining, work_validation).y,
                                     joining)
                for net, error in zip(rows, initial):
                    stopping[net] = EarlyStopping(error, settings.continue_epochs,
                                                  settings.convergence_decimals,
                                                  settings.max_epochs)
                active = np.concatenate([active, rows])
                current = np.concatenate([current, params[rows]])
                theta = np.concatenate([theta, np.repeat(delta0[rows, None], arch.paramdim,
                                                         axis=1)])
                last = np.concatenate([last, np.zeros((len(rows), arch.paramdim))])
                train_now, validation_now = train_data.take(active), validation_data.take(active)
                seconds[rows] += (time.perf_counter() - start) / len(rows)

            start = time.perf_counter()
            fw = forward(arch, current, train_now, work_train)
            training_error = mean_error(fw.y, train_now)
            derivs = backward(arch, current, train_now, fw, work_backward)
            rprop_step(current, derivs, theta, last, settings)
            validation_error = mean_error(
                forward(arch, current, validation_now, work_validation).y, validation_now)
            going = np.ones(len(active), dtype=bool)
            for row, net in enumerate(active):
                rule = stopping[net]
                # np.float64, as PyBrain's trainer returns them (round() is numpy's then)
                if rule.update(training_error[row], validation_error[row]):
                    best[net] = current[row]
                going[row] = rule.stop_reason is None
            seconds[active] += (time.perf_counter() - start) / len(active)

            if not going.all():         # the stopped leave: their restored parameters' error
                start = time.perf_counter()
                rows = active[~going]
                leaving = train_data.take(rows)
                training_error_of_best[rows] = mean_error(
                    forward(arch, best[rows], leaving, work_train).y, leaving)
                active = active[going]
                current, theta, last = current[going], theta[going], last[going]
                train_now, validation_now = train_data.take(active), validation_data.take(active)
                seconds[rows] += (time.perf_counter() - start) / len(rows)
    return [TrainOutcome(
        params=best[m], training_error=float(training_error_of_best[m]),
        validation_error=float(rule.best_error), epochs=rule.epochs,
        best_epoch=-1 if rule.best_epoch is None else rule.best_epoch,
        stop_reason=rule.stop_reason,
        validation_errors=tuple(map(float, rule.validation_errors)),
        training_errors=tuple(map(float, rule.training_errors)),
        seconds=float(seconds[m])) for m, rule in enumerate(stopping)]


def batch_size_for(arch, seqs, steps, budget=WORKING_SET):
    """How many networks of ``arch`` to compute together: as many as keep what a
    training epoch stores for backpropagation (per layer, per step, per
    sequence: the gate activations, cell states and stacked inputs) within
    ``budget`` bytes, at least one.  Beyond that an epoch's data falls out of
    the cache and each network costs more, not less (see bench.engines).
    """
    gates = len(CELL_TYPES[arch.cell].steps.blocks)
    per_network = 8 * arch.layers * steps * seqs * arch.hidden * (gates + 4)
    return max(1, budget // per_network)
