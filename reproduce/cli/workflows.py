"""What the commands that run grids do, as functions of explicit parameters.

``reproduce sweep`` and ``reproduce sensitivity`` parse their options and call
one function here (`sweep_grid`, `sensitivity_study`) with an `Execution`
(where and how the batches run, `execution_of` of their
options); no function here takes or changes an argparse namespace.  They print
as they go and return the command's exit status::

    status = sweep_grid(get_profile("quick"), get_reading("var0.09"),
                        "results/stores/quick-var0.09.sqlite",
                        execution=Execution(workers=2, progress=False))
"""
import dataclasses
import os
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

from reproduce.cli.options import UsageError, check_out_dir
from reproduce.experiment.batching import BATCH_SIZE
from reproduce.experiment.profiles import format_replicates
from reproduce.experiment.sweep import SweepReport, plan, run_sweep
from reproduce.experiment.workers import (
    CONNECT_TIMEOUT_S,
    ClusterWorkers,
    LocalWorkers,
    SchedulerError,
    worker_limit,
)
from reproduce.store import runs_csv
from reproduce.store.database import Store, StoreError, check
from reproduce.store.files import replacing, together, write_text
from reproduce.store.selection import select


@dataclass(frozen=True)
class Execution:
    """Where and how a sweep's batches run: ``workers`` local processes (None: as many
    as the machine holds) or the Dask cluster of ``scheduler``; the engine, the most
    runs per batch (None: the engine's `BATCH_SIZE`), how long to wait for the
    scheduler, whether runs stored as failed run again, and the progress bar."""
    workers: int = None
    scheduler: str = None
    engine: str = "batched"
    batch_size: int = None
    connect_timeout: float = CONNECT_TIMEOUT_S
    retry_failed: bool = False
    progress: bool = True


def execution_of(options, retry_failed=False):
    """The `Execution` that `add_execution_options`' parsed
    options name."""
    return Execution(workers=options.workers, scheduler=options.scheduler,
                     engine=options.engine, batch_size=options.batch_size,
                     connect_timeout=options.connect_timeout, retry_failed=retry_failed,
                     progress=not options.no_progress)


def sweep_grid(profile, reading, db, replicates=(0,), execution=None):
    """Run `profile` under `reading`, in `replicates`, into the store `db`, saying on
    stdout and stderr what it does; the exit status (``reproduce sweep``'s).

    Checks the store (`UsageError`), plans, starts the workers (`Execution`) and runs
    the batches the store lacks (`reproduce.experiment.sweep.run_sweep`).
    """
    execution = execution or Execution()
    db = str(db)
    try:
        check(db)
        # Opening an existing store writes nothing (only a blank SQLite file is set up);
        # a new one is created once the workers are up, so bad input leaves no file.
        store = Store.open(db, create=True) if os.path.exists(db) else None
    except StoreError as exc:
        raise UsageError(str(exc)) from None
    try:
        return _sweep(execution, profile, reading, db, store, replicates)
    finally:
        if store is not None:
            store.close()


def local_workers(requested, configs, engine, batch_size):
    """How many local workers to start: `requested` (None: as many as the machine holds,
    `reproduce.experiment.workers.worker_limit`); `UsageError` above that bound."""
    limit, why = worker_limit(configs, engine, batch_size)
    if limit < 1:
        raise UsageError(f"not enough memory for one worker ({why}); free some memory or "
                         "use --batch-size to train fewer networks at once")
    if requested is not None and requested > limit:
        raise UsageError(f"--workers {requested}: this machine holds at most {limit} "
                         f"({why})")
    return requested or limit


