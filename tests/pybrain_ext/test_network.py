"""build_network: the paper's architectures, their parameter layout and gradients."""
import contextlib
import io
import itertools

import numpy as np
import pytest
from pybrain3.datasets import ImportanceDataSet, SequentialDataSet
from pybrain3.supervised import BackpropTrainer
from pybrain3.tests.helpers import gradientCheck

from pybrain_ext.batched.cells import CELL_TYPES
from pybrain_ext.batched.layout import param_layout
from pybrain_ext.cells import CELL_LAYERS
from pybrain_ext.network import build_network
from pybrain_ext.protocol import SKIPS

ARCHITECTURES = [(1, "none")] + [(L, s) for L in (2, 3) for s in SKIPS]
CASES = [(c, L, s) for c in CELL_TYPES for L, s in ARCHITECTURES]


def case_id(case):
    return "-".join(map(str, case))


def closed_form_count(cell, k, o, L, H, skip):
    m = len(CELL_TYPES[cell].blocks)
    inn = skip in ("in", "both")
    out = skip in ("out", "both")
    return (k * m * H + (2 * L - 1) * H * m * H + H * o + o
            + inn * (L - 1) * k * m * H + out * (L - 1) * H * o)


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_parameter_count_matches_closed_form(case):
    cell, L, skip = case
    for k, o, H in [(3, 2, 5), (7, 7, 4)]:
        net = build_network(cell, k, o, L, H, skip)
        assert net.paramdim == closed_form_count(cell, k, o, L, H, skip)
        assert sum(b.stop - b.start for b in param_layout(net)) == net.paramdim


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_structure(case):
    cell, L, skip = case
    net = build_network(cell, 3, 2, L, 4, skip)
    names = {m.name for m in net.modules}
    assert names == {"in", "out", "bias"} | {f"hidden{i}" for i in range(L)}
    assert type(net["out"]).__name__ == "SoftmaxLayer"
    assert isinstance(net[f"hidden{L - 1}"], CELL_LAYERS[cell].layer)
    edges = {(c.inmod.name, c.outmod.name) for cs in net.connections.values() for c in cs}
    expected = ({("in", "hidden0"), (f"hidden{L - 1}", "out"), ("bias", "out")}
                | {(f"hidden{i}", f"hidden{i + 1}") for i in range(L - 1)})
    if skip in ("in", "both"):
        expected |= {("in", f"hidden{i}") for i in range(1, L)}
    if skip in ("out", "both"):
        expected |= {(f"hidden{i}", "out") for i in range(L - 1)}
    assert edges == expected  # the bias feeds the output only
    recurrent = {(c.inmod.name, c.outmod.name) for c in net.recurrentConns}
    assert recurrent == (set() if cell == "gru" else {(f"hidden{i}",) * 2 for i in range(L)})


def near_output_dataset(net, rng, n_seq=2, length=4):
    """Random inputs; targets 0.01 away from the network's own outputs.

    PyBrain's finite differences (step 1e-6) carry a round-off of ~1e-16 times
    the error over 1e-6; keeping the error small keeps that noise far below
    the gradients, so the check measures the gradient.
    """
    ds = SequentialDataSet(net.indim, net.outdim)
    for _ in range(n_seq):
        ds.newSequence()
        net.reset()
        for _ in range(length):
            x = np.eye(net.indim)[rng.integers(net.indim)]
            ds.addSample(x, net.activate(x) + rng.normal(0, 0.01, net.outdim))
    return ds


@pytest.mark.parametrize("case", [    # the fast lane: one layer, and two with both skips
    pytest.param(c, marks=() if c[1] == 1 or c[1:] == (2, "both") else pytest.mark.slow)
    for c in CASES], ids=case_id)
def test_pybrain_gradient_check(case):
    """PyBrain's gradient check: its analytic derivatives against its own
    central differences (``BackpropTrainer._checkGradient``, which
    ``pybrain3.tests.helpers.gradientCheck`` runs).

    gradientCheck's verdict is a per-parameter *relative* error, which is noise
    wherever a gradient is itself ~1e-9 (a few parameters of deep networks are,
    for some data); so the comparison here is the same numbers with an absolute
    floor.  The output is linear because the check measures squared error; the
    softmax output's gradient is checked against cross-entropy below.
    """
    cell, L, skip = case
    net = build_network(cell, 3, 4, L, 3, skip, seed=1, output="linear")
    ds = near_output_dataset(net, np.random.default_rng(1))
    for pairs in BackpropTrainer(net)._checkGradient(ds, silent=True):
        analytic, numeric = np.array(pairs).T
        np.testing.assert_allclose(-analytic, numeric, rtol=1e-4, atol=1e-10)


