"""One forward and one backward step of each hidden cell, for many networks at once.

Arrays are "column" oriented like the math (``a = W h``): ``# (models, H, seqs)``,
units on axis 1, sequences last.  Every formula is the one PyBrain
(``pybrain3/structure/modules/*.py``) or :mod:`pybrain_ext.layers` evaluates,
in the same form, with PyBrain's ``sigmoid = 1 / (1 + safeExp(-x))``.

The engine hands a forward step the layer's pre-activation ``pre``, computed by
one matrix product of the layer's packed weights with ``[h_{t-1}; inputs_t]``
(see :mod:`pybrain_ext.batched.engine`), as ``# (blocks, models, H, seqs)``:
H-row blocks in the cell's own order, ``Cell.blocks``.  That order is PyBrain's
gate blocks regrouped so that all sigmoid gates are adjacent (one call), and for
the GRU with the recurrent and feed-forward parts of the candidate apart, since
the reset gate multiplies only the former.  The step fills ``state`` (contiguous
buffers: ``act`` the gate activations, ``# (blocks, models, H, seqs)``; ``h``;
and per cell ``c``, ``tc``); ``prev`` is step t-1's state, or ``None`` at t = 0.

A backward step (t = T-1, ..., 0) gets ``e``, the error on h_t from the layers
above, the output and step t+1 through the recurrent weights, and ``carry``,
what step t+1 passed on; it writes the error on ``pre`` into ``delta`` (same
block layout) and returns the carry for step t-1.  All errors are PyBrain's:
minus the gradient.

:data:`CELL_TYPES` is the registry of cell types: for each name (``lstm``,
``gru``, ``tanh``, ``sigmoid``, ``relu``; docs/protocol.md §2) its `CellType`
holds everything the code knows about the cell -- its steps here, its compiled
passes' code, the blocks of its input, what a recording holds, its title, Table
I label and plot colour -- except the PyBrain layer class, which
:data:`pybrain_ext.cells.CELL_LAYERS` adds per name.  This module imports numpy
only; the engine, the network builder, the figures and the tables read it.
"""
from dataclasses import dataclass
from typing import Callable, NamedTuple, Optional

import numpy as np

# PyBrain's safeExp bound (pybrain3/tools/functions.py)
SAFE_EXP_BOUND = 500.0


def safe_exp(x, out=None):
    """PyBrain's ``safeExp``: ``exp(clip(x, -500, 500))`` (``out`` may be ``x``)."""
    out = np.maximum(x, -SAFE_EXP_BOUND, out=out)      # clip, as two ufuncs
    np.minimum(out, SAFE_EXP_BOUND, out=out)
    return np.exp(out, out=out)


def sigmoid(x, out=None):
    """PyBrain's ``sigmoid``: ``1 / (1 + safeExp(-x))`` (``out`` may be ``x``).

    Only safeExp's upper bound is applied, and only when some ``-x`` exceeds
    it: below -500 its lower bound turns ``exp(-x)`` into ``exp(-500)`` =
    7e-218, and ``1 + `` either is exactly 1, so the result is PyBrain's to the bit.
    """
    out = np.negative(x, out=out)
    if out.max() > SAFE_EXP_BOUND:                     # (rare; else the clip changes nothing)
        np.minimum(out, SAFE_EXP_BOUND, out=out)
    np.exp(out, out=out)
    out += 1.0
    return np.reciprocal(out, out=out)


class State(NamedTuple):
    """One step of one layer (the engine's buffers)."""
    act: np.ndarray             # (blocks, models, H, seqs) gate activations
    h: np.ndarray               # (models, H, seqs) output
    c: Optional[np.ndarray]     # lstm: cell state
    tc: Optional[np.ndarray]    # lstm: tanh(c); gru: the candidate hhat


# --- lstm: PyBrain's LSTMLayer without peepholes ---------------------------------
# PyBrain's input is [i, f, g, o]; the step sees it as [i, f, o, g].

def lstm_forward(pre, s, prev):
    sigmoid(pre[:3], out=s.act[:3])
    i, f, o, g = s.act
    np.tanh(pre[3], out=g)
    c = np.multiply(i, g, out=s.c)                      # c_t = i g + f c_{t-1}
    if prev is not None:
        c += f * prev.c
    np.tanh(c, out=s.tc)
    np.multiply(o, s.tc, out=s.h)                       # h_t = o tanh(c_t)


