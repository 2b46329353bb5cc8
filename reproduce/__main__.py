"""``python -m reproduce <command> ...``, the same as ``reproduce <command> ...``."""
import sys

from reproduce.cli.main import MODULE_PROG, main

sys.exit(main(prog=MODULE_PROG))