def _sweep(execution, profile, reading, db, store, replicates):
    configs = _configs(profile, reading, replicates)
    keys = profile.key_set(reading, replicates)
    batch_size = execution.batch_size or BATCH_SIZE
    n_workers = (None if execution.scheduler else
                 local_workers(execution.workers, configs, execution.engine, batch_size))
    stored = (store.keys() if store is not None else set()) & keys
    failed = (store.keys("failed") if store is not None else set()) & keys
    skip = stored - failed if execution.retry_failed else stored
    batches = plan(configs, skip, batch_size)
    pending = sum(map(len, batches))
    print(f"profile {profile.name}: {profile.describe(reading)}"
          + ("" if tuple(replicates) == (0,) else
             f"; replicates {format_replicates(replicates)} ({len(configs):,} runs)"))
    retried = " (to be run again)" if execution.retry_failed else ""
    print(f"store {db}: {len(stored):,} of these runs stored already "
          f"({len(failed):,} failed{retried}), {pending:,} to run in {len(batches):,} "
          f"batches of at most {batch_size}", flush=True)
    if not pending:
        print("nothing to run: the profile is complete")
        return 0
    opened = None
    try:
        try:
            workers = (ClusterWorkers(execution.scheduler, timeout=execution.connect_timeout,
                                      engine=execution.engine)
                       if execution.scheduler else LocalWorkers(n_workers))
        except SchedulerError as exc:
            raise UsageError(str(exc)) from None
        with workers:
            if store is None:
                try:
                    store = opened = Store.open(db, create=True)
                except StoreError as exc:
                    raise UsageError(str(exc)) from None
            print(f"running on {workers.description} with the {execution.engine} engine",
                  flush=True)
            report = run_sweep(configs, store, workers, engine=execution.engine,
                               batch_size=batch_size, profile=profile.name,
                               progress=execution.progress, already=skip,
                               retry_failed=execution.retry_failed,
                               notify=lambda text: print(text, file=sys.stderr, flush=True))
    except KeyboardInterrupt:     # before the first batch (run_sweep handles it after)
        report = SweepReport(interrupted=True)
    try:
        now = None if store is None else len(store.keys() & keys)
    except sqlite3.Error:
        now = None
    finally:
        if opened is not None:
            opened.close()
    rate = (f", {report.rate_per_hour:,.0f} runs/hour" if report.stored else "")
    print(f"stored {report.stored:,} runs ({report.failed:,} failed) in "
          f"{_duration(report.seconds)}{rate}"
          + ("" if now is None else f"; the store has {now:,} of {len(keys):,} runs of "
                                    f"profile {profile.name}"))
    if report.by_others:
        print(f"{report.by_others:,} runs were stored meanwhile by another sweep of this store "
              f"({'; '.join(sorted(d.describe() for d in report.others)) or 'another driver'})")
    if report.duplicates:
        print(f"{report.duplicates:,} runs trained here had been stored by another sweep first "
              "(its lease had lapsed while it ran); the store keeps one row of each",
              file=sys.stderr)
    if report.failed:
        print(f"{report.failed:,} runs failed; their errors are in the store (column 'error'); "
              "a sweep runs them again only with --retry-failed")
    left = "" if now is None else f", {len(keys) - now:,} still to run"
    resume = f"rerun the same command to {'resume' if report.interrupted else 'retry them'}"
    if report.interrupted:
        print(f"interrupted: {report.stored:,} runs of this sweep stored{left}; {resume}",
              file=sys.stderr)
        return 130
    if report.store_error:
        print(f"stopped: the store {db} cannot take more runs ({report.store_error}); the "
              f"{report.stored:,} runs this sweep stored are kept{left}; free some space "
              "(or mend the cause) and rerun the same command", file=sys.stderr)
        return 1 if report.stored else 2
    if report.lost:
        unstarted = (f"; {report.not_started:,} runs were not started"
                     if report.not_started else "")
        print(f"{report.lost:,} runs in flight were lost with their workers (first error: "
              f"{report.lost_errors[0]}){unstarted}; {resume}", file=sys.stderr)
        return 1
    return 0