def test_gradient_check_verdict_on_a_deep_network():
    net = build_network("lstm", 3, 4, 3, 3, "both", seed=1, output="linear")
    ds = near_output_dataset(net, np.random.default_rng(1))
    with contextlib.redirect_stdout(io.StringIO()) as log:
        assert gradientCheck(net, dataset=ds), log.getvalue()


def cross_entropy(net, ds):
    total = 0.0
    for seq in ds._provideSequences():
        net.reset()
        for x, t, imp in seq:
            total -= np.dot(imp, t * np.log(net.activate(x)))
    return total


@pytest.mark.parametrize("cell", CELL_TYPES)
def test_softmax_backward_is_cross_entropy_gradient(cell):
    net = build_network(cell, 3, 3, 2, 3, "both", seed=2)
    rng = np.random.default_rng(2)
    ds = ImportanceDataSet(3, 3)
    for _ in range(2):
        ds.newSequence()
        for t in range(5):
            ds.addSample(np.eye(3)[rng.integers(3)], np.eye(3)[rng.integers(3)],
                         np.full(3, float(t > 0)))  # first step masked
    trainer = BackpropTrainer(net)
    net.resetDerivatives()
    for seq in ds._provideSequences():
        trainer._calcDerivs(seq)
    analytic = -net.derivs.copy()  # PyBrain accumulates the negative gradient
    eps, numeric = 1e-6, np.zeros(net.paramdim)
    for i in range(net.paramdim):
        keep = net.params[i]
        net.params[i] = keep + eps
        up = cross_entropy(net, ds)
        net.params[i] = keep - eps
        down = cross_entropy(net, ds)
        net.params[i] = keep
        numeric[i] = (up - down) / (2 * eps)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8)


def test_parameters_come_from_the_seed_only():
    state = np.random.get_state()
    a = build_network("lstm", 3, 2, 2, 5, "both", seed=7).params.copy()
    np.random.seed(123)  # the global state must not matter ...
    b = build_network("lstm", 3, 2, 2, 5, "both", seed=7).params.copy()
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, build_network("lstm", 3, 2, 2, 5, "both", seed=8).params)
    np.random.set_state(state)
    build_network("gru", 3, 2, 1, 5)
    after = np.random.get_state()  # ... and building must not move it
    assert all(np.array_equal(x, y) for x, y in zip(state[1:2], after[1:2]))


def test_initial_parameters_have_variance_0_3():
    p = np.concatenate([build_network(c, 5, 5, 3, 25, "both", seed=s).params
                        for c, s in itertools.product(CELL_TYPES, range(2))])
    assert abs(p.mean()) < 0.01
    assert abs(p.var() - 0.3) < 0.01


def test_param_layout_is_pybrain_order():
    net = build_network("gru", 3, 2, 2, 2, "both")
    blocks = param_layout(net)
    got = [(b.kind, b.source, b.target, b.shape) for b in blocks]
    assert got == [
        ("connection", "bias", "out", (2, 1)),
        ("connection", "in", "hidden0", (6, 3)),
        ("connection", "in", "hidden1", (6, 3)),
        ("module", "hidden0", "hidden0", (3, 2, 2)),
        ("connection", "hidden0", "hidden1", (6, 2)),
        ("connection", "hidden0", "out", (2, 2)),
        ("module", "hidden1", "hidden1", (3, 2, 2)),
        ("connection", "hidden1", "out", (2, 2)),
    ]
    # each block is a view of the very numbers the network computes with
    conn = net.connections[net["in"]][0]
    np.testing.assert_array_equal(net.params[blocks[1].start:blocks[1].stop], conn.params)


@pytest.mark.parametrize("kwargs, message", [
    (dict(cell="lstmx"), "allowed: lstm, gru, tanh, sigmoid, relu"),
    (dict(skip="all"), "allowed: none, in, out, both"),
    (dict(layers=0), "layers must be an int >= 1"),
    (dict(layers=1, skip="both"), "only 'none' is allowed"),
    (dict(hidden=0), "hidden must be an int >= 1"),
    (dict(indim=-1), "indim must be an int >= 1"),
    (dict(outdim=2.0), "outdim must be an int >= 1"),
    (dict(hidden=True), "hidden must be an int >= 1"),
])
def test_bad_arguments(kwargs, message):
    args = dict(cell="lstm", indim=3, outdim=2, layers=2, hidden=5, skip="none") | kwargs
    with pytest.raises(ValueError, match=message):
        build_network(**args)
