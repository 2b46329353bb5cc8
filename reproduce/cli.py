"""The command line: ``reproduce <command> [options]`` (or ``python -m reproduce ...``).

Each command lives in its own module of :mod:`reproduce.commands`, which
provides ``configure(parser)`` (adds its options) and ``execute(args) -> int``
(the exit status).  Only the module of the command given is imported, so a
command whose module is broken cannot break the others (nor ``--help``).  Bad
options exit with status 2 and one line naming the command, what was wrong and
what is allowed; so does a :class:`UsageError` raised by a command (e.g. a file
that is not a results store), before the command writes anything.
"""
import argparse
import importlib
import sys

from checks import check_number, describe

# command name -> (module, one-line help)
COMMANDS = {
    "run": ("reproduce.commands.run", "train and evaluate one configuration"),
    "sweep": ("reproduce.commands.sweep", "run a grid profile into the results store, resumably"),
    "table1": ("reproduce.commands.table1", "Table I from the results store, beside the paper's"),
    "sensitivity": ("reproduce.commands.sensitivity",
                    "Table I's agreement with the paper under named readings of the protocol"),
    "claims": ("reproduce.commands.claims", "the paper's claims as verdicts over stored runs"),
    "anova": ("reproduce.commands.anova", "which factors of the grid drive the test error"),
    "generalise": ("reproduce.commands.generalise",
                   "do the best and median networks keep their error on longer sequences"),
    "curves": ("reproduce.commands.curves",
               "learning curves of a seeded sample of runs, retrained exactly"),
    "report": ("reproduce.commands.report", "one REPORT.md of a results folder, with figures"),
    "figure6": ("reproduce.commands.figure6", "train a network and draw its activity (Fig. 6)"),
    "patterns": ("reproduce.commands.patterns", "draw one example sequence per task (Figs. 1-5)"),
}

RELATIVE_PATHS = "relative paths are relative to the current folder"


class UsageError(Exception):
    """Bad input a command found after parsing; reported in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        # one line, naming what is allowed (argparse's own text does), status 2
        self.exit(2, f"{self.prog}: error: {message}\n")


class _Version(argparse.Action):
    """``--version``: the package version and ``git describe`` (run only when asked)."""

    def __init__(self, option_strings, dest, help=None):
        super().__init__(option_strings, dest, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        from reproduce import __version__, code_version
        print(f"reproduce {__version__} (git {code_version()})")
        parser.exit(0)


def build_parser(prog="reproduce", command=None):
    """The parser, with the options of `command` only (the others are listed, not imported).

    Returns ``(parser, {name: subparser})``.
    """
    parser = _Parser(prog=prog,
                     description="Reproduce 'How recurrent networks implement memory'.")
    parser.add_argument("--version", action=_Version,
                        help="print the package version and git describe, then exit")
    sub = parser.add_subparsers(dest="command", required=True, metavar="command",
                                parser_class=_Parser)
    commands = {}
    for name, (module, help_) in COMMANDS.items():
        commands[name] = cmd = sub.add_parser(name, help=help_, description=help_)
        if name == command:
            importlib.import_module(module).configure(cmd)
            cmd.set_defaults(_module=module)
    return parser, commands


def main(argv=None, prog="reproduce"):
    argv = sys.argv[1:] if argv is None else list(argv)
    # The top level takes only --help and --version, so the first other word is the command.
    command = next((word for word in argv if not word.startswith("-")), None)
    parser, commands = build_parser(prog, command if command in COMMANDS else None)
    args, unknown = parser.parse_known_args(argv)
    if unknown:   # reported by the command's own parser, under its name, if after it
        after = argv.index(unknown[0]) > argv.index(args.command)
        (commands[args.command] if after else parser).error(
            f"unrecognized arguments: {' '.join(unknown)}")
    try:
        return importlib.import_module(args._module).execute(args)
    except UsageError as exc:
        message = " ".join(line.strip() for line in str(exc).splitlines())
        print(f"{prog} {args.command}: error: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def number_option(kind=int, minimum=None, maximum=None, above=None):
    """An argparse type: the text as a `kind` that `checks.check_number` accepts."""
    allowed = describe(kind, minimum, maximum, above)

    def parse(text):
        try:
            return check_number("value", kind(text), kind, minimum, maximum, above)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {allowed}, got {text!r}") from None
    parse.__name__ = allowed
    return parse


def replicates_option(text):
    """An argparse type: the replicates ``0``, ``0-4`` or ``0,2,3`` name
    (`reproduce.profiles.parse_replicates`)."""
    from reproduce.profiles import parse_replicates
    try:
        return parse_replicates(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


REPLICATES_HELP = ("N, N-M or N,M,... (replicate r draws the data with seed r and shifts the "
                   "parameter seeds by r x the profile's number of seeds; 0 is the grid itself)")

positive_int = number_option(int, minimum=1)
non_negative_int = number_option(int, minimum=0)
positive_float = number_option(float, above=0)
