"""``python -m reproduce claims``: the paper's claims as verdicts over stored runs.

    python -m reproduce claims --db results/runs.sqlite [--reading NAME] [--out results/]
    python -m reproduce claims --db results/paper/stated/runs.csv.gz --profile paper

Each claim of the paper's results section and abstract (`reproduce.claims`) is
decided over the runs of one reading (``stated`` unless ``--reading`` names
another; ``--profile`` keeps only that grid's runs): ``holds``, ``fails`` or
``inconclusive``, with the evidence (paired differences with bootstrap
intervals, or Table I counts with their bootstrap support) and what the
published Table I itself says.  Writes ``claims.csv`` and ``claims.md`` to
``--out`` and prints the table.  ``--db`` is a results store or a
``runs.csv.gz``; it is only read.
"""
from reproduce import claims, runs_csv, table1
from reproduce.cli import RELATIVE_PATHS, UsageError
from reproduce.commands import prepare_out_dir
from reproduce.commands.sweep import DEFAULT_DB
from reproduce.profiles import PROFILES, get_profile
from reproduce.readings import STATED, get_reading, select
from reproduce.store import StoreError


def configure(parser):
    parser.add_argument("--db", default=DEFAULT_DB, metavar="PATH",
                        help=f"a results store or a runs.csv.gz (default {DEFAULT_DB}; "
                             f"{RELATIVE_PATHS})")
    parser.add_argument("--reading", default=STATED, metavar="NAME",
                        help="only runs of this reading of the protocol (default stated)")
    parser.add_argument("--profile", default=None, metavar="NAME",
                        help=f"only this profile's runs ({', '.join(PROFILES)}); default: all")
    parser.add_argument("--out", default="results", metavar="DIR",
                        help="where to write claims.csv and claims.md (default results/)")
    parser.add_argument("--published", default=None, metavar="CSV",
                        help="the published Table I (default: the paper's, shipped with the "
                             "package)")


def execute(args):
    try:
        published = table1.load_published(args.published)
    except ValueError as exc:
        raise UsageError(f"--published: {exc}") from None
    try:
        reading = get_reading(args.reading)
        profile = get_profile(args.profile) if args.profile is not None else None
        runs = select(runs_csv.load(args.db), reading, profile)
    except (StoreError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    ok = runs[runs["status"] == "ok"]
    if ok.empty:
        raise UsageError(f"{args.db} has no ok runs of reading {reading.name}"
                         + (f" and profile {profile.name}" if profile else ""))
    out = prepare_out_dir(args.out)
    frame = claims.evaluate(runs, published)
    source = (f"Reading `{reading.name}` ({reading.describe()}); {len(ok):,} runs of "
              f"`{args.db}`" + (f", profile `{profile.name}`" if profile else "")
              + f".  Made by `python -m reproduce claims --db {args.db} --reading "
              f"{reading.name}" + (f" --profile {profile.name}" if profile else "") + "`.")
    frame.to_csv(out / "claims.csv", index=False, float_format="%.4f")
    text = claims.to_markdown(frame, source)
    (out / "claims.md").write_text(text)
    print(text)
    print(f"wrote {out / 'claims.csv'}, {out / 'claims.md'}")
    return 0
