"""How close a reading's Table I comes to the published one: the sensitivity study's numbers.

    side = table1.compare(table1.summarise(runs), table1.load_published())
    row = metrics(side)              # one row of sensitivity.csv (a dict)
    frame = pd.DataFrame([{"reading": name, **metrics(side)} for name, side in ...])
    to_markdown(frame); plot_variance(frame, path); plot_scatter(sides, path)

Every measure compares the 100 Table I entries (20 task variants x 5 cells) that
have both our value and the published one:

``mae_<stat>``
    mean |ours - published| of the minimum, mean and std (points).
``within_<stat>``
    entries within ``TABLE1_AGREEMENT_POINTS`` (5 points).
``best_cell``
    rows whose lowest-mean cell is the paper's (where the paper ties for best,
    any of the tied cells counts).
``rho``
    mean over the rows of the Spearman correlation of the 5 cells' means
    (rows where either side is constant are left out).
``solved``
    entries where ours and the paper agree on "solved" (minimum <= 1 %).
``r_means``
    Pearson correlation of the 100 means.
``mae_mean_<task>``
    ``mae_mean`` within one task.
``bias_<cell>``
    mean of ours - published over one cell type's 20 means (signed).
"""
import math

import numpy as np
import pandas as pd
from scipy import stats

from reproduce.analysis.style import CELL_COLOURS
from reproduce.analysis.table1 import STATISTICS
from reproduce.experiment.protocol import GRID_CELLS, TABLE1_AGREEMENT_POINTS, TABLE1_CELL_ORDER
from reproduce.store.files import save_figure
from tasks.registry import TASKS

SOLVED_POINTS = 1.0            # "solved": a minimum test error of at most 1 %
_SHORT = {"min_error": "min", "mean_error": "mean", "std_error": "std"}


def metrics(side, points=TABLE1_AGREEMENT_POINTS):
    """The agreement measures (module docstring) of one `table1.compare` frame."""
    both = side.dropna(subset=["mean_error", "mean_error_published"])
    out = {"entries": int(len(both)), "runs": int(side["n_runs"].sum())}
    for stat in STATISTICS:
        diff = (side[stat] - side[f"{stat}_published"]).dropna().abs()
        out[f"mae_{_SHORT[stat]}"] = float(diff.mean()) if len(diff) else math.nan
        out[f"within_{_SHORT[stat]}"] = int((diff <= points + 1e-9).sum())
    rows = [g for _, g in both.groupby("variant", sort=False) if len(g) >= 2]
    out["rows"] = len(rows)
    out["best_cell"] = sum(_same_best(g) for g in rows)
    rhos = [stats.spearmanr(g["mean_error"], g["mean_error_published"]).statistic
            for g in rows if g["mean_error"].nunique() > 1
            and g["mean_error_published"].nunique() > 1]
    out["rho"] = float(np.nanmean(rhos)) if rhos else math.nan
    mins = side.dropna(subset=["min_error", "min_error_published"])
    out["solved"] = int(((mins["min_error"] <= SOLVED_POINTS)
                         == (mins["min_error_published"] <= SOLVED_POINTS)).sum())
    out["r_means"] = (float(stats.pearsonr(both["mean_error"],
                                           both["mean_error_published"]).statistic)
                      if len(both) > 2 else math.nan)
    for task in TASKS:
        part = both[both["task"] == task]
        out[f"mae_mean_{task}"] = (float((part["mean_error"] - part["mean_error_published"])
                                         .abs().mean()) if len(part) else math.nan)
    for cell in GRID_CELLS:
        part = both[both["cell"] == cell]
        out[f"bias_{cell}"] = (float((part["mean_error"] - part["mean_error_published"]).mean())
                               if len(part) else math.nan)
    return out


def _same_best(group):
    ours = group.loc[group["mean_error"].idxmin(), "cell"]
    published = group["mean_error_published"]
    return bool(ours in set(group.loc[published == published.min(), "cell"]))


# sensitivity.md's columns: (column, heading, format)
_MD_COLUMNS = (
    ("reading", "reading", "{}"), ("runs", "runs", "{:,}"),
    ("mae_min", "MAE min", "{:.1f}"), ("mae_mean", "MAE mean", "{:.1f}"),
    ("mae_std", "MAE std", "{:.1f}"),
    ("within_mean", "mean within 5", "{}"), ("best_cell", "best cell", "{}"),
    ("rho", "ρ", "{:.2f}"), ("solved", "solved agrees", "{}"), ("r_means", "r means", "{:.2f}"),
    *((f"mae_mean_{t}", f"MAE mean {t}", "{:.1f}") for t in TASKS),
    *((f"bias_{c}", f"bias {c}", "{:+.1f}") for c in TABLE1_CELL_ORDER),
)


