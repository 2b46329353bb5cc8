"""Single Variable Binding (paper Section III, Fig. 4; docs/protocol.md §1)."""
import numpy as np

from tasks._checks import check_symbols


def svb(x, k):
    """Targets and mask of Single Variable Binding: store the input before each trigger.

    The trigger is the symbol ``k-1``.  At a trigger step ``t >= 1`` the
    stored value becomes ``x_{t-1}`` (which may itself be the trigger
    symbol); a trigger at t = 0 has nothing before it and stores nothing.
    The target is the stored value after this step's update; steps before
    anything is stored are masked.  Paper, Section III, "Single variable
    binding (SVB)".

    Worked example (docs/protocol.md §1, k = 3, trigger 2; masked targets are 0)::

        inputs   0 1 2 0 2 2 1
        targets  0 0 1 1 0 2 2
        mask     0 0 1 1 1 1 1

    Parameters
    ----------
    x : array_like of int, shape (..., T)
        Input symbols in ``{0..k-1}``, time on the last axis.
    k : int
        Alphabet size; ``k-1`` is the trigger.

    Returns
    -------
    targets : ndarray of int64, shape (..., T)
        The stored value in ``{0..k-1}``; 0 where masked.
    mask : ndarray of bool, shape (..., T)
        True from the first trigger at t >= 1 on.
    """
    x = check_symbols(x, k)
    t = np.arange(x.shape[-1])
    trigger = (x == k - 1) & (t >= 1)
    # The step of the latest trigger so far (-1: none yet); the value stored is the input
    # just before it.
    last = np.maximum.accumulate(np.where(trigger, t, -1), axis=-1)   # (..., T)
    mask = last >= 0
    targets = np.take_along_axis(x, np.maximum(last - 1, 0), axis=-1)
    return np.where(mask, targets, 0), mask
