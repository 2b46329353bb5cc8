"""``python -m reproduce claims-summary``: the claims' verdicts across the readings of a
results folder.

    python -m reproduce claims-summary --results results/paper

Reads every ``<results>/<reading>/claims.csv`` (written by ``reproduce claims``) and
writes ``claims_summary.csv`` (one row per claim and reading) and
``claims_summary.md`` (claims x readings, bold where readings disagree) to ``--out``
(default: ``--results``).  Readings of the folder that differ only in the initial
variance also decide Section IV-A's claim about it, from their ``runs.csv.gz``
(`reproduce.analysis.claims.summary`).  Only reads the folders.
"""
import shlex
from pathlib import Path

import pandas as pd

from reproduce.analysis.claims import summary
from reproduce.cli.options import RELATIVE_PATHS, UsageError, check_out_dir, positive_int
from reproduce.store.files import replacing, together, write_text


def configure(parser):
    parser.add_argument("--results", required=True, metavar="DIR",
                        help=f"a results folder of reading folders, e.g. results/paper "
                             f"({RELATIVE_PATHS})")
    parser.add_argument("--out", default=None, metavar="DIR",
                        help="where to write claims_summary.csv and .md (default --results)")
    parser.add_argument("--resamples", type=positive_int, default=None, metavar="N",
                        help="bootstrap resamples of the claims across readings")


def execute(args):
    results = Path(args.results)
    if not results.is_dir():
        raise UsageError(f"--results {results} is not a folder")
    if not summary.reading_folders(results):
        raise UsageError(f"--results {results} has no <reading>/claims.csv; run "
                         "reproduce claims for its readings first")
    try:
        long = summary.verdicts(results)
        cross = summary.across_readings(results, args.resamples)
    except (ValueError, KeyError) as exc:
        raise UsageError(f"--results {results}: {exc}") from None
    out = check_out_dir(args.out or results, names=["claims_summary.csv", "claims_summary.md"])
    made = ("Made by `python -m reproduce claims-summary --results "
            f"{shlex.quote(str(args.results))}"
            + (f" --out {shlex.quote(str(args.out))}" if args.out else "")
            + (f" --resamples {args.resamples}" if args.resamples else "") + "`.")
    text = summary.to_markdown(long, cross, made)
    table = long.copy()
    if len(cross):
        extra = cross.rename(columns={"readings": "reading"})[list(summary.SUMMARY_COLUMNS)]
        table = pd.concat([table.assign(kind="per reading"),
                           extra.assign(kind="across readings")], ignore_index=True)
    with together(), replacing(out / "claims_summary.csv") as temporary:
        table.to_csv(temporary, index=False, float_format="%.4f")
        write_text(out / "claims_summary.md", text)
    print(text)
    print(f"wrote {out / 'claims_summary.csv'}, {out / 'claims_summary.md'}")
    return 0
