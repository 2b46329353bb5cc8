"""How long a profile's whole grid takes: a fixed, seeded sample of its batches, timed.

    python -m bench.grid                         # 3 % of the paper grid's batches, 2 workers
    python -m bench.grid --fraction 0.05 --seed 1 --workers 2 --profile quick

The profile's runs are planned into batches exactly as ``reproduce sweep`` plans
them (``reproduce.experiment.sweep.plan``: grouped by architecture, at most
``reproduce.experiment.batching.BATCH_SIZE`` runs each); a random sample of the batches
(``--fraction``, drawn with ``--seed``, so the same sample every time) is run
through ``reproduce.experiment.sweep.run_batch`` on ``--workers`` local worker processes,
nothing stored.  Before the clock starts every worker trains a tiny network of
each cell, so what a sweep pays once per worker (imports, compiling or loading
compiled code) is not counted once per sampled batch.

The projection: the sampled batches' seconds (each timed in its worker) scaled to
all batches, then divided among the workers -- the grid's wall time on as many
idle cores, assuming they stay busy.  Its sampling error is the standard error of
that estimate.  The same sample on two versions of the code compares them
exactly; run both in one sitting, on the same machine and load.
"""
import argparse
import math
import os
import statistics
import sys
import time
from collections import defaultdict

import numpy as np


def _timed_batch(config_jsons):
    """Worker side: run one batch as the sweep does; its seconds and failures."""
    from reproduce.experiment.sweep import run_batch
    start = time.perf_counter()
    outcomes = run_batch(config_jsons, "batched")
    return time.perf_counter() - start, sum(o["status"] != "ok" for o in outcomes)


def _warm_up():
    """Worker initializer: one tiny run per cell, so that compiling or loading the
    engine happens before any sampled batch is timed."""
    from reproduce.experiment.config import RunConfig
    from reproduce.experiment.protocol import GRID_CELLS
    from reproduce.experiment.sweep import run_batch
    from reproduce.experiment.workers import _init_local_worker
    _init_local_worker()
    for cell in GRID_CELLS:
        run_batch([RunConfig(task="mvb", k=2, cell=cell, layers=2, hidden=2, skip="both",
                             delta0=0.1, seed=0, max_epochs=1).to_json()], "batched")


def sample_batches(profile, fraction, seed):
    """The profile's batches as the sweep plans them, and a seeded sample of their indices."""
    from reproduce.experiment.batching import BATCH_SIZE
    from reproduce.experiment.profiles import get_profile
    from reproduce.experiment.sweep import plan
    batches = plan(get_profile(profile).configs(), set(), BATCH_SIZE)
    n = max(1, round(fraction * len(batches)))
    chosen = np.sort(np.random.default_rng(seed).choice(len(batches), size=n, replace=False))
    return batches, chosen


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.grid", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", default="paper")
    parser.add_argument("--fraction", type=float, default=0.03,
                        help="share of the profile's batches to run (default 0.03)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the sample (default 0)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    if not 0 < args.fraction <= 1:
        parser.error("--fraction must lie in (0, 1]")
    if args.workers < 1:
        parser.error("--workers must be at least 1")

    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from reproduce import code_version
    from reproduce.experiment.workers import WORKER_ENV
    batches, chosen = sample_batches(args.profile, args.fraction, args.seed)
    runs = sum(map(len, batches))
    sampled_runs = sum(len(batches[i]) for i in chosen)
    print(f"profile {args.profile}: {runs:,} runs in {len(batches):,} batches; sample "
          f"(seed {args.seed}): {len(chosen)} batches, {sampled_runs:,} runs; "
          f"{args.workers} workers; code {code_version()}; load {os.getloadavg()[0]:.2f}")
    sys.stdout.flush()

    os.environ.update(WORKER_ENV)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(args.workers, mp_context=context, initializer=_warm_up) as pool:
        list(pool.map(abs, range(args.workers)))           # start and warm every worker
        start = time.perf_counter()
        timed = list(pool.map(_timed_batch, [[c.to_json() for c in batches[i]]
                                              for i in chosen]))
        wall = time.perf_counter() - start
    seconds = np.array([s for s, _ in timed])
    failed = sum(f for _, f in timed)

    by = defaultdict(float)
    for i, s in zip(chosen, seconds):
        config = batches[i][0]
        by[("cell", config.cell)] += s
        by[("hidden", config.hidden)] += s
        by[("layers", config.layers)] += s
    N, n = len(batches), len(chosen)
    total = seconds.sum() * N / n                               # batch-seconds of the grid
    error = N * statistics.stdev(seconds) / math.sqrt(n) * math.sqrt(1 - n / N) if n > 1 else 0
    print(f"sample: {seconds.sum():.1f} batch-seconds, {wall:.1f} s wall on {args.workers} "
          f"workers, {failed} failed runs")
    for axis in ("cell", "layers", "hidden"):
        shares = sorted((k[1], v) for k, v in by.items() if k[0] == axis)
        print(f"  by {axis}: " + ", ".join(f"{k} {100 * v / seconds.sum():.0f}%"
                                           for k, v in shares))
    print(f"projected grid: {total / args.workers / 3600:.2f} h on {args.workers} workers "
          f"(+- {error / args.workers / 3600:.2f} h sampling error; "
          f"{runs / (total / args.workers) * 3600:,.0f} runs/hour)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
