"""Does a learned memory generalise to longer sequences?

    chosen = pick(runs)                      # best and median run per variant x cell
    frame = generalise(runs)                 # retrain them, test on fresh long sequences
    to_markdown(frame); plot(frame, "generalisation.png"); keeps(frame)

Every network of the grid was trained, stopped and tested on 20-step
sequences.  For each task variant x cell, `pick` takes the run with the
lowest validation error (``best``) and the median one (``median``: the lower
median by validation error; ties by key).  `generalise` retrains them exactly
(the engines are deterministic; ``retrained_test_error`` beside the stored
``test_error`` shows it) and tests each on `SEQUENCES` fresh sequences of each
length in `LENGTHS`, drawn by the task's own rule from data seed
``FRESH_DATA_SEED + length`` -- a seed no run's training data uses, so these
sequences were never seen.  The error is the protocol's: the percentage of
steps with a target whose output's argmax is wrong (under the run's reading of
the steps without a target).  Every length is evaluated by the batched
engine's forward pass, which runs any length; PyBrain is its reference in
the tests (``tests/pybrain_ext/test_batched_lengths.py``, 100-step sequences).

A cell *keeps its error* on a task when its best networks' error at 5x the
training length (100 steps) exceeds their error at 20 steps by at most
`KEEP_POINTS` in every variant of the task.
"""
import pandas as pd

import tasks
from pybrain_ext.batched.architecture import Architecture
from pybrain_ext.batched.engine import Sequences, classification_error
from pybrain_ext.batched.runtime import one_blas_thread
from reproduce.analysis.style import CELL_COLOURS, ordered_tasks
from reproduce.experiment.config import RunConfig
from reproduce.experiment.engines import fit_many
from reproduce.experiment.protocol import TABLE1_AGREEMENT_POINTS, TABLE1_CELL_ORDER
from reproduce.store.files import save_figure
from tasks.protocol import SEQUENCE_LENGTH

CSV = "generalisation.csv"      # the cache of `generalise`'s results the report reads
LENGTHS = (20, 40, 100, 200)
SEQUENCES = 64                   # fresh sequences per length
FRESH_DATA_SEED = 1_000_000      # + length: far from every training data seed (0 + seed)
PICKS = ("best", "median")
KEEP_POINTS = TABLE1_AGREEMENT_POINTS
KEEP_FACTOR = 5                  # "when the length grows fivefold": 20 -> 100 steps
CONFIG_COLUMNS = ("variant", "task", "cell", "layers", "hidden", "skip", "delta0", "seed",
                  "key")
COLUMNS = ("variant", "task", "cell", "pick", "layers", "hidden", "skip", "delta0", "seed",
           "key", "validation_error", "test_error", "retrained_test_error", "length",
           "sequences", "error")


