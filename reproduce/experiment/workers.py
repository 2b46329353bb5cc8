"""Where a sweep's batches run: `LocalWorkers` (a process pool on this machine) or
`ClusterWorkers` (an existing Dask distributed cluster).  Both offer a
`concurrent.futures` executor (``submit``), ``abort``, ``n`` (how many batches
run at once) and the context protocol, so `reproduce.experiment.sweep.run_sweep`
serves both with one code path.

`worker_limit` says how many local workers this machine can hold (its CPUs and
the memory estimate of the largest batch); `probe_scheduler` makes sure that a
Dask scheduler answers at an address, within a timeout, before
``distributed.Client`` is let near it.
"""
import dataclasses
import importlib.util
import math
import multiprocessing
import os
import signal
import socket
import struct
import sys
import threading
import time
import uuid
from concurrent.futures import ProcessPoolExecutor

from reproduce import SOURCE_ROOT

CONNECT_TIMEOUT_S = 10       # how long to wait for a Dask scheduler to answer
# How often Dask runs a batch again whose task raised (a worker out of memory, say) before
# the sweep counts it lost; a batch whose worker died the scheduler moves to another one
# itself (up to ``distributed.scheduler.allowed-failures`` times).
LOST_BATCH_RETRIES = 2
# Memory of a worker process before it trains: Python with numpy, PyBrain and this package
# imported (about 210 MiB peak resident after a batch of each engine on the smoke grid).
WORKER_BASE_BYTES = 256 * 2**20
# Single-threaded BLAS in every worker: N workers use N cores and no run depends on threads.
WORKER_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def engine_available(engine):
    """Whether `engine` can run here (a cluster worker may run another checkout)."""
    return (engine != "batched"
            or importlib.util.find_spec("reproduce.experiment.batching") is not None)


def cpu_count():
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def batch_memory(configs, engine, batch_size):
    """``[(architecture, networks at once, bytes)]`` per `RunConfig.architecture` of
    `configs`: `pybrain_ext.memory.memory_estimate` of training one network at a time
    (``pybrain``) or a batch of up to `batch_size` of them (``batched``)."""
    from pybrain_ext.memory import memory_estimate
    from tasks.protocol import N_SEQUENCES, SEQUENCE_LENGTH
    groups = {}
    for config in configs:
        groups[config.architecture] = groups.get(config.architecture, 0) + 1
    out = []
    for architecture, count in groups.items():
        cell, layers, hidden, _skip, indim, outdim = architecture
        networks = 1 if engine == "pybrain" else min(count, batch_size)
        out.append((architecture, networks,
                    memory_estimate(cell, layers, hidden, indim, outdim, N_SEQUENCES,
                                    SEQUENCE_LENGTH, networks)))
    return out


def worker_limit(configs, engine, batch_size):
    """``(most local workers, why)``: one per CPU, and no more than the memory
    available now holds, each worker needing `WORKER_BASE_BYTES` plus
    `pybrain_ext.memory.memory_estimate` of the largest batch of `configs` (one
    network at a time in PyBrain, up to `batch_size` in the batched engine).
    ``why`` says both bounds, for a message."""
    from pybrain_ext.memory import available_memory
    cpus = cpu_count()
    batch = max((needed for _, _, needed in batch_memory(configs, engine, batch_size)),
                default=0)
    per_worker = WORKER_BASE_BYTES + batch
    available = available_memory()
    by_memory = math.inf if available is None else available // per_worker
    why = (f"{cpus} CPU{'s' if cpus != 1 else ''}"
           + ("" if available is None else
              f"; {available / 2**30:,.1f} GiB of memory available, about "
              f"{per_worker / 2**30:,.2f} GiB a worker"))
    return int(min(cpus, by_memory)), why


def _init_local_worker():
    # Ctrl-C reaches the whole process group; only the driver acts on it (and stops us).
    # The worker started with SIGINT blocked (`LocalWorkers.submit`), so a Ctrl-C that
    # came while it was starting is discarded here instead of raising in its imports.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
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
        # A worker process may be started here: it inherits SIGINT blocked, so a Ctrl-C
        # while it imports cannot print its traceback (ours comes when we unblock).
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            return self.executor.submit(fn, *args)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)

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


@dataclasses.dataclass(frozen=True)
class Driver:
    """A process that runs a sweep: a unique id, and its host and pid for messages and
    for telling, on the same host, whether it is still alive."""
    id: str
    host: str
    pid: int

    @classmethod
    def here(cls):
        return cls(uuid.uuid4().hex, socket.gethostname(), os.getpid())

    def describe(self):
        return f"host {self.host}, pid {self.pid}"

    def alive(self):
        """False only if this driver certainly is gone: on this host, its process is."""
        if self.host != socket.gethostname():
            return True
        if self.pid == os.getpid():
            return False          # an earlier driver of the same pid, so not running now
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except OSError:           # another user's process: alive
            return True
        return True


class SchedulerError(Exception):
    """The Dask scheduler cannot be reached or its workers cannot run our code."""


