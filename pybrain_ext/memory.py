"""How much memory training a network takes, known before anything is allocated.

    needed = memory_estimate("lstm", layers=2, hidden=50, indim=3, outdim=3,
                             sequences=64, steps=20, networks=64)
    if needed > (available_memory() or math.inf): ...

The estimate is an upper bound of the order of magnitude, not an accounting:
it counts, in float64 numbers, every copy of the parameters that either engine
keeps (the parameters, their derivatives, RProp-'s step sizes and last
gradient, the best parameters so far, the batched engine's packed weights and
their derivatives), every per-step buffer of the hidden layers forward and
backward, the data set one-hot, and the one-hot code tables.  Its point is to
refuse a configuration that cannot fit (``--hidden 100000`` asks for hundreds
of GiB) with a message instead of a ``MemoryError`` from deep inside PyBrain.
"""
import os

from pybrain_ext.batched.cells import cell_type

# float64 copies of the parameter vector either engine keeps per network (see above).
_PARAMETER_COPIES = 10
# per hidden unit, step and sequence: the input blocks and a few state buffers, each
# forward and backward.
_STATE_COPIES = 2


def parameter_bound(cell, layers, hidden, indim, outdim):
    """At least the number of parameters of any such network: the count with every skip
    connection (``skip="both"``), computed without building anything.

    Each hidden layer takes ``blocks * hidden`` inputs from the input layer, the
    layer below and its own previous step (a recurrent connection or its own
    matrices, ``blocks`` of ``hidden x hidden``); the output takes the bias and
    every hidden layer.
    """
    gates = len(cell_type(cell).blocks) * hidden
    return (layers * gates * (indim + 2 * hidden) - gates * hidden
            + outdim * (1 + layers * hidden))


def memory_estimate(cell, layers, hidden, indim, outdim, sequences, steps, networks=1):
    """Bytes that training `networks` such networks at once on `sequences` sequences of
    `steps` steps needs at most (see the module docstring).

    Raises ValueError for an unknown cell.
    """
    params = parameter_bound(cell, layers, hidden, indim, outdim)
    units = layers * hidden * (len(cell_type(cell).blocks) + 4)
    per_step = sequences * steps * (_STATE_COPIES * units + indim + 3 * outdim)
    numbers = networks * (_PARAMETER_COPIES * params + per_step) + indim ** 2 + outdim ** 2
    return 8 * numbers


def available_memory():
    """Bytes of memory available to a new allocation now, or None where unknown.

    ``MemAvailable`` of ``/proc/meminfo`` (Linux), else the free physical pages.
    """
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, OSError, ValueError):
        return None
