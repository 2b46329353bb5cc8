"""What the commands share: their options, the checks of what they are given, and where
they write (`reproduce.cli.commands`, one module a command).

Every command checks all it is given before it trains or writes anything: a bad
value ends it with a `UsageError` (one line, exit status 2) and no file
written.  Relative paths are relative to the current folder.

The commands that analyse stored runs share `add_input_options`::

    def configure(parser):
        add_input_options(parser, "anova.csv and anova.md")   # --db --reading --profile ...
    def execute(args):
        ok, reading, profile = load_input(args)               # UsageError for bad input
        out = check_out_dir(args.out, names=["anova.csv", ...])

``--db`` is a results store or a ``runs.csv.gz`` (only read; given several
times, their runs together); ``--reading``, ``--profile`` and ``--replicates``
select its runs (`reproduce.store.selection.select`); ``--out`` is the folder
the command writes to.
"""
import argparse
import errno
import os
import shlex
from pathlib import Path

from pybrain_ext.checks import check_number, describe

DEFAULT_DB = "results/runs.sqlite"    # the results store a command reads or writes by default
RELATIVE_PATHS = "relative paths are relative to the current folder"



class UsageError(Exception):
    """Bad input a command found after parsing; reported in one line, exit status 2."""



def number_option(kind=int, minimum=None, maximum=None, above=None):
    """An argparse type: the text as a `kind` that `pybrain_ext.checks.check_number` accepts."""
    allowed = describe(kind, minimum, maximum, above)

    def parse(text):
        try:
            return check_number("value", kind(text), kind, minimum, maximum, above)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {allowed}, got {text!r}") from None
    parse.__name__ = allowed
    return parse


