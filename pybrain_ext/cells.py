"""The cell types: everything the code knows about each one, in one registry entry.

``CELL_TYPES`` maps a cell name (``lstm``, ``gru``, ``tanh``, ``sigmoid``,
``relu``; docs/protocol.md §2) to its `CellType`: the PyBrain layer class the
network builder stacks, the blocks of that layer's input, whether its
recurrence lives inside the layer, the quantities `pybrain_ext.record.record`
copies out of the layer's buffers (and how), and the batched engine's forward
and backward steps.  The network builder, ``record``, the batched engine and
the figures read this registry; no other code names a cell.

To add a cell type: write its PyBrain layer (as in :mod:`pybrain_ext.layers`),
its batched forward and backward steps (as in :mod:`pybrain_ext.batched.cells`),
and add one `CellType` here.  ``reproduce run --cell <name>`` trains it at
once; the paper's grid sweeps the cell types named in ``reproduce.experiment.protocol``.
"""
from dataclasses import dataclass
from typing import Callable

from pybrain3.structure import LSTMLayer, SigmoidLayer, TanhLayer

from pybrain_ext.batched import cells as steps
from pybrain_ext.layers import GRULayer, ReluLayer


@dataclass(frozen=True)
class CellType:
    """One cell type.

    Attributes
    ----------
    name : str
        The registry key, as configs and the results store name the cell.
    layer : type
        The PyBrain layer class of a hidden layer, built as ``layer(H, name=...)``.
    blocks : tuple of str
        The H-wide blocks of the layer's input, in PyBrain's order (LSTM:
        input gate, forget gate, cell input, output gate); ``len(blocks)`` is
        the number of inputs per unit.
    recurrence_in_layer : bool
        True when the layer owns its recurrent weights, one ``H x H`` matrix
        per block (the GRU's ``U_r, U_z, U_h``); False when a recurrent
        ``FullConnection`` from the layer to itself feeds all its blocks.
    quantities : tuple of str
        What `pybrain_ext.record.record` records per unit and step, in the
        order figures draw it.
    gates : tuple of str
        Those of `quantities` that are sigmoid gates, i.e. lie in (0, 1).
    buffers : callable
        ``buffers(layer, steps) -> {quantity: (steps, H) array}``: the
        quantities, read from the PyBrain layer's own buffers after a sequence
        of ``steps`` steps.
    steps : pybrain_ext.batched.cells.Cell
        The batched engine's forward and backward steps and how its
        pre-activation blocks map onto PyBrain's weight blocks.
    title : str
        The name figures print.
    """
    name: str
    layer: type
    blocks: tuple
    recurrence_in_layer: bool
    quantities: tuple
    gates: tuple
    buffers: Callable
    steps: steps.Cell
    title: str

    def __post_init__(self):
        if set(self.steps.record) != set(self.quantities):
            raise ValueError(f"cell {self.name!r}: the batched steps record "
                             f"{sorted(self.steps.record)}, not the quantities "
                             f"{sorted(self.quantities)}")
        if not set(self.gates) <= set(self.quantities):
            raise ValueError(f"cell {self.name!r}: gates {self.gates} are not all quantities")


def lstm_buffers(layer, steps):
    # PyBrain's LSTMLayer keeps the gates and the state; the cell input g is
    # the layer's own transfer function of the third quarter of its input.
    dim = layer.outdim
    return {"i": layer.ingate[:steps],
            "f": layer.forgetgate[:steps],
            "o": layer.outgate[:steps],
            "g": layer.g(layer.inputbuffer[:steps, 2 * dim:3 * dim]),
            "c": layer.state[:steps],
            "h": layer.outputbuffer[:steps]}


def gru_buffers(layer, steps):
    return {"r": layer.resetgate[:steps],
            "z": layer.updategate[:steps],
            "hhat": layer.candidate[:steps],
            "h": layer.outputbuffer[:steps]}


def activation_buffers(layer, steps):
    """The one quantity of a simple cell: its output ``h``."""
    return {"h": layer.outputbuffer[:steps]}


def simple_cell(name, layer, forward, backward):
    """The `CellType` of a layer of one activation function per unit (tanh, relu, ...)."""
    return CellType(name, layer, blocks=("h",), recurrence_in_layer=False, quantities=("h",),
                    gates=(), buffers=activation_buffers,
                    steps=steps.Cell(forward, backward, ((0, 0),), (), {"h": ("h", None)}),
                    title=name)


CELL_TYPES = {cell.name: cell for cell in (
    # lstm: PyBrain's LSTMLayer without peepholes.  Recorded: input, forget and output
    # gates, cell input g = tanh(a_g), cell state, output.  The batched step sees
    # PyBrain's input blocks [i, f, g, o] as [i, f, o, g] (the sigmoid gates adjacent).
    CellType("lstm", LSTMLayer, blocks=("i", "f", "g", "o"), recurrence_in_layer=False,
             quantities=("i", "f", "o", "g", "c", "h"), gates=("i", "f", "o"),
             buffers=lstm_buffers,
             steps=steps.Cell(steps.lstm_forward, steps.lstm_backward,
                              blocks=((0, 0), (1, 1), (3, 3), (2, 2)),
                              buffers=("act", "c", "tc"),
                              record={"i": ("act", 0), "f": ("act", 1), "o": ("act", 2),
                                      "g": ("act", 3), "c": ("c", None), "h": ("h", None)}),
             title="LSTM"),
    # gru: pybrain_ext.layers.GRULayer.  Recorded: reset and update gates, candidate
    # h-hat, output.  PyBrain's input is [a_r, a_z, a_h] and its own weights
    # [U_r; U_z; U_h]; the batched step sees [a_r + U_r h, a_z + U_z h, U_h h, a_h].
    CellType("gru", GRULayer, blocks=("r", "z", "hhat"), recurrence_in_layer=True,
             quantities=("r", "z", "hhat", "h"), gates=("r", "z"), buffers=gru_buffers,
             steps=steps.Cell(steps.gru_forward, steps.gru_backward,
                              blocks=((0, 0), (1, 1), (2, None), (None, 2)),
                              buffers=("act", "tc"),
                              record={"r": ("act", 0), "z": ("act", 1), "hhat": ("tc", None),
                                      "h": ("h", None)}),
             title="GRU"),
    simple_cell("tanh", TanhLayer, steps.tanh_forward, steps.tanh_backward),
    simple_cell("sigmoid", SigmoidLayer, steps.sigmoid_forward, steps.sigmoid_backward),
    simple_cell("relu", ReluLayer, steps.relu_forward, steps.relu_backward),
)}


def cell_type(name):
    """The `CellType` called `name`, or ValueError naming the registered ones."""
    try:
        return CELL_TYPES[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown cell {name!r}; allowed: {', '.join(CELL_TYPES)}") from None