def to_markdown(frame, source=""):
    """``sensitivity.md``: one row per reading, the measures of the module docstring."""
    lines = ["# Sensitivity of Table I to the readings of the protocol", ""]
    if source:
        lines += [source, ""]
    lines += [
        "Each row is one reading (`reproduce.experiment.readings`) run over the same grid profile, "
        "compared with the published Table I over its 100 entries: mean absolute "
        "difference (MAE, points) of the minimum, mean and std; entries whose mean lies "
        f"within {TABLE1_AGREEMENT_POINTS:g} points; rows whose lowest-mean cell is the "
        "paper's (of 20); ρ, the mean per-row Spearman correlation of the 5 cells' means; "
        f"entries agreeing on 'solved' (minimum ≤ {SOLVED_POINTS:g} %, of 100); r, the "
        "Pearson correlation of the 100 means; the MAE of the means per task; the mean "
        "signed difference of the means per cell type (ours − published).", "",
        "| " + " | ".join(h for _, h, _ in _MD_COLUMNS) + " |",
        "|" + "---|" * len(_MD_COLUMNS)]
    for row in frame.to_dict("records"):
        lines.append("| " + " | ".join(
            "–" if _missing(row.get(c)) else fmt.format(row[c]) for c, _, fmt in _MD_COLUMNS)
            + " |")
    return "\n".join(lines) + "\n"


def _missing(value):
    return value is None or (isinstance(value, float) and math.isnan(value))


def plot_variance(frame, variances, path):
    """Agreement against initial variance for the readings that differ from stated only
    in it; `variances` maps reading name -> variance."""
    from matplotlib.figure import Figure

    part = frame[frame["reading"].isin(variances)].copy()
    part["variance"] = part["reading"].map(variances)
    part = part.sort_values("variance")
    fig = Figure(figsize=(10, 3.8), constrained_layout=True)
    left, right = fig.subplots(1, 2)
    for stat, style in (("mae_min", "o-"), ("mae_mean", "s-"), ("mae_std", "^-")):
        left.plot(part["variance"], part[stat], style, label=f"MAE {stat[4:]}")
    left.set(xscale="log", xlabel="initial variance", ylabel="mean |ours − published| (points)",
             title="Distance from the published Table I")
    left.legend()
    right.plot(part["variance"], part["rho"], "o-", label="ρ (per-row Spearman of means)")
    right.plot(part["variance"], part["r_means"], "s-", label="r of the 100 means")
    right.plot(part["variance"], part["best_cell"] / 20, "^-", label="best cell rows / 20")
    right.set(xscale="log", xlabel="initial variance", ylim=(-0.2, 1.0),
              title="Agreement of the orderings")
    right.legend(fontsize=8)
    for ax in (left, right):
        ax.axvline(0.3, color="grey", lw=0.8, ls=":")
    save_figure(fig, path, dpi=120)


def plot_scatter(sides, path, columns=4):
    """Ours against published mean error of the 100 entries, one panel per reading
    (`sides` maps reading name -> `table1.compare` frame), coloured by cell type."""
    from matplotlib.figure import Figure

    n = len(sides)
    rows = -(-n // columns)
    fig = Figure(figsize=(3.2 * columns, 3.2 * rows), constrained_layout=True)
    axes = fig.subplots(rows, columns, squeeze=False)
    for ax, (name, side) in zip(axes.flat, sides.items()):
        for cell, group in side.groupby("cell"):
            ax.scatter(group["mean_error_published"], group["mean_error"], s=12,
                       color=CELL_COLOURS.get(cell), label=cell)
        ax.plot([0, 70], [0, 70], color="grey", lw=0.8)
        ax.set(xlim=(0, 70), ylim=(0, 70), title=name, xlabel="published mean (%)",
               ylabel="ours (%)")
        ax.title.set_fontsize(8)
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    axes.flat[0].legend(fontsize=7)
    save_figure(fig, path, dpi=110)


def table(named_sides):
    """The sensitivity frame of ``{reading name: table1.compare frame}``."""
    return pd.DataFrame([{"reading": name, **metrics(side)}
                         for name, side in named_sides.items()])
