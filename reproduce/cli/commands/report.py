"""``python -m reproduce report``: one ``REPORT.md`` of a results folder, with its figures.

    python -m reproduce report --results results/paper/stated
    python -m reproduce report --results results/quick/var0.01

Reads ``<results>/runs.csv.gz`` and what the other commands wrote beside it
(``claims.csv``, ``anova.csv``, ``generalisation.csv``, ``curves.csv.gz``,
``figures/``) and writes ``<results>/REPORT.md`` with its figures
(`reproduce.analysis.report`): Table I against the published one (heat map and
scatter), the claims, the ANOVA shares, the generalisation plot, the learning
curves, Figure 6 and its GRU companion, and the command behind each part.  It
computes none of the other commands' parts: a missing one is named, in the
report and on stdout, with the command that makes it.  Trains nothing: seconds.
The reading and profile default to the folder's name and its parent's
(``results/<profile>/<reading>``).  The command lines come from the CLI's own
definitions (`reproduce.cli.main.command_line`).
"""
from pathlib import Path

from reproduce.analysis import report
from reproduce.cli.main import command_line
from reproduce.cli.options import (
    RELATIVE_PATHS,
    UsageError,
    add_published_option,
    check_out_dir,
    published_table,
    select_runs,
)
from reproduce.experiment.profiles import PROFILES, get_profile
from reproduce.experiment.readings import STATED, get_reading
from reproduce.store import runs_csv
from reproduce.store.database import StoreError
from reproduce.store.files import together, write_text


def configure(parser):
    parser.add_argument("--results", required=True, metavar="DIR",
                        help="a results folder holding runs.csv.gz, e.g. results/paper/stated "
                             f"({RELATIVE_PATHS})")
    parser.add_argument("--reading", default=None, metavar="NAME",
                        help="only runs of this reading (default: the folder's name if it "
                             "names a reading, else stated)")
    parser.add_argument("--profile", default=None, metavar="NAME",
                        help=f"only this profile's runs ({', '.join(PROFILES)}; default: the "
                             "parent folder's name if it names one, else all runs)")
    add_published_option(parser)


def _named(get, name):
    try:
        return get(name)
    except ValueError:
        return None


def part_commands(directory, reading, profile):
    """The command line that makes each part of the report of `directory`, by part name
    (`reproduce.analysis.report.PARTS`, ``report`` and ``table1``)."""
    select = {"db": [f"{directory}/runs.csv.gz"], "reading": reading.name,
              "profile": profile.name if profile else None}
    made = {"report": command_line("report", results=str(directory))}
    for name in ("table1", "claims", "anova", "generalise", "curves"):
        made[name] = command_line(name, **select, out=str(directory))
    made["noise"] = command_line("noise", **select, judge=str(directory.parent),
                                 out=str(directory))
    for stem, (_, options) in report.FIGURES.items():
        made[stem] = command_line("figure6", reading=reading.name, **options,
                                  out=f"{directory}/figures")
    return made


def execute(args):
    published = published_table(args)
    directory = Path(args.results)
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"--results {directory} is a file, not a results folder")
    if not (directory / "runs.csv.gz").is_file():
        raise UsageError(f"{directory / 'runs.csv.gz'} does not exist (--results names a "
                         "folder that table1 or sensitivity wrote)")
    try:
        reading = get_reading(args.reading) if args.reading else (
            _named(get_reading, directory.name) or get_reading(STATED))
        profile = get_profile(args.profile) if args.profile else _named(
            get_profile, directory.parent.name)
        made = part_commands(directory, reading, profile)
        runs = runs_csv.load(directory / "runs.csv.gz")
    except (StoreError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    select_runs(runs, reading, profile, (0,), str(directory / "runs.csv.gz"))
    check_out_dir(directory, "--results", names=report.FILES)
    try:
        with together():    # the report and its figures change together or not at all
            text = report.build(directory, reading, made, profile, published, runs=runs)
            write_text(directory / "REPORT.md", text)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    print(f"wrote {directory / 'REPORT.md'}")
    for name in report.missing(directory):
        print(f"missing {directory / report.PARTS[name]}; make it with: {made[name]}")
    return 0