def _duration(seconds):
    if seconds < 90:
        return f"{seconds:.1f} s"
    if seconds < 5400:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def sensitivity_study(profile, readings, *, stores, results, out, replicates=(0,),
                      sweep=True, execution=None, published=None, study=None):
    """Sweep `profile` under each of `readings` into ``<stores>/<reading>.sqlite`` (unless
    not `sweep`), write each reading's runs and Table I to ``<results>/<profile>/<reading>/``
    and the study's table and plots to `out`; the exit status (``reproduce sensitivity``'s).

    `study` is the variance ``--study`` named, for the command line the table records
    (None: the readings were listed).
    """
    from reproduce.analysis import sensitivity, table1  # not for `sweep`: scipy, plots
    execution = dataclasses.replace(execution or Execution(), retry_failed=False)
    stores = check_out_dir(stores, "--stores",
                           names=[f"{r.name}.sqlite-wal" for r in readings])
    out = check_out_dir(out, names=["sensitivity.csv", "sensitivity.md",
                                    "agreement_vs_variance.png", "scatter_means.png"])
    folders = {r.name: check_out_dir(Path(results) / profile.name / r.name, "--results",
                                     names=["runs.csv.gz", *table1.FILES])
               for r in readings}

    for number, reading in enumerate(readings, 1):
        db = stores / f"{reading.name}.sqlite"
        print(f"[{number}/{len(readings)}] reading {reading.name}: {reading.describe()}",
              flush=True)
        if sweep:
            _adopt_shared_runs(stores, db, profile.key_set(reading, replicates))
            status = sweep_grid(profile, reading, db, replicates, execution)
            if status == 130:
                return status
        if os.path.exists(db):
            try:
                with Store.open(db) as store:
                    rows = store.runs()
            except StoreError as exc:
                raise UsageError(str(exc)) from None
            if len(rows):
                runs_csv.write(rows, folders[reading.name] / "runs.csv.gz")

    sides = {}
    for reading in readings:
        path = folders[reading.name] / "runs.csv.gz"
        if not path.exists():
            print(f"reading {reading.name}: no runs yet ({path})")
            continue
        runs = select(runs_csv.read(path), reading, profile, replicates)
        ours = table1.summarise(runs, expected=table1.expected_counts([profile.name],
                                                                      replicates))
        table1.write_tables(ours, table1.compare(ours, published), folders[reading.name],
                            f"{len(runs):,} runs of profile {profile.name}, reading "
                            f"{reading.name} ({reading.describe()})")
        sides[reading.name] = table1.compare(ours, published)
    if not sides:
        print("nothing to tabulate")
        return 0
    frame = sensitivity.table(sides)
    expected = profile.n_runs * len(replicates)
    source = (f"Profile `{profile.name}` ({profile.describe()}); every reading's runs and "
              f"Table I are in `{results}/{profile.name}/<reading>/`.  Made by "
              f"`python -m reproduce sensitivity "
              f"--profile {profile.name} "
              + ("" if tuple(replicates) == (0,)
                 else f"--replicates {format_replicates(replicates)} ")
              + (f"--study {study:g}`." if study is not None
                 else f"--readings {','.join(sides)}`."))
    incomplete = [n for n, r in zip(frame["reading"], frame["runs"]) if r < expected]
    if incomplete:
        source += f"  Incomplete ({expected:,} runs each expected): {', '.join(incomplete)}."
    written = [out / "sensitivity.csv", out / "sensitivity.md"]
    variances = {r.name: r.config_values()["init_variance"] for r in readings
                 if r.name in sides and set(dict(r.settings)) <= {"init_variance"}}
    with together():
        with replacing(written[0]) as temporary:
            frame.to_csv(temporary, index=False, float_format="%.4f")
        write_text(written[1], sensitivity.to_markdown(frame, source))
        if len(variances) >= 2:
            sensitivity.plot_variance(frame, variances, out / "agreement_vs_variance.png")
            written.append(out / "agreement_vs_variance.png")
        sensitivity.plot_scatter(sides, out / "scatter_means.png")
        written.append(out / "scatter_means.png")
    print(sensitivity.to_markdown(frame))
    print("wrote " + ", ".join(map(str, written)))
    return 0


def _configs(profile, reading, replicates):
    return [c for r in replicates for c in profile.configs(reading, r)]


def _adopt_shared_runs(stores, db, keys):
    """Copy into `db` the runs of `keys` that other readings' stores already hold
    (e.g. ``connections-only`` changes only the GRU's runs), so they are not run twice."""
    others = [p for p in sorted(stores.glob("*.sqlite")) if p != db]
    if not others:
        return
    try:
        with Store.open(db, create=True) as store:
            copied = sum(store.adopt(other, keys) for other in others)
    except StoreError as exc:
        raise UsageError(str(exc)) from None
    if copied:
        print(f"copied {copied:,} runs that other readings' stores already hold", flush=True)
