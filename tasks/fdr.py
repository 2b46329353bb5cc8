"""Fixed Delay Recall (paper Section III, Fig. 1; docs/protocol.md §1)."""
import numpy as np

from pybrain_ext.checks import check_number
from tasks._checks import check_symbols


def fdr(x, k, steps_back):
    """Targets and mask of Fixed Delay Recall: output the input seen N steps ago.

    ``y_t = x_{t-N}`` with ``N = steps_back``; the first N steps have no such
    input and are masked.  Paper, Section III, "Fixed Delay Recall (FDR)".

    Worked example (docs/protocol.md §1, N = 2, k = 3; masked targets are 0)::

        inputs   0 2 1 1 0
        targets  0 0 0 2 1
        mask     0 0 1 1 1

    Parameters
    ----------
    x : array_like of int, shape (..., T)
        Input symbols in ``{0..k-1}``, time on the last axis.
    k : int
        Alphabet size (the paper's "input dimension").
    steps_back : int
        The delay N >= 1.  N >= T is allowed here and masks every step
        (`tasks.generate` refuses it, since such data teach nothing).

    Returns
    -------
    targets : ndarray of int64, shape (..., T)
        Target classes in ``{0..k-1}``; 0 where masked.
    mask : ndarray of bool, shape (..., T)
        True where the target is defined.
    """
    x = check_symbols(x, k)
    n = check_number("steps_back", steps_back, int, minimum=1)
    targets = np.zeros_like(x)
    mask = np.zeros(x.shape, dtype=bool)
    # When n >= T both slices are empty and everything stays masked.
    targets[..., n:] = x[..., :-n]
    mask[..., n:] = True
    return targets, mask
