"""One document to read: ``REPORT.md`` of a results folder, with its figures.

    text = build("results/paper/stated", reading, profile, commands=...)   # Markdown

A results folder (``results/<profile>/<reading>/``) holds ``runs.csv.gz`` and
what the commands made from it.  `build` puts together, from those files:

1. Table I against the published one: the agreement measures
   (`reproduce.analysis.sensitivity.metrics`), a heat map of ours − published per
   entry (``report_table1_diff.png``) and the ours-vs-published scatter
   (``report_scatter.png``);
2. the paper's claims (``claims.csv``, which ``reproduce claims`` writes);
3. the ANOVA shares (``anova.csv``, which ``reproduce anova`` writes);
4. the generalisation to longer sequences (``generalisation.csv``, the cache
   ``reproduce generalise`` writes);
5. the learning curves of a sample of runs (``curves.csv.gz``, the cache
   ``reproduce curves`` writes);
6. Figure 6 and its GRU companion (``figures/figure6.png``,
   ``figures/figure6_gru.png`` from ``reproduce figure6``);

and the command that made each part.  It reads only what exists: it computes
no part another command makes, trains nothing and writes only ``REPORT.md``'s
figures, so it takes seconds.  A missing part (`missing`) says which command
makes it.  The command lines are given by the caller (``reproduce report`` takes
them from the CLI's own definitions), one per name of `PARTS`, plus ``report``
and ``table1``.
"""
from pathlib import Path

import numpy as np
import pandas as pd

from reproduce.analysis import anova, claims, curves, generalise, sensitivity, style, table1
from reproduce.analysis.markdown import p_value
from reproduce.experiment.protocol import TABLE1_CELL_ORDER
from reproduce.store.files import replacing, save_figure
from reproduce.store.selection import ok_runs

# The share of the colour scale's half-range beyond which RdBu_r's cells are dark enough
# to need white labels.
DARK_SHARE = 0.6
FILES = ("REPORT.md", "report_table1_diff.png", "report_scatter.png", "anova_shares.png",
         "generalisation.png", "learning_curves.png")   # what `build` and the command write
# figure name -> (what it shows, the figure6 options that draw it beyond --reading and --out)
FIGURES = {"figure6": ("the paper's Figure 6 network (2 x 5 LSTM, skip both, Multiswitch "
                       "k=3)", {}),
           "figure6_gru": ("its GRU companion: a GRU on Single Variable Binding (k=4)",
                           {"cell": "gru", "task": "svb", "k": 4, "name": "figure6_gru"})}
# part name (the command that makes it, or a figure) -> the file of the folder it reads
PARTS = {"claims": "claims.csv", "anova": "anova.csv",
         "generalise": generalise.CSV, "curves": curves.CSV, "noise": "noise_summary.csv",
         **{stem: f"figures/{stem}.png" for stem in FIGURES}}


def plot_differences(side, path):
    """Heat maps of ours − published per Table I entry: minimum, mean and std."""
    from matplotlib.figure import Figure

    variants = list(dict.fromkeys(side["variant"]))
    cells = [c for c in TABLE1_CELL_ORDER if c in set(side["cell"])]
    fig = Figure(figsize=(12, 0.32 * len(variants) + 1.6), constrained_layout=True)
    axes = fig.subplots(1, len(table1.STATISTICS))
    for ax, stat in zip(axes, table1.STATISTICS):
        grid = (side.pivot(index="variant", columns="cell", values=f"{stat}_diff")
                .reindex(index=variants, columns=cells))
        values = grid.to_numpy(float)                                     # (variants, cells)
        limit = max(np.nanmax(np.abs(values)), 1.0) if np.isfinite(values).any() else 1.0
        image = ax.imshow(values, cmap="RdBu_r", vmin=-limit, vmax=limit, aspect="auto")
        for (i, j), v in np.ndenumerate(values):
            if np.isfinite(v):
                ax.text(j, i, f"{v:+.0f}", ha="center", va="center", fontsize=7,
                        color=label_colour(v, limit))
        ax.set_xticks(range(len(cells)), [style.CELL_TITLES.get(c, c) for c in cells])
        ax.set_yticks(range(len(variants)), variants if ax is axes[0] else [""] * len(variants),
                      fontsize=7)
        ax.set_title(f"{style.STATISTIC_TITLES[stat]}: ours − published", fontsize=9)
        fig.colorbar(image, ax=ax, shrink=0.6, label="points")
    save_figure(fig, path, dpi=110)


def label_colour(value, limit):
    """The colour of a heat map cell's label: white on the darkest cells of RdBu_r (beyond
    `DARK_SHARE` of the half-range `limit`), black on the others."""
    return "white" if abs(value) > DARK_SHARE * limit else "black"


def _without_title(markdown):
    """A command's Markdown without its first (title) line and the blank one after."""
    return markdown.split("\n", 2)[2]


def missing(directory):
    """The names of `PARTS` whose file `directory` lacks, in `PARTS`' order."""
    return [name for name, path in PARTS.items() if not (Path(directory) / path).is_file()]


