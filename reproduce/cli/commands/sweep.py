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
from reproduce.cli.options import (
    DEFAULT_DB,
    RELATIVE_PATHS,
    REPLICATES_HELP,
    UsageError,
    add_execution_options,
    non_negative_int,
    positive_float,
    replicates_option,
)
from reproduce.cli.workflows import execution_of, sweep_grid
from reproduce.experiment.profiles import PROFILES, get_profile
from reproduce.experiment.readings import STATED, get_reading, with_overrides


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


def execute(args):
    try:
        profile = get_profile(args.profile)
        reading = with_overrides(get_reading(args.reading), args.init_variance,
                                 args.max_epochs)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return sweep_grid(profile, reading, args.db, args.replicates,
                      execution_of(args, retry_failed=args.retry_failed))
