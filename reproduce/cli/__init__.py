"""The command line: ``reproduce <command> [options]`` (or ``python -m reproduce ...``).

`main` parses and dispatches (`reproduce.cli.main`); each command is one module of
`reproduce.cli.commands`; what they share is `reproduce.cli.options`.
"""
from reproduce.cli.main import main

__all__ = ["main"]