def _not_made(lines, what, command):
    return lines + [f"Not computed yet ({what}).  Run", "", f"    {command}", ""]


def _write_csv(frame, path, float_format):
    with replacing(path) as temporary:
        frame.to_csv(temporary, index=False, float_format=float_format)


def _section_table1(runs, directory, reading, profile, published):
    from reproduce.experiment.profiles import PROFILES
    expected = table1.expected_counts([profile.name] if profile else list(PROFILES))
    side = table1.compare(table1.summarise(runs, expected), published)
    plot_differences(side, directory / "report_table1_diff.png")
    sensitivity.plot_scatter({reading.name: side}, directory / "report_scatter.png", columns=1)
    m = sensitivity.metrics(side)
    lines = ["## 1. Table I against the published one", "",
             "| MAE min | MAE mean | MAE std | means within 5 | best cell rows | ρ | "
             "solved agrees | r of means |", "|---:|---:|---:|---:|---:|---:|---:|---:|",
             f"| {m['mae_min']:.1f} | {m['mae_mean']:.1f} | {m['mae_std']:.1f} | "
             f"{m['within_mean']}/{m['entries']} | {m['best_cell']}/{m['rows']} | "
             f"{m['rho']:.2f} | {m['solved']}/{m['entries']} | {m['r_means']:.2f} |", "",
             "(measures of `reproduce/sensitivity.py`; signed bias of the means, ours − "
             "published: " + ", ".join(f"{c} {m[f'bias_{c}']:+.1f}"
                                       for c in TABLE1_CELL_ORDER if f"bias_{c}" in m) + ")",
             "", "```", table1.agreement_text(side), "```", "",
             "![ours − published per Table I entry](report_table1_diff.png)", "",
             "![ours against published mean error](report_scatter.png)", ""]
    if (directory / "table1.md").is_file():
        lines += ["The whole table, ours / published: [table1.md](table1.md).", ""]
    return lines


def _section_claims(directory, command):
    lines = ["## 2. The paper's claims", ""]
    path = directory / PARTS["claims"]
    if not path.is_file():
        return _not_made(lines, "it decides each claim over the runs: seconds", command)
    frame = pd.read_csv(path).fillna({"detail": "", "published_detail": ""})
    body = _without_title(claims.to_markdown(frame))
    return lines + [body.rstrip(), ""]


def _section_anova(directory, command):
    lines = ["## 3. What drives the error", ""]
    path = directory / PARTS["anova"]
    if not path.is_file():
        return _not_made(lines, "it fits the ANOVA and its bootstrap: a minute", command)
    frame = pd.read_csv(path)
    if frame.empty:
        return lines + ["No task's runs vary in a factor and leave a residual degree of "
                        "freedom: nothing to decompose.", ""]
    anova.plot_shares(frame, directory / "anova_shares.png")
    lines += ["Share of the sum of squares of the test error per task (type-II ANOVA on "
              "variant, cell, architecture, width, step size, seed and their two-way "
              "interactions; `reproduce/anova.py`):", ""]
    lines += anova.largest_terms_markdown(frame)
    lines += ["", "![shares of the sum of squares](anova_shares.png)", "",
              "Every term with its interval: [anova.md](anova.md).", ""]
    return lines


def _section_generalisation(directory, command):
    lines = ["## 4. Does the learned memory generalise to longer sequences?", ""]
    path = directory / PARTS["generalise"]
    if not path.is_file():
        return _not_made(lines, "it retrains 200 networks: minutes", command)
    frame = pd.read_csv(path)
    generalise.plot(frame, directory / "generalisation.png")
    lines += ["Best (solid) and median (dashed) network of each variant x cell, retrained and "
              "tested on fresh sequences of each length (mean over the task's variants; "
              "`reproduce/generalise.py`).", "",
              "![error against sequence length](generalisation.png)", "",
              f"**Which cells keep their error when the length grows "
              f"{generalise.KEEP_FACTOR}-fold.**"]
    lines += generalise.keep_markdown(frame)
    return lines + ["", "Per network: [generalisation.md](generalisation.md).", ""]


def _section_curves(directory, runs, command):
    lines = ["## 5. How training proceeds", ""]
    path = directory / PARTS["curves"]
    if not path.is_file():
        return _not_made(lines, "it retrains a sample of runs: about a minute", command)
    frame = pd.read_csv(path)
    curves.plot(frame, directory / "learning_curves.png")
    body = _without_title(curves.to_markdown(frame, runs, path))
    return lines + [body.rstrip(), "", "![learning curves](learning_curves.png)", "",
                    "Every epoch of every sampled run: `curves.csv.gz` "
                    "(`reproduce/curves.py`).", ""]


def _figure_summary(npz):
    """`` (seed S of N, test error E %)`` from a figure's NPZ, or nothing."""
    from reproduce.analysis.figures import load_figure_data
    try:
        summary = load_figure_data(npz)["summary"]
    except (OSError, KeyError, ValueError):
        return ""
    return (f" (the lowest validation error of {summary['seeds_tried']} seeds: seed "
            f"{summary['seed']}, test error {summary['test_error']:.1f} %)")


