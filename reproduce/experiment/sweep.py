"""Run a profile's configurations that the store lacks, in batches, on local or cluster workers.

    from reproduce.experiment.profiles import get_profile
    from reproduce.store.database import Store
    from reproduce.experiment.sweep import run_sweep
    from reproduce.experiment.workers import LocalWorkers

    configs = get_profile("quick").configs()
    with Store.open("results/runs.sqlite", create=True) as store, LocalWorkers(2) as workers:
        report = run_sweep(configs, store, workers, engine="batched", profile="quick")

`plan` keeps the configurations whose keys are not stored yet, groups those that
share an architecture (`RunConfig.architecture`: what one batch of the batched
engine must have in common) and cuts each group into batches of at most
``batch_size`` runs.  Each batch goes to a worker as a list of config JSON
strings; `run_batch` returns one outcome per run -- the result, or the error
text of a run that failed.  Only the driver writes to the store: one
transaction per finished batch.  So a killed driver or a dead worker loses at
most the batches in flight, rerunning the sweep resumes, and a run that failed
is stored as failed and not run again (unless asked to: ``retry_failed``).

Several drivers may sweep one store at once (two terminals, two machines on a
shared disk): each claims a batch in the store before it runs it (a lease,
`reproduce.store.database.Store.claim`), so they share the grid and no batch
is run twice; a driver that dies leaves leases that lapse (at once for a
driver of this host whose process is gone, else after `LEASE_S` seconds).

Workers are `LocalWorkers` (a process pool on this machine) or `ClusterWorkers`
(an existing Dask distributed cluster, through ``Client.get_executor()``); both
offer a `concurrent.futures` executor, so one code path serves both.  Results do
not depend on which worker or batch ran a configuration: the engines are
deterministic given the config, and BLAS runs single-threaded in every worker.
"""
import datetime
import socket
import sqlite3
import sys
import time
import traceback
from collections import OrderedDict, deque
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, wait
from dataclasses import dataclass, field

from reproduce import code_version
from reproduce.experiment.batching import BATCH_SIZE
from reproduce.experiment.config import RunConfig, package_versions
from reproduce.experiment.workers import Driver, one_line

LEASE_S = 120     # a driver's claim on a batch lasts this long unless renewed
RENEW_S = 20      # how often a driver renews its claims while its batches run
WAIT_S = 3        # how often a driver with nothing left to claim looks again


