"""The batched engine against PyBrain on the same parameters and data: gradients,
RProp- epochs and whole early-stopped runs.

Small networks and, where PyBrain's time would dominate, fewer sequences than the
protocol's; ``PARITY_FULL=1`` also runs the protocol's own data for seventeen
configurations (about seven minutes of PyBrain).  One engine path is compared (the
default: compiled where numba is there); ``test_batched_kernels`` proves the two
paths the same to the bit, so each PyBrain reference is computed once.
"""
import os

import numpy as np
import pytest
from pybrain3.supervised.trainers import RPropMinusTrainer

import tasks
from pybrain_ext.batched.architecture import Architecture
from pybrain_ext.batched.cells import CELL_TYPES
from pybrain_ext.batched.engine import Sequences, backward, errors, forward
from pybrain_ext.batched.training import rprop_step, train
from pybrain_ext.network import build_network
from pybrain_ext.protocol import SKIPS
from pybrain_ext.rprop import RPropSettings
from pybrain_ext.training import classification_error, train_pybrain

ARCHITECTURES = [(1, "none")] + [(L, s) for L in (2, 3) for s in SKIPS]
CASES = [(c, L, s) for c in CELL_TYPES for L, s in ARCHITECTURES]


def case_id(case):
    return "-".join(map(str, case))


def subset(data, rows):
    """Some sequences of a TaskData, as a TaskData."""
    part = slice(rows.start, rows.stop)
    return tasks.TaskData(data.variant, data.n_sequences, data.length, data.seed,
                          data.inputs[part], data.targets[part], data.mask[part], rows=rows)


def pybrain_derivs(net, dataset):
    trainer = RPropMinusTrainer(net, dataset=dataset)
    net.resetDerivatives()
    error = ponderation = 0
    for seq in dataset._provideSequences():
        e, p = trainer._calcDerivs(seq)
        error, ponderation = error + e, ponderation + p
    return net.derivs.copy(), error / ponderation


def assert_relative(actual, expected, rtol, what):
    """|actual - expected| <= rtol * max|expected|, elementwise."""
    scale = np.abs(expected).max()
    worst = np.abs(actual - expected).max() / scale
    assert worst <= rtol, f"{what}: max relative difference {worst:.3g} > {rtol:g}"


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_gradients_equal_pybrains(case):
    """Three networks in one batch, each with its own parameters and data (with
    masked steps), against PyBrain's ``derivs`` on the same numbers."""
    cell, L, skip = case
    arch = Architecture(cell, L, 3, skip, 3, 3)
    datasets = [subset(tasks.generate(task, 3, steps_back=n, n_sequences=4), range(0, 4))
                for task, n in (("fdr", 3), ("ddr", None), ("svb", None))]
    assert all((~d.mask).any() for d in datasets)          # masked steps present
    nets = [build_network(cell, 3, 3, L, 3, skip, seed=seed) for seed in range(3)]
    params = np.stack([net.params for net in nets])
    data = Sequences.stack(datasets, 3, 3)
    derivs = backward(arch, params, data, forward(arch, params, data))
    ours_error = errors(arch, params, data)
    for m, (net, d) in enumerate(zip(nets, datasets)):
        expected, error = pybrain_derivs(net, tasks.to_pybrain(d))
        assert_relative(derivs[m], expected, 1e-10, f"{case_id(case)} network {m}")
        assert abs(ours_error[m] - error) <= 1e-12 * error


def pybrain_epochs(net, dataset, delta0, epochs):
    trainer = RPropMinusTrainer(net, dataset=dataset, delta0=delta0)
    for _ in range(epochs):
        trainer.train()
    return net.params.copy()


@pytest.mark.parametrize("cell", [          # sigmoid, relu: tanh but the activation; make test
    pytest.param(c, marks=pytest.mark.slow if c in ("sigmoid", "relu") else ())
    for c in CELL_TYPES])
def test_30_rprop_epochs_match_pybrain(cell):
    """30 RProp- epochs from the same start, two networks with their own delta0."""
    settings = RPropSettings()
    arch = Architecture(cell, 2, 3, "both", 4, 4)
    data = subset(tasks.generate("svb", 4, n_sequences=8), range(0, 8))
    nets = [build_network(cell, 4, 4, 2, 3, "both", seed=seed) for seed in (5, 6)]
    delta0 = np.array([0.1, 0.03])
    params = np.stack([net.params for net in nets])
    batch = Sequences.stack([data, data], 4, 4)
    theta = np.repeat(delta0[:, None], arch.paramdim, axis=1)
    last = np.zeros_like(params)
    for _ in range(30):
        derivs = backward(arch, params, batch, forward(arch, params, batch))
        rprop_step(params, derivs, theta, last, settings)
    dataset = tasks.to_pybrain(data)
    for m, net in enumerate(nets):
        expected = pybrain_epochs(net, dataset, delta0[m], 30)
        np.testing.assert_allclose(params[m], expected, rtol=0, atol=1e-8)


