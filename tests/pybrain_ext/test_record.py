"""record: PyBrain's own buffers, checked against an independent forward pass and the
batched engine."""

import numpy as np
import pytest

from pybrain_ext.batched.architecture import Architecture
from pybrain_ext.batched.cells import CELL_TYPES
from pybrain_ext.batched.engine import record as batched_record
from pybrain_ext.batched.layout import param_layout
from pybrain_ext.network import build_network
from pybrain_ext.protocol import SKIPS
from pybrain_ext.record import flatten, hidden_layers, record, unflatten

CELLS = list(CELL_TYPES)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def reference_forward(net, x):
    """Every quantity of `net` on one symbol sequence `x`, from its parameters alone.

    Written from docs/protocol.md §2 and `param_layout`, not from PyBrain's code: each
    layer's input is the sum, over the connections into it, of W @ source (the
    bias unit's output is 1), plus W_rec @ h_{t-1}.
    """
    weights = {}
    for block in param_layout(net):
        weights[(block.kind, block.source, block.target)] = (
            net.params[block.start:block.stop].reshape(block.shape))
    layers = hidden_layers(net)
    hidden = net["hidden0"].outdim
    out = {name: {q: [] for q in CELL_TYPES[cell].quantities} for name, cell in layers}
    out["out"] = {"y": []}
    h_prev = {name: np.zeros(hidden) for name, _ in layers}
    c_prev = {name: np.zeros(hidden) for name, _ in layers}

    def incoming(target, values):
        return sum(w @ values[source] for (kind, source, tgt), w in weights.items()
                   if kind == "connection" and tgt == target)

    for t, symbol in enumerate(x):
        values = {"in": np.eye(net.indim)[symbol], "bias": np.ones(1)}
        for name, cell in layers:
            a = incoming(name, values)
            if t > 0 and ("recurrent", name, name) in weights:
                a = a + weights[("recurrent", name, name)] @ h_prev[name]
            H = hidden
            if cell == "lstm":
                i, f = sigmoid(a[:H]), sigmoid(a[H:2 * H])
                g, o = np.tanh(a[2 * H:3 * H]), sigmoid(a[3 * H:])
                c = i * g + (f * c_prev[name] if t > 0 else 0.0)
                h = o * np.tanh(c)
                quantities = dict(i=i, f=f, o=o, g=g, c=c, h=h)
                c_prev[name] = c
            elif cell == "gru":
                U_r, U_z, U_h = weights[("module", name, name)]
                r = sigmoid(a[:H] + U_r @ h_prev[name])
                z = sigmoid(a[H:2 * H] + U_z @ h_prev[name])
                hhat = np.tanh(a[2 * H:] + r * (U_h @ h_prev[name]))
                h = (1 - z) * hhat + z * h_prev[name]
                quantities = dict(r=r, z=z, hhat=hhat, h=h)
            else:
                h = {"tanh": np.tanh, "sigmoid": sigmoid,
                     "relu": lambda v: np.maximum(v, 0.0)}[cell](a)
                quantities = dict(h=h)
            for q, v in quantities.items():
                out[name][q].append(v)
            h_prev[name] = values[name] = h
        a = incoming("out", values)
        e = np.exp(a - a.max())
        out["out"]["y"].append(e / e.sum())
    return {layer: {q: np.array(v) for q, v in d.items()} for layer, d in out.items()}


@pytest.fixture(scope="module")
def inputs():
    return np.random.default_rng(7).integers(0, 3, size=(4, 9))


@pytest.mark.parametrize("skip", SKIPS)
@pytest.mark.parametrize("cell", CELLS)
def test_record_equals_an_independent_forward_pass(cell, skip, inputs):
    layers = 1 if skip == "none" else 2
    net = build_network(cell, 3, 4, layers, 3, skip, seed=11)
    recording = record(net, inputs)
    assert set(recording) == {f"hidden{i}" for i in range(layers)} | {"out"}
    for s, x in enumerate(inputs):
        expected = reference_forward(net, x)
        for layer, quantities in expected.items():
            assert set(recording[layer]) == set(quantities)
            for q, values in quantities.items():
                np.testing.assert_allclose(recording[layer][q][s], values, rtol=0,
                                           atol=1e-12, err_msg=f"{cell} {layer}.{q}")


