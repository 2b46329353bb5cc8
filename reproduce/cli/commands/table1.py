"""``reproduce table1``: Table I from the results store, beside the paper's.

    reproduce table1 [--db results/runs.sqlite] [--out results/] [--profile NAME]

Writes ``table1.csv`` (per task variant x cell type: min, mean and std of the
test error and the number of runs), ``runs.csv.gz`` (the runs behind it, one
row each: `reproduce.store.runs_csv`; not when ``--db`` is itself a runs
file), ``table1.md`` (the paper's layout with ours, the published value and the
difference side by side, and the run counts) and ``table1.tex`` (our table in
the paper's layout) -- all four replaced together, once every check has passed
and all are computed -- then prints how complete the
store is and how well we agree with the published table: mean absolute
difference per statistic, how many entries lie within 5 points, and for each
row whether the ranking of cell types agrees.

``--replicates`` picks the replicates the table pools (default 0, the grid
itself; `reproduce.experiment.profiles`).  The ``runs.csv.gz`` written holds every
replicate of the reading (and profile) that ``--db`` has, so that ``reproduce
noise`` recomputes from it; ``--db`` may be given more than once (e.g. the
committed runs of replicate 0 and a store of new replicates).

Without ``--profile`` the table uses every run in the store and measures
completeness against the profiles the store's sweeps ran; with it, only that
profile's runs.  Only runs with the protocol's initial-parameter variance
count, unless ``--init-variance`` names another (``sweep --init-variance``).  A
partial store gives a partial table.  The store is only read.  The published
table is the paper's, shipped with the package, unless ``--published`` names
another CSV of the same columns (a missing or malformed one is an error).
"""
from reproduce.analysis import table1
from reproduce.cli.options import (
    UsageError,
    add_db_option,
    add_published_option,
    add_replicates_option,
    check_out_dir,
    db_label,
    load_runs,
    positive_float,
    published_table,
    replicates_text,
    select_runs,
)
from reproduce.experiment.profiles import PROFILES, get_profile
from reproduce.experiment.readings import STATED, get_reading, with_overrides
from reproduce.store import runs_csv
from reproduce.store.files import together
from reproduce.store.selection import select


def configure(parser):
    add_db_option(parser, "the results store, or a runs.csv.gz")
    parser.add_argument("--out", default="results", metavar="DIR",
                        help="where to write table1.csv, .md and .tex (default results/; "
                             "created if missing)")
    parser.add_argument("--profile", default=None, metavar="NAME",
                        help=f"only this profile's runs ({', '.join(PROFILES)}); default: "
                             "every run in the store")
    parser.add_argument("--reading", default=STATED, metavar="NAME",
                        help="only runs of this reading of the protocol (default stated)")
    add_replicates_option(parser, what="the replicates the table pools")
    parser.add_argument("--init-variance", type=positive_float, default=None,
                        metavar="V", help="short for --reading ...+varV")
    add_published_option(parser)


def execute(args):
    try:
        reading = with_overrides(get_reading(args.reading), args.init_variance)
        profile = get_profile(args.profile) if args.profile is not None else None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    published = published_table(args)
    loaded = load_runs(args)
    runs = select_runs(loaded, reading, profile, args.replicates, db_label(args))
    from_store = "code_version" in runs    # a store's rows; a runs file has no provenance
    if profile is not None:
        names = [profile.name]
    elif from_store:
        names = sorted(set(runs["profile"].dropna()))
    else:
        raise UsageError(f"{db_label(args)} is a runs file (no profile recorded): name its "
                         "grid with --profile")
    files = [*table1.FILES, *(["runs.csv.gz"] if from_store else [])]
    out = check_out_dir(args.out, names=files)

    ours = table1.summarise(runs, expected=table1.expected_counts(names, args.replicates))
    side = table1.compare(ours, published)
    summary = table1.agreement_text(side)

    n_ok, n_failed = int((runs["status"] == "ok").sum()), int((runs["status"] == "failed").sum())
    known = [n for n in names if n in PROFILES]
    status = (f"store {db_label(args)}{replicates_text(args.replicates)}: {n_ok:,} runs ok, "
              f"{n_failed:,} failed")
    if known:
        done, expected, full, partial, empty = table1.completeness(ours)
        status += (f"; profile {' + '.join(known)}: {done:,} of {expected:,} runs "
                   f"({100 * done / expected:.1f} %), {full} entries complete, "
                   f"{partial} partial, {empty} empty")

    with together():     # the table and the runs behind it agree, or neither changes
        written = table1.write_tables(ours, side, out, status, summary)
        if from_store:   # the runs behind the table, to commit
            written.append(out / "runs.csv.gz")
            runs_csv.write(select(loaded, reading, profile, replicates=None), written[-1])
    print(status)
    print("wrote " + ", ".join(map(str, written)))
    print(summary)
    return 0