# (task, k, steps_back, cell, layers, hidden, skip, delta0, seed): different cells and tasks
RUNS = [
    ("fdr", 3, 2, "lstm", 1, 4, "none", 0.1, 0),
    ("ddr", 3, None, "gru", 1, 4, "none", 0.1, 1),
    ("multiswitch", 2, None, "tanh", 1, 4, "none", 0.03, 2),
    ("svb", 3, None, "sigmoid", 1, 4, "none", 0.1, 3),
    ("mvb", 2, None, "relu", 1, 4, "none", 0.03, 4),
    ("fdr", 4, 3, "gru", 2, 3, "both", 0.01, 5),
    ("svb", 4, None, "lstm", 2, 3, "out", 0.03, 6),
    ("multiswitch", 3, None, "relu", 2, 3, "in", 0.03, 7),
    ("ddr", 4, None, "tanh", 2, 3, "both", 0.1, 8),
    ("mvb", 3, None, "sigmoid", 1, 5, "none", 0.1, 9),
    ("fdr", 5, 4, "lstm", 3, 5, "both", 0.1, 10),
    ("ddr", 5, None, "relu", 3, 4, "out", 0.1, 12),
    ("svb", 5, None, "lstm", 1, 25, "none", 0.01, 20),
    ("mvb", 4, None, "gru", 2, 10, "both", 0.03, 21),
    ("fdr", 3, 4, "tanh", 1, 10, "none", 0.03, 22),
    ("multiswitch", 4, None, "sigmoid", 3, 10, "in", 0.1, 23),
    ("ddr", 3, None, "lstm", 2, 50, "out", 0.01, 24),
]
# a quick subset for the default test run
QUICK_RUNS = [RUNS[i] for i in (0, 2, 5, 7, 9, 10)]   # every cell, 1-3 layers


def run_both(run, parts):
    """Train one configuration with train_pybrain and with the batched engine."""
    task, k, n, cell, L, H, skip, delta0, seed = run
    train_part, validation_part, test_part = parts
    settings = RPropSettings(delta0=delta0)
    arch = Architecture(cell, L, H, skip, train_part.variant.indim, train_part.variant.outdim)
    net = build_network(cell, arch.indim, arch.outdim, L, H, skip, seed=seed)
    start = net.params.copy()
    theirs = train_pybrain(net, tasks.to_pybrain(train_part), tasks.to_pybrain(validation_part),
                           settings)
    their_test = classification_error(net, tasks.to_pybrain(test_part))
    ours = train(arch, start[None], Sequences.stack([train_part], arch.indim, arch.outdim),
                 Sequences.stack([validation_part], arch.indim, arch.outdim), [delta0],
                 settings)[0]
    from pybrain_ext.batched.engine import classification_error as batched_classification_error
    our_test = batched_classification_error(
        arch, ours.params[None], Sequences.stack([test_part], arch.indim, arch.outdim))[0]
    return theirs, their_test, ours, our_test


def assert_same_run(theirs, their_test, ours, our_test, label):
    assert ours.stop_reason != "max_epochs" and theirs.stop_reason != "max_epochs", label
    assert (ours.epochs, ours.best_epoch, ours.stop_reason) == \
        (theirs.epochs, theirs.best_epoch, theirs.stop_reason), label
    assert our_test == their_test, label
    np.testing.assert_allclose(ours.validation_errors, theirs.validation_errors, rtol=1e-10,
                               atol=1e-14, err_msg=label)
    np.testing.assert_allclose(ours.training_errors, theirs.training_errors, rtol=1e-10,
                               atol=1e-14, err_msg=label)
    np.testing.assert_allclose(ours.params, theirs.params, rtol=0, atol=1e-8, err_msg=label)
    assert ours.training_error == pytest.approx(theirs.training_error, rel=1e-9, abs=1e-14)
    assert ours.validation_error == pytest.approx(theirs.validation_error, rel=1e-10)


@pytest.mark.parametrize("run", [        # the three longest (gru, sigmoid, 3 layers): slow
    pytest.param(r, marks=pytest.mark.slow if i in (2, 4, 5) else ())
    for i, r in enumerate(QUICK_RUNS)], ids=lambda r: f"{r[0]}-{r[3]}-L{r[4]}")
def test_early_stopped_runs_match_pybrain(run):
    """Whole runs, stopped by the rule (max_epochs as in the protocol), on 12
    training, 6 validation and 8 test sequences: the same epochs, stopping
    reason, test error and parameters."""
    task, k, n = run[:3]
    data = tasks.generate(task, k, steps_back=n, n_sequences=26)
    parts = subset(data, range(0, 12)), subset(data, range(12, 18)), subset(data, range(18, 26))
    assert_same_run(*run_both(run, parts), label=str(run))


@pytest.mark.skipif(os.environ.get("PARITY_FULL") != "1",
                    reason="set PARITY_FULL=1 for seventeen protocol-sized runs "
                           "(minutes of PyBrain)")
@pytest.mark.parametrize("run", RUNS, ids=lambda r: f"{r[0]}-{r[3]}-L{r[4]}-{r[6]}")
def test_protocol_runs_match_pybrain(run):
    """The protocol's own data (36 / 12 / 16 sequences of the variant's data set)."""
    task, k, n = run[:3]
    parts = tasks.split(tasks.generate(task, k, steps_back=n))
    assert_same_run(*run_both(run, parts), label=str(run))
