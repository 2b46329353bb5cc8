"""``python -m reproduce report``: one ``REPORT.md`` of a results folder, with its figures.

    python -m reproduce report --results results/paper/stated
    python -m reproduce report --results results/quick/var0.01

Reads ``<results>/runs.csv.gz`` and what the other commands wrote beside it
(``claims.csv``, ``anova.csv``, ``generalisation.csv``, ``figures/``) and writes
``<results>/REPORT.md`` with its figures (`reproduce.analysis.report`): Table I against
the published one (heat map and scatter), the claims, the ANOVA shares, the
generalisation plot, Figure 6 and its GRU companion, and the command behind
each part.  Trains nothing: seconds.  The reading and profile default to the
folder's name and its parent's (``results/<profile>/<reading>``).
"""
from pathlib import Path

from reproduce.analysis import report
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
        runs = runs_csv.load(directory / "runs.csv.gz")
    except (StoreError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    select_runs(runs, reading, profile, (0,), str(directory / "runs.csv.gz"))
    check_out_dir(directory, "--results", names=report.FILES)
    try:
        with together():    # the report and its figures change together or not at all
            text = report.build(directory, reading, profile, published, runs=runs)
            write_text(directory / "REPORT.md", text)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    print(f"wrote {directory / 'REPORT.md'}")
    return 0
