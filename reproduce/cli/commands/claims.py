"""``python -m reproduce claims``: the paper's claims as verdicts over stored runs.

    python -m reproduce claims --db results/paper/stated/runs.csv.gz --reading stated \\
        --profile paper --replicates all --out results/paper/stated
    python -m reproduce claims ... --mechanisms results/paper/var0.09+cap50/mechanisms.csv

Each claim of the paper (`reproduce.analysis.claims`: the sentence it encodes, what is
tested and how) is decided over the runs of one reading (``stated`` unless
``--reading`` names another; ``--profile`` keeps only that grid's runs;
``--replicates all`` every replicate the runs hold): ``holds``, ``fails`` or
``inconclusive``, with its evidence and interval, the share of replicates in which it
holds, and what the published Table I itself says.  With several replicates the
intervals include the data draw; with one they are conditional on the data set.
``--mechanisms`` is the cache of ``reproduce mechanisms`` (runs of this reading) from
which the Figure 6 claims are decided; without it they are inconclusive.  Writes
``claims.csv`` and ``claims.md`` to ``--out`` and prints the table.  ``--db`` is a
results store or a ``runs.csv.gz``; it is only read.
"""
import time

from reproduce.analysis import claims
from reproduce.cli.options import (
    UsageError,
    add_input_options,
    add_published_option,
    check_out_dir,
    db_label,
    load_input,
    made_by,
    positive_int,
    published_table,
    replicates_text,
)
from reproduce.store.files import replacing, together, write_text


def configure(parser):
    add_input_options(parser, "claims.csv and claims.md", all_replicates=True)
    add_published_option(parser)
    parser.add_argument("--mechanisms", default=None, metavar="CSV",
                        help="the cache `reproduce mechanisms` wrote for these runs (the "
                             "Figure 6 claims are inconclusive without it)")
    parser.add_argument("--resamples", type=positive_int, default=claims.RESAMPLES,
                        metavar="N", help=f"bootstrap resamples per claim (default "
                                          f"{claims.RESAMPLES})")


def _mechanisms(args, runs):
    if args.mechanisms is None:
        return None
    from reproduce.analysis.mechanisms import read_cache
    try:
        cache = read_cache(args.mechanisms)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    foreign = set(cache["key"]) - set(runs["key"])
    if foreign:
        raise UsageError(f"--mechanisms {args.mechanisms}: {len(foreign)} of its "
                         f"{len(cache)} networks are not among the selected runs of "
                         f"{db_label(args)} (a cache of another reading or grid?)")
    return cache


def execute(args):
    published = published_table(args)
    ok, reading, profile = load_input(args)
    mechanisms = _mechanisms(args, ok)
    out = check_out_dir(args.out, names=["claims.csv", "claims.md"])
    start = time.perf_counter()
    frame = claims.evaluate(ok, published, mechanisms=mechanisms, resamples=args.resamples)
    seconds = time.perf_counter() - start
    extra = (f" --mechanisms {args.mechanisms}" if args.mechanisms else "") + (
        "" if args.resamples == claims.RESAMPLES else f" --resamples {args.resamples}")
    from reproduce.store.selection import replicates_in
    present = replicates_in(ok)
    source = (f"Reading `{reading.name}` ({reading.describe()}); {len(ok):,} runs of "
              f"`{db_label(args)}`" + (f", profile `{profile.name}`" if profile else "")
              + f", {len(present)} replicate{'s' if len(present) != 1 else ''}"
              + (f" ({', '.join(map(str, present))})" if len(present) > 1 else "")
              + (f"; mechanisms from `{args.mechanisms}`" if args.mechanisms else "")
              + f".  Made by {made_by('claims', args, reading, profile, extra)}.")
    text = claims.to_markdown(frame, source)
    with together(), replacing(out / "claims.csv") as temporary:
        frame.to_csv(temporary, index=False, float_format="%.4f")
        write_text(out / "claims.md", text)
    print(text)
    print(f"decided {len(frame)} claims in {seconds:.1f} s{replicates_text(args.replicates)}")
    print(f"wrote {out / 'claims.csv'}, {out / 'claims.md'}")
    return 0