def pick(runs, picks=PICKS):
    """The chosen ``ok`` run of each variant x cell per pick, with a ``pick`` column."""
    unknown = set(picks) - set(PICKS)
    if unknown or not picks:
        raise ValueError(f"picks must be some of {', '.join(PICKS)}; got {list(picks)}")
    ok = runs[(runs["status"] == "ok") & runs["validation_error"].notna()]
    ok = ok.sort_values(["validation_error", "key"], kind="stable")
    chosen = []
    for _, group in ok.groupby(["variant", "cell"], sort=False):
        at = {"best": 0, "median": (len(group) - 1) // 2}
        chosen += [group.iloc[at[p]].to_dict() | {"pick": p} for p in picks]
    frame = pd.DataFrame(chosen)
    order = {v.id: i for i, v in enumerate(tasks.variants())}
    frame["_order"] = [(order.get(v, len(order)), v, TABLE1_CELL_ORDER.index(c)
                        if c in TABLE1_CELL_ORDER else len(TABLE1_CELL_ORDER), c,
                        picks.index(p))
                       for v, c, p in zip(frame["variant"], frame["cell"], frame["pick"])]
    return frame.sort_values("_order").drop(columns="_order").reset_index(drop=True)


def fresh_data(config, length, sequences=SEQUENCES):
    """`sequences` new sequences of `length` steps of the config's variant."""
    v = config.variant
    return tasks.generate(v.task, v.k, steps_back=v.steps_back, n_sequences=sequences,
                          length=length, seed=FRESH_DATA_SEED + length)


def length_errors(config, params, lengths=LENGTHS, sequences=SEQUENCES):
    """The error (%) of the network (`config`, trained `params`) at each of `lengths`."""
    arch = Architecture(*config.architecture)
    out = []
    for length in lengths:
        data = Sequences.stack([fresh_data(config, length, sequences)], arch.indim,
                               arch.outdim, config.untargeted)
        out.append(float(classification_error(arch, params[None], data)[0]))
    return out


def generalise(runs, lengths=LENGTHS, sequences=SEQUENCES, picks=PICKS):
    """Retrain the `pick`ed runs (batched engine) and test them at every length.

    Returns
    -------
    pandas.DataFrame
        `COLUMNS`: one row per chosen run and length.
    """
    lengths = tuple(lengths)
    if not lengths or any(not isinstance(n, int) or n < 1 for n in lengths):
        raise ValueError(f"lengths must be positive integers; got {list(lengths)}")
    chosen = pick(runs, picks)
    configs = [RunConfig.from_json(text) for text in chosen["config"]]
    seeds = {c.data_set_seed for c in configs}
    if any(FRESH_DATA_SEED + n in seeds for n in lengths):
        raise ValueError("a fresh data seed is one the runs trained on")
    fitted = fit_many(configs, "batched")
    rows = []
    with one_blas_thread():
        for (_, run), config, (result, params) in zip(chosen.iterrows(), configs, fitted):
            base = {c: run[c] for c in CONFIG_COLUMNS} | {
                "pick": run["pick"], "validation_error": run["validation_error"],
                "test_error": run["test_error"], "retrained_test_error": result.test_error,
                "sequences": sequences}
            for length, error in zip(lengths, length_errors(config, params, lengths,
                                                            sequences)):
                rows.append(base | {"length": length, "error": error})
    return pd.DataFrame(rows, columns=list(COLUMNS))


def keeps(frame, factor=KEEP_FACTOR, points=KEEP_POINTS, pick_="best"):
    """``{task: {cell: (variants kept, variants, mean error at 20, mean error at
    factor x 20)}}``: in how many of a task's variants the `pick_` network's error at
    ``factor`` x 20 steps stays within `points` of its error at 20 steps, and the two
    errors' means over the variants.  Empty when those lengths were not both tested."""
    long_ = SEQUENCE_LENGTH * factor
    part = frame[frame["pick"] == pick_]
    wide = part.pivot_table(index=["task", "variant", "cell"], columns="length",
                            values="error")
    if SEQUENCE_LENGTH not in wide or long_ not in wide:
        return {}
    kept = (wide[long_] - wide[SEQUENCE_LENGTH] <= points + 1e-9).rename("kept").reset_index()
    kept["short"], kept["long"] = wide[SEQUENCE_LENGTH].to_numpy(), wide[long_].to_numpy()
    out = {}
    for (task, cell), group in kept.groupby(["task", "cell"], sort=False):
        out.setdefault(task, {})[cell] = (int(group["kept"].sum()), len(group),
                                          float(group["short"].mean()),
                                          float(group["long"].mean()))
    return {t: out[t] for t in ordered_tasks(out)}


def keep_summary(frame):
    """One line per task: the cells whose best networks keep their error in every variant."""
    lines = []
    for task, cells in keeps(frame).items():
        kept = [c for c, (k, n, *_) in cells.items() if k == n]
        lines.append(f"{task}: {', '.join(kept) if kept else 'none'}")
    return lines


def keep_markdown(frame):
    """The lines of the table of `keeps` (with the sentence that says what it counts)."""
    lines = [f"Best networks whose error at {SEQUENCE_LENGTH * KEEP_FACTOR} steps is at most "
             f"{KEEP_POINTS:g} points above their error at {SEQUENCE_LENGTH} steps, in how "
             "many of the task's variants (in brackets: the mean error over the variants at "
             f"{SEQUENCE_LENGTH} and at {SEQUENCE_LENGTH * KEEP_FACTOR} steps, %):", ""]
    table = keeps(frame)
    if not table:
        return lines + [f"(needs lengths {SEQUENCE_LENGTH} and "
                        f"{SEQUENCE_LENGTH * KEEP_FACTOR})"]
    cells = [c for c in TABLE1_CELL_ORDER if any(c in v for v in table.values())]
    lines += ["| task | " + " | ".join(cells) + " | keep in every variant |",
              "|---|" + "---:|" * len(cells) + "---|"]
    for task, counts in table.items():
        kept = [c for c, (k, n, *_) in counts.items() if k == n]
        lines.append(f"| {task} | " + " | ".join(
            "–" if c not in counts else "%d/%d (%.1f → %.1f)" % counts[c] for c in cells)
            + f" | {', '.join(kept) or 'none'} |")
    return lines


def to_markdown(frame, source=""):
    """``generalisation.md``: per variant x cell, the error at every length, best and median."""
    lengths = sorted(frame["length"].unique())
    lines = ["# Does the learned memory generalise to longer sequences?", ""]
    if source:
        lines += [source, ""]
    networks = frame.drop_duplicates(["key"])
    gap = (networks["test_error"] - networks["retrained_test_error"]).abs()
    lines += [
        "For each task variant x cell, the run with the lowest validation error (**best**) "
        "and the median one (**median**), retrained exactly with the batched engine and "
        f"tested on {int(frame['sequences'].iloc[0])} fresh sequences per length, drawn by "
        f"the task's rule from data seed {FRESH_DATA_SEED:,} + length (never seen in "
        "training).  Error: % of steps with a target whose argmax is wrong.  Every length "
        "is evaluated by the batched engine; PyBrain is its reference only in the tests "
        "(the forward pass on 100-step sequences equals PyBrain's).  *test* is the stored "
        "test error on the 16 test sequences of the protocol's data set; "
        + ("every retrained network reproduced it." if (gap <= 1e-6).all() else
           f"{int((gap > 1e-6).sum())} retrained networks did not reproduce it exactly "
           f"(largest difference {gap.max():.2f} points)."),
        "", f"## Which cells keep their error when the length grows {KEEP_FACTOR}-fold", ""]
    lines += keep_markdown(frame)
    lines += ["", "## Error by length", "",
              "| variant | cell | pick | architecture | valid. error | test | "
              + " | ".join(f"L={n}" for n in lengths) + " |",
              "|---|---|---|---|---:|---:|" + "---:|" * len(lengths)]
    for (variant, cell, pick_), group in frame.groupby(["variant", "cell", "pick"],
                                                       sort=False):
        r = group.iloc[0]
        by_length = dict(zip(group["length"], group["error"]))
        lines.append(
            f"| {variant} | {cell} | {pick_} | L{r['layers']} H{r['hidden']} {r['skip']} "
            f"d0 {r['delta0']:g} s{r['seed']} | {r['validation_error']:.4f} | "
            f"{r['test_error']:.1f} | "
            + " | ".join(f"{by_length[n]:.1f}" for n in lengths) + " |")
    return "\n".join(lines) + "\n"


def plot(frame, path):
    """Error against length per task (mean over its variants), one line per cell:
    solid the best networks, dashed the median ones."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import NullLocator

    task_names = ordered_tasks(frame["task"])
    fig = Figure(figsize=(3.2 * len(task_names), 3.4), constrained_layout=True)
    axes = fig.subplots(1, len(task_names), sharey=True, squeeze=False)
    means = frame.groupby(["task", "cell", "pick", "length"])["error"].mean()
    for ax, task in zip(axes[0], task_names):
        for (cell, pick_), series in means[task].groupby(level=[0, 1]):
            series = series.droplevel([0, 1])
            ax.plot(series.index, series.values, "-" if pick_ == "best" else "--",
                    marker="o", ms=3, color=CELL_COLOURS.get(cell),
                    label=cell if pick_ == "best" else None)
        ax.set(title=task, xscale="log", xlabel="sequence length")
        ax.set_xticks(sorted(frame["length"].unique()),
                      [str(n) for n in sorted(frame["length"].unique())])
        ax.xaxis.set_minor_locator(NullLocator())
        ax.axvline(SEQUENCE_LENGTH, color="grey", lw=0.8, ls=":")
    axes[0][0].set_ylabel("test error (%), mean over variants")
    axes[0][-1].legend(fontsize=7, title="solid best, dashed median", title_fontsize=7)
    save_figure(fig, path, dpi=120)
