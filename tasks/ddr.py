"""Dynamic Delay Recall (paper Section III, Fig. 2; docs/protocol.md §1)."""
import numpy as np

from tasks._checks import check_symbols


def ddr(x, k):
    """Targets and mask of Dynamic Delay Recall: the current input sets the delay.

    The delay is ``d_t = x_t + 1`` and ``y_t = x_{t-d_t}``; steps whose
    source ``t - d_t`` lies before the sequence are masked.  Paper,
    Section III, "Dynamic delay recall (DDR)".

    Worked example (docs/protocol.md §1, k = 3; masked targets are 0)::

        inputs   2 0 1 0 2 1 0 1
        targets  0 2 2 1 0 0 1 1
        mask     0 1 1 1 1 1 1 1

    Parameters
    ----------
    x : array_like of int, shape (..., T)
        Input symbols in ``{0..k-1}``, time on the last axis.
    k : int
        Alphabet size; the delays run from 1 to k.

    Returns
    -------
    targets : ndarray of int64, shape (..., T)
        Target classes in ``{0..k-1}``; 0 where masked.
    mask : ndarray of bool, shape (..., T)
        True where the target is defined.
    """
    x = check_symbols(x, k)
    t = np.arange(x.shape[-1])
    source = t - (x + 1)                       # (..., T) the step each target is read from
    mask = source >= 0
    # Clip the undefined sources to step 0 so the gather stays in range; they are masked anyway.
    targets = np.take_along_axis(x, np.maximum(source, 0), axis=-1)
    return np.where(mask, targets, 0), mask
