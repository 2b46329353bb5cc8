"""``python -m reproduce anova``: which factors of the grid drive the test error, per task.

    python -m reproduce anova --db results/quick/var0.01/runs.csv.gz --out results/quick/var0.01
    python -m reproduce anova --db results/runs.sqlite --reading var0.09 --bootstrap 200

Fits, per task, a type-II ANOVA of the test error (and of its rank) on task
variant, cell, architecture, width, step size and seed with their two-way
interactions (`reproduce.analysis.anova`), and writes ``anova.csv`` (every term's sum of
squares, share with its bootstrap interval, F and p), ``anova.md`` and
``anova_shares.png`` (stacked bars of the shares per task) to ``--out``.
``--db`` is a results store or a ``runs.csv.gz``; it is only read.  Takes
seconds per task on a ``quick`` grid (``--bootstrap`` refits set the cost).
"""

from reproduce.analysis import anova
from reproduce.cli.options import (
    UsageError,
    add_input_options,
    check_out_dir,
    db_label,
    load_input,
    made_by,
    non_negative_int,
)
from reproduce.store.files import replacing, together, write_text

FILES = ("anova.csv", "anova.md", "anova_shares.png")


def configure(parser):
    add_input_options(parser, "anova.csv, anova.md and anova_shares.png")
    parser.add_argument("--bootstrap", type=non_negative_int, default=anova.BOOTSTRAP,
                        metavar="N", help=f"refits on resampled runs for the intervals "
                                          f"(default {anova.BOOTSTRAP}; 0: none)")
    parser.add_argument("--seed", type=non_negative_int, default=anova.SEED, metavar="S",
                        help=f"seed of the resampling (default {anova.SEED})")


def execute(args):
    ok, reading, profile = load_input(args)
    out = check_out_dir(args.out, names=FILES)
    frame = anova.analyse(ok, bootstrap=args.bootstrap, seed=args.seed)
    if frame.empty:
        raise UsageError(f"{db_label(args)}: no task has runs that vary in any factor and "
                         "leave a residual degree of freedom")
    source = (f"Reading `{reading.name}` ({reading.describe()}); {len(ok):,} runs of "
              f"`{db_label(args)}`.  Made by "
              + made_by("anova", args, reading, profile,
                        f" --bootstrap {args.bootstrap} --seed {args.seed}") + ".")
    with together():
        with replacing(out / "anova.csv") as temporary:
            frame.to_csv(temporary, index=False, float_format="%.6g")
        write_text(out / "anova.md", anova.to_markdown(frame, source))
        anova.plot_shares(frame, out / "anova_shares.png")
    for task, terms in anova.largest_terms(frame).items():
        print(f"{task:<12} " + ", ".join(f"{t} {100 * s:.1f} %" for t, s in terms))
    print(f"wrote {out / 'anova.csv'}, {out / 'anova.md'}, {out / 'anova_shares.png'}")
    return 0