def replicates_option(text):
    """An argparse type: the replicates ``0``, ``0-4`` or ``0,2,3`` name
    (`reproduce.experiment.profiles.parse_replicates`)."""
    from reproduce.experiment.profiles import parse_replicates
    try:
        return parse_replicates(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def replicates_or_all_option(text):
    """As `replicates_option`, or ``all`` (None: every replicate the runs hold)."""
    return None if str(text).strip() == "all" else replicates_option(text)


REPLICATES_HELP = ("N, N-M or N,M,... (replicate r draws the data with seed r and shifts the "
                   "parameter seeds by r x the profile's number of seeds; 0 is the grid itself)")

positive_int = number_option(int, minimum=1)
non_negative_int = number_option(int, minimum=0)
positive_float = number_option(float, above=0)


def check_memory(configs, engine):
    """Raise UsageError if training `configs` with `engine` would need more memory than
    is available now.

    From `pybrain_ext.memory.memory_estimate` of each architecture: one network
    at a time in PyBrain, up to ``reproduce.experiment.batching.BATCH_SIZE`` at once in the
    batched engine.  ``run`` and ``figure6``, which take sizes from a user, call
    it before they build anything (the estimate is generous, so the sweeps of
    the grid's sizes do not).
    """
    from pybrain_ext.memory import available_memory
    from reproduce.experiment.batching import BATCH_SIZE
    from reproduce.experiment.workers import batch_memory
    available = available_memory()
    if available is None:
        return
    for (cell, layers, hidden, _skip, indim, _), networks, needed in batch_memory(
            configs, engine, BATCH_SIZE):
        if needed > available:
            raise UsageError(
                f"{cell} L{layers} H{hidden} with k={indim} needs about "
                f"{needed / 2**30:,.1f} GiB of memory to train ({networks} network"
                f"{'s' if networks > 1 else ''} at once, {engine} engine); "
                f"{available / 2**30:,.1f} GiB are available: use fewer layers, hidden "
                "units or symbols")


def check_out_dir(path, option="--out", names=()):
    """`path` as a Path, once it is certain that the folder can be made (if missing) and
    that files called `names` can be written in it; nothing is left behind.

    Call it after every other check and before any training: a folder that
    cannot be made or written (a file in the way, no permission, a read-only
    mount, ``/proc/x``, a name too long) ends the command before it does any
    work.  The folder itself is made when the first output is written
    (`reproduce.store.files.replacing`), so a command that fails later leaves
    no empty folder.

    Raises
    ------
    UsageError
        Saying which path is in the way or why the folder cannot be written.
    """
    from reproduce.store.files import check_writable
    path = Path(path)
    try:
        existing = path
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        if not existing.is_dir():
            if existing == path:
                raise UsageError(f"{option} {path} is a file, not a folder")
            raise UsageError(f"{option} {path}: cannot create the folder, {existing} is not "
                             "a folder")
        check_writable(path, names)
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            what = ("" if exc.filename in (None, str(path))
                    else f"cannot write {shorten(exc.filename)}: ")
            raise UsageError(f"{option} {shorten(path)}: {what}the name is longer than the "
                             "file system allows") from None
        raise UsageError(f"{option} {shorten(path)}: cannot create or write the folder "
                         f"({exc.strerror or exc})") from None
    return path


def shorten(path, width=80):
    """`path` as text, its middle left out if it is longer than `width` characters."""
    text = str(path)
    if len(text) <= width:
        return text
    return f"{text[:width // 2 - 1]}...{text[-(width // 2 - 2):]}"


def os_error_text(exc):
    """One line for an OSError or an SQLite error (the path, if any, shortened)."""
    import sqlite3
    if isinstance(exc, sqlite3.Error):
        return f"the results store: {exc}"
    where = f"{shorten(exc.filename)}: " if getattr(exc, "filename", None) else ""
    return where + (exc.strerror or str(exc)).rstrip(".")


def file_name(text):
    """An argparse type: `text` if it is a plain file name (no folder, not ``.`` or ``..``)."""
    separators = {os.sep, os.altsep} - {None}
    if not text or text in (".", "..") or "\0" in text or any(s in text for s in separators):
        raise argparse.ArgumentTypeError(
            f"expected a file name without a folder (the files go in --out), got {text!r}")
    return text


def add_published_option(parser):
    """``--published CSV``: the published Table I to compare with (see `published_table`)."""
    from reproduce.analysis import table1
    parser.add_argument("--published", default=None, metavar="CSV",
                        help="the published Table I to compare with, a CSV of the columns "
                             f"{', '.join(table1.PUBLISHED_COLUMNS)} (default: the paper's, "
                             "shipped with the package)")


def published_table(args):
    """The table ``--published`` names (`reproduce.analysis.table1.load_published`); UsageError
    saying why it cannot be read."""
    from reproduce.analysis import table1
    try:
        return table1.load_published(args.published)
    except ValueError as exc:
        raise UsageError(f"--published: {exc}") from None


def add_execution_options(parser):
    """Where and how a sweep runs: ``--workers``/``--scheduler``, ``--engine``,
    ``--batch-size``, ``--connect-timeout``, ``--no-progress`` (sweep, sensitivity;
    `reproduce.cli.workflows.execution_of` reads them)."""
    from reproduce.experiment.batching import BATCH_SIZE
    from reproduce.experiment.config import ENGINES
    from reproduce.experiment.workers import CONNECT_TIMEOUT_S
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--workers", type=positive_int, default=None, metavar="N",
                       help="local worker processes (default and most: one per CPU, as "
                            "many as the memory holds)")
    where.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                       help="run on the Dask cluster of this scheduler instead")
    parser.add_argument("--engine", default="batched", choices=ENGINES,
                        help="training engine (default batched)")
    parser.add_argument("--batch-size", type=positive_int, default=None, metavar="N",
                        help=f"at most N runs per batch (default {BATCH_SIZE})")
    parser.add_argument("--connect-timeout", type=positive_float, default=CONNECT_TIMEOUT_S,
                        metavar="S", help=f"seconds to wait for the scheduler "
                                          f"(default {CONNECT_TIMEOUT_S})")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


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


def add_replicates_option(parser, default=(0,), what="only runs of these replicates",
                          allow_all=False):
    """``--replicates R``: ``0``, ``0-4`` or ``0,2,3`` (`reproduce.experiment.profiles`); with
    `allow_all`, also ``all`` (every replicate the runs hold: ``args.replicates`` None)."""
    from reproduce.experiment.profiles import format_replicates
    shown = "every replicate the runs hold" if default is None else format_replicates(default)
    parser.add_argument("--replicates", type=replicates_or_all_option if allow_all
                        else replicates_option, default=default, metavar="R",
                        help=f"{what} (default {shown}): {REPLICATES_HELP}"
                             + ("; all: every replicate the runs hold" if allow_all else ""))


def add_input_options(parser, what, replicates=(0,), all_replicates=False):
    """``--db``, ``--reading``, ``--profile``, ``--replicates`` (default `replicates`;
    None: every replicate; with `all_replicates`, it may be ``all``) and ``--out`` (for
    `what` it writes)."""
    from reproduce.experiment.profiles import PROFILES
    from reproduce.experiment.readings import STATED
    add_db_option(parser)
    parser.add_argument("--reading", default=STATED, metavar="NAME",
                        help="only runs of this reading of the protocol (default stated)")
    parser.add_argument("--profile", default=None, metavar="NAME",
                        help=f"only this profile's runs ({', '.join(PROFILES)}); default: all")
    add_replicates_option(parser, default=replicates, allow_all=all_replicates)
    parser.add_argument("--out", default="results", metavar="DIR",
                        help=f"where to write {what} (default results/)")