@pytest.mark.parametrize("cell", CELLS)
def test_shapes_order_and_output(cell, inputs):
    net = build_network(cell, 3, 2, 3, 4, "both", seed=3)
    recording = record(net, inputs)
    S, T = inputs.shape
    for i in range(3):
        assert tuple(recording[f"hidden{i}"]) == CELL_TYPES[cell].quantities
        for values in recording[f"hidden{i}"].values():
            assert values.shape == (S, T, 4) and values.dtype == np.float64
    y = recording["out"]["y"]
    assert y.shape == (S, T, 2)
    np.testing.assert_allclose(y.sum(axis=-1), 1.0, atol=1e-12)
    for s, x in enumerate(inputs):     # what net.activate returns, step by step
        net.reset()
        activations = [net.activate(np.eye(3)[v]) for v in x]
        np.testing.assert_array_equal(y[s], activations)
    for layer in ("hidden0", "hidden1", "hidden2"):
        for q in CELL_TYPES[cell].quantities:
            if q in CELL_TYPES[cell].gates:
                assert np.all((recording[layer][q] > 0) & (recording[layer][q] < 1))


def test_lstm_and_gru_identities(inputs):
    lstm = record(build_network("lstm", 3, 2, 2, 5, "both", seed=1), inputs)["hidden1"]
    c_prev = np.concatenate([np.zeros_like(lstm["c"][:, :1]), lstm["c"][:, :-1]], axis=1)
    np.testing.assert_allclose(lstm["c"], lstm["i"] * lstm["g"] + lstm["f"] * c_prev,
                               atol=1e-15)
    np.testing.assert_allclose(lstm["h"], lstm["o"] * np.tanh(lstm["c"]), atol=1e-15)
    gru = record(build_network("gru", 3, 2, 2, 5, "both", seed=1), inputs)["hidden0"]
    h_prev = np.concatenate([np.zeros_like(gru["h"][:, :1]), gru["h"][:, :-1]], axis=1)
    np.testing.assert_allclose(gru["h"], (1 - gru["z"]) * gru["hhat"] + gru["z"] * h_prev,
                               atol=1e-15)


def test_each_sequence_starts_afresh_and_the_net_is_left_reset(inputs):
    net = build_network("lstm", 3, 2, 2, 4, "both", seed=5)
    together = record(net, inputs)
    assert net.offset == 0
    for s in range(len(inputs)):
        alone = record(net, inputs[s:s + 1])
        for layer, quantities in alone.items():
            for q, values in quantities.items():
                np.testing.assert_array_equal(values[0], together[layer][q][s])
    # the arrays are copies, not views of the network's buffers
    before = together["hidden0"]["c"].copy()
    record(net, inputs[::-1])
    np.testing.assert_array_equal(together["hidden0"]["c"], before)


def test_flatten_round_trip(inputs):
    recording = record(build_network("gru", 3, 2, 2, 3, "in", seed=0), inputs)
    flat = flatten(recording)
    assert set(flat) == {"hidden0.r", "hidden0.z", "hidden0.hhat", "hidden0.h", "hidden1.r",
                         "hidden1.z", "hidden1.hhat", "hidden1.h", "out.y"}
    back = unflatten({**flat, "config": "ignored"})
    assert back.keys() == recording.keys()


@pytest.mark.parametrize("bad, message", [
    (np.zeros(5, dtype=int), "shape"),
    (np.zeros((2, 0), dtype=int), "shape"),
    (np.zeros((2, 3)), "integer"),
    (np.full((2, 3), 3), "lie in"),
    (np.full((2, 3), -1), "lie in"),
])
def test_bad_inputs(bad, message):
    net = build_network("tanh", 3, 2, 1, 2)
    with pytest.raises(ValueError, match=message):
        record(net, bad)


def test_rejects_foreign_networks():
    from pybrain3.structure import FullConnection, LinearLayer, RecurrentNetwork
    net = RecurrentNetwork()
    a, b = LinearLayer(3, name="a"), LinearLayer(2, name="b")
    net.addInputModule(a)
    net.addOutputModule(b)
    net.addConnection(FullConnection(a, b))
    net.sortModules()
    for foreign in (net, object()):
        with pytest.raises(ValueError, match="build_network"):
            record(foreign, np.zeros((1, 2), dtype=int))


@pytest.mark.parametrize("cell", CELLS)
def test_record_equals_the_batched_engine(cell, inputs):
    arch = Architecture(cell, 2, 3, "both", 3, 4)
    for seed in (0, 1):
        net = build_network(cell, 3, 4, 2, 3, "both", seed=seed)
        ours = record(net, inputs)
        theirs = batched_record(arch, net.params.copy(), inputs)
        assert theirs.keys() == ours.keys()
        for layer, quantities in ours.items():
            assert set(theirs[layer]) == set(quantities)
            for q, values in quantities.items():
                np.testing.assert_allclose(theirs[layer][q], values, rtol=0, atol=1e-12,
                                           err_msg=f"{cell} {layer}.{q}")