def lstm_backward(e, s, prev, carry, delta):
    i, f, o, g = s.act
    di, df, do, dg = delta
    np.multiply(o * (1 - o) * e, s.tc, out=do)
    dc = e * o * (1 - s.tc * s.tc)                      # error on c_t ...
    if carry is not None:
        dc += carry                                     # ... + dc_{t+1} f_{t+1}
    np.multiply(i * (1 - g * g), dc, out=dg)
    if prev is None:
        df[...] = 0                                     # c_{-1} = 0
    else:
        np.multiply(f * (1 - f) * dc, prev.c, out=df)
    np.multiply(i * (1 - i) * dc, g, out=di)
    return dc * f


# --- gru: pybrain_ext.layers.GRULayer ----------------------------------------------
# PyBrain's input is [a_r, a_z, a_h] and its own weights [U_r; U_z; U_h]; the step
# sees [a_r + U_r h, a_z + U_z h, U_h h, a_h].

def gru_forward(pre, s, prev):
    sigmoid(pre[:2], out=s.act[:2])
    r, z, uh, _ = s.act
    uh[...] = pre[2]
    hhat = s.tc
    np.tanh(pre[3] + r * uh, out=hhat)
    h = np.multiply(1 - z, hhat, out=s.h)               # h_t = (1-z) hhat + z h_{t-1}
    if prev is not None:
        h += z * prev.h


def gru_backward(e, s, prev, carry, delta):
    r, z, uh, _ = s.act
    hhat = s.tc
    dr, dz, duh, dah = delta
    if carry is not None:
        e = e + carry                                   # + e_{t+1} z_{t+1}
    hprev = 0 if prev is None else prev.h
    np.multiply(e * (1 - z), 1 - hhat * hhat, out=dah)
    np.multiply(e * (hprev - hhat) * z, 1 - z, out=dz)
    np.multiply(dah * uh * r, 1 - r, out=dr)
    np.multiply(r, dah, out=duh)                        # r multiplies U_h h_{t-1}
    return e * z


# --- simple cells: one input per unit ---------------------------------------------

def tanh_forward(pre, s, prev):
    np.tanh(pre[0], out=s.h)


def tanh_backward(e, s, prev, carry, delta):
    np.multiply(1 - s.h ** 2, e, out=delta[0])


def sigmoid_forward(pre, s, prev):
    sigmoid(pre[0], out=s.h)


def sigmoid_backward(e, s, prev, carry, delta):
    np.multiply(s.h * (1 - s.h), e, out=delta[0])


def relu_forward(pre, s, prev):
    np.maximum(pre[0], 0, out=s.h)


def relu_backward(e, s, prev, carry, delta):
    # ReluLayer's derivative is 1[a > 0]; with h = max(a, 0) that is 1[h > 0]
    np.multiply(s.h > 0, e, out=delta[0])


@dataclass(frozen=True)
class Cell:
    """A hidden cell's steps and how its pre-activation is assembled.

    ``blocks``: per H-row block of the pre-activation, which H-row block of
    PyBrain's recurrent matrix and of its feed-forward matrices it takes
    (``None``: none).  ``buffers``: the per-step state buffers besides ``h``
    (``act`` has one block per pre-activation block).  ``record``:
    ``record()`` name -> (state field, block or None).
    """
    forward: Callable
    backward: Callable
    blocks: tuple
    buffers: tuple
    record: dict


