"""One forward and one backward step of each hidden cell, for many networks at once.

Arrays are "column" oriented like the math (``a = W h``): units on axis 1,
sequences last, ``# (models, units, seqs)``.  Every formula is the one PyBrain
(``pybrain3/structure/modules/*.py``) or :mod:`pybrain_ext.layers` evaluates,
in the same form, with PyBrain's ``sigmoid = 1 / (1 + safeExp(-x))``.

A step's input is split in two: ``x``, the sum of the feed-forward connections
into the layer (input layer, layer below), and ``rec``, the recurrent weights
times the previous output, ``W_rec h_{t-1}`` (``None`` at t = 0).  For lstm and
the simple cells ``W_rec`` is PyBrain's recurrent ``FullConnection`` and
``rec`` is simply added to the input buffer; for the GRU it is the layer's own
``[U_r; U_z; U_h]``.

Backward steps run t = T-1, ..., 0.  They take ``dh`` (error on h_t from the
layers above and the output), ``back`` (``W_rec^T`` times step t+1's
``recdelta``; ``None`` at the last step) and ``carry`` (whatever step t+1
passed on), and return ``delta`` (the error on the layer's input buffer, which
the feed-forward weights' derivatives and the layer below need), ``recdelta``
(what multiplies ``h_{t-1}`` in the recurrent weights' derivative) and the
carry for step t-1.  All errors are PyBrain's: minus the gradient.
"""
from dataclasses import dataclass
from typing import Callable, NamedTuple

import numpy as np

from tasks.protocol import CELLS

# PyBrain's safeExp bound (pybrain3/tools/functions.py)
SAFE_EXP_BOUND = 500.0


def safe_exp(x):
    """PyBrain's ``safeExp``: ``exp(clip(x, -500, 500))``."""
    return np.exp(np.clip(x, -SAFE_EXP_BOUND, SAFE_EXP_BOUND))


def sigmoid(x):
    """PyBrain's ``sigmoid``: ``1 / (1 + safeExp(-x))``."""
    return 1.0 / (1.0 + safe_exp(-x))


def _plus(a, b):
    """``a + b`` where ``b`` may be None (nothing to add)."""
    return a if b is None else a + b


# --- lstm: PyBrain's LSTMLayer without peepholes; input [i, f, g, o] -------------

class LSTMState(NamedTuple):
    i: np.ndarray       # (models, H, seqs) input gate
    f: np.ndarray       # forget gate
    g: np.ndarray       # cell input, tanh
    o: np.ndarray       # output gate
    c: np.ndarray       # cell state
    tc: np.ndarray      # tanh(c)
    h: np.ndarray       # output, o * tanh(c)


def lstm_forward(x, rec, prev):
    a = _plus(x, rec)                                  # (models, 4H, seqs)
    H = a.shape[1] // 4
    i, f = sigmoid(a[:, :H]), sigmoid(a[:, H:2 * H])
    g, o = np.tanh(a[:, 2 * H:3 * H]), sigmoid(a[:, 3 * H:])
    c = i * g                                          # c_t = i g + f c_{t-1}
    if prev is not None:
        c += f * prev.c
    tc = np.tanh(c)
    return LSTMState(i, f, g, o, c, tc, o * tc)


def lstm_backward(dh, back, s, prev, carry):
    e = _plus(dh, back)                                # (models, H, seqs) error on h_t
    do = s.o * (1 - s.o) * e * s.tc
    dc = _plus(e * s.o * (1 - s.tc * s.tc), carry)     # + dc_{t+1} f_{t+1}
    dg = s.i * (1 - s.g * s.g) * dc
    df = s.f * (1 - s.f) * dc * prev.c if prev is not None else np.zeros_like(dc)
    di = s.i * (1 - s.i) * dc * s.g
    delta = np.concatenate([di, df, dg, do], axis=1)  # (models, 4H, seqs)
    return delta, delta, dc * s.f


# --- gru: pybrain_ext.layers.GRULayer; input [a_r, a_z, a_h], U = [U_r; U_z; U_h] ----

class GRUState(NamedTuple):
    r: np.ndarray       # (models, H, seqs) reset gate
    z: np.ndarray       # update gate
    hhat: np.ndarray    # candidate
    uh: np.ndarray      # U_h h_{t-1}, before the reset gate
    h: np.ndarray       # output


def gru_forward(x, rec, prev):
    H = x.shape[1] // 3
    r = sigmoid(_plus(x[:, :H], None if rec is None else rec[:, :H]))
    z = sigmoid(_plus(x[:, H:2 * H], None if rec is None else rec[:, H:2 * H]))
    uh = np.zeros_like(r) if rec is None else rec[:, 2 * H:]
    hhat = np.tanh(x[:, 2 * H:] + r * uh)
    h = (1 - z) * hhat                                 # h_t = (1-z) hhat + z h_{t-1}
    if prev is not None:
        h += z * prev.h
    return GRUState(r, z, hhat, uh, h)


def gru_backward(dh, back, s, prev, carry):
    e = _plus(_plus(dh, carry), back)                  # (models, H, seqs) error on h_t
    hprev = 0 if prev is None else prev.h
    dhat = e * (1 - s.z) * (1 - s.hhat * s.hhat)
    dz = e * (hprev - s.hhat) * s.z * (1 - s.z)
    dr = dhat * s.uh * s.r * (1 - s.r)
    delta = np.concatenate([dr, dz, dhat], axis=1)               # (models, 3H, seqs)
    recdelta = np.concatenate([dr, dz, s.r * dhat], axis=1)      # r multiplies U_h h_{t-1}
    return delta, recdelta, e * s.z


# --- simple cells: one input per unit; the recurrence is a FullConnection -------

class SimpleState(NamedTuple):
    h: np.ndarray       # (models, H, seqs)


def _simple(function, derivative):
    def forward(x, rec, prev):
        return SimpleState(function(_plus(x, rec)))

    def backward(dh, back, s, prev, carry):
        delta = derivative(s.h) * _plus(dh, back)      # (models, H, seqs)
        return delta, delta, None
    return forward, backward


tanh_forward, tanh_backward = _simple(np.tanh, lambda h: 1 - h ** 2)
sigmoid_forward, sigmoid_backward = _simple(sigmoid, lambda h: h * (1 - h))
# ReluLayer's derivative is 1[a > 0]; with h = max(a, 0) that is 1[h > 0].
relu_forward, relu_backward = _simple(lambda a: np.maximum(a, 0), lambda h: h > 0)


@dataclass(frozen=True)
class Cell:
    """A hidden cell: inputs per unit, its forward and backward step, what it records."""
    gates: int
    forward: Callable
    backward: Callable
    record: dict            # record() name -> state field


CELL_STEPS = {
    "lstm": Cell(4, lstm_forward, lstm_backward,
                 {"i": "i", "f": "f", "o": "o", "g": "g", "c": "c", "h": "h"}),
    "gru": Cell(3, gru_forward, gru_backward, {"r": "r", "z": "z", "hhat": "hhat", "h": "h"}),
    "tanh": Cell(1, tanh_forward, tanh_backward, {"h": "h"}),
    "sigmoid": Cell(1, sigmoid_forward, sigmoid_backward, {"h": "h"}),
    "relu": Cell(1, relu_forward, relu_backward, {"h": "h"}),
}
assert tuple(CELL_STEPS) == CELLS
