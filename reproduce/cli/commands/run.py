"""``reproduce run``: train and evaluate one configuration.

    reproduce run --task multiswitch --k 3 --cell lstm --layers 2 \\
        --hidden 5 --skip both --delta0 0.1 --seed 0 [--json]
"""
import json

from pybrain_ext.batched.cells import CELL_TYPES
from pybrain_ext.protocol import INIT_VARIANCE, MAX_EPOCHS, SKIPS
from reproduce.cli.options import (
    UsageError,
    check_memory,
    non_negative_int,
    positive_float,
    positive_int,
)
from reproduce.experiment.config import ENGINES, RunConfig
from reproduce.experiment.engines import run
from tasks import TASKS
from tasks.protocol import DATA_SEED


def configure(parser):
    parser.add_argument("--task", required=True, choices=list(TASKS))
    parser.add_argument("--k", required=True, type=positive_int,
                        help="input dimension (symbols; switches for multiswitch)")
    parser.add_argument("--steps-back", type=positive_int, default=None,
                        help="delay N, fdr only")
    parser.add_argument("--cell", required=True, choices=list(CELL_TYPES))
    parser.add_argument("--layers", required=True, type=positive_int)
    parser.add_argument("--hidden", required=True, type=positive_int)
    parser.add_argument("--skip", default="none", choices=SKIPS)
    parser.add_argument("--delta0", default=0.1, type=positive_float,
                        help="RProp's initial step (default 0.1)")
    parser.add_argument("--seed", default=0, type=non_negative_int,
                        help="seed of the initial parameters (default 0)")
    parser.add_argument("--data-seed", default=DATA_SEED, type=non_negative_int,
                        help=f"seed of the task's data set (default {DATA_SEED})")
    parser.add_argument("--max-epochs", default=MAX_EPOCHS, type=non_negative_int,
                        help=f"cap on training epochs (default {MAX_EPOCHS})")
    parser.add_argument("--init-variance", default=INIT_VARIANCE, type=positive_float,
                        help=f"variance of the initial parameters (default {INIT_VARIANCE})")
    parser.add_argument("--engine", default="pybrain", choices=ENGINES)
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def execute(args):
    try:
        config = RunConfig(task=args.task, k=args.k, steps_back=args.steps_back,
                           cell=args.cell, layers=args.layers, hidden=args.hidden,
                           skip=args.skip, delta0=args.delta0, seed=args.seed,
                           data_seed=args.data_seed, max_epochs=args.max_epochs,
                           init_variance=args.init_variance)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    check_memory([config], args.engine)
    result = run(config, args.engine)
    if args.json:
        print(json.dumps({"key": config.key, "config": json.loads(config.to_json()),
                          "result": result.to_dict()}, sort_keys=True))
    else:
        print(f"{config.label()}  (key {config.key[:12]})")
        print(f"  test error        {result.test_error:.2f} %")
        print(f"  training error    {result.training_error:.6g}")
        print(f"  validation error  {result.validation_error:.6g}")
        print(f"  epochs            {result.epochs} ({result.stop_reason})")
        print(f"  engine            {result.engine}, {result.seconds:.1f} s")
    return 0
