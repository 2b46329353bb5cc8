"""``python -m reproduce anova``: which factors of the grid drive the test error, per task.

    python -m reproduce anova --db results/quick/var0.01/runs.csv.gz --out results/quick/var0.01
    python -m reproduce anova --db results/runs.sqlite --reading var0.09 --bootstrap 200

Fits, per task, a type-II ANOVA of the test error (and of its rank) on task
variant, cell, architecture, width, step size and seed with their two-way
interactions (`reproduce.anova`), and writes ``anova.csv`` (every term's sum of
squares, share with its bootstrap interval, F and p), ``anova.md`` and
``anova_shares.png`` (stacked bars of the shares per task) to ``--out``.
``--db`` is a results store or a ``runs.csv.gz``; it is only read.  Takes
seconds per task on a ``quick`` grid (``--bootstrap`` refits set the cost).
"""
from pathlib import Path

from reproduce import anova, runs_csv
from reproduce.cli import UsageError, non_negative_int
from reproduce.profiles import PROFILES, get_profile
from reproduce.readings import STATED, get_reading, select
from reproduce.store import StoreError
from reproduce.sweep_command import DEFAULT_DB


def add_input_options(parser, what):
    """``--db``, ``--reading``, ``--profile`` and ``--out`` (for `what` it writes)."""
    parser.add_argument("--db", default=DEFAULT_DB, metavar="PATH",
                        help=f"a results store or a runs.csv.gz (default {DEFAULT_DB})")
    parser.add_argument("--reading", default=STATED, metavar="NAME",
                        help="only runs of this reading of the protocol (default stated)")
    parser.add_argument("--profile", default=None, metavar="NAME",
                        help=f"only this profile's runs ({', '.join(PROFILES)}); default: all")
    parser.add_argument("--out", default="results", metavar="DIR",
                        help=f"where to write {what} (default results/)")


def load_input(args):
    """``(ok runs, reading, profile or None, out Path)`` of `add_input_options`' options;
    `UsageError` for a bad one or no ``ok`` run, before anything is written."""
    try:
        reading = get_reading(args.reading)
        profile = get_profile(args.profile) if args.profile is not None else None
        runs = select(runs_csv.load(args.db), reading, profile)
    except (StoreError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    ok = runs[(runs["status"] == "ok") & runs["test_error"].notna()]
    if ok.empty:
        raise UsageError(f"{args.db} has no ok runs of reading {reading.name}"
                         + (f" and profile {profile.name}" if profile else ""))
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is not a directory")
    return ok, reading, profile, out


def made_by(command, args, reading, profile, extra=""):
    """The exact command line that made an output, for its Markdown."""
    return (f"`python -m reproduce {command} --db {args.db} --reading {reading.name}"
            + (f" --profile {profile.name}" if profile else "") + extra
            + f" --out {args.out}`")


def configure(parser):
    add_input_options(parser, "anova.csv, anova.md and anova_shares.png")
    parser.add_argument("--bootstrap", type=non_negative_int, default=anova.BOOTSTRAP,
                        metavar="N", help=f"refits on resampled runs for the intervals "
                                          f"(default {anova.BOOTSTRAP}; 0: none)")
    parser.add_argument("--seed", type=non_negative_int, default=anova.SEED, metavar="S",
                        help=f"seed of the resampling (default {anova.SEED})")


def execute(args):
    ok, reading, profile, out = load_input(args)
    frame = anova.analyse(ok, bootstrap=args.bootstrap, seed=args.seed)
    if frame.empty:
        raise UsageError(f"{args.db}: no task has runs that vary in any factor and leave a "
                         "residual degree of freedom")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create {out}: {exc.strerror or exc}") from None
    source = (f"Reading `{reading.name}` ({reading.describe()}); {len(ok):,} runs of "
              f"`{args.db}`.  Made by "
              + made_by("anova", args, reading, profile,
                        f" --bootstrap {args.bootstrap} --seed {args.seed}") + ".")
    frame.to_csv(out / "anova.csv", index=False, float_format="%.6g")
    (out / "anova.md").write_text(anova.to_markdown(frame, source))
    anova.plot_shares(frame, out / "anova_shares.png")
    for task, terms in anova.largest_terms(frame).items():
        print(f"{task:<12} " + ", ".join(f"{t} {100 * s:.1f} %" for t, s in terms))
    print(f"wrote {out / 'anova.csv'}, {out / 'anova.md'}, {out / 'anova_shares.png'}")
    return 0
