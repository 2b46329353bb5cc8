"""What a batch of networks shares: their architecture and PyBrain's parameter layout.

An :class:`Architecture` is everything :func:`pybrain_ext.network.build_network`
is given apart from the seed; its :meth:`~Architecture.layout` is derived from
PyBrain's own rule for ordering a network's parameters, and equals
``param_layout(build_network(...))`` (a test checks every cell, depth and skip).
"""
import math
from dataclasses import dataclass

from pybrain_ext.batched.cells import CELL_TYPES
from pybrain_ext.batched.layout import ParamBlock, check_architecture


@dataclass(frozen=True)
class Architecture:
    """The shape shared by every network of a batch (docs/protocol.md §2).

    Built from a ``RunConfig.architecture`` tuple as ``Architecture(*config.architecture)``.
    """
    cell: str
    layers: int
    hidden: int
    skip: str
    indim: int
    outdim: int

    def __post_init__(self):
        sizes = check_architecture(self.cell, self.layers, self.hidden, self.skip,
                                   self.indim, self.outdim)
        for name, value in zip(("layers", "hidden", "indim", "outdim"), sizes):
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_layout", self._derive_layout())

    @property
    def gates(self):
        """Inputs per hidden unit: 4 for lstm, 3 for gru, 1 for the simple cells."""
        return len(CELL_TYPES[self.cell].blocks)

    @property
    def hidden_names(self):
        return tuple(f"hidden{i}" for i in range(self.layers))

    def inputs_of(self, layer):
        """Sources feeding hidden layer ``layer`` (0-based), in PyBrain's forward order.

        PyBrain forwards modules in topological order (bias, in, hidden0, ...),
        each pushing through its outgoing connections, so a layer first gets
        the input layer's contribution, then the layer below's.
        """
        sources = []
        if layer == 0 or self.skip in ("in", "both"):
            sources.append("in")
        if layer > 0:
            sources.append(f"hidden{layer - 1}")
        return tuple(sources)

    def output_sources(self):
        """Sources feeding the softmax output, in PyBrain's forward order."""
        hidden = self.hidden_names
        if self.skip in ("out", "both"):
            return ("bias",) + hidden
        return ("bias", hidden[-1])

    def _size(self, module, side):
        if module == "bias":
            return 1
        if module == "in":
            return self.indim
        if module == "out":
            return self.outdim
        return self.hidden * (self.gates if side == "input" else 1)

    def layout(self):
        """The :class:`ParamBlock` of every parameter container, in PyBrain's order.

        See :meth:`_derive_layout`.
        """
        return self._layout

    def _derive_layout(self):
        """The :class:`ParamBlock` of every parameter container, in PyBrain's order.

        PyBrain's ``_containerIterator``: the modules in topological order --
        here ``bias, in, hidden0, ..., out`` -- each with its own parameters
        (a layer with its recurrence inside, e.g. the GRU's ``U_r, U_z, U_h``)
        followed by its outgoing connections sorted by name; then the recurrent
        connections sorted by name.
        """
        in_layer = CELL_TYPES[self.cell].recurrence_in_layer
        hidden = self.hidden_names
        edges = [("in", hidden[0])] + list(zip(hidden, hidden[1:]))
        edges += [(source, "out") for source in self.output_sources()]
        edges += [("in", h) for h in hidden[1:] if "in" in self.inputs_of(int(h[6:]))]
        recurrent = [] if in_layer else [(h, h) for h in hidden]

        blocks, start = [], 0

        def add(kind, source, target, shape):
            nonlocal start
            blocks.append(ParamBlock(kind, source, target, start, shape))
            start = blocks[-1].stop

        name = lambda edge: f"{edge[0]}->{edge[1]}"  # noqa: E731  (PyBrain's connection names)
        for module in ("bias", "in") + hidden + ("out",):
            if in_layer and module in hidden:
                add("module", module, module, (self.gates, self.hidden, self.hidden))
            for source, target in sorted((e for e in edges if e[0] == module), key=name):
                add("connection", source, target,
                    (self._size(target, "input"), self._size(source, "output")))
        for source, target in sorted(recurrent, key=name):
            add("recurrent", source, target,
                (self._size(target, "input"), self._size(source, "output")))
        return tuple(blocks)

    @property
    def paramdim(self):
        return self.layout()[-1].stop

    def weights(self, params):
        """Views of a stack of flat parameter vectors as weight matrices.

        Parameters
        ----------
        params : ndarray, shape (models, paramdim)
            PyBrain's flat layout, one row per network.

        Returns
        -------
        dict
            ``(source, target) -> view`` of shape ``(models, rows, columns)``
            (``rows`` = the target's input size, ``columns`` = the source's output
            size, PyBrain's row-major ``FullConnection`` matrix).  The recurrent
            weights of hidden layer ``h`` are under ``(h, h)``: the recurrent
            connection's ``(G*H, H)`` matrix, or for the GRU its ``U_r, U_z,
            U_h`` stacked into ``(3H, H)``.  Writing into a view writes
            ``params``.
        """
        if params.ndim != 2 or params.shape[1] != self.paramdim:
            raise ValueError(f"params must have shape (models, {self.paramdim}); "
                             f"got {params.shape}")
        models = params.shape[0]
        return {(block.source, block.target): params[:, block.start:block.stop].reshape(
                    models, math.prod(block.shape[:-1]), block.shape[-1])
                for block in self._layout}
