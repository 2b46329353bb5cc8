"""PyBrain's flat parameter layout and the networks' shape, without PyBrain.

A network's parameters are one flat vector, in PyBrain's order of its parameter
containers; a :class:`ParamBlock` says which slice belongs to which connection or
layer.  :func:`param_layout` reads the layout off a PyBrain network (duck-typed:
this module imports no PyBrain), the batched engine's ``Architecture.layout()``
derives the same from the architecture, and :func:`initial_params` draws the
protocol's initial parameters for either.  :func:`check_architecture` is the one
check of an architecture (docs/protocol.md §2)::

    layers, hidden, indim, outdim = check_architecture("lstm", 2, 10, "both", 3, 3)
    params = initial_params(param_layout(net), seed=0)
"""
from dataclasses import dataclass

import numpy as np

from pybrain_ext.batched.cells import cell_type
from pybrain_ext.checks import check_number
from pybrain_ext.protocol import INIT_VARIANCE, SKIPS

# Which parameters the initial variance covers (initial_params): "all" is the
# protocol's; "connections" leaves a layer's own parameters (the GRU's recurrent
# matrices) at PyBrain's default draw, N(0, PYBRAIN_STD_PARAMS**2).
INIT_SCOPES = ("all", "connections")
PYBRAIN_STD_PARAMS = 1.0   # ParameterContainer.stdParams, PyBrain's default


def check_architecture(cell, layers, hidden, skip, indim=1, outdim=1):
    """Check an architecture (docs/protocol.md §2); return ``(layers, hidden, indim,
    outdim)`` as plain ints, or raise ValueError naming what is allowed.

    The one check behind `pybrain_ext.network.build_network`, the batched engine's
    ``Architecture`` and ``RunConfig``.  The sizes have no upper bound here;
    `pybrain_ext.memory.memory_estimate` says what a network of them needs.
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


def initial_params(layout, seed=0, init_variance=INIT_VARIANCE, init_scope="all"):
    """The initial flat parameter vector of a network of parameter layout ``layout``.

    One draw from ``np.random.default_rng(seed)``; with ``init_scope="all"``
    every parameter ~ N(0, init_variance) [docs/protocol.md §2].  With
    ``"connections"`` only the connections' parameters have that variance and
    a layer's own parameters (the GRU's ``U_r, U_z, U_h``) keep PyBrain's own
    draw, N(0, 1) (``ParameterContainer.stdParams``): what scaling every
    ``net.connections`` entry, and nothing else, leaves.
    :func:`pybrain_ext.network.build_network` and the batched engine both start
    from this draw, so they start from the same numbers.

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
