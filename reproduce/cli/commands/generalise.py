"""``python -m reproduce generalise``: do the chosen networks keep their error on longer sequences?

    python -m reproduce generalise --db results/quick/var0.01/runs.csv.gz --reading var0.01 \\
        --out results/quick/var0.01
    python -m reproduce generalise --db results/runs.sqlite --lengths 20,100 --picks best

For each task variant x cell, retrains the run with the lowest validation error
and the median one (batched engine, deterministic) and tests them on fresh
sequences of each length (`reproduce.analysis.generalise`).  Writes
``generalisation.csv`` (one row per network and length: the cache the report
reads), ``generalisation.md`` and ``generalisation.png`` (error against length
per task, one line per cell) to ``--out``; prints which cells keep their error
when the length grows fivefold.  Minutes on a ``quick`` grid (200 networks).
``--db`` is a results store or a ``runs.csv.gz``; it is only read.
"""
import argparse

from reproduce.analysis import generalise
from reproduce.cli.options import (
    UsageError,
    add_input_options,
    check_out_dir,
    db_label,
    load_input,
    made_by,
    positive_int,
)
from reproduce.store.files import replacing, together, write_text


def _list_option(parse, expected):
    """An argparse type: ``parse(text)``, a list, or an error saying what was expected."""
    def convert(text):
        try:
            values = parse(text)
        except ValueError:
            values = None
        if not values:
            raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}")
        return values
    convert.__name__ = expected
    return convert


def _lengths(text):
    values = [int(part) for part in text.split(",")]
    return values if min(values) >= 1 and len(set(values)) == len(values) else None


def _picks(text):
    values = [part.strip() for part in text.split(",")]
    return values if set(values) <= set(generalise.PICKS) else None


lengths_type = _list_option(_lengths, "distinct positive integers separated by commas")
picks_type = _list_option(_picks, f"some of {','.join(generalise.PICKS)} separated by commas")


def configure(parser):
    add_input_options(parser, "generalisation.csv, .md and .png")
    parser.add_argument("--lengths", type=lengths_type, default=list(generalise.LENGTHS),
                        metavar="N,N,...", help="sequence lengths to test (default "
                        + ",".join(map(str, generalise.LENGTHS)) + ")")
    parser.add_argument("--sequences", type=positive_int, default=generalise.SEQUENCES,
                        metavar="N", help=f"fresh sequences per length (default "
                                          f"{generalise.SEQUENCES})")
    parser.add_argument("--picks", type=picks_type, default=list(generalise.PICKS),
                        metavar="NAME,...", help="which run of each variant x cell: "
                                                 "best, median (default both)")


def execute(args):
    ok, reading, profile = load_input(args)
    out = check_out_dir(args.out, names=[generalise.CSV, "generalisation.md",
                                         "generalisation.png"])
    try:
        frame = generalise.generalise(ok, tuple(args.lengths), args.sequences,
                                      tuple(args.picks))
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    extra = (" --lengths " + ",".join(map(str, args.lengths))
             + f" --sequences {args.sequences} --picks " + ",".join(args.picks))
    source = (f"Reading `{reading.name}` ({reading.describe()}); `{db_label(args)}`.  "
              f"Made by {made_by('generalise', args, reading, profile, extra)}.")
    with together():
        with replacing(out / generalise.CSV) as temporary:
            frame.to_csv(temporary, index=False, float_format="%.6g")
        write_text(out / "generalisation.md", generalise.to_markdown(frame, source))
        generalise.plot(frame, out / "generalisation.png")
    for line in generalise.keep_summary(frame):
        print(line)
    print(f"wrote {out / generalise.CSV}, {out / 'generalisation.md'}, "
          f"{out / 'generalisation.png'}")
    return 0
