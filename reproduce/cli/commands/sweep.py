"""``python -m reproduce sweep``: run a profile's grid into the results store, resumably.

    python -m reproduce sweep --profile quick [--db results/runs.sqlite] [--workers 2]
    python -m reproduce sweep --profile paper --scheduler tcp://HOST:8786
    python -m reproduce sweep --profile quick --reading var0.09+zero-target --db ...
    python -m reproduce sweep --profile quick --replicates 0-4 --db ...   # the noise floor's

Prints the profile's counts and how many runs the store already has, then runs
the rest in batches -- on ``--workers`` local processes (default and most: one
per CPU, as many as the memory holds by `reproduce.experiment.workers.worker_limit`)
or on the Dask cluster whose scheduler is ``--scheduler`` (which must greet us
within ``--connect-timeout`` seconds) -- with a progress bar on stderr.  Each
finished batch is one transaction in the store, so the sweep can be stopped at
any time (Ctrl-C exits with status 130) and the same command resumes it.  Two
sweeps of one store at once share its work: each claims a batch in the store
before it runs it, and waits at the end for what the other still runs (taking
it over if that one dies).  Runs that raise are stored as ``failed`` with their
error and are not run again unless ``--retry-failed`` asks for it.

Exit status: 0 when every run of the profile is stored; 1 when batches were
lost (a worker died) or the store stopped taking runs (a full disk) after this
sweep stored some -- rerun to go on; 2 for bad input (unknown profile or
reading, a file that is not a results store, a folder that cannot be written,
too many workers, an unreachable scheduler or a peer that is not one); 130 on
Ctrl-C.  ``--reading`` runs the grid under another reading of the protocol
(`reproduce.experiment.readings`); its runs have other keys, best kept in a
store of their own.  ``--replicates`` runs independent replicates of the grid
(`reproduce.experiment.profiles`; default 0, the grid itself).
"""
import os
import sqlite3
import sys

from reproduce.cli.options import (
    DEFAULT_DB,
    RELATIVE_PATHS,
    REPLICATES_HELP,
    UsageError,
    non_negative_int,
    positive_float,
    positive_int,
    replicates_option,
)
from reproduce.experiment.batching import BATCH_SIZE
from reproduce.experiment.config import ENGINES
from reproduce.experiment.profiles import PROFILES, format_replicates, get_profile
from reproduce.experiment.readings import STATED, get_reading, with_overrides
from reproduce.experiment.sweep import SweepReport, plan, run_sweep
from reproduce.experiment.workers import (
    CONNECT_TIMEOUT_S,
    ClusterWorkers,
    LocalWorkers,
    SchedulerError,
    worker_limit,
)
from reproduce.store.database import Store, StoreError, check


def configure(parser):
    parser.add_argument("--profile", required=True, metavar="NAME",
                        help=f"the grid to run: {', '.join(PROFILES)}")
    parser.add_argument("--reading", default=STATED, metavar="NAME",
                        help="the reading of the protocol, e.g. var0.09+zero-target "
                             "(default stated; see reproduce.experiment.readings)")
    parser.add_argument("--db", default=DEFAULT_DB, metavar="PATH",
                        help=f"the results store (created if missing; default {DEFAULT_DB}; "
                             f"{RELATIVE_PATHS})")
    parser.add_argument("--replicates", type=replicates_option, default=(0,), metavar="R",
                        help=f"the replicates to run (default 0): {REPLICATES_HELP}")
    add_execution_options(parser)
    parser.add_argument("--max-epochs", type=non_negative_int, default=None, metavar="N",
                        help="cap on training epochs (default: the profile's); short for "
                             "--reading ...+capN")
    parser.add_argument("--init-variance", type=positive_float, default=None, metavar="V",
                        help="variance of the initial parameters (default: the protocol's "
                             "0.3); short for --reading ...+varV")
    parser.add_argument("--retry-failed", action="store_true",
                        help="run the runs stored as failed again (after fixing the cause); "
                             "their new outcome replaces the failed row")


