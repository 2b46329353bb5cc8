"""One document to read: ``REPORT.md`` of a results folder, with its figures.

    text = build("results/paper/stated", reading, profile)   # writes the figures, returns Markdown

A results folder (``results/<profile>/<reading>/``) holds ``runs.csv.gz`` and
what the commands made from it.  `build` puts together, from those files:

1. Table I against the published one: the agreement measures
   (`reproduce.analysis.sensitivity.metrics`), a heat map of ours − published per
   entry (``report_table1_diff.png``) and the ours-vs-published scatter
   (``report_scatter.png``);
2. the paper's claims (``claims.csv``; computed and written if absent);
3. the ANOVA shares (``anova.csv``; computed and written if absent);
4. the generalisation to longer sequences (``generalisation.csv``, the cache
   ``python -m reproduce generalise`` writes; never retrained here);
5. the learning curves of a sample of runs (``curves.csv.gz``, the cache
   ``python -m reproduce curves`` writes);
6. Figure 6 and its GRU companion (``figures/figure6.png``,
   ``figures/figure6_gru.png`` from ``python -m reproduce figure6``);

and the exact command that made each part.  Nothing is trained, so it takes
seconds (plus the ANOVA's and the claims' own seconds when their files are
missing); a missing part says which command makes it.
"""
import shlex
from pathlib import Path

import numpy as np
import pandas as pd

from reproduce.analysis import anova, claims, curves, generalise, sensitivity, style, table1
from reproduce.experiment.protocol import TABLE1_CELL_ORDER
from reproduce.store.files import replacing, save_figure, write_text
from reproduce.store.selection import ok_runs

# The share of the colour scale's half-range beyond which RdBu_r's cells are dark enough
# to need white labels.
DARK_SHARE = 0.6
FILES = ("REPORT.md", "report_table1_diff.png", "report_scatter.png", "claims.csv", "claims.md",
         "anova.csv", "anova.md", "anova_shares.png", "generalisation.png",
         "learning_curves.png")   # what `build` and the command may write

FIGURES = {"figure6": ("the paper's Figure 6 network (2 x 5 LSTM, skip both, Multiswitch "
                       "k=3)", ""),
           "figure6_gru": ("its GRU companion: a GRU on Single Variable Binding (k=4)",
                           " --cell gru --task svb --k 4 --name figure6_gru")}


def plot_differences(side, path):
    """Heat maps of ours − published per Table I entry: minimum, mean and std."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    variants = list(dict.fromkeys(side["variant"]))
    cells = [c for c in TABLE1_CELL_ORDER if c in set(side["cell"])]
    fig, axes = plt.subplots(1, len(table1.STATISTICS), figsize=(12, 0.32 * len(variants) + 1.6),
                             constrained_layout=True)
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
    plt.close(fig)


def label_colour(value, limit):
    """The colour of a heat map cell's label: white on the darkest cells of RdBu_r (beyond
    `DARK_SHARE` of the half-range `limit`), black on the others."""
    return "white" if abs(value) > DARK_SHARE * limit else "black"


def _without_title(markdown):
    """A command's Markdown without its first (title) line and the blank one after."""
    return markdown.split("\n", 2)[2]


def _read_or_make(path, make, write):
    """``(frame, made)``: the CSV at `path`, or `make()` written there by `write`."""
    if path.is_file():
        return pd.read_csv(path), False
    frame = make()
    write(frame)
    return frame, True


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


def _section_claims(runs, directory, published):
    frame, made = _read_or_make(
        directory / "claims.csv", lambda: claims.evaluate(runs, published),
        lambda f: _write_csv(f, directory / "claims.csv", "%.4f"))
    frame = frame.fillna({"detail": "", "published_detail": ""})
    body = _without_title(claims.to_markdown(frame))
    lines = ["## 2. The paper's claims", ""]
    if made:
        write_text(directory / "claims.md", claims.to_markdown(frame))
        lines += ["(`claims.csv` was missing: computed now by `reproduce.analysis.claims`.)", ""]
    return lines + [body.rstrip(), ""]


