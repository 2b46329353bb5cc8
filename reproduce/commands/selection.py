"""The options that pick a command's runs, shared by the commands that analyse them.

    def configure(parser):
        add_input_options(parser, "anova.csv and anova.md")   # --db --reading --profile --out
    def execute(args):
        ok, reading, profile = load_input(args)               # UsageError for bad input
        out = prepare_out_dir(args.out)

``--db`` is a results store or a ``runs.csv.gz`` (only read; given several
times, their runs together); ``--reading``, ``--profile`` and ``--replicates``
select its runs (`reproduce.readings.select`); ``--out`` is the folder the
command writes to.
"""
import shlex

from reproduce import runs_csv
from reproduce.cli import RELATIVE_PATHS, REPLICATES_HELP, UsageError, replicates_option
from reproduce.commands.sweep import DEFAULT_DB
from reproduce.profiles import PROFILES, format_replicates, get_profile
from reproduce.readings import STATED, get_reading, select
from reproduce.store import StoreError


def add_db_option(parser, what="a results store or a runs.csv.gz"):
    """``--db PATH``, repeatable (``args.db`` is a list; default ``[DEFAULT_DB]``)."""
    parser.add_argument("--db", action="append", default=None, metavar="PATH",
                        help=f"{what}; give it again to read several together "
                             f"(default {DEFAULT_DB}; {RELATIVE_PATHS})")


def db_paths(args):
    """The ``--db`` paths given (`add_db_option`), or the default."""
    return list(args.db) if args.db else [DEFAULT_DB]


def db_label(args):
    """The ``--db`` paths, for messages."""
    return ", ".join(db_paths(args))


def add_replicates_option(parser, default=(0,), what="only runs of these replicates"):
    """``--replicates R``: ``0``, ``0-4`` or ``0,2,3`` (`reproduce.profiles`)."""
    parser.add_argument("--replicates", type=replicates_option, default=default, metavar="R",
                        help=f"{what} (default {format_replicates(default)}): "
                             f"{REPLICATES_HELP}")


def add_input_options(parser, what):
    """``--db``, ``--reading``, ``--profile``, ``--replicates`` and ``--out`` (for
    `what` it writes)."""
    add_db_option(parser)
    parser.add_argument("--reading", default=STATED, metavar="NAME",
                        help="only runs of this reading of the protocol (default stated)")
    parser.add_argument("--profile", default=None, metavar="NAME",
                        help=f"only this profile's runs ({', '.join(PROFILES)}); default: all")
    add_replicates_option(parser)
    parser.add_argument("--out", default="results", metavar="DIR",
                        help=f"where to write {what} (default results/)")


def load_runs(args):
    """Every run of the ``--db`` paths together (a key read twice counts once)."""
    try:
        return runs_csv.load_all(db_paths(args))
    except (StoreError, ValueError) as exc:
        raise UsageError(str(exc)) from None


def load_input(args):
    """``(ok runs, reading, profile or None)`` of `add_input_options`' options;
    `UsageError` for a bad one or when no run is ``ok``."""
    try:
        reading = get_reading(args.reading)
        profile = get_profile(args.profile) if args.profile is not None else None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    runs = select(load_runs(args), reading, profile, args.replicates)
    ok = runs[(runs["status"] == "ok") & runs["test_error"].notna()]
    if ok.empty:
        raise UsageError(f"{db_label(args)} has no ok runs of reading {reading.name}"
                         + (f" and profile {profile.name}" if profile else "")
                         + replicates_text(args.replicates))
    return ok, reading, profile


def replicates_text(replicates):
    """`` in replicates 0-4`` (empty for the grid itself, replicate 0 alone)."""
    if tuple(replicates) == (0,):
        return ""
    word = "replicate" if len(replicates) == 1 else "replicates"
    return f" in {word} {format_replicates(replicates)}"


def made_by(command, args, reading, profile, extra=""):
    """The exact command line that made an output, for its Markdown."""
    replicates = ("" if tuple(args.replicates) == (0,)
                  else f" --replicates {format_replicates(args.replicates)}")
    return (f"`python -m reproduce {command} "
            + " ".join(f"--db {shlex.quote(p)}" for p in db_paths(args))
            + f" --reading {reading.name}"
            + (f" --profile {profile.name}" if profile else "") + replicates + extra
            + f" --out {shlex.quote(str(args.out))}`")
