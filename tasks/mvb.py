"""Multiple Variable Binding (paper Section III, Fig. 5; docs/protocol.md §1)."""
import numpy as np

from tasks._checks import check_symbols


def mvb(x, k):
    """Targets and mask of Multiple Variable Binding: one memory slot per symbol.

    At step t the target is slot ``x_t`` as it was *before* this step; then,
    for ``t >= 1``, slot ``x_t`` is overwritten with ``x_{t-1}``.  Steps
    that read an empty slot are masked.  Paper, Section III, "Multiple
    variable binding (MVB)".

    Worked example (docs/protocol.md §1, k = 3; masked targets are 0)::

        inputs   0 1 0 2 1 0
        targets  0 0 0 0 0 1
        mask     0 0 0 0 1 1

    (Step 2 reads slot 0, still empty: symbol 0's first appearance was at
    t = 0, where there was no previous input to store.)

    Parameters
    ----------
    x : array_like of int, shape (..., T)
        Input symbols in ``{0..k-1}``, time on the last axis.
    k : int
        Alphabet size = number of slots.

    Returns
    -------
    targets : ndarray of int64, shape (..., T)
        The recalled slot content in ``{0..k-1}``; 0 where masked.
    mask : ndarray of bool, shape (..., T)
        True where slot ``x_t`` held a value.
    """
    x = check_symbols(x, k)
    t = np.arange(x.shape[-1])
    # Slot s was last written at the last step p < t with x_p = s, and holds x_{p-1};
    # it is empty if there is no such p or p = 0 (nothing precedes step 0).
    shown = np.where(x[..., None] == np.arange(k), t[:, None], -1)   # (..., T, k)
    last_seen = np.maximum.accumulate(shown, axis=-2)                 # (..., T, k) latest p <= t
    before = np.concatenate(                                          # (..., T, k) latest p < t
        [np.full_like(last_seen[..., :1, :], -1), last_seen[..., :-1, :]], axis=-2)
    p = np.take_along_axis(before, x[..., None], axis=-1)[..., 0]    # (..., T)
    mask = p >= 1
    targets = np.take_along_axis(x, np.maximum(p - 1, 0), axis=-1)
    return np.where(mask, targets, 0), mask
