"""``reproduce patterns``: the paper's Figures 1-5, one example sequence per task.

    reproduce patterns [--out results/figures] [--task svb] [--sequence 0]
                       [--steps 20] [--data-seed 0]

For each task, the variant the paper's caption names (FDR k=3 N=2, DDR k=4,
Multiswitch k=3, SVB k=3, MVB k=3; ``reproduce.analysis.figures.PATTERN_FIGURES``),
sequence ``--sequence`` of its protocol data set, first ``--steps`` steps:
input and target rows, masked steps hatched.  Writes ``figure<n>_<task>``
``.png/.pdf/.npz/.csv`` in ``--out``.
"""
import tasks
from reproduce.analysis.figures import PATTERN_FIGURES, pattern_variant, save_pattern
from reproduce.analysis.figures.io import file_names
from reproduce.cli.options import (
    RELATIVE_PATHS,
    UsageError,
    check_out_dir,
    non_negative_int,
    positive_int,
)
from tasks.protocol import DATA_SEED, N_SEQUENCES, SEQUENCE_LENGTH


def configure(parser):
    parser.add_argument("--out", default="results/figures",
                        help=f"output folder, created if missing (default %(default)s; "
                             f"{RELATIVE_PATHS})")
    parser.add_argument("--task", choices=list(PATTERN_FIGURES), action="append",
                        help="draw only this task (repeatable; default all the paper "
                             "pictures)")
    parser.add_argument("--sequence", type=non_negative_int, default=0,
                        help="which sequence of the data set to draw (default 0)")
    parser.add_argument("--steps", type=positive_int, default=SEQUENCE_LENGTH,
                        help=f"steps to draw (default {SEQUENCE_LENGTH}, all)")
    parser.add_argument("--data-seed", type=non_negative_int, default=DATA_SEED,
                        help=f"seed of the data sets (default {DATA_SEED})")


def execute(args):
    if args.sequence >= N_SEQUENCES:
        raise UsageError(f"--sequence must be < {N_SEQUENCES}; got {args.sequence}")
    if args.steps > SEQUENCE_LENGTH:
        raise UsageError(f"--steps must be <= {SEQUENCE_LENGTH}; got {args.steps}")
    chosen = args.task or list(PATTERN_FIGURES)
    stems = {task: f"figure{pattern_variant(task)[1]}_{task}" for task in chosen}
    out = check_out_dir(args.out, names=[n for s in stems.values() for n in file_names(s)])
    for task in chosen:
        variant, number = pattern_variant(task)
        data = tasks.generate(variant.task, variant.k, variant.steps_back,
                              seed=args.data_seed)
        paths = save_pattern(data, args.sequence, args.steps, number, out, stems[task])
        print(f"Fig. {number} ({variant.id}):", " ".join(paths))
    return 0