def load_runs(args):
    """Every run of the ``--db`` paths together (a key read twice counts once)."""
    from reproduce.store import runs_csv
    from reproduce.store.database import StoreError
    try:
        return runs_csv.load_all(db_paths(args))
    except (StoreError, ValueError) as exc:
        raise UsageError(str(exc)) from None


def load_input(args):
    """``(ok runs, reading, profile or None)`` of `add_input_options`' options;
    `UsageError` for a bad one or when no run is ``ok`` (`select_runs`)."""
    from reproduce.experiment.profiles import get_profile
    from reproduce.experiment.readings import get_reading
    from reproduce.store.selection import ok_runs
    try:
        reading = get_reading(args.reading)
        profile = get_profile(args.profile) if args.profile is not None else None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    runs = select_runs(load_runs(args), reading, profile, args.replicates, db_label(args))
    return ok_runs(runs), reading, profile


def select_runs(runs, reading, profile, replicates, label):
    """`reproduce.store.selection.select` of `runs`; `UsageError` when it has no ``ok`` run,
    saying what `runs` (read from `label`) hold and which options would select it, e.g.
    ``... holds 7,200 runs of var0.09+cap25; pass --reading var0.09+cap25``."""
    from reproduce.experiment.profiles import format_replicates
    from reproduce.store.selection import holdings, ok_runs, select
    chosen = select(runs, reading, profile, replicates)
    if not ok_runs(chosen).empty:
        return chosen
    asked = (f"reading {reading.name}" + (f" and profile {profile.name}" if profile else "")
             + replicates_text(replicates))
    held = holdings(runs)
    if not held:
        failed = int((runs["status"] == "failed").sum()) if "status" in runs else 0
        raise UsageError(f"{label} has no ok runs of {asked}: it holds no ok runs at all"
                         + (f" ({failed:,} failed)" if failed else "")
                         + " (an empty store, or a sweep stopped before its first batch)")
    parts = []
    for n, name, held_profile, held_replicates in held[:3]:
        where = [f"profile {held_profile}"] if held_profile else []
        if tuple(held_replicates) != (0,):
            where.append(f"replicates {format_replicates(held_replicates)}")
        parts.append(f"{n:,} runs of {name}" + (f" ({', '.join(where)})" if where else ""))
    if len(held) > 3:
        parts.append(f"{sum(n for n, *_ in held[3:]):,} runs of {len(held) - 3} more")
    _, name, held_profile, held_replicates = held[0]
    hint = []
    if name != reading.name:
        hint.append(f"--reading {name}")
    if profile is not None and held_profile and held_profile != profile.name:
        hint.append(f"--profile {held_profile}")
    if not set(held_replicates) & set(replicates):
        hint.append(f"--replicates {format_replicates(held_replicates)}")
    advice = (f"; pass {' '.join(hint)}" if hint else
              f"; none of them is of profile {profile.name} (leave out --profile to take "
              "every run)" if profile is not None and held_profile is None else "")
    raise UsageError(f"{label} has no ok runs of {asked}; it holds {', '.join(parts)}"
                     + advice)


def replicates_text(replicates):
    """`` in replicates 0-4`` (empty for the grid itself, replicate 0 alone, or for every
    replicate: None)."""
    from reproduce.experiment.profiles import format_replicates
    if replicates is None or tuple(replicates) == (0,):
        return ""
    word = "replicate" if len(replicates) == 1 else "replicates"
    return f" in {word} {format_replicates(replicates)}"


def made_by(command, args, reading, profile, extra=""):
    """The exact command line that made an output, for its Markdown."""
    from reproduce.experiment.profiles import format_replicates
    replicates = (" --replicates all" if args.replicates is None
                  else "" if tuple(args.replicates) == (0,)
                  else f" --replicates {format_replicates(args.replicates)}")
    return (f"`python -m reproduce {command} "
            + " ".join(f"--db {shlex.quote(p)}" for p in db_paths(args))
            + f" --reading {reading.name}"
            + (f" --profile {profile.name}" if profile else "") + replicates + extra
            + f" --out {shlex.quote(str(args.out))}`")
