"""``python -m reproduce curves``: learning curves of a seeded sample of runs.

    python -m reproduce curves --db results/paper/stated/runs.csv.gz --reading stated \\
        --profile paper --out results/paper/stated
    python -m reproduce curves --db results/runs.sqlite --per-group 5 --seed 1

Draws ``--per-group`` ok runs of each task x cell (seeded by ``--seed``),
retrains them with the batched engine (deterministic: each retrained run's test
error is checked against the stored one) and writes ``curves.csv.gz`` (one row
per run and epoch: its training and validation error; the cache the report
reads), ``curves.md`` (the sample, the check, the space every curve would take)
and ``learning_curves.png`` (median and IQR of the validation error against
epoch, per task and cell) to ``--out`` (`reproduce.analysis.curves`).  About a minute
for the default 500 runs.  ``--db`` is a results store or a ``runs.csv.gz``; it
is only read.
"""
from reproduce.analysis import curves
from reproduce.cli.options import (
    UsageError,
    add_input_options,
    check_out_dir,
    db_label,
    load_input,
    made_by,
    non_negative_int,
    positive_int,
)
from reproduce.store.files import replacing, together, write_text


def configure(parser):
    add_input_options(parser, "curves.csv.gz, curves.md and learning_curves.png")
    parser.add_argument("--per-group", type=positive_int, default=curves.SAMPLE, metavar="N",
                        help=f"runs per task x cell (default {curves.SAMPLE})")
    parser.add_argument("--seed", type=non_negative_int, default=curves.SEED, metavar="S",
                        help=f"seed of the sample (default {curves.SEED})")


def execute(args):
    ok, reading, profile = load_input(args)
    out = check_out_dir(args.out, names=[curves.CSV, "curves.md", "learning_curves.png"])
    try:
        chosen = curves.sample(ok, args.per_group, args.seed)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    print(f"retraining {len(chosen)} runs ({args.per_group} per task x cell at most)")
    frame = curves.curves(chosen)
    extra = f" --per-group {args.per_group} --seed {args.seed}"
    source = (f"Reading `{reading.name}` ({reading.describe()}); `{db_label(args)}`.  "
              f"Made by {made_by('curves', args, reading, profile, extra)}.")
    with together():
        with replacing(out / curves.CSV) as written:   # gzip, from the name's ending
            frame.to_csv(written, index=False, float_format="%.6g")
        write_text(out / "curves.md", curves.to_markdown(frame, ok, written, source))
        curves.plot(frame, out / "learning_curves.png")
    table = curves.summary(frame)
    print(f"{int(table['reproduced'].sum())} of {int(table['runs'].sum())} retrained runs "
          "reproduced their stored test error")
    print(f"wrote {out / curves.CSV}, {out / 'curves.md'}, {out / 'learning_curves.png'}")
    return 0
