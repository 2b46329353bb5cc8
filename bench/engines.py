"""PyBrain against the batched engine: milliseconds per model-epoch, side by side.

    python -m bench.engines                 # the whole table (some minutes)
    python -m bench.engines --quick         # shorter measurements
    python -m bench.engines --cells lstm --hidden 10 --layers 1

One epoch is what a training run does per epoch: forward and backward over the
36 training sequences, one RProp- step, and the validation error.  PyBrain runs
one network (``RPropMinusTrainer.train()`` then ``testOnData``); the batched
engine trains M networks together (:func:`pybrain_ext.batched.training.train`, early
stopping switched off so all M run every epoch; its set-up and final evaluation
are included), and its time is divided by M.  Every number is the median over
``--repeats`` measurements; the ratio is PyBrain's time over the engine's.  The
engine runs its compiled path where numba is installed
(``PYBRAIN_EXT_KERNELS=numpy`` in the environment times its numpy path instead).
"""
import argparse
import statistics
import sys
import time

import numpy as np

from pybrain_ext.batched.architecture import Architecture
from pybrain_ext.batched.engine import Sequences
from pybrain_ext.batched.layout import initial_params
from pybrain_ext.batched.training import train
from pybrain_ext.network import build_network
from pybrain_ext.rprop import RPropSettings
from reproduce.experiment.protocol import GRID_CELLS as CELLS
from tasks import generate, split, to_pybrain

HIDDEN = (5, 10, 50)
LAYERS = (1, 3)
BATCH_SIZES = (1, 16, 64)
TASK = dict(task="fdr", k=3, steps_back=3)      # 36 training sequences of 20 steps


def _data():
    parts = split(generate(**TASK))
    return parts[0], parts[1]


def pybrain_ms(cell, hidden, layers, epochs, repeats):
    """Median ms of one PyBrain epoch (train() + testOnData on validation)."""
    from pybrain3.supervised.trainers import RPropMinusTrainer
    train_part, validation_part = _data()
    train_ds, validation_ds = to_pybrain(train_part), to_pybrain(validation_part)
    times = []
    for repeat in range(repeats):
        v = train_part.variant
        net = build_network(cell, v.indim, v.outdim, layers, hidden, seed=repeat)
        trainer = RPropMinusTrainer(net, dataset=train_ds)
        start = time.perf_counter()
        for _ in range(epochs):
            trainer.train()
            trainer.testOnData(validation_ds)
        times.append((time.perf_counter() - start) / epochs)
    return 1e3 * statistics.median(times)


def batched_ms(cell, hidden, layers, models, epochs, repeats):
    """Median ms per model-epoch of the batched engine training ``models`` networks."""
    train_part, validation_part = _data()
    v = train_part.variant
    arch = Architecture(cell, layers, hidden, "none", v.indim, v.outdim)
    train_data = Sequences.stack([train_part] * models, arch.indim, arch.outdim)
    validation_data = Sequences.stack([validation_part] * models, arch.indim, arch.outdim)
    # exactly `epochs` epochs for every network: max_epochs + 1 are run, and a
    # patience longer than that never stops a run early
    settings = RPropSettings(max_epochs=epochs - 1, continue_epochs=epochs + 1)
    times = []
    for repeat in range(repeats + 1):      # the first is a warm-up
        params = np.stack([initial_params(arch.paramdim, seed) for seed in range(models)])
        start = time.perf_counter()
        train(arch, params, train_data, validation_data, np.full(models, 0.1), settings,
              batch_size=models)
        times.append((time.perf_counter() - start) / (epochs * models))
    return 1e3 * statistics.median(times[1:])


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.engines", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cells", nargs="+", default=CELLS, choices=CELLS)
    parser.add_argument("--hidden", nargs="+", type=int, default=HIDDEN)
    parser.add_argument("--layers", nargs="+", type=int, default=LAYERS)
    parser.add_argument("--models", nargs="+", type=int, default=BATCH_SIZES,
                        help="batch sizes M of the batched engine")
    parser.add_argument("--repeats", type=int, default=3, help="measurements per cell (median)")
    parser.add_argument("--pybrain-epochs", type=int, default=2,
                        help="PyBrain epochs per measurement")
    parser.add_argument("--epochs", type=int, default=10,
                        help="batched-engine epochs per measurement")
    parser.add_argument("--quick", action="store_true",
                        help="1 PyBrain epoch and 5 batched epochs per measurement")
    args = parser.parse_args(argv)
    if args.quick:
        args.pybrain_epochs, args.epochs = 1, 5
    for name in ("repeats", "pybrain_epochs", "epochs"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if min([*args.hidden, *args.layers, *args.models]) < 1:
        parser.error("--hidden, --layers and --models must be positive")

    print(f"ms per model-epoch (median of {args.repeats}); task {TASK}, "
          f"36 training + 12 validation sequences of 20 steps")
    head = ["cell", "H", "L", "pybrain"] + [f"M={m}" for m in args.models] + \
        [f"x(M={m})" for m in args.models]
    print("  ".join(f"{h:>9}" for h in head))
    sys.stdout.flush()
    for cell in args.cells:
        for hidden in args.hidden:
            for layers in args.layers:
                reference = pybrain_ms(cell, hidden, layers, args.pybrain_epochs, args.repeats)
                engine = [batched_ms(cell, hidden, layers, m, args.epochs, args.repeats)
                          for m in args.models]
                row = [f"{cell:>9}", f"{hidden:>9}", f"{layers:>9}", f"{reference:9.2f}"]
                row += [f"{ms:9.3f}" for ms in engine]
                row += [f"{reference / ms:9.0f}" for ms in engine]
                print("  ".join(row))
                sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
