"""The compiled passes against the numpy path: the same numbers, to the bit.

What is proven here lets ``test_batched_parity`` compare PyBrain with one path only:
each pass, the RProp step and whole early-stopped training runs are the same on both.
"""
import numpy as np
import pytest

import tasks
from pybrain_ext.batched import kernels
from pybrain_ext.batched.architecture import Architecture
from pybrain_ext.batched.engine import Sequences, backward, forward, record
from pybrain_ext.batched.layout import initial_params
from pybrain_ext.batched.training import rprop_step, train
from pybrain_ext.rprop import RPropSettings

pytestmark = pytest.mark.skipif(not kernels.AVAILABLE, reason="no compiled path here")


def both_paths(monkeypatch, compute):
    out = []
    for enabled in (True, False):
        monkeypatch.setattr(kernels, "ENABLED", enabled)
        out.append(compute())
    return out


@pytest.mark.parametrize("cell", list(kernels.CODES))
@pytest.mark.parametrize("layers, skip", [(1, "none"), (2, "both"), (3, "in"), (3, "out")])
def test_passes_equal_the_numpy_paths_bit_for_bit(monkeypatch, cell, layers, skip):
    """Outputs, every recorded state and the derivatives, with large weights too
    (saturated gates, sigmoid inputs beyond safeExp's bound)."""
    arch = Architecture(cell, layers, 4, skip, 4, 4)
    data = Sequences.stack([tasks.generate("svb", 4, n_sequences=7, seed=s) for s in (0, 1, 2)],
                           4, 4)
    params = np.stack([initial_params(arch.paramdim, s, v) for s, v in
                       ((0, 0.3), (1, 3.0), (2, 400.0))])

    def compute():
        fw = forward(arch, params, data)
        return (fw.y.copy(), backward(arch, params, data, fw),
                record(arch, params[1], data.inputs[1]))

    (y, derivs, rec), (y0, derivs0, rec0) = both_paths(monkeypatch, compute)
    np.testing.assert_array_equal(y, y0)
    np.testing.assert_array_equal(derivs, derivs0)
    for layer in rec0:
        for name in rec0[layer]:
            np.testing.assert_array_equal(rec[layer][name], rec0[layer][name])


def test_rprop_step_equals_the_numpy_paths(monkeypatch):
    rng = np.random.default_rng(0)
    derivs = rng.normal(size=(3, 50))
    derivs[0, :5] = [0.0, -0.0, np.nan, np.inf, -np.inf]
    last = np.where(rng.random((3, 50)) < 0.3, 0.0, rng.normal(size=(3, 50)))
    theta = rng.choice([1e-6, 0.01, 0.1, 4.9, 5.0], size=(3, 50))
    params = rng.normal(size=(3, 50))
    settings = RPropSettings()

    def compute():
        state = [a.copy() for a in (params, theta, last)]
        with np.errstate(invalid="ignore"):
            rprop_step(state[0], derivs, state[1], state[2], settings)
        return state

    ours, theirs = both_paths(monkeypatch, compute)
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("cell", list(kernels.CODES))
def test_whole_training_runs_equal_the_numpy_paths(monkeypatch, cell):
    """Early-stopped runs, four networks through a batch of two (most cells: some stop
    early and a waiting one takes the place): the same epochs, stopping reasons, errors
    and parameters."""
    arch = Architecture(cell, 2, 3, "both", 3, 3)
    parts = [tasks.split(tasks.generate(task, 3, steps_back=n, seed=s)) for s, (task, n)
             in enumerate((("fdr", 3), ("ddr", None), ("svb", None), ("mvb", None)))]
    data = [Sequences.stack([p[j] for p in parts], 3, 3) for j in (0, 1)]
    params = np.stack([initial_params(arch.paramdim, s, 0.3) for s in range(4)])
    settings = RPropSettings(max_epochs=30, continue_epochs=2)

    def compute():
        return train(arch, params, data[0], data[1], [0.1, 0.03, 0.01, 0.1], settings,
                     batch_size=2)

    ours, theirs = both_paths(monkeypatch, compute)
    for a, b in zip(ours, theirs):
        assert (a.epochs, a.best_epoch, a.stop_reason) == (b.epochs, b.best_epoch,
                                                            b.stop_reason)
        np.testing.assert_array_equal(a.params, b.params)
        np.testing.assert_array_equal(a.training_errors, b.training_errors)
        np.testing.assert_array_equal(a.validation_errors, b.validation_errors)


def test_disabled_by_the_environment(monkeypatch):
    import importlib
    monkeypatch.setenv("PYBRAIN_EXT_KERNELS", "numpy")
    try:
        assert not importlib.reload(kernels).enabled()
    finally:
        monkeypatch.delenv("PYBRAIN_EXT_KERNELS")
        importlib.reload(kernels)
    assert kernels.enabled()
