"""The one check of a number given from outside: its type, its range, its plain value.

Every entry point of the three packages (``tasks``, ``pybrain_ext``,
``reproduce``) and the command line check the numbers they are given with
`check_number`, so that a bad one fails at once with the same kind of message,
naming what came and what is allowed, and the code behind them may assume
clean values.  It imports nothing of ours.  It lives in ``pybrain_ext``, the
bottom of the project's packages: ``pybrain_ext`` imports nothing of ``tasks``
or ``reproduce``, while ``tasks`` already imports ``pybrain_ext`` (to make
PyBrain data sets) and ``reproduce`` both; so every package may import it and
no package imports another one that imports it back.

    k = check_number("k", k, int, minimum=2)                  # -> a plain int
    delta0 = check_number("delta0", delta0, float, above=0)   # -> a finite float
    set_checked(config, "seed", int, minimum=0)               # a frozen dataclass's field
"""
import math
import numbers

import numpy as np


def describe(kind=int, minimum=None, maximum=None, above=None):
    """What `check_number` allows, in words: ``'an int >= 1'``, ``'a number > 0'``."""
    bounds = [f">= {minimum}" if minimum is not None else None,
              f"> {above}" if above is not None else None,
              f"<= {maximum}" if maximum is not None else None]
    what = "an int" if kind is int else "a number"
    return " ".join([what, " and ".join(b for b in bounds if b)]).strip()


def check_number(name, value, kind=int, minimum=None, maximum=None, above=None):
    """Return `value` as a plain ``int`` or ``float``, or raise ValueError.

    Bools are refused although Python counts them as ints (``k=True`` is a
    mistake, not a 1).  For ``kind=int`` floats are refused too, even
    integral ones, so that a parameter's type never depends on how it was
    computed; numpy integers are accepted and come back as ``int`` (so that
    they hash, compare and serialise like one).  For ``kind=float`` any real
    number is accepted and comes back as a finite ``float``.

    Parameters
    ----------
    name : str
        The parameter's name, for the message.
    value : object
        What was given.
    kind : {int, float}
    minimum, maximum : number, optional
        Inclusive bounds.
    above : number, optional
        An exclusive lower bound (``above=0``: positive).

    Returns
    -------
    int or float
    """
    wrong_type = (isinstance(value, (bool, np.bool_))
                  or not isinstance(value, numbers.Integral if kind is int else numbers.Real))
    if wrong_type:
        raise ValueError(f"{name} must be {describe(kind, minimum, maximum, above)}; "
                         f"got {value!r} ({type(value).__name__})")
    value = kind(value)
    if not math.isfinite(value) or (minimum is not None and value < minimum) or (
            maximum is not None and value > maximum) or (above is not None and value <= above):
        raise ValueError(f"{name} must be {describe(kind, minimum, maximum, above)}; "
                         f"got {value!r}")
    return value


def set_checked(obj, name, kind=int, minimum=None, maximum=None, above=None):
    """`check_number` field `name` of the frozen dataclass `obj` and write back the plain value.

    Returns the value.
    """
    value = check_number(name, getattr(obj, name), kind, minimum, maximum, above)
    object.__setattr__(obj, name, value)
    return value
