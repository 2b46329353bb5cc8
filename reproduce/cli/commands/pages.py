"""``reproduce pages``: the results page, ``docs/results.md``, made from the committed results.

    reproduce pages                                   # --results results --out docs
    reproduce pages --check                           # exit 1 if docs/results.md is stale

It also rewrites the block of ``--readme`` (README.md) between the markers
``pages.README_BEGIN`` and ``README_END``: the verdict against the noise floor.
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
    check_out_dir,
    published_table,
)
from reproduce.store.files import together, write_text


def configure(parser):
    parser.add_argument("--results", default="results", metavar="DIR",
                        help=f"the results folder (default results; {RELATIVE_PATHS})")
    parser.add_argument("--out", default="docs", metavar="DIR",
                        help=f"where to write {pages.PAGE} (default docs)")
    parser.add_argument("--readme", default=None, metavar="PATH",
                        help="the README whose noise-floor verdict block is rewritten "
                             "(default: the README.md beside --results, if there is one; "
                             "'-' for none)")
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
    wanted = {page: text}
    beside = root.resolve().parent / "README.md"      # the README of the results' checkout
    readme = (Path(args.readme) if args.readme not in (None, "-")
              else beside if args.readme is None and beside.is_file() else None)
    if readme is not None:
        try:
            current = readme.read_text()
            link_readme = Path(os.path.relpath(root, readme.parent)).as_posix()
            wanted[readme] = pages.with_readme_verdict(
                current, pages.readme_verdict(root, link_readme, made_by))
        except (OSError, ValueError) as exc:
            raise UsageError(f"--readme {readme}: {getattr(exc, 'strerror', None) or exc}") \
                from None
    if args.check:
        stale = [p for p, t in wanted.items() if not (p.is_file() and p.read_text() == t)]
        if not stale:
            print(", ".join(map(str, wanted)) + " up to date")
            return 0
        print(f"{', '.join(map(str, stale))} {'differs' if len(stale) == 1 else 'differ'} "
              f"from what `{made_by}` makes: run it", flush=True)
        return 1
    check_out_dir(out, names=[pages.PAGE])
    with together():               # the page and the README change together, or neither
        for path, content in wanted.items():
            write_text(path, content)
    for path in wanted:
        print(f"wrote {path}")
    return 0
