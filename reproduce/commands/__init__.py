"""The commands of the CLI, one module each (see :mod:`reproduce.cli`), and the checks
they share: the memory a training needs, where they write.

Every command checks all it is given before it trains or writes anything: a
bad value ends it with a `reproduce.cli.UsageError` (one line, exit status 2)
and no file written.  Relative paths are relative to the current folder.
"""
import argparse
import os
from pathlib import Path

from pybrain_ext.memory import available_memory, memory_estimate
from reproduce.cli import UsageError
from tasks.protocol import N_SEQUENCES, SEQUENCE_LENGTH


def check_memory(configs, engine):
    """Raise UsageError if training `configs` with `engine` would need more memory than
    is available now.

    From `pybrain_ext.memory.memory_estimate` of each architecture: one network
    at a time in PyBrain, up to ``reproduce.batching.BATCH_SIZE`` at once in the
    batched engine.  ``run`` and ``figure6``, which take sizes from a user, call
    it before they build anything (the estimate is generous, so the sweeps of
    the grid's sizes do not).
    """
    available = available_memory()
    if available is None:
        return
    from reproduce.batching import BATCH_SIZE
    groups = {}
    for config in configs:
        groups[config.architecture] = groups.get(config.architecture, 0) + 1
    for (cell, layers, hidden, _skip, indim, outdim), count in groups.items():
        networks = 1 if engine == "pybrain" else min(count, BATCH_SIZE)
        needed = memory_estimate(cell, layers, hidden, indim, outdim, N_SEQUENCES,
                                 SEQUENCE_LENGTH, networks)
        if needed > available:
            raise UsageError(
                f"{cell} L{layers} H{hidden} with k={indim} needs about "
                f"{needed / 2**30:,.1f} GiB of memory to train ({networks} network"
                f"{'s' if networks > 1 else ''} at once, {engine} engine); "
                f"{available / 2**30:,.1f} GiB are available: use fewer layers, hidden "
                "units or symbols")


def prepare_out_dir(path, option="--out"):
    """Create the output folder `path` and any missing parents; return it as a Path.

    Call it after every other check and before any training, so that a folder
    that cannot be made (a file in the way, no permission, ``/proc/x``) ends
    the command before it does any work.  Nothing is left behind on failure.

    Raises
    ------
    UsageError
        Saying which path is in the way or why the folder cannot be made.
    """
    path = Path(path)
    missing, existing = [], path
    while not existing.exists() and existing != existing.parent:
        missing.append(existing)              # deepest first
        existing = existing.parent
    if not existing.is_dir():
        if existing == path:
            raise UsageError(f"{option} {path} is a file, not a folder")
        raise UsageError(f"{option} {path}: cannot create the folder, {existing} is not a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
        if not os.access(path, os.W_OK | os.X_OK):
            raise PermissionError(13, "Permission denied")
    except OSError as exc:
        for folder in missing:                # remove what this call made, deepest first
            try:
                folder.rmdir()
            except OSError:
                pass
        raise UsageError(f"{option} {path}: cannot create or write the folder "
                         f"({exc.strerror or exc})") from None
    return path


def file_name(text):
    """An argparse type: `text` if it is a plain file name (no folder, not ``.`` or ``..``)."""
    separators = {os.sep, os.altsep} - {None}
    if not text or text in (".", "..") or "\0" in text or any(s in text for s in separators):
        raise argparse.ArgumentTypeError(
            f"expected a file name without a folder (the files go in --out), got {text!r}")
    return text


def add_published_option(parser):
    """``--published CSV``: the published Table I to compare with (see `published_table`)."""
    from reproduce import table1
    parser.add_argument("--published", default=None, metavar="CSV",
                        help="the published Table I to compare with, a CSV of the columns "
                             f"{', '.join(table1.PUBLISHED_COLUMNS)} (default: the paper's, "
                             "shipped with the package)")


def published_table(args):
    """The table ``--published`` names (`reproduce.table1.load_published`); UsageError
    saying why it cannot be read."""
    from reproduce import table1
    try:
        return table1.load_published(args.published)
    except ValueError as exc:
        raise UsageError(f"--published: {exc}") from None
