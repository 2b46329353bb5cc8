"""Multiswitch (paper Section III, Fig. 3; docs/protocol.md §1)."""
import numpy as np

from tasks._checks import check_symbols


def multiswitch(x, k):
    """Targets and mask of Multiswitch: one binary switch per symbol, flipped when seen.

    All k switches start at 0; at step t switch ``x_t`` flips and its new
    state is the target.  No step is masked.  The output has 2 classes
    whatever k is.  Paper, Section III, "Multiswitch".

    Worked example (docs/protocol.md §1, k = 3)::

        inputs   1 0 1 1 2 0
        targets  1 1 0 1 1 0
        mask     1 1 1 1 1 1

    Parameters
    ----------
    x : array_like of int, shape (..., T)
        Input symbols in ``{0..k-1}`` (which switch to flip), time on the last axis.
    k : int
        Number of switches.

    Returns
    -------
    targets : ndarray of int64, shape (..., T)
        The flipped switch's new state, 0 or 1.
    mask : ndarray of bool, shape (..., T)
        All True.
    """
    x = check_symbols(x, k)
    # A switch's state after step t is the parity of how often its symbol was seen in x_0..x_t.
    seen = np.cumsum(x[..., None] == np.arange(k), axis=-2)      # (..., T, k) counts so far
    flips = np.take_along_axis(seen, x[..., None], axis=-1)[..., 0]  # (..., T) of symbol x_t
    return (flips % 2).astype(np.int64), np.ones(x.shape, dtype=bool)
