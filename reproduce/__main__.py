"""``python -m reproduce <command> ...``, the same as ``reproduce <command> ...``."""
import sys

from reproduce.cli import main

sys.exit(main(prog="python -m reproduce"))
