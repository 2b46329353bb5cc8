"""Where a sweep's batches run: `LocalWorkers` (a process pool on this machine) or
`ClusterWorkers` (an existing Dask distributed cluster).  Both offer a
`concurrent.futures` executor (``submit``), ``abort`` and the context protocol,
so `reproduce.experiment.sweep.run_sweep` serves both with one code path.
"""
import importlib.util
import multiprocessing
import os
import signal
import socket
import sys
import threading
from concurrent.futures import ProcessPoolExecutor

from reproduce import SOURCE_ROOT

CONNECT_TIMEOUT_S = 10       # how long to wait for a Dask scheduler to answer
# How often Dask runs a batch again whose task raised (a worker out of memory, say) before
# the sweep counts it lost; a batch whose worker died the scheduler moves to another one
# itself (up to ``distributed.scheduler.allowed-failures`` times).
LOST_BATCH_RETRIES = 2
# Single-threaded BLAS in every worker: N workers use N cores and no run depends on threads.
WORKER_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def engine_available(engine):
    """Whether `engine` can run here (a cluster worker may run another checkout)."""
    return (engine != "batched"
            or importlib.util.find_spec("reproduce.experiment.batching") is not None)


def _init_local_worker():
    # Ctrl-C reaches the whole process group; only the driver acts on it (and stops us).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A driver killed outright cannot stop us, and an idle pool worker would wait for
    # work forever: leave when the driver is gone.
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()


def _exit_with(parent):
    parent.join()
    os._exit(1)


class LocalWorkers:
    """`n` worker processes on this machine (a `ProcessPoolExecutor`).

    Workers are started with the ``spawn`` method and `WORKER_ENV`, so BLAS
    is single-threaded in them whatever the driver imported.  Leaving the
    ``with`` block by an exception, or `abort`, cancels the batches not yet
    started and ends the workers at once.
    """

    def __init__(self, n):
        if n < 1:
            raise ValueError(f"need at least one worker, got {n!r}")
        self.n = n
        self.description = f"{n} local worker process{'es' if n != 1 else ''}"
        self._saved_env = {name: os.environ.get(name) for name in WORKER_ENV}
        os.environ.update(WORKER_ENV)  # inherited by the spawned workers
        self.executor = ProcessPoolExecutor(max_workers=n,
                                            mp_context=multiprocessing.get_context("spawn"),
                                            initializer=_init_local_worker)

    def __enter__(self):
        return self

    def submit(self, fn, *args):
        return self.executor.submit(fn, *args)

    def abort(self):
        """Cancel what has not started and end the worker processes now."""
        processes = list((getattr(self.executor, "_processes", None) or {}).values())
        self.executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(timeout=10)

    def __exit__(self, exc_type, *exc):
        if exc_type is not None:
            self.abort()
        self.executor.shutdown(wait=True, cancel_futures=True)
        for name, value in self._saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def one_line(exc):
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0] if lines else ''}".rstrip(": ")


class SchedulerError(Exception):
    """The Dask scheduler cannot be reached or its workers cannot run our code."""


def _probe_worker():
    """Runs on each Dask worker: can it import our code, and which engines can it run?"""
    return {"host": socket.gethostname(), "batched": engine_available("batched"),
            "python": sys.version.split()[0]}


class ClusterWorkers:
    """The workers of an existing Dask distributed cluster at `address`.

    Raises `SchedulerError` (before anything is submitted) if the scheduler does
    not answer within `timeout` seconds or it or a connected worker cannot import
    this project.  Scheduler and workers must run with the repository on their
    ``PYTHONPATH``, the workers with one thread each (``dask worker ADDRESS
    --nthreads 1``).  A batch whose task raises is run again by Dask, up to
    `LOST_BATCH_RETRIES` times, before the sweep counts it lost.
    """

    def __init__(self, address, timeout=CONNECT_TIMEOUT_S, engine="batched"):
        from distributed import Client
        try:
            self.client = Client(address, timeout=timeout)
        except (OSError, ValueError, TimeoutError) as exc:
            raise SchedulerError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        # The scheduler unpickles the tasks and the workers run them: both must import us.
        for where, probe in (("scheduler", self.client.run_on_scheduler),
                             ("workers", self.client.run)):
            try:
                result = probe(_probe_worker)
            except Exception as exc:
                self.client.close()
                raise SchedulerError(
                    f"the {where} of {address} cannot import this project "
                    f"({one_line(exc)}); start {'it' if where == 'scheduler' else 'them'} "
                    f"with PYTHONPATH={SOURCE_ROOT} "
                    "(a checkout of the same commit)") from None
        probes = result
        if engine == "batched" and not all(p["batched"] for p in probes.values()):
            self.client.close()
            raise SchedulerError(f"some workers of {address} lack the batched engine "
                                 "(reproduce/batching.py); update their checkout")
        self.n = len(probes)
        self.description = (f"the Dask cluster at {address} "
                            f"({self.n} worker{'s' if self.n != 1 else ''} now)")
        self.executor = self.client.get_executor(pure=False, retries=LOST_BATCH_RETRIES)

    def __enter__(self):
        return self

    def submit(self, fn, *args):
        return self.executor.submit(fn, *args)

    def abort(self):
        self.executor.shutdown(wait=False)

    def __exit__(self, exc_type, *exc):
        if exc_type is not None:
            self.abort()
        self.client.close()