def _section_anova(runs, directory):
    frame, made = _read_or_make(
        directory / "anova.csv", lambda: anova.analyse(runs),
        lambda f: (_write_csv(f, directory / "anova.csv", "%.6g"),
                   write_text(directory / "anova.md", anova.to_markdown(f))))
    lines = ["## 3. What drives the error", ""]
    if frame.empty:
        return lines + ["No task's runs vary in a factor and leave a residual degree of "
                        "freedom: nothing to decompose.", ""]
    anova.plot_shares(frame, directory / "anova_shares.png")
    lines += ["Share of the sum of squares of the test error per task (type-II ANOVA on "
              "variant, cell, architecture, width, step size, seed and their two-way "
              "interactions; `reproduce/anova.py`):", ""]
    lines += anova.largest_terms_markdown(frame)
    lines += ["", "![shares of the sum of squares](anova_shares.png)", "",
              "Every term with its interval: [anova.md](anova.md)"
              + (" (computed now: `anova.csv` was missing)." if made else "."), ""]
    return lines


def _section_generalisation(directory, command):
    lines = ["## 4. Does the learned memory generalise to longer sequences?", ""]
    path = directory / generalise.CSV
    if not path.is_file():
        return lines + ["Not computed yet (it retrains 200 networks: minutes).  Run", "",
                        f"    {command}", ""]
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
    path = directory / curves.CSV
    if not path.is_file():
        return lines + ["Not computed yet (it retrains a sample of runs: about a minute).  "
                        "Run", "", f"    {command}", ""]
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
        path = directory / "figures" / f"{stem}.png"
        if path.is_file():
            lines += [f"{what[0].upper()}{what[1:]}{_figure_summary(path.with_suffix('.npz'))}:",
                      "", f"![{stem}](figures/{stem}.png)", ""]
        else:
            lines += [f"{what[0].upper()}{what[1:]}: not drawn yet; run `{commands[stem]}`.",
                      ""]
    return lines


def commands(directory, reading, profile):
    """The command that makes each part of the report, by part name."""
    folder = shlex.quote(str(directory))
    db = shlex.quote(f"{directory}/runs.csv.gz")
    figures = shlex.quote(f"{directory}/figures")
    select = f"--reading {reading.name}" + (f" --profile {profile.name}" if profile else "")
    out = {"report": f"python -m reproduce report --results {folder}",
           "table1": f"python -m reproduce table1 --db {db} {select} --out {folder}",
           "claims": f"python -m reproduce claims --db {db} {select} --out {folder}",
           "anova": f"python -m reproduce anova --db {db} {select} --out {folder}",
           "generalise": f"python -m reproduce generalise --db {db} {select} --out {folder}",
           "curves": f"python -m reproduce curves --db {db} {select} --out {folder}"}
    for stem, (_, options) in FIGURES.items():
        out[stem] = (f"python -m reproduce figure6 --reading {reading.name}{options} "
                     f"--out {figures}")
    return out


def build(directory, reading, profile=None, published=None, runs=None):
    """Write the report's figures into `directory` and return ``REPORT.md``'s text.

    Parameters
    ----------
    directory : path
        The results folder; its ``runs.csv.gz`` is read.
    reading : readings.Reading
        Only its runs are reported.
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
    made = commands(directory, reading, profile)
    lines = [f"# Report: reading `{reading.name}`"
             + (f", profile `{profile.name}`" if profile else ""), "",
             f"Reading: {reading.describe()}; {len(ok):,} runs in `runs.csv.gz`"
             + (f" ({len(runs) - len(ok)} failed)" if len(runs) > len(ok) else "") + ".  "
             f"Made by `{made['report']}` (seconds; it trains nothing).", ""]
    lines += _section_table1(ok, directory, reading, profile, published)
    lines += _section_claims(ok, directory, published)
    lines += _section_anova(ok, directory)
    lines += _section_generalisation(directory, made["generalise"])
    lines += _section_curves(directory, ok, made["curves"])
    lines += _section_figures(directory, made)
    lines += ["## How each part was made", "",
              "Run from the repository root (`.venv/bin/python`); each writes into this "
              "folder.", "", "| part | command |", "|---|---|"]
    parts = (("this report, its heat map and scatter", "report"),
             ("Table I (`table1.{csv,md,tex}`)", "table1"), ("claims", "claims"),
             ("ANOVA (`anova.{csv,md}`, `anova_shares.png`)", "anova"),
             ("generalisation (`generalisation.{csv,md,png}`)", "generalise"),
             ("learning curves (`curves.{csv.gz,md}`, `learning_curves.png`)", "curves"),
             ("Figure 6", "figure6"), ("its GRU companion", "figure6_gru"))
    lines += [f"| {what} | `{made[name]}` |" for what, name in parts]
    return "\n".join(lines) + "\n"
