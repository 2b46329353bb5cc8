"""The options that pick a command's runs, shared by the commands that analyse them.

    def configure(parser):
        add_input_options(parser, "anova.csv and anova.md")   # --db --reading --profile --out
    def execute(args):
        ok, reading, profile = load_input(args)               # UsageError for bad input
        out = prepare_out_dir(args.out)

``--db`` is a results store or a ``runs.csv.gz`` (only read); ``--reading``
and ``--profile`` select its runs (`reproduce.readings.select`); ``--out`` is
the folder the command writes to.
"""
from reproduce import runs_csv
from reproduce.cli import RELATIVE_PATHS, UsageError
from reproduce.commands.sweep import DEFAULT_DB
from reproduce.profiles import PROFILES, get_profile
from reproduce.readings import STATED, get_reading, select
from reproduce.store import StoreError


def add_input_options(parser, what):
    """``--db``, ``--reading``, ``--profile`` and ``--out`` (for `what` it writes)."""
    parser.add_argument("--db", default=DEFAULT_DB, metavar="PATH",
                        help=f"a results store or a runs.csv.gz (default {DEFAULT_DB}; "
                             f"{RELATIVE_PATHS})")
    parser.add_argument("--reading", default=STATED, metavar="NAME",
                        help="only runs of this reading of the protocol (default stated)")
    parser.add_argument("--profile", default=None, metavar="NAME",
                        help=f"only this profile's runs ({', '.join(PROFILES)}); default: all")
    parser.add_argument("--out", default="results", metavar="DIR",
                        help=f"where to write {what} (default results/)")


def load_input(args):
    """``(ok runs, reading, profile or None)`` of `add_input_options`' options;
    `UsageError` for a bad one or when no run is ``ok``."""
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
    return ok, reading, profile


def made_by(command, args, reading, profile, extra=""):
    """The exact command line that made an output, for its Markdown."""
    return (f"`python -m reproduce {command} --db {args.db} --reading {reading.name}"
            + (f" --profile {profile.name}" if profile else "") + extra
            + f" --out {args.out}`")
