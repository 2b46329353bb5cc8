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
    or ``'unknown'`` (not a git checkout, or no git)."""
    if not (SOURCE_ROOT / ".git").exists():
        return "unknown"
    try:
        out = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=SOURCE_ROOT,
                             capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else "unknown"
