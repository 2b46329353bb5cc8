"""The command line: ``python -m reproduce <command> [options]``.

Each command lives in its own module of this package, which provides
``configure(parser)`` (adds its options) and ``execute(args) -> int`` (the exit
status).  Bad options exit with status 2 and a one-line message; so does a
:class:`UsageError` raised by a command (e.g. a file that is not a results
store).
"""
import argparse
import importlib
import sys

# command name -> (module, one-line help)
COMMANDS = {
    "run": ("reproduce.run_command", "train and evaluate one configuration"),
    "sweep": ("reproduce.sweep_command", "run a grid profile into the results store, resumably"),
    "table1": ("reproduce.table1_command", "Table I from the results store, beside the paper's"),
    "sensitivity": ("reproduce.sensitivity_command",
                    "Table I's agreement with the paper under named readings of the protocol"),
    "claims": ("reproduce.claims_command", "the paper's claims as verdicts over stored runs"),
    "anova": ("reproduce.anova_command", "which factors of the grid drive the test error"),
    "generalise": ("reproduce.generalise_command",
                   "do the best and median networks keep their error on longer sequences"),
    "report": ("reproduce.report_command", "one REPORT.md of a results folder, with figures"),
    "figure6": ("reproduce.figure_command", "train a network and draw its activity (Fig. 6)"),
    "patterns": ("reproduce.patterns_command", "draw one example sequence per task (Figs. 1-5)"),
}


class UsageError(Exception):
    """Bad input a command found after parsing; reported in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        # one line, naming what is allowed (argparse's own text does), status 2
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser():
    parser = _Parser(prog="python -m reproduce",
                     description="Reproduce 'How recurrent networks implement memory'.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="command",
                                parser_class=_Parser)
    for name, (module, help_) in COMMANDS.items():
        cmd = sub.add_parser(name, help=help_, description=help_)
        importlib.import_module(module).configure(cmd)
        cmd.set_defaults(_module=module)
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return importlib.import_module(args._module).execute(args)
    except UsageError as exc:
        print(f"python -m reproduce {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _argument_type(convert, accept, expected):
    """An argparse type: ``convert(text)`` if that works and ``accept``s it."""
    def parse(text):
        try:
            value = convert(text)
        except ValueError:
            value = None
        if value is None or not accept(value):
            raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}")
        return value
    parse.__name__ = expected
    return parse


positive_int = _argument_type(int, lambda v: v >= 1, "a positive integer")
non_negative_int = _argument_type(int, lambda v: v >= 0, "an integer >= 0")
positive_float = _argument_type(float, lambda v: 0 < v < float("inf"), "a positive number")
