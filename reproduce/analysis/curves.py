"""Learning curves: how the validation error falls, epoch by epoch, per task and cell.

    chosen = sample(runs)                    # a seeded sample of runs per task x cell
    frame = curves(chosen)                   # retrain them: one row per run and epoch
    plot(frame, "learning_curves.png"); to_markdown(frame, runs, "curves.csv.gz")

The store keeps each run's outcome, not its curve.  The curves of a sample are
enough to see how training proceeds, and they cost no space in the store:
`sample` draws `SAMPLE` ``ok`` runs of each task x cell with a generator seeded
by `SEED`, and `curves` retrains them with the batched engine, which is
deterministic (``retrained_test_error`` beside the stored ``test_error`` shows
it; the engine's per-epoch errors equal PyBrain's, see
``tests/pybrain_ext/test_batched_parity.py``).  `space` says what keeping every
run's curve would have taken instead.

The errors are the trainer's: the importance-weighted squared error of the
training set (each epoch's, of the parameters before its RProp step, as
PyBrain's ``train()`` returns it) and of the validation set (after the step;
epoch 0 is before training).  The plot shows, per task and cell, the median and
interquartile range of the validation error that early stopping would keep if
training ended at that epoch -- the lowest so far -- with a stopped run
keeping its restored error; and below it the share of runs still training.
"""
from pathlib import Path

import numpy as np
import pandas as pd

from reproduce.analysis.style import CELL_COLOURS, ordered_cells, ordered_tasks
from reproduce.experiment.config import RunConfig
from reproduce.experiment.engines import train_many
from reproduce.store.files import save_figure
from reproduce.store.selection import ok_runs

CSV = "curves.csv.gz"           # the cache the report reads
SAMPLE = 20                     # runs per task x cell
SEED = 0
RUN_COLUMNS = ("key", "variant", "task", "cell", "layers", "hidden", "skip", "delta0", "seed",
               "epochs", "test_error", "retrained_test_error")
COLUMNS = RUN_COLUMNS + ("epoch", "training_error", "validation_error")


def sample(runs, per_group=SAMPLE, seed=SEED):
    """`per_group` ``ok`` runs of each task x cell (all where fewer), drawn by
    ``numpy.random.default_rng(seed)`` from the runs in key order."""
    if isinstance(per_group, bool) or not isinstance(per_group, (int, np.integer)) \
            or per_group < 1:
        raise ValueError(f"per_group must be a positive integer, got {per_group!r}")
    ok = ok_runs(runs)
    ok = ok.sort_values("key", kind="stable")
    rng = np.random.default_rng(seed)
    chosen = []
    for _, group in ok.groupby(["task", "cell"], sort=True):
        take = min(per_group, len(group))
        chosen.append(group.iloc[np.sort(rng.choice(len(group), size=take, replace=False))])
    if not chosen:
        raise ValueError("no ok runs to sample")
    return pd.concat(chosen, ignore_index=True)


def curves(chosen):
    """Retrain the `chosen` runs (batched engine): `COLUMNS`, one row per run and
    epoch (epoch 0, before training, has no training error)."""
    configs = [RunConfig.from_json(text) for text in chosen["config"]]
    frames = []
    for (_, run), (result, outcome) in zip(chosen.iterrows(), train_many(configs, "batched")):
        epochs = len(outcome.validation_errors)
        base = {c: run[c] for c in RUN_COLUMNS if c in run} | {
            "epochs": outcome.epochs, "retrained_test_error": result.test_error}
        frames.append(pd.DataFrame(base | {
            "epoch": np.arange(epochs),
            "training_error": np.r_[np.nan, outcome.training_errors],
            "validation_error": outcome.validation_errors}))
    return pd.concat(frames, ignore_index=True)[list(COLUMNS)]


def kept(frame):
    """``(epoch x run)`` table of the validation error early stopping would keep at
    each epoch (the lowest so far, from epoch 1), carried past the run's end."""
    trained = frame[frame["epoch"] >= 1]
    table = trained.pivot(index="epoch", columns="key", values="validation_error")
    return table.cummin().ffill()


def space(frame, path, runs):
    """``(bytes of the file at path, bytes per stored epoch, projected bytes for
    every run of `runs`)``: what keeping every curve would take at this density."""
    size = Path(path).stat().st_size
    per_epoch = size / len(frame)
    return size, per_epoch, per_epoch * float((runs["epochs"] + 1).sum())


