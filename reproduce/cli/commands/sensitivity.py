"""``python -m reproduce sensitivity``: Table I's agreement under named readings of the protocol.

    python -m reproduce sensitivity --profile quick --study 0.09
    python -m reproduce sensitivity --profile quick --readings stated,var0.01,var0.09+zero-target
    python -m reproduce sensitivity --profile quick --study 0.09 --no-sweep   # tabulate only

For each reading (`reproduce.experiment.readings`) in turn: sweeps the profile under it
into a store of its own, ``<stores>/<reading>.sqlite`` (resumably, on local
workers or ``--scheduler``, as ``sweep`` does), then writes its runs and its
Table I to ``<results>/<profile>/<reading>/`` (``runs.csv.gz``, `reproduce.store.runs_csv`,
and ``table1.csv/.md/.tex``, as ``table1`` writes them; commit these: the stores
are working files).  Then, from those files, writes ``<out>/sensitivity.csv``
and ``.md`` (one row per reading: `reproduce.analysis.sensitivity`'s measures), the plot
of agreement against initial variance (``agreement_vs_variance.png``, over
the readings that change only the variance) and the ours-against-published
scatter of the 100 mean errors per reading (``scatter_means.png``).

A run whose key another reading's store in ``<stores>`` already holds is
copied from there rather than run again (the key is the whole configuration,
and the engines are deterministic): ``connections-only`` reruns only the GRU.

``--study V`` is the study's list: the variance grid, then each other choice
alone at variance V, then each epoch cap at V
(`reproduce.experiment.readings.sensitivity_readings`).  With ``--no-sweep`` nothing is
run: the table is made of what the stores and ``runs.csv.gz`` files hold.  A reading
whose runs are incomplete is tabulated with the runs it has (the ``runs``
column says how many).  Exit status as ``sweep``'s: 130 on Ctrl-C, 1 when
batches were lost, 2 for bad input.
"""
from reproduce.cli.options import (
    RELATIVE_PATHS,
    UsageError,
    add_execution_options,
    add_published_option,
    add_replicates_option,
    positive_float,
    published_table,
)
from reproduce.cli.workflows import execution_of, sensitivity_study
from reproduce.experiment.profiles import PROFILES, get_profile
from reproduce.experiment.readings import get_reading, sensitivity_readings


def configure(parser):
    parser.add_argument("--profile", required=True, metavar="NAME",
                        help=f"the grid every reading runs: {', '.join(PROFILES)}")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--readings", metavar="NAME,NAME,...",
                       help="the readings, comma-separated (e.g. stated,var0.09+zero-target)")
    which.add_argument("--study", type=positive_float, metavar="V",
                       help="the study's readings: variance grid, then each choice and cap "
                            "at variance V")
    parser.add_argument("--stores", default="results/stores", metavar="DIR",
                        help="one results store per reading here (default results/stores; "
                             f"{RELATIVE_PATHS})")
    parser.add_argument("--results", default="results", metavar="DIR",
                        help="each reading's runs.csv.gz and Table I go to "
                             "DIR/<profile>/<reading>/ (default results)")
    parser.add_argument("--out", default="results/sensitivity", metavar="DIR",
                        help="sensitivity.csv/.md and plots "
                             "(default results/sensitivity)")
    add_replicates_option(parser, what="the replicates each reading runs and its table pools")
    parser.add_argument("--no-sweep", action="store_true",
                        help="run nothing: tabulate what the stores and runs files hold")
    add_published_option(parser)
    add_execution_options(parser)


def execute(args):
    try:
        profile = get_profile(args.profile)
        readings = (sensitivity_readings(args.study) if args.study is not None
                    else [get_reading(name.strip()) for name in args.readings.split(",")])
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    names = [r.name for r in readings]
    if len(set(names)) != len(names):
        raise UsageError(f"a reading is named twice: {', '.join(names)}")
    return sensitivity_study(profile, readings, stores=args.stores, results=args.results,
                             out=args.out, replicates=args.replicates,
                             sweep=not args.no_sweep, execution=execution_of(args),
                             published=published_table(args), study=args.study)
