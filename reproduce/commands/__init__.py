"""The commands of the CLI, one module each (see :mod:`reproduce.cli`), and the checks of
where they write, shared by them.

Every command checks all it is given before it trains or writes anything: a
bad value ends it with a `reproduce.cli.UsageError` (one line, exit status 2)
and no file written.  Relative paths are relative to the current folder.
"""
import argparse
import os
from pathlib import Path

from reproduce.cli import UsageError


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
