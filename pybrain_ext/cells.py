"""The PyBrain layer of each cell type: what the registry adds on PyBrain's side.

Everything else the code knows about a cell type -- its blocks, recurrence,
recorded quantities, the batched engine's steps, title and colour -- is its
entry in :data:`pybrain_ext.batched.cells.CELL_TYPES`, which needs no PyBrain.
Here ``CELL_LAYERS`` maps the same names to a `PyBrainLayer`: the layer class the
network builder stacks, and how `pybrain_ext.record.record` reads the recorded
quantities out of that layer's buffers.

To add a cell type: write its PyBrain layer (as in :mod:`pybrain_ext.layers`),
its batched steps and `CellType` (as in :mod:`pybrain_ext.batched.cells`), and
add one `PyBrainLayer` here.  ``reproduce run --cell <name>`` trains it at once;
the paper's grid sweeps the cell types named in ``reproduce.experiment.protocol``.
"""
from dataclasses import dataclass
from typing import Callable

from pybrain3.structure import LSTMLayer, SigmoidLayer, TanhLayer

from pybrain_ext.batched.cells import cell_type
from pybrain_ext.layers import GRULayer, ReluLayer


@dataclass(frozen=True)
class PyBrainLayer:
    """A cell type's PyBrain layer.

    Attributes
    ----------
    layer : type
        The PyBrain layer class of a hidden layer, built as ``layer(H, name=...)``.
    buffers : callable
        ``buffers(layer, steps) -> {quantity: (steps, H) array}``: the cell type's
        ``quantities``, read from the PyBrain layer's own buffers after a sequence
        of ``steps`` steps.
    """
    layer: type
    buffers: Callable


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


def simple_layer(layer):
    """The `PyBrainLayer` of a layer of one activation function per unit (tanh, relu, ...)."""
    return PyBrainLayer(layer, activation_buffers)


CELL_LAYERS = {
    "lstm": PyBrainLayer(LSTMLayer, lstm_buffers),      # without peepholes
    "gru": PyBrainLayer(GRULayer, gru_buffers),
    "tanh": simple_layer(TanhLayer),
    "sigmoid": simple_layer(SigmoidLayer),
    "relu": simple_layer(ReluLayer),
}


def layer_of(name):
    """The `PyBrainLayer` of cell type `name`, or ValueError (an unknown cell, or a
    registered one without a PyBrain layer)."""
    cell_type(name)
    try:
        return CELL_LAYERS[name]
    except KeyError:
        raise ValueError(f"cell {name!r} has no PyBrain layer in pybrain_ext.cells."
                         f"CELL_LAYERS; it has: {', '.join(CELL_LAYERS)}") from None
