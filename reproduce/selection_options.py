"""The options that pick a command's runs, shared by the commands that analyse them.

    def configure(parser):
        add_input_options(parser, "anova.csv and anova.md")   # --db --reading --profile --out
    def execute(args):
        ok, reading, profile, out = load_input(args)          # UsageError for bad input

``--db`` is a results store or a ``runs.csv.gz`` (only read); ``--reading``
and ``--profile`` select its runs (`reproduce.readings.select`); ``--out`` is
the folder the command writes to, checked by `load_input` and created by
`make_out` once the command has its results, so that bad input writes nothing.
"""
from pathlib import Path

from reproduce import runs_csv
from reproduce.cli import UsageError
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


def make_out(out):
    """Create the output folder `out` (a Path); `UsageError` if that fails."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create {out}: {exc.strerror or exc}") from None


def made_by(command, args, reading, profile, extra=""):
    """The exact command line that made an output, for its Markdown."""
    return (f"`python -m reproduce {command} --db {args.db} --reading {reading.name}"
            + (f" --profile {profile.name}" if profile else "") + extra
            + f" --out {args.out}`")
