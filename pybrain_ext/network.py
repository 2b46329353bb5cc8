"""The paper's networks, built from PyBrain parts (docs/protocol.md §2).

:func:`build_network` returns a sorted ``RecurrentNetwork``;
:func:`pybrain_ext.batched.layout.param_layout` says which slice of its flat ``params``
belongs to which connection, so other code (the batched engine, the figures)
can read and write PyBrain's own layout.
"""
import numpy as np
from pybrain3.structure import BiasUnit, FullConnection, LinearLayer, RecurrentNetwork, SoftmaxLayer

from pybrain_ext.batched.cells import cell_type
from pybrain_ext.batched.layout import check_architecture, initial_params, param_layout
from pybrain_ext.cells import layer_of
from pybrain_ext.checks import check_number
from pybrain_ext.protocol import INIT_VARIANCE

# Output layers.  "softmax" is the paper's; "linear" exists for PyBrain's
# gradientCheck, which measures squared error, whereas the softmax layer's
# backward pass hands the error through unchanged (the cross-entropy gradient).
OUTPUT_LAYERS = {"softmax": SoftmaxLayer, "linear": LinearLayer}


def build_network(cell, indim, outdim, layers, hidden, skip="none", seed=0,
                  init_variance=INIT_VARIANCE, output="softmax", init_scope="all"):
    """Build one of the paper's recurrent networks.

    Parameters
    ----------
    cell : str
        Unit type of every hidden layer, a key of `pybrain_ext.batched.cells.CELL_TYPES`
        ('lstm', 'gru', 'tanh', 'sigmoid', 'relu').
    indim, outdim : int
        Sizes of the (one-hot, linear) input layer and the softmax output.
    layers : int
        Number of hidden layers, ``L >= 1``.
    hidden : int
        Units per hidden layer.
    skip : {'none', 'in', 'out', 'both'}
        ``in`` adds in -> hidden_i for i >= 1, ``out`` adds hidden_i -> out for
        i < L-1 (0-based), ``both`` adds both.  Only ``none`` with one layer.
    seed : int
        Seeds the generator the parameters are drawn from.
    init_variance : float
        Every parameter ~ N(0, init_variance) [docs/protocol.md §2: 0.3].
    output : {'softmax', 'linear'}
        Output layer; ``linear`` only for gradient checks.
    init_scope : {'all', 'connections'}
        Which parameters `init_variance` covers
        (:func:`~pybrain_ext.batched.layout.initial_params`).

    Returns
    -------
    pybrain3.structure.RecurrentNetwork
        Sorted, with modules named ``in``, ``hidden0``, ..., ``out``, ``bias``
        and connections named ``'<from>-><to>'``.  The bias unit feeds only the
        output; each hidden layer whose recurrence is not inside the layer (all
        but the GRU) has a recurrent self-connection.
    """
    layers, hidden, indim, outdim = check_architecture(cell, layers, hidden, skip,
                                                       indim, outdim)
    if output not in OUTPUT_LAYERS:
        raise ValueError(f"unknown output {output!r}; allowed: {', '.join(OUTPUT_LAYERS)}")
    init_variance = check_number("init_variance", init_variance, float, above=0)

    # PyBrain draws from numpy's global state as it constructs every parameter
    # container; those draws are overwritten below, and the state is put back
    # so building a network leaves no trace on the caller's random numbers.
    global_state = np.random.get_state()
    try:
        net = _assemble(cell, indim, outdim, layers, hidden, skip, output)
    finally:
        np.random.set_state(global_state)
    net._setParameters(initial_params(param_layout(net), seed, init_variance, init_scope))
    return net


def _assemble(cell, indim, outdim, layers, hidden, skip, output):
    layer = layer_of(cell).layer
    net = RecurrentNetwork()
    inp = LinearLayer(indim, name="in")
    out = OUTPUT_LAYERS[output](outdim, name="out")
    bias = BiasUnit(name="bias")
    hid = [layer(hidden, name=f"hidden{i}") for i in range(layers)]
    net.addInputModule(inp)
    for h in hid:
        net.addModule(h)
    net.addModule(bias)
    net.addOutputModule(out)

    def connect(a, b):
        net.addConnection(FullConnection(a, b, name=f"{a.name}->{b.name}"))

    connect(inp, hid[0])
    for lower, upper in zip(hid, hid[1:]):
        connect(lower, upper)
    connect(hid[-1], out)
    connect(bias, out)
    if skip in ("in", "both"):
        for h in hid[1:]:
            connect(inp, h)
    if skip in ("out", "both"):
        for h in hid[:-1]:
            connect(h, out)
    if not cell_type(cell).recurrence_in_layer:
        for h in hid:
            net.addRecurrentConnection(FullConnection(h, h, name=f"{h.name}->{h.name}"))
    net.sortModules()
    return net


