"""Writing outputs so that a failure leaves the previous files as they were.

Every file a command writes (tables, runs, claims, plots, reports, figures) is
written to a temporary file in the same folder and renamed over the old one
only once it is complete: a full disk, a killed process or an error half-way
leaves the old file, never a truncated one.  Several files that belong
together are renamed only when all of them are written::

    with together():                           # all or none of them
        with replacing(out / "table1.csv") as tmp:
            frame.to_csv(tmp)                  # any writer that takes a path
        write_text(out / "table1.md", text)

`replacing` yields the temporary path, which ends in the final name (so that
matplotlib, pandas and numpy infer the format from it) and starts with a dot
(so a leftover of a killed process is hidden and named after its target).  A
folder that does not exist yet is made, and removed again if nothing was
written into it.
"""
import contextlib
import contextvars
import os
import secrets
from pathlib import Path

TEMPORARY_PREFIX_LENGTH = 10      # ".<8 hex>~" before the final name

_pending = contextvars.ContextVar("pending_replacements", default=None)


class _Group:
    """Files written but not yet renamed into place, and the folders made for them."""

    def __init__(self):
        self.files = []          # (temporary, final)
        self.folders = []        # made by us, deepest last

    def discard(self):
        for temporary, _ in self.files:
            _remove(temporary)
        for folder in reversed(self.folders):
            try:
                folder.rmdir()
            except OSError:
                pass

    def commit(self):
        for temporary, final in self.files:
            os.replace(temporary, final)


def _remove(path):
    try:
        os.unlink(path)
    except OSError:
        pass


def _make_folders(folder, group):
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir()
        group.folders.append(path)


def temporary_name(name):
    """The name of the temporary file that will replace `name`."""
    return f".{secrets.token_hex(4)}~{name}"


@contextlib.contextmanager
def together():
    """Inside this block, the files `replacing` writes replace theirs only when the whole
    block ends without an exception; otherwise every one of them is removed (and any
    folder made for them).  Nested blocks join the outermost one."""
    if _pending.get() is not None:
        yield
        return
    group = _Group()
    token = _pending.set(group)
    try:
        yield
    except BaseException:
        group.discard()
        raise
    finally:
        _pending.reset(token)
    try:
        group.commit()
    except BaseException:
        group.discard()
        raise


@contextlib.contextmanager
def replacing(path):
    """Yield a temporary path beside `path` to write the new file to; when the block ends
    without an exception, that file replaces `path` (at once, or at the end of the
    enclosing `together` block).  On an exception it is removed and `path` is left as
    it was."""
    path = Path(path)
    with together():
        group = _pending.get()
        _make_folders(path.parent, group)
        temporary = path.with_name(temporary_name(path.name))
        group.files.append((temporary, path))
        try:
            yield temporary
            _sync(temporary)
        except BaseException:      # even if a caller goes on: this file is not complete
            group.files.remove((temporary, path))
            _remove(temporary)
            raise


def _sync(path):
    """Flush `path` to the disk, so that the rename never exposes an incomplete file."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def check_writable(folder, names=()):
    """Raise OSError (naming the path) unless files called `names` (default: one probe)
    can be created in `folder`, making its missing parents; leaves nothing behind.

    A real creation is the only reliable test: it sees read-only mounts, access
    lists, ``/proc``, names longer than the file system takes, and what ``root``
    may not do, where ``os.access`` does not.
    """
    folder = Path(folder)
    made = []
    try:
        missing, existing = [], folder
        while not existing.exists() and existing != existing.parent:
            missing.append(existing)
            existing = existing.parent
        for path in reversed(missing):
            path.mkdir()
            made.append(path)
        for name in names or ("probe",):
            probe = folder / temporary_name(name)
            try:
                os.close(os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            except OSError as exc:      # named after the file meant, not the probe
                raise OSError(exc.errno, exc.strerror, str(folder / name if names else folder)) \
                    from None
            os.unlink(probe)
    finally:
        for path in reversed(made):
            try:
                path.rmdir()
            except OSError:
                pass


def write_text(path, text):
    """Write `text` to `path` (UTF-8) through `replacing`."""
    with replacing(path) as temporary:
        temporary.write_text(text, encoding="utf-8")


def save_figure(fig, path, **options):
    """``fig.savefig`` to `path` through `replacing` (the format from its suffix)."""
    with replacing(path) as temporary:
        fig.savefig(temporary, **options)