def _section_figures(directory, commands):
    lines = ["## 6. Figure 6 and its GRU companion", ""]
    for stem, (what, _) in FIGURES.items():
        path = directory / PARTS[stem]
        if path.is_file():
            lines += [f"{what[0].upper()}{what[1:]}{_figure_summary(path.with_suffix('.npz'))}:",
                      "", f"![{stem}](figures/{stem}.png)", ""]
        else:
            lines += [f"{what[0].upper()}{what[1:]}: not drawn yet; run `{commands[stem]}`.",
                      ""]
    return lines


def _section_noise(directory, command):
    lines = ["## 7. Against the noise floor", ""]
    path = directory / PARTS["noise"]
    if not path.is_file():
        return _not_made(lines, "it needs at least 3 complete replicates of the grid in "
                         "runs.csv.gz: `reproduce sweep --replicates 1-2`, then `reproduce "
                         "table1` with that store as a second --db; a minute", command)
    summary = pd.read_csv(path)
    lines += ["Is the published table further from our replicates than they are from each "
              "other?  Per scope, the mean absolute difference of the means between each "
              "replicate and the pool of the others (the floor), against the published "
              "table's from the same pools (`reproduce/analysis/noise.py`):", "",
              "| scope | floor (mean, range) | published | ratio | p | verdict |",
              "|---|---:|---:|---:|---:|---|"]
    lines += [f"| {row.scope} | {row.floor_mae_mean:.2f} ({row.floor_range}) | "
              f"{row.published_mae_mean:.2f} | {row.ratio:.1f} | {p_value(row.p_value)} | "
              f"{row.verdict} |" for row in summary.itertuples()]
    lines += ["", "Every measure, the published entries outside our prediction intervals and "
              "where each entry's variance comes from: [noise.md](noise.md).", ""]
    if (directory / "noise_z.png").is_file():
        lines += ["![z of the published entries against our intervals](noise_z.png)", ""]
    return lines


def build(directory, reading, commands, profile=None, published=None, runs=None):
    """Write the report's figures into `directory` and return ``REPORT.md``'s text.

    Parameters
    ----------
    directory : path
        The results folder; its ``runs.csv.gz`` is read.
    reading : readings.Reading
        Only its runs are reported.
    commands : dict
        The command line that makes each part: one per name of `PARTS`, and
        ``report`` and ``table1``.
    profile : profiles.Profile, optional
        Only its runs; its run counts are the expected ones.
    published : pandas.DataFrame, optional
        `table1.load_published()`.
    runs : pandas.DataFrame, optional
        The folder's ``runs.csv.gz``, if the caller has read it.
    """
    from reproduce.store import runs_csv
    from reproduce.store.selection import select
    directory = Path(directory)
    if runs is None:
        runs = runs_csv.load(directory / "runs.csv.gz")
    runs = select(runs, reading, profile)
    ok = ok_runs(runs)
    if ok.empty:
        raise ValueError(f"{directory / 'runs.csv.gz'} has no ok runs of reading "
                         f"{reading.name}" + (f" and profile {profile.name}" if profile else ""))
    made = commands
    lines = [f"# Report: reading `{reading.name}`"
             + (f", profile `{profile.name}`" if profile else ""), "",
             f"Reading: {reading.describe()}; {len(ok):,} runs in `runs.csv.gz`"
             + (f" ({len(runs) - len(ok)} failed)" if len(runs) > len(ok) else "") + ".  "
             f"Made by `{made['report']}` (seconds; it trains nothing).", ""]
    lines += _section_table1(ok, directory, reading, profile, published)
    lines += _section_claims(directory, made["claims"])
    lines += _section_anova(directory, made["anova"])
    lines += _section_generalisation(directory, made["generalise"])
    lines += _section_curves(directory, ok, made["curves"])
    lines += _section_figures(directory, made)
    lines += _section_noise(directory, made["noise"])
    lines += ["## How each part was made", "",
              "Run from the repository root (`.venv/bin/python`); each writes into this "
              "folder.", "", "| part | command |", "|---|---|"]
    parts = (("this report, its heat map and scatter", "report"),
             ("Table I (`table1.{csv,md,tex}`)", "table1"), ("claims", "claims"),
             ("ANOVA (`anova.{csv,md}`, `anova_shares.png`)", "anova"),
             ("generalisation (`generalisation.{csv,md,png}`)", "generalise"),
             ("learning curves (`curves.{csv.gz,md}`, `learning_curves.png`)", "curves"),
             ("Figure 6", "figure6"), ("its GRU companion", "figure6_gru"),
             ("the noise floor (`noise_*.csv`, `noise.md`, `noise_z.png`)", "noise"))
    lines += [f"| {what} | `{made[name]}` |" for what, name in parts]
    return "\n".join(lines) + "\n"
