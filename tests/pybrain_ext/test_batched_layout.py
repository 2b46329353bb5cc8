"""The batched engine's architecture, parameter layout and recording forward pass,
against PyBrain's own network (``build_network``) and its buffers."""
import numpy as np
import pytest

import tasks
from pybrain_ext.batched.architecture import Architecture
from pybrain_ext.batched.cells import CELL_TYPES
from pybrain_ext.batched.engine import record
from pybrain_ext.batched.layout import param_layout
from pybrain_ext.network import build_network
from pybrain_ext.protocol import SKIPS

ARCHITECTURES = [(1, "none")] + [(L, s) for L in (2, 3) for s in SKIPS]
CASES = [(c, L, s) for c in CELL_TYPES for L, s in ARCHITECTURES]
ids = ["-".join(map(str, case)) for case in CASES]


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_layout_equals_pybrains(case):
    cell, L, skip = case
    for k, o, H in [(3, 2, 5), (7, 7, 4)]:
        arch = Architecture(cell, L, H, skip, k, o)
        net = build_network(cell, k, o, L, H, skip)
        assert arch.layout() == tuple(param_layout(net))
        assert arch.paramdim == net.paramdim


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_params_load_and_come_back_unchanged(case):
    """The engine reads PyBrain's flat vector in place: each weight view is the
    PyBrain container's own matrix, and writing through the views changes nothing."""
    cell, L, skip = case
    net = build_network(cell, 3, 2, L, 4, skip, seed=3)
    arch = Architecture(cell, L, 4, skip, 3, 2)
    params = np.stack([net.params, -net.params])              # (models, P)
    before = params.copy()
    views = arch.weights(params)
    containers = {(c.inmod.name, c.outmod.name): c for c in net._containerIterator()
                  if hasattr(c, "inmod")}
    for (source, target), view in views.items():
        assert np.shares_memory(view, params)
        if (source, target) in containers:
            c = containers[(source, target)]
            expected = c.params.reshape(c.outdim, c.indim)
        else:  # the GRU's own U_r, U_z, U_h, stacked
            expected = net[target].params.reshape(-1, arch.hidden)
        np.testing.assert_array_equal(view[0], expected)
        view[...] = view.copy()
    np.testing.assert_array_equal(params, before)
    assert set(views) == {(b.source, b.target) for b in param_layout(net)}


def test_architecture_from_run_config_tuple_and_validation():
    arch = Architecture(*("gru", 2, 5, "both", 3, 2))
    assert (arch.gates, arch.hidden_names) == (3, ("hidden0", "hidden1"))
    for bad in [("lstmx", 1, 5, "none", 3, 2), ("lstm", 0, 5, "none", 3, 2),
                ("lstm", 1, 5, "both", 3, 2), ("lstm", 1, 5, "none", 3, True)]:
        with pytest.raises(ValueError):
            Architecture(*bad)


# PyBrain buffer of each recorded quantity
PYBRAIN_BUFFERS = {
    "lstm": {"i": "ingate", "f": "forgetgate", "o": "outgate", "c": "state", "h": "outputbuffer"},
    "gru": {"r": "resetgate", "z": "updategate", "hhat": "candidate", "h": "outputbuffer"},
    "tanh": {"h": "outputbuffer"}, "sigmoid": {"h": "outputbuffer"}, "relu": {"h": "outputbuffer"},
}


@pytest.mark.parametrize("cell", list(CELL_TYPES))
def test_record_equals_pybrains_buffers(cell):
    data = tasks.generate("svb", 4, n_sequences=3)
    arch = Architecture(cell, 2, 5, "both", 4, 4)
    net = build_network(cell, 4, 4, 2, 5, "both", seed=2)
    rec = record(arch, net.params, data.inputs)
    assert set(rec) == {"hidden0", "hidden1", "out"}
    keys = {"lstm": {"i", "f", "o", "g", "c", "h"}, "gru": {"r", "z", "hhat", "h"}}
    for s, inputs in enumerate(data.inputs):
        net.reset()
        y = np.array([net.activate(np.eye(4)[x]) for x in inputs])
        np.testing.assert_allclose(rec["out"]["y"][s], y, rtol=1e-12, atol=1e-15)
        for layer in ("hidden0", "hidden1"):
            module = net[layer]
            assert set(rec[layer]) == keys.get(cell, {"h"})
            for key, buffer in PYBRAIN_BUFFERS[cell].items():
                expected = getattr(module, buffer)[:len(inputs)]
                assert rec[layer][key][s].shape == (len(inputs), 5)
                np.testing.assert_allclose(rec[layer][key][s], expected, rtol=1e-12, atol=1e-15)
            if cell == "lstm":
                cellx = module.inputbuffer[:len(inputs), 10:15]
                np.testing.assert_allclose(rec[layer]["g"][s], np.tanh(cellx), rtol=1e-12,
                                           atol=1e-15)
