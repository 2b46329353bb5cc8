"""The command line: ``reproduce <command> [options]`` (or ``python -m reproduce ...``).

Each command lives in its own module of :mod:`reproduce.cli.commands`, which
provides ``configure(parser)`` (adds its options) and ``execute(args) -> int``
(the exit status).  Only the module of the command given is imported, so a
command whose module is broken cannot break the others (nor ``--help``).  Bad
options exit with status 2 and one line naming the command, what was wrong and
what is allowed; so does a :class:`UsageError` raised by a command (e.g. a file
that is not a results store), before the command writes anything.  An OSError or
SQLite error that a path, a permission, a full disk or a long name causes while
a command works is one line too, with status 2 (outputs are replaced only once
written whole, so the old ones stay); a command that has already stored work
(``sweep``) catches it itself and exits with status 1.
"""
import argparse
import importlib
import shlex
import sqlite3
import sys

from reproduce.cli.options import UsageError, os_error_text

# command name -> (module, one-line help)
COMMANDS = {
    "run": ("reproduce.cli.commands.run", "train and evaluate one configuration"),
    "sweep": ("reproduce.cli.commands.sweep",
              "run a grid profile into the results store, resumably"),
    "table1": ("reproduce.cli.commands.table1",
               "Table I from the results store, beside the paper's"),
    "sensitivity": ("reproduce.cli.commands.sensitivity",
                    "Table I's agreement with the paper under named readings of the protocol"),
    "claims": ("reproduce.cli.commands.claims", "the paper's claims as verdicts over stored runs"),
    "noise": ("reproduce.cli.commands.noise",
              "the noise floor of Table I from replicates, and the published table against it"),
    "claims-summary": ("reproduce.cli.commands.claims_summary",
                       "the claims' verdicts across the readings of a results folder"),
    "mechanisms": ("reproduce.cli.commands.mechanisms",
                   "Figure 6's mechanisms measured over retrained solved networks"),
    "anova": ("reproduce.cli.commands.anova", "which factors of the grid drive the test error"),
    "generalise": ("reproduce.cli.commands.generalise",
                   "do the best and median networks keep their error on longer sequences"),
    "curves": ("reproduce.cli.commands.curves",
               "learning curves of a seeded sample of runs, retrained exactly"),
    "report": ("reproduce.cli.commands.report", "one REPORT.md of a results folder, with figures"),
    "figure6": ("reproduce.cli.commands.figure6", "train a network and draw its activity (Fig. 6)"),
    "patterns": ("reproduce.cli.commands.patterns",
                 "draw one example sequence per task (Figs. 1-5)"),
    "pages": ("reproduce.cli.commands.pages",
              "docs/results.md, every number made from the committed results"),
}

# How the command lines a command prints or writes (e.g. in a REPORT.md) start.
MODULE_PROG = "python -m reproduce"


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
    except (OSError, sqlite3.OperationalError) as exc:
        print(f"{prog} {args.command}: error: {os_error_text(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def command_line(command, prog=MODULE_PROG, **options):
    """The shell command line that runs `command` with `options`, from the CLI's own parser.

    Each keyword is an option's destination (``db``, ``reading``, ``out``, ...)
    and is written with the option string the command's parser defines for it,
    in the order given; a list is the option repeated, True a flag, None or
    False leaves the option out.  Values are quoted for the shell.

        command_line("claims", db=["r/runs.csv.gz"], reading="stated", out="r")
        # 'python -m reproduce claims --db r/runs.csv.gz --reading stated --out r'

    Raises
    ------
    ValueError
        If `command` is not one of `COMMANDS`, has no option for a keyword, or
        lacks a required option.
    """
    if command not in COMMANDS:
        raise ValueError(f"no command {command!r}; the commands are {', '.join(COMMANDS)}")
    _, parsers = build_parser(command=command)
    actions = {action.dest: action for action in parsers[command]._actions
               if action.option_strings}
    words = [prog, command]
    for dest, value in options.items():
        if dest not in actions:
            raise ValueError(f"{command} has no option for {dest!r}")
        option = max(actions[dest].option_strings, key=len)       # the long form
        if value is None or value is False:
            continue
        if value is True:
            words.append(option)
            continue
        for item in (value if isinstance(value, (list, tuple)) else [value]):
            words += [option, shlex.quote(str(item))]
    missing = [max(a.option_strings, key=len) for dest, a in actions.items()
               if a.required and options.get(dest) in (None, False)]
    if missing:
        raise ValueError(f"{command} needs {', '.join(missing)}")
    return " ".join(words)
