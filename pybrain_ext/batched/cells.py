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
"""
from collections.abc import Mapping
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


class _RegisteredSteps(Mapping):
    """``cell name -> Cell`` of every cell type in the registry
    (:data:`pybrain_ext.cells.CELL_TYPES`, whose entries hold the `Cell` objects), read
    at each lookup, so a cell type added there is found here."""

    @staticmethod
    def _types():
        from pybrain_ext.cells import CELL_TYPES  # the registry imports this module
        return CELL_TYPES

    def __getitem__(self, cell):
        return self._types()[cell].steps

    def __iter__(self):
        return iter(self._types())

    def __len__(self):
        return len(self._types())


CELL_STEPS = _RegisteredSteps()