def summary(frame):
    """Per task x cell: runs, median epochs, median kept validation error at epochs
    10, 50 and the end, and how many retrained runs reproduced their test error."""
    rows = []
    for task in ordered_tasks(frame["task"]):
        for cell in ordered_cells(frame.loc[frame["task"] == task, "cell"]):
            part = frame[(frame["task"] == task) & (frame["cell"] == cell)]
            if part.empty:
                continue
            table = kept(part)
            runs = part.drop_duplicates("key")
            at = {e: float(table.loc[min(e, table.index.max())].median()) for e in (10, 50)}
            rows.append({"task": task, "cell": cell, "runs": len(runs),
                         "median_epochs": float(runs["epochs"].median()),
                         "kept_at_10": at[10], "kept_at_50": at[50],
                         "kept_at_end": float(table.iloc[-1].median()),
                         "reproduced": int((runs["test_error"]
                                            == runs["retrained_test_error"]).sum())})
    return pd.DataFrame(rows)


def to_markdown(frame, runs=None, path=None, source=""):
    """``curves.md``: the sample, the determinism check, the space, per-group numbers."""
    table = summary(frame)
    n = int(table["runs"].sum())
    reproduced = int(table["reproduced"].sum())
    lines = ["# Learning curves", ""]
    if source:
        lines += [source, ""]
    lines += [f"{n} runs ({int(table['runs'].max())} at most per task x cell), drawn with a "
              "seeded generator and retrained with the batched engine: "
              f"{reproduced} of {n} reproduced their stored test error exactly.", ""]
    if runs is not None and path is not None and Path(path).is_file():
        size, per_epoch, projected = space(frame, path, runs)
        lines += [f"`{CSV}` takes {size / 1e6:.2f} MB ({per_epoch:.1f} bytes per "
                  f"epoch, gzip-compressed CSV); every one of the {len(runs):,} runs' curves "
                  f"at that density would take {projected / 1e6:.0f} MB.", ""]
    lines += ["The validation error early stopping would keep (the lowest so far; a stopped "
              "run keeps its restored one), median over the sample, importance-weighted "
              "squared error:", "",
              "| task | cell | runs | median epochs | at epoch 10 | at epoch 50 | at the end |",
              "|---|---|---:|---:|---:|---:|---:|"]
    lines += [f"| {r.task} | {r.cell} | {r.runs} | {r.median_epochs:g} | {r.kept_at_10:.4f} | "
              f"{r.kept_at_50:.4f} | {r.kept_at_end:.4f} |" for r in table.itertuples()]
    return "\n".join(lines) + "\n"


def plot(frame, path):
    """Per task: the median and IQR of the kept validation error against epoch,
    one line per cell; below, the share of runs still training."""
    from matplotlib.figure import Figure

    task_names = ordered_tasks(frame["task"])
    fig = Figure(figsize=(3.2 * len(task_names), 5.4), constrained_layout=True)
    axes = fig.subplots(2, len(task_names), sharex=True, squeeze=False,
                        gridspec_kw={"height_ratios": [3, 1]})
    for column, task in enumerate(task_names):
        top, bottom = axes[0][column], axes[1][column]
        part = frame[frame["task"] == task]
        span = np.arange(1, part["epoch"].max() + 2)      # to one past the task's last
        for cell in ordered_cells(part["cell"]):
            runs = part[part["cell"] == cell]
            table = kept(runs).reindex(span).ffill()
            epochs = table.index.to_numpy()
            q25, q50, q75 = (table.quantile(q, axis=1).to_numpy() for q in (0.25, 0.5, 0.75))
            colour = CELL_COLOURS.get(cell)
            top.plot(epochs, q50, color=colour, lw=1.2, label=cell)
            top.fill_between(epochs, q25, q75, color=colour, alpha=0.15, lw=0)
            stops = runs.drop_duplicates("key")["epochs"].to_numpy()
            bottom.plot(epochs, [(stops >= e).mean() for e in epochs], color=colour, lw=1.0)
        top.set(title=task, xscale="log")
        bottom.set(xscale="log", xlabel="epoch", ylim=(0, 1.02))
    axes[0][0].set_ylabel("validation error kept\n(median, IQR)")
    axes[1][0].set_ylabel("share still training")
    axes[0][-1].legend(fontsize=7)
    save_figure(fig, path, dpi=120)
