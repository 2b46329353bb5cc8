"""``reproduce noise``: the noise floor of Table I from R >= 3 replicates, and where the
published table stands against it.

    reproduce noise --db results/quick/var0.09+cap50/runs.csv.gz --reading var0.09+cap50 \\
        --profile quick --replicates 0-4 --out results/quick/var0.09+cap50

Writes to ``--out``: ``noise.md`` (the verdict per task, every measure against the
floor, the published entries outside our intervals, the variance components),
``noise_summary.csv`` (the verdict per scope), ``noise_floor.csv`` (every measure
between replicates and for the published table, overall and per task),
``noise_table1.csv`` (per entry and statistic: pooled value, each replicate's,
the prediction interval for one new replicate, the published value and its z),
``noise_components.csv`` (data-draw and initialisation variance per entry) and
``noise_z.png`` (a heat map of the z values).  With ``--judge DIR``, every other
reading's committed Table I under ``DIR/<reading>/table1.csv`` (one replicate
each) is judged against the floor as well (``noise_readings.csv`` and a
section of ``noise.md``).  How each figure is computed:
`reproduce.analysis.noise`.  Every replicate named must be complete for
``--profile``; without ``--replicates``, every complete replicate is compared
(and the incomplete ones named).  ``--db`` is only read.
"""
import shlex
from pathlib import Path

from reproduce.cli.options import (
    UsageError,
    add_input_options,
    add_published_option,
    check_out_dir,
    db_label,
    load_runs,
    made_by,
    published_table,
)


def configure(parser):
    add_input_options(parser, "noise.md, noise_*.csv and noise_z.png", replicates=None)
    add_published_option(parser)
    parser.add_argument("--judge", default=None, metavar="DIR",
                        help="also judge every reading's table1.csv under DIR/<reading>/ "
                             "(e.g. results/quick) against the floor")


def execute(args):
    from reproduce.analysis import noise
    from reproduce.experiment.profiles import format_replicates, get_profile
    from reproduce.experiment.readings import get_reading
    from reproduce.store.selection import ok_runs, replicate_column, select

    try:
        reading = get_reading(args.reading)
        profile = get_profile(args.profile) if args.profile is not None else None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    published = published_table(args)
    runs = select(load_runs(args), reading, profile, replicates=None)
    replicates = _replicates(runs, reading, profile, args.replicates, db_label(args))
    ok = ok_runs(runs[replicate_column(runs).isin(replicates).to_numpy()])
    others = _other_tables(args.judge) if args.judge is not None else None
    out = check_out_dir(args.out, names=noise.FILES)

    floor = noise.study(ok, published, others)
    extra = "" if args.judge is None else f" --judge {shlex.quote(str(args.judge))}"
    args.replicates = replicates     # the command line in the files names them
    source = (f"Reading `{reading.name}` ({reading.describe()}); {len(ok):,} runs of "
              f"replicates {format_replicates(replicates)} of `{db_label(args)}`"
              + (f", profile `{profile.name}`" if profile else "")
              + f".  Made by {made_by('noise', args, reading, profile, extra)}.")
    written = noise.write(floor, out, source)
    print(floor.summary().to_string(index=False))
    print("wrote " + ", ".join(map(str, written)))
    return 0


def _replicates(runs, reading, profile, asked, label):
    """The replicates to compare: `asked` (``--replicates``), or every complete one the
    runs hold; `UsageError` for a missing or incomplete replicate, or fewer than
    `noise.MIN_REPLICATES`."""
    from reproduce.analysis.noise import MIN_REPLICATES
    from reproduce.experiment.profiles import format_replicates
    from reproduce.store.selection import replicate_counts

    counts = replicate_counts(runs)
    held = list(counts)
    what = f"reading {reading.name}" + (f" and profile {profile.name}" if profile else "")
    if not held:
        raise UsageError(f"{label} has no runs of {what}")
    complete = [r for r in held if profile is None or counts[r] >= profile.n_runs]
    if asked is None:
        wanted = complete            # by default, every complete replicate the runs hold
        partial = [r for r in held if r not in complete]
        if partial:
            print(f"left out replicate{'s' if len(partial) > 1 else ''} "
                  f"{format_replicates(partial)}: incomplete for profile {profile.name}")
    else:
        wanted = list(asked)
    missing = [r for r in wanted if r not in held]
    if missing:
        raise UsageError(f"{label} has no runs of {what} in replicate"
                         f"{'s' if len(missing) > 1 else ''} {format_replicates(missing)}; "
                         f"it holds replicates {format_replicates(held)}")
    if len(wanted) < MIN_REPLICATES:
        raise UsageError(f"the noise floor needs at least {MIN_REPLICATES} complete "
                         f"replicates; {label} holds {format_replicates(held)} of "
                         f"{what}" + (f" ({format_replicates(complete) or 'none'} complete)"
                                      if profile is not None else "")
                         + ("" if asked is None
                            else f" and --replicates names {format_replicates(wanted)}")
                         + " (sweep more with: reproduce sweep --replicates ...)")
    short = [r for r in wanted if r not in complete]
    if short:
        r = short[0]
        raise UsageError(f"replicate {r} of {what} is incomplete ({counts[r]:,} of "
                         f"{profile.n_runs:,} runs); finish it with reproduce sweep "
                         f"--profile {profile.name} --reading {reading.name} "
                         f"--replicates {r}, or leave it out with --replicates")
    return tuple(wanted)


def _other_tables(folder):
    """``{reading: Table I}`` of every ``<folder>/<reading>/table1.csv``; UsageError if none."""
    import pandas as pd

    from reproduce.experiment.readings import get_reading
    folder = Path(folder)
    tables = {}
    for path in sorted(folder.glob("*/table1.csv")):
        try:
            name = get_reading(path.parent.name).name
        except ValueError:
            continue                    # not a reading's folder
        table = pd.read_csv(path, dtype={"steps_back": "Int64"})
        tables[name] = table
    if not tables:
        raise UsageError(f"--judge {folder}: no <reading>/table1.csv under it")
    return tables
