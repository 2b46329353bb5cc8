"""``reproduce pages``: the results page, ``docs/results.md``, made from the committed results.

    reproduce pages                                   # --results results --out docs
    reproduce pages --check                           # exit 1 if docs/results.md is stale

Reads the results folder (each ``<profile>/<reading>/`` folder's ``table1.csv``,
``claims.csv``, ``anova.csv``, ``generalisation.csv``, ``noise_summary.csv``
and Markdown pages, and ``sensitivity/sensitivity.csv``) and writes
``<out>/results.md`` (`reproduce.analysis.pages`), whose links reach the
results folder from ``--out``.  Nothing is trained or recomputed from runs:
seconds.  With ``--check`` nothing is written: the exit status is 0 when
``<out>/results.md`` is what the command would write, else 1.
"""
import os
from pathlib import Path

from reproduce.analysis import pages
from reproduce.cli.main import command_line
from reproduce.cli.options import (
    RELATIVE_PATHS,
    UsageError,
    add_published_option,
    prepare_out_dir,
    published_table,
)


def configure(parser):
    parser.add_argument("--results", default="results", metavar="DIR",
                        help=f"the results folder (default results; {RELATIVE_PATHS})")
    parser.add_argument("--out", default="docs", metavar="DIR",
                        help=f"where to write {pages.PAGE} (default docs)")
    parser.add_argument("--check", action="store_true",
                        help=f"write nothing; exit 1 if <out>/{pages.PAGE} differs from what "
                             "the command makes")
    add_published_option(parser)


def execute(args):
    published = published_table(args)
    root, out = Path(args.results), Path(args.out)
    if not root.is_dir():
        raise UsageError(f"--results {root} is not a folder")
    made_by = command_line("pages", prog="reproduce", results=args.results, out=args.out)
    link = Path(os.path.relpath(root, out)).as_posix()
    try:
        text = pages.results_page(root, link, made_by, published)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    page = out / pages.PAGE
    if args.check:
        if page.is_file() and page.read_text() == text:
            print(f"{page} is up to date")
            return 0
        print(f"{page} differs from what `{made_by}` makes: run it", flush=True)
        return 1
    prepare_out_dir(out)
    partial = page.with_name(f".{page.name}.tmp")
    try:
        partial.write_text(text)
        partial.replace(page)                 # a failure leaves the old page as it was
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise UsageError(f"cannot write {page} ({exc.strerror or exc})") from None
    print(f"wrote {page}")
    return 0
