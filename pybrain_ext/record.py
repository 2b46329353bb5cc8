"""Every internal quantity of a PyBrain network, step by step and unit by unit.

Runs a network made by :func:`pybrain_ext.network.build_network` over symbol sequences
and copies, after each sequence, what the layers themselves kept in their
per-time-step buffers -- the numbers PyBrain computed, not a re-computation::

    from pybrain_ext.network import build_network
    from pybrain_ext.record import record

    net = build_network("lstm", indim=3, outdim=2, layers=2, hidden=5, skip="both")
    rec = record(net, inputs)              # inputs: int symbols, shape (S, T)
    rec["hidden0"]["c"]                    # (S, T, 5) cell states of the first layer
    rec["out"]["y"]                        # (S, T, 2) softmax outputs

The dictionary has the same form as the batched engine's
``pybrain_ext.batched.engine.record(arch, params, inputs)``, so the two can be
compared key by key: one entry ``hidden<i>`` per hidden layer with the
quantities its cell type records (``CELL_TYPES[cell].quantities``, read from the
layer's buffers by ``CELL_LAYERS[cell].buffers``), and ``out`` with ``y``.
"""
import numpy as np

from pybrain_ext.batched.cells import CELL_TYPES
from pybrain_ext.cells import CELL_LAYERS


def hidden_layers(net):
    """The hidden layers of a `build_network` network, as ``[(name, cell), ...]`` in order.

    Raises
    ------
    ValueError
        If `net` does not have the modules `build_network` makes.
    """
    names = {m.name for m in getattr(net, "modules", ())}
    count = sum(1 for n in names if n.startswith("hidden"))
    expected = {"in", "out", "bias"} | {f"hidden{i}" for i in range(count)}
    if count == 0 or names != expected:
        raise ValueError("record needs a network made by pybrain_ext.network.build_network "
                         f"(modules in, hidden0.., out, bias); got modules {sorted(names)}")
    layers = []
    for i in range(count):
        layer = net[f"hidden{i}"]
        # the exact layer class (TanhLayer and friends are not subclasses of each other)
        cell = next((name for name, c in CELL_LAYERS.items() if type(layer) is c.layer), None)
        if cell is None or getattr(layer, "peepholes", False):
            raise ValueError(f"hidden{i} is a {type(layer).__name__}; record knows "
                             f"{', '.join(c.layer.__name__ for c in CELL_LAYERS.values())} "
                             "(no peepholes)")
        layers.append((f"hidden{i}", cell))
    return layers


def record(net, inputs):
    """Run `net` over each sequence and return every internal quantity per step and unit.

    Each sequence is fed one-hot, one step at a time (``net.activate``),
    after ``net.reset()``; when it ends the layers' buffers are copied.  The
    network is left reset.

    Parameters
    ----------
    net : pybrain3 RecurrentNetwork
        Made by :func:`pybrain_ext.network.build_network` (any cell, depth, skip) and
        holding the parameters to inspect.
    inputs : array_like of int, shape (S, T)
        Input symbols in ``{0..net.indim - 1}``: S sequences of T steps.

    Returns
    -------
    dict
        ``{"hidden0": {q: array}, ..., "out": {"y": array}}``, where the
        quantities ``q`` of a hidden layer are its cell type's ``quantities``, each array
        of shape ``(S, T, hidden)``, and ``y`` the softmax outputs, shape
        ``(S, T, outdim)``.  All float64, freshly allocated.

    Raises
    ------
    ValueError
        If `net` is not a `build_network` network or `inputs` is not a 2-D
        integer array of symbols the network's input layer can take.
    """
    layers = hidden_layers(net)
    x = np.asarray(inputs)
    if x.ndim != 2 or x.shape[1] < 1:
        raise ValueError(f"inputs must have shape (sequences, steps) with steps >= 1; "
                         f"got shape {x.shape}")
    if x.size and not np.issubdtype(x.dtype, np.integer):
        raise ValueError(f"inputs must be integer symbols; got dtype {x.dtype}")
    if x.size and (x.min() < 0 or x.max() >= net.indim):
        raise ValueError(f"inputs must lie in {{0..{net.indim - 1}}}; "
                         f"got values in [{x.min()}, {x.max()}]")
    n_seq, steps = x.shape
    codes = np.eye(net.indim)
    result = {name: {q: np.empty((n_seq, steps, net[name].outdim))
                     for q in CELL_TYPES[cell].quantities}
              for name, cell in layers}
    result["out"] = {"y": np.empty((n_seq, steps, net.outdim))}
    out = net["out"]
    for s in range(n_seq):
        net.reset()
        for t in range(steps):
            net.activate(codes[x[s, t]])
        for name, cell in layers:
            for q, values in CELL_LAYERS[cell].buffers(net[name], steps).items():
                result[name][q][s] = values
        result["out"]["y"][s] = out.outputbuffer[:steps]
    net.reset()
    return result


def flatten(recording):
    """``{"hidden0.i": array, ..., "out.y": array}``: a recording as one flat dict."""
    return {f"{layer}.{q}": values for layer, quantities in recording.items()
            for q, values in quantities.items()}


def unflatten(flat):
    """The inverse of `flatten` (keys without a dot are ignored)."""
    recording = {}
    for key, values in flat.items():
        layer, dot, q = key.partition(".")
        if dot:
            recording.setdefault(layer, {})[q] = values
    return recording