def plan(configs, done_keys, batch_size):
    """Batches of the configs whose keys are not in `done_keys`.

    Runs are grouped by `RunConfig.architecture` (groups in order of first
    appearance in `configs`, runs in their order within a group), and each
    group is cut into batches of at most `batch_size`.  A key listed twice is
    planned once.

    Returns
    -------
    list of list of RunConfig
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size!r}")
    groups = OrderedDict()
    seen = set(done_keys)
    for config in configs:
        key = config.key
        if key in seen:
            continue
        seen.add(key)
        groups.setdefault(config.architecture, []).append(config)
    return [group[i:i + batch_size] for group in groups.values()
            for i in range(0, len(group), batch_size)]


def _now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def _outcomes(configs, engine):
    """Run `configs` as one batch; one outcome dict per config, in order."""
    from reproduce.experiment.engines import run_many
    started = _now()
    results = run_many(configs, engine)
    if len(results) != len(configs):
        raise RuntimeError(f"engine {engine!r} returned {len(results)} results "
                           f"for {len(configs)} configurations")
    finished = _now()
    return [dict(status="ok", result=r.to_dict(), error=None, engine=r.engine,
                 versions=r.versions, started_at=started, finished_at=finished)
            for r in results]


def _failure(engine, started):
    return dict(status="failed", result=None, error=traceback.format_exc().strip(),
                engine=engine, versions=package_versions(), started_at=started,
                finished_at=_now())


def run_batch(config_jsons, engine):
    """Worker side: train one batch; one outcome dict per config, in order.

    If the batch as a whole raises, each of its runs is retried alone, so that
    one failing configuration does not take its batch-mates with it (the
    engines give the same result for a run in any batch); a run that still
    raises becomes a ``failed`` outcome holding the traceback.

    Parameters
    ----------
    config_jsons : list of str
        `RunConfig.to_json()` of each run.
    engine : str
        ``"batched"`` or ``"pybrain"``.

    Returns
    -------
    list of dict
        Keys ``key, status, result, error, engine, versions, host, started_at,
        finished_at``; ``result`` is `RunResult.to_dict()` or None.
    """
    configs = [RunConfig.from_json(text) for text in config_jsons]
    started = _now()
    try:
        outcomes = _outcomes(configs, engine)
    except Exception:
        if len(configs) == 1:
            outcomes = [_failure(engine, started)]
        else:
            outcomes = []
            for config in configs:
                started = _now()
                try:
                    outcomes.extend(_outcomes([config], engine))
                except Exception:
                    outcomes.append(_failure(engine, started))
    host = socket.gethostname()
    for config, outcome in zip(configs, outcomes):
        outcome.update(key=config.key, host=host)
    return outcomes


@dataclass
class SweepReport:
    """What a sweep did; `stored` counts rows this sweep inserted (`failed` among them).

    ``lost`` counts the runs of batches whose worker died or whose task failed
    outside `run_batch`; ``not_started`` the runs left unsubmitted when the
    workers broke; ``by_others`` the runs another driver stored meanwhile (so
    not run here); ``duplicates`` the runs trained here that another driver
    stored first (its lease had lapsed: a stalled or late driver);
    ``store_error`` says why the store could not be written (a full disk, say),
    which stops the sweep with what it had stored kept.
    """
    planned: int = 0
    batches: int = 0
    stored: int = 0
    failed: int = 0
    lost: int = 0
    lost_errors: list = field(default_factory=list)
    not_started: int = 0
    by_others: int = 0
    duplicates: int = 0
    others: set = field(default_factory=set)
    store_error: str = None
    interrupted: bool = False
    seconds: float = 0.0

    @property
    def rate_per_hour(self):
        return 3600.0 * self.stored / self.seconds if self.seconds > 0 else float("nan")


def run_sweep(configs, store, workers, *, engine="batched", batch_size=None, profile=None,
              progress=True, already=None, retry_failed=False, notify=None):
    """Run the `configs` whose keys `store` lacks on `workers`, storing each batch as it ends.

    Batches are claimed in the store just before they are submitted
    (`Store.claim`, a lease renewed while they run), ``workers.n + 1`` at a time,
    so that two drivers of one store share its work: a key another live driver
    holds is left to it (and waited for, once nothing else is left: if that
    driver dies, its lease lapses and this one runs the key), a key it stored is
    skipped.

    Parameters
    ----------
    configs : list of RunConfig
    store : reproduce.store.database.Store
    workers : LocalWorkers or ClusterWorkers
    engine : str
    batch_size : int, optional
        At most this many runs per batch; default the engine's `BATCH_SIZE`.
    profile : str, optional
        Recorded with every row.
    progress : bool
        Show a tqdm bar (runs done / total, rate, ETA) on stderr.
    already : set of str, optional
        The keys not to run, if the caller has them; default: every stored key
        (with `retry_failed`, every key stored ``ok``).
    retry_failed : bool
        Run the configs stored as ``failed`` again; their new outcome replaces
        the failed row.
    notify : callable, optional
        Called with a line of text when this sweep starts to wait for another
        driver's runs.

    Returns
    -------
    SweepReport
        ``interrupted`` is set when Ctrl-C stopped it; the batches not yet
        stored were then cancelled (and are run by the next sweep).  Batches
        whose worker died or whose task failed outside `run_batch` are counted
        in ``lost`` and not stored.
    """
    from tqdm import tqdm

    start = time.perf_counter()
    if already is None:
        already = store.keys("ok") if retry_failed else store.keys()
    batches = deque(plan(configs, already, batch_size or BATCH_SIZE))
    report = SweepReport(planned=sum(map(len, batches)), batches=len(batches))
    version = code_version()
    total = len({c.key for c in configs})
    driver = Driver.here()
    done = "ok" if retry_failed else "any"
    capacity = max(1, workers.n) + 1          # one batch waits for each worker to free up
    in_flight, waiting = {}, []
    broken, notified = None, False
    renewed = time.monotonic()
    bar = tqdm(total=total, initial=total - report.planned, unit="run", desc="sweep",
               file=sys.stderr, disable=not progress, dynamic_ncols=True, smoothing=0.05)
    try:
        while True:
            while batches and broken is None and len(in_flight) < capacity:
                batch = batches.popleft()
                mine, held = store.claim([c.key for c in batch], driver, LEASE_S, done)
                gone = len(batch) - len(mine) - len(held)     # stored by another driver
                report.by_others += gone
                bar.update(gone)
                if held:
                    waiting.append([c for c in batch if c.key in held])
                    report.others.update(held.values())
                batch = [c for c in batch if c.key in mine]
                if not batch:
                    continue
                try:
                    future = workers.submit(run_batch, [c.to_json() for c in batch], engine)
                except Exception as exc:   # a broken pool, a closed client
                    broken = one_line(exc)
                    store.release(driver, [c.key for c in batch])
                    batches.appendleft(batch)
                    break
                in_flight[future] = batch
            if not in_flight:
                if broken is not None or not waiting:
                    break
                # All that is left, other drivers run: wait, and take over what they drop.
                if notify is not None and not notified:
                    notify(_waiting_text(waiting, report.others))
                    notified = True
                time.sleep(WAIT_S)
                batches.extend(waiting)
                waiting = []
                continue
            finished, _ = wait(list(in_flight), timeout=RENEW_S, return_when=FIRST_COMPLETED)
            if time.monotonic() - renewed >= RENEW_S:
                store.renew(driver, LEASE_S)
                renewed = time.monotonic()
            for future in finished:
                batch = in_flight.pop(future)
                try:
                    outcomes = future.result()
                except Exception as exc:  # the worker died or the task never ran
                    report.lost += len(batch)
                    report.lost_errors.append(one_line(exc))
                    store.release(driver, [c.key for c in batch])
                    if isinstance(exc, BrokenExecutor):
                        broken = one_line(exc)
                    continue
                rows = []
                for config, outcome in zip(batch, outcomes):
                    if outcome["key"] != config.key:
                        raise RuntimeError("a batch's outcomes are out of order")
                    rows.append(store.record(
                        config, status=outcome["status"], result=outcome["result"],
                        error=outcome["error"], engine=outcome["engine"],
                        code_version=version, versions=outcome["versions"],
                        host=outcome["host"], started_at=outcome["started_at"],
                        finished_at=outcome["finished_at"], profile=profile))
                inserted = store.add(rows, replace_failed=retry_failed, release=driver)
                report.stored += inserted
                report.duplicates += len(rows) - inserted
                report.failed += sum(o["status"] == "failed" for o in outcomes)
                bar.update(len(batch))
                if report.failed or report.lost:
                    bar.set_postfix(failed=report.failed, lost=report.lost, refresh=False)
        report.not_started = sum(map(len, batches)) + sum(map(len, waiting))
    except KeyboardInterrupt:
        report.interrupted = True
        _stop(in_flight, workers)
    except (OSError, sqlite3.OperationalError) as exc:   # the store cannot be written
        report.store_error = one_line(exc)
        report.not_started = (sum(map(len, batches)) + sum(map(len, waiting))
                              + sum(map(len, in_flight.values())))
        _stop(in_flight, workers)
    finally:
        bar.close()
        try:
            store.release(driver)
        except (OSError, sqlite3.Error):
            pass                   # the leases lapse by themselves
        report.seconds = time.perf_counter() - start
    return report


def _stop(in_flight, workers):
    for future in in_flight:
        future.cancel()
    workers.abort()


def _waiting_text(waiting, others):
    runs = sum(map(len, waiting))
    return (f"waiting for {runs:,} run{'s' if runs != 1 else ''} that another sweep of this "
            f"store is running ({'; '.join(sorted(d.describe() for d in others))}); if it "
            f"stops, they are run here")
