"""What a user runs: the CLI, grids, sweep, results store, Table I and figures.

``reproduce --help`` (or ``python -m reproduce --help``) lists the commands;
``reproduce --version`` prints `__version__` and `code_version`.
"""
import subprocess
from pathlib import Path

__version__ = "1.0.0"

# The checkout this package is imported from (an editable install imports it from there).
SOURCE_ROOT = Path(__file__).resolve().parent.parent


def code_version():
    """``git describe --always --dirty`` of the checkout this package is imported from,
    or ``'unknown'`` (not a git checkout, or no git).

    ``--no-optional-locks``: git would otherwise refresh the checkout's index under
    ``index.lock``, which a sweep killed meanwhile (``kill -9`` of its process group)
    leaves behind, and the user's next ``git commit`` fails.
    """
    if not (SOURCE_ROOT / ".git").exists():
        return "unknown"
    try:
        out = subprocess.run(["git", "--no-optional-locks", "describe", "--always", "--dirty"],
                             cwd=SOURCE_ROOT, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else "unknown"
