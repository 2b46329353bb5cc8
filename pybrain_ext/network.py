"""The paper's networks, built from PyBrain parts (docs/protocol.md §2).

:func:`build_network` returns a sorted ``RecurrentNetwork``; :func:`param_layout`
says which slice of its flat ``params`` belongs to which connection, so other
code (the batched engine, the figures) can read and write PyBrain's own layout.
"""
from dataclasses import dataclass

import numpy as np
from pybrain3.structure import BiasUnit, FullConnection, LinearLayer, RecurrentNetwork, SoftmaxLayer

from pybrain_ext.cells import cell_type
from pybrain_ext.checks import check_number
from pybrain_ext.protocol import INIT_VARIANCE, SKIPS

# Which parameters the initial variance covers (initial_params): "all" is the
# protocol's; "connections" leaves a layer's own parameters (the GRU's recurrent
# matrices) at PyBrain's default draw, N(0, PYBRAIN_STD_PARAMS**2).
INIT_SCOPES = ("all", "connections")
PYBRAIN_STD_PARAMS = 1.0   # ParameterContainer.stdParams, PyBrain's default

# Output layers.  "softmax" is the paper's; "linear" exists for PyBrain's
# gradientCheck, which measures squared error, whereas the softmax layer's
# backward pass hands the error through unchanged (the cross-entropy gradient).
OUTPUT_LAYERS = {"softmax": SoftmaxLayer, "linear": LinearLayer}


def check_architecture(cell, layers, hidden, skip, indim=1, outdim=1):
    """Check an architecture (docs/protocol.md §2); return ``(layers, hidden, indim,
    outdim)`` as plain ints, or raise ValueError naming what is allowed.

    The one check behind `build_network`, the batched engine's ``Architecture``
    and ``RunConfig``.  The sizes have no upper bound here; `memory_estimate`
    says what a network of them needs.
    """
    cell_type(cell)
    if skip not in SKIPS:
        raise ValueError(f"unknown skip {skip!r}; allowed: {', '.join(SKIPS)}")
    sizes = tuple(check_number(name, value, int, minimum=1) for name, value in
                  dict(layers=layers, hidden=hidden, indim=indim, outdim=outdim).items())
    if sizes[0] == 1 and skip != "none":
        raise ValueError(f"skip {skip!r} needs layers >= 2; with layers=1 only "
                         "'none' is allowed")
    return sizes


def build_network(cell, indim, outdim, layers, hidden, skip="none", seed=0,
                  init_variance=INIT_VARIANCE, output="softmax", init_scope="all"):
    """Build one of the paper's recurrent networks.

    Parameters
    ----------
    cell : str
        Unit type of every hidden layer, a key of `pybrain_ext.cells.CELL_TYPES`
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
        Which parameters `init_variance` covers (:func:`initial_params`).

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


def initial_params(layout, seed=0, init_variance=INIT_VARIANCE, init_scope="all"):
    """The initial flat parameter vector of a network of parameter layout ``layout``.

    One draw from ``np.random.default_rng(seed)``; with ``init_scope="all"``
    every parameter ~ N(0, init_variance) [docs/protocol.md §2].  With
    ``"connections"`` only the connections' parameters have that variance and
    a layer's own parameters (the GRU's ``U_r, U_z, U_h``) keep PyBrain's own
    draw, N(0, 1) (``ParameterContainer.stdParams``): what scaling every
    ``net.connections`` entry, and nothing else, leaves.  :func:`build_network`
    and the batched engine both start from this draw, so they start from the
    same numbers.

    Parameters
    ----------
    layout : list of ParamBlock
        :func:`param_layout` of the network (or the batched
        ``Architecture.layout()``); an int ``paramdim`` is taken as a layout
        of connections only.
    """
    if init_scope not in INIT_SCOPES:
        raise ValueError(f"unknown init_scope {init_scope!r}; allowed: {', '.join(INIT_SCOPES)}")
    blocks = ([ParamBlock("connection", "", "", 0, (int(layout),))]
              if isinstance(layout, (int, np.integer)) else layout)
    std = np.full(blocks[-1].stop, np.sqrt(init_variance))
    if init_scope == "connections":
        for block in blocks:
            if block.kind == "module":
                std[block.start:block.stop] = PYBRAIN_STD_PARAMS
    # loc + scale * z, as Generator.normal(0, scale) computes it: the same numbers
    return np.random.default_rng(seed).standard_normal(len(std)) * std


def _assemble(cell, indim, outdim, layers, hidden, skip, output):
    cell = cell_type(cell)
    net = RecurrentNetwork()
    inp = LinearLayer(indim, name="in")
    out = OUTPUT_LAYERS[output](outdim, name="out")
    bias = BiasUnit(name="bias")
    hid = [cell.layer(hidden, name=f"hidden{i}") for i in range(layers)]
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
    if not cell.recurrence_in_layer:
        for h in hid:
            net.addRecurrentConnection(FullConnection(h, h, name=f"{h.name}->{h.name}"))
    net.sortModules()
    return net


@dataclass(frozen=True)
class ParamBlock:
    """One parameter container's slice of a network's flat ``params``.

    ``kind`` is ``'connection'`` (a ``FullConnection``; ``shape`` is
    ``(outdim, indim)``, row-major, as PyBrain reshapes it), ``'recurrent'`` (a
    recurrent ``FullConnection``, from step t-1) or ``'module'`` (a layer's own
    parameters, e.g. the GRU's ``U_r, U_z, U_h``; ``shape`` ``(3, dim, dim)``).
    """
    kind: str
    source: str
    target: str
    start: int
    shape: tuple

    @property
    def stop(self):
        return self.start + int(np.prod(self.shape))


def param_layout(net):
    """List the :class:`ParamBlock` of every parameter container, in PyBrain's order."""
    blocks, start = [], 0
    recurrent = set(map(id, net.recurrentConns))
    for container in net._containerIterator():
        if hasattr(container, "inmod"):
            kind = "recurrent" if id(container) in recurrent else "connection"
            block = ParamBlock(kind, container.inmod.name, container.outmod.name, start,
                               (container.outdim, container.indim))
        else:
            dim = container.outdim
            block = ParamBlock("module", container.name, container.name, start,
                               (container.paramdim // (dim * dim), dim, dim))
        blocks.append(block)
        start = block.stop
    assert start == net.paramdim
    return blocks
