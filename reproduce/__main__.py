"""``python -m reproduce <command> ...``; see ``python -m reproduce --help``."""
import sys

from reproduce.cli import main

sys.exit(main())
