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
import os
from pathlib import Path

from reproduce.analysis import sensitivity, table1
from reproduce.cli.commands import sweep as sweep_command
from reproduce.cli.options import (
    RELATIVE_PATHS,
    UsageError,
    add_published_option,
    add_replicates_option,
    check_out_dir,
    positive_float,
    published_table,
)
from reproduce.experiment.profiles import PROFILES, format_replicates, get_profile
from reproduce.experiment.readings import get_reading, sensitivity_readings
from reproduce.store import runs_csv
from reproduce.store.database import Store, StoreError
from reproduce.store.files import replacing, together, write_text


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
    sweep_command.add_execution_options(parser)


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
    published = published_table(args)
    stores = check_out_dir(args.stores, "--stores",
                           names=[f"{r.name}.sqlite-wal" for r in readings])
    out = check_out_dir(args.out, names=["sensitivity.csv", "sensitivity.md",
                                         "agreement_vs_variance.png", "scatter_means.png"])
    folders = {r.name: check_out_dir(Path(args.results) / profile.name / r.name, "--results",
                                     names=["runs.csv.gz", *table1.FILES])
               for r in readings}
    args.retry_failed = False

    for number, reading in enumerate(readings, 1):
        db = stores / f"{reading.name}.sqlite"
        print(f"[{number}/{len(readings)}] reading {reading.name}: {reading.describe()}",
              flush=True)
        if not args.no_sweep:
            _adopt_shared_runs(stores, db, _configs(profile, reading, args.replicates))
            status = sweep_command.sweep(args, profile, reading, db, args.replicates)
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
        runs = runs_csv.read(path)
        runs = runs[runs["key"].isin({c.key for c in _configs(profile, reading,
                                                               args.replicates)})]
        ours = table1.summarise(runs, expected=table1.expected_counts([profile.name],
                                                                      args.replicates))
        table1.write_tables(ours, table1.compare(ours, published), folders[reading.name],
                            f"{len(runs):,} runs of profile {profile.name}, reading "
                            f"{reading.name} ({reading.describe()})")
        sides[reading.name] = table1.compare(ours, published)
    if not sides:
        print("nothing to tabulate")
        return 0
    frame = sensitivity.table(sides)
    expected = profile.n_runs * len(args.replicates)
    source = (f"Profile `{profile.name}` ({profile.describe()}); every reading's runs and "
              f"Table I are in `{args.results}/{profile.name}/<reading>/`.  Made by "
              f"`python -m reproduce sensitivity "
              f"--profile {profile.name} "
              + ("" if tuple(args.replicates) == (0,)
                 else f"--replicates {format_replicates(args.replicates)} ")
              + (f"--study {args.study:g}`." if args.study is not None
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


def _adopt_shared_runs(stores, db, configs):
    """Copy into `db` the runs of `configs` that other readings' stores already hold
    (e.g. ``connections-only`` changes only the GRU's runs), so they are not run twice."""
    others = [p for p in sorted(stores.glob("*.sqlite")) if p != db]
    if not others:
        return
    keys = {c.key for c in configs}
    try:
        with Store.open(db, create=True) as store:
            copied = sum(store.adopt(other, keys) for other in others)
    except StoreError as exc:
        raise UsageError(str(exc)) from None
    if copied:
        print(f"copied {copied:,} runs that other readings' stores already hold", flush=True)
