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
from reproduce.store.files import replacing, together, write_text

NOISE_FILES = ("noise_summary.csv", "noise_floor.csv", "noise_table1.csv",
               "noise_components.csv")


def configure(parser):
    add_input_options(parser, "noise.md, noise_*.csv and noise_z.png", replicates=None)
    add_published_option(parser)
    parser.add_argument("--judge", default=None, metavar="DIR",
                        help="also judge every reading's table1.csv under DIR/<reading>/ "
                             "(e.g. results/quick) against the floor")


def execute(args):
    from reproduce.analysis import noise, table1
    from reproduce.experiment.profiles import format_replicates, get_profile
    from reproduce.experiment.readings import get_reading
    from reproduce.store.selection import ok_runs, replicates_in, select

    try:
        reading = get_reading(args.reading)
        profile = get_profile(args.profile) if args.profile is not None else None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    published = published_table(args)
    runs = select(load_runs(args), reading, profile, replicates=None)
    held = replicates_in(runs)
    what = f"reading {reading.name}" + (f" and profile {profile.name}" if profile else "")
    if not held:
        raise UsageError(f"{db_label(args)} has no runs of {what}")
    counts = noise.replicate_column(runs).value_counts()
    complete = [r for r in held if profile is None or counts.get(r, 0) >= profile.n_runs]
    if args.replicates is None:
        wanted = complete            # by default, every complete replicate the runs hold
        partial = [r for r in held if r not in complete]
        if partial:
            print(f"left out replicate{'s' if len(partial) > 1 else ''} "
                  f"{format_replicates(partial)}: incomplete for profile {profile.name}")
    else:
        wanted = list(args.replicates)
    missing = [r for r in wanted if r not in held]
    if missing:
        raise UsageError(f"{db_label(args)} has no runs of {what} in replicate"
                         f"{'s' if len(missing) > 1 else ''} {format_replicates(missing)}; "
                         f"it holds replicates {format_replicates(held)}")
    if len(wanted) < noise.MIN_REPLICATES:
        raise UsageError(f"the noise floor needs at least {noise.MIN_REPLICATES} complete "
                         f"replicates; {db_label(args)} holds {format_replicates(held)} of "
                         f"{what}" + (f" ({format_replicates(complete) or 'none'} complete)"
                                      if profile is not None else "")
                         + ("" if args.replicates is None
                            else f" and --replicates names {format_replicates(wanted)}")
                         + " (sweep more with: reproduce sweep --replicates ...)")
    short = {r: int(counts.get(r, 0)) for r in wanted if r not in complete}
    if short:
        r, n = next(iter(short.items()))
        raise UsageError(f"replicate {r} of {what} is incomplete ({n:,} of "
                         f"{profile.n_runs:,} runs); finish it with reproduce sweep "
                         f"--profile {profile.name} --reading {reading.name} "
                         f"--replicates {r}, or leave it out with --replicates")
    runs = runs[noise.replicate_column(runs).isin(wanted).to_numpy()]
    ok = ok_runs(runs)
    others = _other_tables(args.judge) if args.judge is not None else None
    out = check_out_dir(args.out, names=[*NOISE_FILES, "noise_readings.csv", "noise.md",
                                         "noise_z.png"])

    tables = noise.replicate_tables(ok)
    floor = noise.pairwise_floor(tables)
    stand = noise.published_against_floor(ok, published)
    entries = noise.intervals(tables, table1.summarise(ok), published)
    components = noise.variance_components(ok)
    summary = noise.verdicts(stand)
    judged = (noise.judge_readings(others, published, floor) if others is not None
              else None)
    args.replicates = tuple(wanted)
    extra = "" if args.judge is None else f" --judge {shlex.quote(str(args.judge))}"
    source = (f"Reading `{reading.name}` ({reading.describe()}); {len(ok):,} runs of "
              f"replicates {format_replicates(wanted)} of `{db_label(args)}`"
              + (f", profile `{profile.name}`" if profile else "")
              + f".  Made by {made_by('noise', args, reading, profile, extra)}.")
    frames = dict(zip(NOISE_FILES, (summary, stand.merge(floor, on=["scope", "measure"],
                                                          suffixes=("", "_pairs")),
                                    entries, components)))
    if judged is not None:
        frames["noise_readings.csv"] = judged
    text = noise.to_markdown(floor, stand, entries, components, source, wanted, judged)
    with together():               # every file of the floor changes together, or none
        for name, frame in frames.items():
            with replacing(out / name) as temporary:
                frame.to_csv(temporary, index=False, float_format="%.4f")
        write_text(out / "noise.md", text)
        noise.plot_z(entries, out / "noise_z.png")
    written = [out / name for name in frames] + [out / "noise.md", out / "noise_z.png"]
    print(summary.to_string(index=False))
    print("wrote " + ", ".join(map(str, written)))
    return 0


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
