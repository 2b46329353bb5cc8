"""How the batched engine uses the machine: one BLAS thread, memory kept for reuse.

One BLAS thread.  The engine's matrix products are small (one per network and step).  OpenBLAS
still splits them over its threads, and on a busy machine its waiting threads
cost many times the work itself: LSTM, 3 layers of 50, 8 networks, 2 cores
shared with other jobs, measured 2.4 s per epoch with 2 threads and 0.21 s with
one.  Results do not depend on the thread count
(``tests/pybrain_ext/test_batched_numerics.py``).  To train several batches at
once, run several processes (the sweep's workers), not threads.  The thread
counts are set through ``threadpoolctl``, which finds every BLAS loaded in the
process (numpy's OpenBLAS, scipy's, MKL or BLIS elsewhere).

Memory kept for reuse: see :func:`keep_freed_memory`.
"""
import contextlib
import ctypes
import glob
import os

import numpy as np
from threadpoolctl import threadpool_limits


def numpy_openblas():
    """The OpenBLAS that numpy's matrix products call (a ``ctypes.CDLL``), or None.

    numpy's wheels bring their own; elsewhere its symbols may already be in the process.
    (The compiled passes call its ``cblas_dgemm``: :mod:`pybrain_ext.batched.kernels`.)
    """
    candidates = glob.glob(os.path.join(os.path.dirname(np.__file__), os.pardir,
                                        "numpy.libs", "*openblas*"))
    thread_count = ("scipy_openblas_get_num_threads64_", "scipy_openblas_get_num_threads",
                    "openblas_get_num_threads")
    for path in candidates + [None]:        # None: symbols already in the process
        try:
            library = ctypes.CDLL(path)
        except OSError:
            continue
        if any(hasattr(library, name) for name in thread_count):
            return library
    return None


@contextlib.contextmanager
def one_blas_thread():
    """Run the body with one thread in every BLAS of the process; put the counts back after."""
    with threadpool_limits(limits=1, user_api="blas"):
        yield


_MALLOPT = {"M_TRIM_THRESHOLD": -1, "M_MMAP_THRESHOLD": -3}   # glibc's malloc.h


def keep_freed_memory():
    """Have glibc's ``malloc`` keep freed memory for reuse (elsewhere: nothing).

    An epoch allocates and frees hundreds of temporaries of up to a few MiB.
    By default glibc serves large blocks from fresh ``mmap`` pages and returns
    the top of its heap to the system once 128 KiB of it are free, so the
    next epoch's temporaries land on fresh pages, each 4 KiB costing a page
    fault on first touch: a tenth to a fifth of the run time here.  Raising the
    mmap threshold to its maximum (32 MiB) and the trim threshold to 512 MiB
    keeps that memory in the process for reuse.  The setting is process-wide
    and stays; it only changes when memory goes back to the system.
    """
    global _malloc_tuned
    if _malloc_tuned:
        return
    _malloc_tuned = True
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (AttributeError, OSError):       # not glibc
        return
    mallopt(_MALLOPT["M_MMAP_THRESHOLD"], 32 * 2 ** 20)
    mallopt(_MALLOPT["M_TRIM_THRESHOLD"], 512 * 2 ** 20)


_malloc_tuned = False
