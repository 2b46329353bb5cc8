"""Argument checks shared by the task rules, `Variant` and `generate`.

Every public entry point of `tasks` calls these on what it is given, so a bad
argument fails at once with a message naming what came and what is allowed;
the code behind them may then assume clean ints and symbol arrays.
"""
import numbers

import numpy as np


def check_int(name, value, minimum, maximum=None):
    """Return `value` as a plain int, or raise ValueError.

    Bools are refused although Python counts them as ints (``k=True`` is a
    mistake, not a 1), and so are floats, even integral ones, so that a
    parameter's type never depends on how it was computed.  numpy integers
    are accepted.

    Parameters
    ----------
    name : str
        The parameter's name, for the message.
    value : object
        What was given.
    minimum : int
        The smallest allowed value.
    maximum : int, optional
        The largest allowed value; no upper limit if None.

    Returns
    -------
    int
    """
    allowed = f"an int >= {minimum}" if maximum is None else f"an int in [{minimum}, {maximum}]"
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be {allowed}; got {value!r} ({type(value).__name__})")
    value = int(value)
    if value < minimum or (maximum is not None and value > maximum):
        raise ValueError(f"{name} must be {allowed}; got {value}")
    return value


def check_symbols(x, k):
    """Return `x` as an int64 array of symbols in ``{0..k-1}``, or raise ValueError.

    Parameters
    ----------
    x : array_like of int, shape (..., T)
        Input symbols, time on the last axis.
    k : int
        Alphabet size; checked with `check_int` (k >= 1 here; the tasks'
        own lower limits are checked by `Variant`).

    Returns
    -------
    ndarray of int64, shape (..., T)
        A new array (the caller's is never aliased).
    """
    k = check_int("k", k, 1)
    x = np.asarray(x)
    if x.dtype == bool or not np.issubdtype(x.dtype, np.integer):
        raise ValueError(f"inputs must be an int array; got dtype {x.dtype}")
    if x.ndim < 1:
        raise ValueError(f"inputs must have a time axis (shape (..., T)); got shape {x.shape}")
    if x.size and (x.min() < 0 or x.max() >= k):
        raise ValueError(f"inputs must lie in {{0..{k - 1}}} for k={k}; "
                         f"got values in [{x.min()}, {x.max()}]")
    return np.array(x, dtype=np.int64)