@dataclass(frozen=True)
class CellType:
    """One cell type: everything the code knows about it except its PyBrain layer.

    Attributes
    ----------
    name : str
        The registry key, as configs and the results store name the cell.
    blocks : tuple of str
        The H-wide blocks of a hidden layer's input, in PyBrain's order (LSTM:
        input gate, forget gate, cell input, output gate); ``len(blocks)`` is
        the number of inputs per unit.
    recurrence_in_layer : bool
        True when the layer owns its recurrent weights, one ``H x H`` matrix
        per block (the GRU's ``U_r, U_z, U_h``); False when a recurrent
        ``FullConnection`` from the layer to itself feeds all its blocks.
    quantities : tuple of str
        What a recording (``pybrain_ext.record.record``, the batched
        ``record``) holds per unit and step, in the order figures draw it.
    gates : tuple of str
        Those of `quantities` that are sigmoid gates, i.e. lie in (0, 1).
    steps : Cell
        The batched engine's forward and backward steps and how its
        pre-activation blocks map onto PyBrain's weight blocks.
    kernel : int or None
        The code of the cell's compiled passes in :mod:`pybrain_ext.batched.kernels`;
        None: the engine runs `steps` (numpy) only.
    title : str
        The name figures print.
    label : str
        Table I's column label (the published table's own).
    colour : str or None
        The cell's colour in every plot (a matplotlib colour; None: matplotlib's next).
    """
    name: str
    blocks: tuple
    recurrence_in_layer: bool
    quantities: tuple
    gates: tuple
    steps: Cell
    kernel: Optional[int] = None
    title: str = ""
    label: str = ""
    colour: Optional[str] = None

    def __post_init__(self):
        if set(self.steps.record) != set(self.quantities):
            raise ValueError(f"cell {self.name!r}: the batched steps record "
                             f"{sorted(self.steps.record)}, not the quantities "
                             f"{sorted(self.quantities)}")
        if not set(self.gates) <= set(self.quantities):
            raise ValueError(f"cell {self.name!r}: gates {self.gates} are not all quantities")
        for name in ("title", "label"):
            if not getattr(self, name):
                object.__setattr__(self, name, self.name)


def simple_cell(name, forward, backward, kernel=None, label="", colour=None):
    """The `CellType` of a layer of one activation function per unit (tanh, relu, ...),
    whose only quantity is its output ``h``."""
    return CellType(name, blocks=("h",), recurrence_in_layer=False, quantities=("h",),
                    gates=(), steps=Cell(forward, backward, ((0, 0),), (), {"h": ("h", None)}),
                    kernel=kernel, label=label, colour=colour)


# The registry, in the order of the compiled passes' codes.  To add a cell type: its
# steps (as above), one entry here, and its PyBrain layer in pybrain_ext.cells.CELL_LAYERS.
CELL_TYPES = {cell.name: cell for cell in (
    # lstm: PyBrain's LSTMLayer without peepholes.  Recorded: input, forget and output
    # gates, cell input g = tanh(a_g), cell state, output.  The batched step sees
    # PyBrain's input blocks [i, f, g, o] as [i, f, o, g] (the sigmoid gates adjacent).
    CellType("lstm", blocks=("i", "f", "g", "o"), recurrence_in_layer=False,
             quantities=("i", "f", "o", "g", "c", "h"), gates=("i", "f", "o"),
             steps=Cell(lstm_forward, lstm_backward,
                        blocks=((0, 0), (1, 1), (3, 3), (2, 2)),
                        buffers=("act", "c", "tc"),
                        record={"i": ("act", 0), "f": ("act", 1), "o": ("act", 2),
                                "g": ("act", 3), "c": ("c", None), "h": ("h", None)}),
             kernel=0, title="LSTM", colour="tab:blue"),
    # gru: pybrain_ext.layers.GRULayer.  Recorded: reset and update gates, candidate
    # h-hat, output.  PyBrain's input is [a_r, a_z, a_h] and its own weights
    # [U_r; U_z; U_h]; the batched step sees [a_r + U_r h, a_z + U_z h, U_h h, a_h].
    CellType("gru", blocks=("r", "z", "hhat"), recurrence_in_layer=True,
             quantities=("r", "z", "hhat", "h"), gates=("r", "z"),
             steps=Cell(gru_forward, gru_backward,
                        blocks=((0, 0), (1, 1), (2, None), (None, 2)),
                        buffers=("act", "tc"),
                        record={"r": ("act", 0), "z": ("act", 1), "hhat": ("tc", None),
                                "h": ("h", None)}),
             kernel=1, title="GRU", colour="tab:green"),
    simple_cell("tanh", tanh_forward, tanh_backward, kernel=2, colour="tab:purple"),
    simple_cell("sigmoid", sigmoid_forward, sigmoid_backward, kernel=3, label="sig",
                colour="tab:orange"),
    simple_cell("relu", relu_forward, relu_backward, kernel=4, colour="tab:red"),
)}


def cell_type(name):
    """The `CellType` called `name`, or ValueError naming the registered ones."""
    try:
        return CELL_TYPES[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown cell {name!r}; allowed: {', '.join(CELL_TYPES)}") from None