def _probe_worker():
    """Runs on each Dask worker: can it import our code, and which engines can it run?"""
    return {"host": socket.gethostname(), "batched": engine_available("batched"),
            "python": sys.version.split()[0]}


# A Dask peer opens every connection with a handshake: a message of the framing of
# distributed.comm.tcp (an 8-byte length, then the number of frames and their lengths,
# all little-endian uint64) whose one frame is a small msgpack map
# ({"compression": ..., "python": [3, 11, 7], "pickle-protocol": 5}).
_HANDSHAKE_MAX_BYTES = 2**16
_HANDSHAKE_MAX_FRAMES = 16


def _tcp_host_port(address):
    """``(host, port)`` of a ``tcp://HOST:PORT`` or ``HOST:PORT`` address; None for
    another scheme (``tls://``, ``ucx://``, ...), which `probe_scheduler` leaves alone."""
    scheme, _, rest = address.rpartition("://")
    if scheme not in ("", "tcp"):
        return None
    host, _, port = rest.rpartition(":")
    if not host or not port.isdigit():
        raise SchedulerError(f"{address} is not a scheduler address: expected "
                             "tcp://HOST:PORT")
    return host.strip("[]"), int(port)


def _read_exactly(sock, n, deadline, address, seconds):
    data = b""
    while len(data) < n:
        left = deadline - time.monotonic()
        if left <= 0:
            raise SchedulerError(
                f"no Dask scheduler answered at {address} within {seconds:g} s: something "
                "accepted the connection but " + ("said nothing" if not data else
                                                  "stopped part-way")
                + " (is that the scheduler's port? --connect-timeout sets the wait)")
        sock.settimeout(left)
        try:
            chunk = sock.recv(n - len(data))
        except socket.timeout:
            continue
        except OSError as exc:
            raise SchedulerError(f"the peer at {address} broke the connection "
                                 f"({exc.strerror or exc}): not a Dask scheduler") from None
        if not chunk:
            raise SchedulerError(f"the peer at {address} closed the connection without the "
                                 "greeting a Dask scheduler sends: not a Dask scheduler")
        data += chunk
    return data


def probe_scheduler(address, timeout):
    """Raise `SchedulerError` unless a Dask scheduler (or another Dask server) greets
    us at the TCP `address` within `timeout` seconds.

    ``distributed.Client`` trusts its peer: a service that accepts the connection and
    stays silent (an HTTP server waits for a request) holds it past any timeout, and
    one that answers something else has its first bytes read as a message length
    ("Unable to allocate 3.07 EiB").  So we read the greeting ourselves, bounded in
    time and size, before the client is made.  Other schemes pass unprobed.
    """
    where = _tcp_host_port(address)
    if where is None:
        return
    deadline = time.monotonic() + timeout
    try:
        sock = socket.create_connection(where, timeout=timeout)
    except socket.timeout:
        raise SchedulerError(f"cannot reach the Dask scheduler at {address}: no answer "
                             f"within {timeout:g} s") from None
    except OSError as exc:
        raise SchedulerError(f"cannot reach the Dask scheduler at {address}: "
                             f"{exc.strerror or exc}") from None
    with sock:
        (size,) = struct.unpack("<Q", _read_exactly(sock, 8, deadline, address, timeout))
        if not 16 <= size <= _HANDSHAKE_MAX_BYTES:
            raise SchedulerError(f"the peer at {address} is not a Dask scheduler (its first "
                                 "bytes are not a Dask greeting)")
        body = _read_exactly(sock, size, deadline, address, timeout)
    (frames,) = struct.unpack_from("<Q", body)
    if not 1 <= frames <= _HANDSHAKE_MAX_FRAMES or 8 * (1 + frames) > size:
        raise SchedulerError(f"the peer at {address} is not a Dask scheduler (its greeting "
                             "is not framed as Dask frames its messages)")
    lengths = struct.unpack_from(f"<{frames}Q", body, 8)
    if 8 * (1 + frames) + sum(lengths) != size:
        raise SchedulerError(f"the peer at {address} is not a Dask scheduler (its greeting "
                             "is not framed as Dask frames its messages)")
    try:
        import msgpack
        greeting = msgpack.unpackb(body[8 * (1 + frames):][:lengths[0]], raw=False)
    except ImportError:      # distributed needs msgpack; without it, the framing must do
        return
    except Exception:        # msgpack's errors have no common base below Exception
        greeting = None
    if not isinstance(greeting, dict) or "pickle-protocol" not in greeting:
        raise SchedulerError(f"the peer at {address} is not a Dask scheduler (its greeting "
                             "is not Dask's handshake)")


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
        started = time.monotonic()
        probe_scheduler(address, timeout)
        from distributed import Client
        left = max(timeout - (time.monotonic() - started), 1.0)
        try:
            self.client = Client(address, timeout=left)
        except (OSError, ValueError, TimeoutError) as exc:
            raise SchedulerError(f"cannot reach the Dask scheduler at {address}: "
                                 f"{one_line(exc)}") from None
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