def add_execution_options(parser):
    """Where and how a sweep runs: ``--workers``/``--scheduler``, ``--engine``,
    ``--batch-size``, ``--connect-timeout``, ``--no-progress`` (sweep, sensitivity)."""
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--workers", type=positive_int, default=None, metavar="N",
                       help="local worker processes (default and most: one per CPU, as "
                            "many as the memory holds)")
    where.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                       help="run on the Dask cluster of this scheduler instead")
    parser.add_argument("--engine", default="batched", choices=ENGINES,
                        help="training engine (default batched)")
    parser.add_argument("--batch-size", type=positive_int, default=None, metavar="N",
                        help=f"at most N runs per batch (default {BATCH_SIZE})")
    parser.add_argument("--connect-timeout", type=positive_float, default=CONNECT_TIMEOUT_S,
                        metavar="S", help=f"seconds to wait for the scheduler "
                                          f"(default {CONNECT_TIMEOUT_S})")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def execute(args):
    try:
        profile = get_profile(args.profile)
        reading = with_overrides(get_reading(args.reading), args.init_variance,
                                 args.max_epochs)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return sweep(args, profile, reading, args.db, args.replicates)


def sweep(args, profile, reading, db, replicates=(0,)):
    """Run `profile` under `reading`, in `replicates`, into the store `db`; the exit status.

    `args` carries the execution options (``workers``, ``scheduler``, ``engine``,
    ``batch_size``, ``connect_timeout``, ``retry_failed``, ``no_progress``).
    """
    db = str(db)
    try:
        check(db)
        # Opening an existing store writes nothing (only a blank SQLite file is set up);
        # a new one is created once the workers are up, so bad input leaves no file.
        store = Store.open(db, create=True) if os.path.exists(db) else None
    except StoreError as exc:
        raise UsageError(str(exc)) from None
    try:
        return _sweep(args, profile, reading, db, store, replicates)
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


def _sweep(args, profile, reading, db, store, replicates):
    configs = [c for r in replicates for c in profile.configs(reading, r)]
    keys = {c.key for c in configs}
    batch_size = args.batch_size or BATCH_SIZE
    n_workers = (None if args.scheduler else
                 local_workers(args.workers, configs, args.engine, batch_size))
    stored = (store.keys() if store is not None else set()) & keys
    failed = (store.keys("failed") if store is not None else set()) & keys
    skip = stored - failed if args.retry_failed else stored
    batches = plan(configs, skip, batch_size)
    pending = sum(map(len, batches))
    print(f"profile {profile.name}: {profile.describe(reading)}"
          + ("" if tuple(replicates) == (0,) else
             f"; replicates {format_replicates(replicates)} ({len(configs):,} runs)"))
    retried = " (to be run again)" if args.retry_failed else ""
    print(f"store {db}: {len(stored):,} of these runs stored already "
          f"({len(failed):,} failed{retried}), {pending:,} to run in {len(batches):,} "
          f"batches of at most {batch_size}", flush=True)
    if not pending:
        print("nothing to run: the profile is complete")
        return 0
    opened = None
    try:
        try:
            workers = (ClusterWorkers(args.scheduler, timeout=args.connect_timeout,
                                      engine=args.engine)
                       if args.scheduler else LocalWorkers(n_workers))
        except SchedulerError as exc:
            raise UsageError(str(exc)) from None
        with workers:
            if store is None:
                try:
                    store = opened = Store.open(db, create=True)
                except StoreError as exc:
                    raise UsageError(str(exc)) from None
            print(f"running on {workers.description} with the {args.engine} engine",
                  flush=True)
            report = run_sweep(configs, store, workers, engine=args.engine,
                               batch_size=batch_size, profile=profile.name,
                               progress=not args.no_progress, already=skip,
                               retry_failed=args.retry_failed,
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
              f"({', '.join(sorted(d.describe() for d in report.others)) or 'another driver'})")
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
