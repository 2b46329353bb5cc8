"""The check of symbol arrays shared by the task rules (numbers:
`pybrain_ext.checks.check_number`)."""
import numpy as np

from pybrain_ext.checks import check_number


def check_symbols(x, k):
    """Return `x` as an int64 array of symbols in ``{0..k-1}``, or raise ValueError.

    Parameters
    ----------
    x : array_like of int, shape (..., T)
        Input symbols, time on the last axis.
    k : int
        Alphabet size; checked with `check_number` (k >= 1 here; the tasks'
        own lower limits are checked by `Variant`).

    Returns
    -------
    ndarray of int64, shape (..., T)
        A new array (the caller's is never aliased).
    """
    k = check_number("k", k, int, minimum=1)
    x = np.asarray(x)
    if x.dtype == bool or not np.issubdtype(x.dtype, np.integer):
        raise ValueError(f"inputs must be an int array; got dtype {x.dtype}")
    if x.ndim < 1:
        raise ValueError(f"inputs must have a time axis (shape (..., T)); got shape {x.shape}")
    if x.size and (x.min() < 0 or x.max() >= k):
        raise ValueError(f"inputs must lie in {{0..{k - 1}}} for k={k}; "
                         f"got values in [{x.min()}, {x.max()}]")
    return np.array(x, dtype=np.int64)
