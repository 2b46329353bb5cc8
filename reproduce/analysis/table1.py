"""Table I from the results store, beside the published values.

    from reproduce.store.database import Store
    from reproduce.analysis import table1

    with Store.open("results/runs.sqlite") as store:
        runs = store.runs()
    ours = table1.summarise(runs, expected=table1.expected_counts(["paper"]))
    published = table1.load_published()            # the paper's, shipped with the package
    side = table1.compare(ours, published)
    text = table1.agreement_text(side)

`summarise` gives, per task variant x cell type (Table I's rows and columns),
the minimum, mean and standard deviation (``reproduce.experiment.protocol.TABLE1_STD_DDOF``) of the
test error over every ``ok`` run, the number of runs, of failed runs and of runs
the profile expects -- so a partial store gives a partial table that says how
complete each entry is.  Runs are read sorted by key, so the table does not
depend on the order in which a sweep stored them.  `compare` puts the published
values and ours-minus-published beside ours; `to_markdown` and `to_latex` lay
the table out as the paper does; `agreement` measures how close we are.

The published numbers ship with the package (``reproduce/data/table1_published.csv``,
transcribed from the paper's Table I; docs/protocol.md §5) and are read only to
print them beside ours; they never enter the store or ``table1.csv``.
"""
import math
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

import tasks
from reproduce.analysis.style import CELL_TITLES, STATISTIC_TITLES, TASK_TITLES
from reproduce.experiment.protocol import (
    TABLE1_AGREEMENT_POINTS,
    TABLE1_CELL_ORDER,
    TABLE1_RANK_STATISTIC,
    TABLE1_STD_DDOF,
)
from reproduce.store.files import replacing, together, write_text
from reproduce.store.selection import ok_runs

PUBLISHED_CSV = resources.files("reproduce") / "data" / "table1_published.csv"
PUBLISHED_COLUMNS = ("task", "steps_back", "input_dim", "cell", "min_error", "mean_error",
                     "std_error")
STATISTICS = ("min_error", "mean_error", "std_error")
ROW_COLUMNS = ("task", "steps_back", "input_dim", "variant", "cell")
COUNT_COLUMNS = ("n_runs", "n_failed", "n_expected")
FILES = ("table1.csv", "table1.md", "table1.tex")     # what `write_tables` writes


def expected_counts(profile_names, replicates=(0,)):
    """``{(variant, cell): runs}`` of the union of the named profiles' configurations,
    in each of `replicates` (every replicate has the same shape).

    Unknown names are ignored (a store may hold runs of a profile this code no
    longer defines).  Empty if no name is known.
    """
    from reproduce.experiment.profiles import PROFILES
    configs = {}
    for name in profile_names:
        if name in PROFILES:
            grid = PROFILES[name]
            configs.update(zip(grid.keys(), grid.configs()))
    counts = {}
    for config in configs.values():
        cell = (config.variant_id, config.cell)
        counts[cell] = counts.get(cell, 0) + len(replicates)
    return counts


def _row_order(variant_ids):
    """Table I's variants in the paper's order, then any others sorted."""
    table = [v.id for v in tasks.variants()]
    return table + sorted(set(variant_ids) - set(table))


def summarise(runs, expected=None):
    """Table I's statistics per variant x cell from store rows (`Store.runs()`).

    Parameters
    ----------
    runs : pandas.DataFrame
        Store rows; ``ok`` rows give the statistics, ``failed`` rows are counted.
    expected : dict, optional
        ``{(variant, cell): runs}`` from `expected_counts`; without it,
        ``n_expected`` is missing (NaN).

    Returns
    -------
    pandas.DataFrame
        One row per Table I variant x cell (``TABLE1_CELL_ORDER``), plus any other
        variant or cell with runs; columns `ROW_COLUMNS`, `COUNT_COLUMNS`,
        `STATISTICS`.  Statistics are NaN where a cell has no ``ok`` run.
    """
    expected = expected or {}
    runs = runs.sort_values("key", kind="stable")
    ok = ok_runs(runs)
    failed = runs[runs["status"] == "failed"]
    variant_ids = _row_order(set(runs["variant"]) | {v for v, _ in expected})
    cells = list(TABLE1_CELL_ORDER) + sorted(
        (set(runs["cell"]) | {c for _, c in expected}) - set(TABLE1_CELL_ORDER))
    errors = {cell: group["test_error"].to_numpy(dtype=float)
              for cell, group in ok.groupby(["variant", "cell"], sort=False)}
    n_failed = failed.groupby(["variant", "cell"]).size().to_dict()
    rows = []
    for variant_id in variant_ids:
        variant = tasks.parse_variant(variant_id)
        for cell in cells:
            values = errors.get((variant_id, cell), np.empty(0))
            n = len(values)
            rows.append({
                "task": variant.task, "steps_back": variant.steps_back, "input_dim": variant.k,
                "variant": variant_id, "cell": cell, "n_runs": n,
                "n_failed": int(n_failed.get((variant_id, cell), 0)),
                "n_expected": expected.get((variant_id, cell), math.nan),
                "min_error": float(values.min()) if n else math.nan,
                "mean_error": float(values.mean()) if n else math.nan,
                "std_error": float(values.std(ddof=TABLE1_STD_DDOF)) if n > TABLE1_STD_DDOF
                else math.nan,
            })
    table = pd.DataFrame(rows, columns=[*ROW_COLUMNS, *COUNT_COLUMNS, *STATISTICS])
    table["steps_back"] = table["steps_back"].astype("Int64")
    table["n_expected"] = table["n_expected"].astype("Int64")
    return table


def load_published(path=None):
    """The published Table I as ``(variant, cell) -> min/mean/std``.

    Parameters
    ----------
    path : str or Path, optional
        A CSV with the columns `PUBLISHED_COLUMNS` (lines starting ``#`` are
        comments); by default the paper's table shipped with the package.

    Raises
    ------
    ValueError
        If the file cannot be read or is not such a table; the message says why.
    """
    source = PUBLISHED_CSV if path is None else Path(path)
    expected = ", ".join(PUBLISHED_COLUMNS)
    try:
        with source.open("rb") as handle:
            frame = pd.read_csv(handle, comment="#")
    except OSError as exc:
        raise ValueError(f"cannot read {source}: {exc.strerror or exc}") from None
    except ValueError as exc:   # pandas' parser errors and undecodable bytes
        raise ValueError(f"{source} is not a CSV table ({str(exc).splitlines()[0]}); "
                         f"expected the columns {expected}") from None
    missing = [column for column in PUBLISHED_COLUMNS if column not in frame.columns]
    if missing:
        raise ValueError(f"{source} has no column {', '.join(missing)} (a published "
                         f"Table I has the columns {expected})")
    try:
        frame["variant"] = [
            tasks.Variant(task, int(k), None if pd.isna(n) else int(n)).id
            for task, k, n in zip(frame["task"], frame["input_dim"], frame["steps_back"])]
        for stat in STATISTICS:
            frame[stat] = pd.to_numeric(frame[stat])
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{source} is not a Table I: {exc}; expected the columns "
                         f"{expected}") from None
    return frame.set_index(["variant", "cell"])[list(STATISTICS)]


def compare(ours, published):
    """`ours` with ``<stat>_published`` and ``<stat>_diff`` (ours - published) columns."""
    side = ours.copy()
    for stat in STATISTICS:
        side[f"{stat}_published"] = [published[stat].get((v, c), math.nan)
                                     for v, c in zip(side["variant"], side["cell"])]
        side[f"{stat}_diff"] = side[stat] - side[f"{stat}_published"]
    return side


def _ranking(values):
    """Cell names ordered by value (ties by name)."""
    return [cell for cell, _ in sorted(values.items(), key=lambda item: (item[1], item[0]))]


def _rankings_agree(ours, published):
    """True when every pair of cells that the published values order strictly is
    ordered the same way by ours (ties in the published table constrain nothing)."""
    cells = list(ours)
    for i, a in enumerate(cells):
        for b in cells[i + 1:]:
            if published[a] != published[b]:
                if (ours[a] - ours[b]) * (published[a] - published[b]) <= 0:
                    return False
    return True


def agreement(side, points=TABLE1_AGREEMENT_POINTS, rank_by=TABLE1_RANK_STATISTIC):
    """How close our table is to the published one.

    Returns
    -------
    dict
        ``cells``: entries with a published value; for each statistic,
        ``mad`` (mean absolute difference over entries that have both),
        ``within`` (entries within `points`) and ``compared``; ``rows``: per
        variant, the cells ranked by `rank_by` in ours and in the published
        table and whether the rankings agree (None when fewer than two cells
        have both values).
    """
    out = {"points": points, "rank_by": rank_by, "statistics": {}, "rows": []}
    has_published = side[[f"{s}_published" for s in STATISTICS]].notna().any(axis=1)
    out["cells"] = int(has_published.sum())
    for stat in STATISTICS:
        diff = side[f"{stat}_diff"].dropna().abs()
        out["statistics"][stat] = {
            "compared": int(len(diff)),
            "mad": float(diff.mean()) if len(diff) else math.nan,
            "within": int((diff <= points + 1e-9).sum()),
        }
    for variant_id, group in side.groupby("variant", sort=False):
        both = group[group[rank_by].notna() & group[f"{rank_by}_published"].notna()]
        ours = dict(zip(both["cell"], both[rank_by]))
        published = dict(zip(both["cell"], both[f"{rank_by}_published"]))
        if not (group[f"{rank_by}_published"].notna().any()):
            continue
        out["rows"].append({
            "variant": variant_id, "cells": len(both),
            "ours": _ranking(ours), "published": _ranking(published),
            "agrees": _rankings_agree(ours, published) if len(both) >= 2 else None,
        })
    return out


def completeness(side):
    """``(runs ok, runs expected, complete cells, partial cells, empty cells)`` over
    the entries that expect runs."""
    expecting = side[side["n_expected"].fillna(0) > 0]
    done = np.minimum(expecting["n_runs"] + expecting["n_failed"], expecting["n_expected"])
    return (int(expecting["n_runs"].sum()), int(expecting["n_expected"].sum()),
            int((done >= expecting["n_expected"]).sum()),
            int(((done > 0) & (done < expecting["n_expected"])).sum()),
            int((done == 0).sum()))


def agreement_text(side, points=TABLE1_AGREEMENT_POINTS, rank_by=TABLE1_RANK_STATISTIC):
    """The printed summary of `agreement` (several lines)."""
    result = agreement(side, points, rank_by)
    names = {"min_error": "min", "mean_error": "mean", "std_error": "std"}
    if not result["cells"]:
        return "no published values to compare with"
    stats = result["statistics"]
    compared = max(stats[s]["compared"] for s in STATISTICS)
    lines = [f"Agreement with the published Table I ({compared} of {result['cells']} "
             "published entries have runs of ours):"]
    lines.append("  mean |ours - published|: " + ", ".join(
        f"{names[s]} {stats[s]['mad']:.1f}" for s in STATISTICS) + " points")
    lines.append(f"  within {points:g} points: " + ", ".join(
        f"{names[s]} {stats[s]['within']}/{stats[s]['compared']}" for s in STATISTICS))
    ranked = [r for r in result["rows"] if r["agrees"] is not None]
    lines.append(f"  ranking of cell types by {names.get(rank_by, rank_by)} error agrees in "
                 f"{sum(r['agrees'] for r in ranked)} of {len(ranked)} rows "
                 "(best first; cells the paper ties may come in either order):")
    width = max((len(r["variant"]) for r in ranked), default=0)
    for row in ranked:
        partial = "" if row["cells"] == len(TABLE1_CELL_ORDER) else f"  ({row['cells']} cells)"
        lines.append(f"    {row['variant']:<{width}}  {'agrees' if row['agrees'] else 'differs':<7}"
                     f"  ours {' < '.join(row['ours'])}  |  paper "
                     f"{' < '.join(row['published'])}{partial}")
    missing = len(result["rows"]) - len(ranked)
    if missing:
        lines.append(f"    ({missing} rows have fewer than two cell types with runs)")
    return "\n".join(lines)


def _fmt(value, digits=1, missing="–"):
    return missing if value is None or pd.isna(value) else f"{value:.{digits}f}"


def _layout_rows(side):
    """Yield (task title or '', steps back label or '', input dim, rows of that variant)."""
    last_task, last_steps = None, None
    for variant_id, group in side.groupby("variant", sort=False):
        first = group.iloc[0]
        task, steps = first["task"], first["steps_back"]
        steps_label = "dynamic" if pd.isna(steps) else str(int(steps))
        title = TASK_TITLES.get(task, task) if task != last_task else ""
        shown_steps = steps_label if (task, steps_label) != last_steps else ""
        last_task, last_steps = task, (task, steps_label)
        yield title, shown_steps, int(first["input_dim"]), group.set_index("cell")


def to_markdown(side, source="", summary=""):
    """Table I in the paper's layout, one table per statistic; each entry is
    ``ours / published (difference)``, then the run counts and `summary`."""
    cells = [c for c in side["cell"].unique()]
    head = ("| Task | Steps back | Input dimension | "
            + " | ".join(CELL_TITLES.get(c, c) for c in cells) + " |\n"
            + "|---|---|---|" + "---:|" * len(cells) + "\n")
    out = ["# Table I: ours beside the published values", ""]
    out.append(
        "Test-set error (%) over all runs of each task variant and cell type (every "
        "architecture, width, RProp step and seed of the profile): minimum, mean and standard "
        f"deviation (ddof {TABLE1_STD_DDOF}).  Each entry is **ours** / published "
        "(ours − published); `*` marks an entry whose runs are not all in the store yet "
        "(see *Runs per entry*).")
    if source:
        out += ["", source]
    for stat in STATISTICS:
        out += ["", f"## {STATISTIC_TITLES[stat]}", "", head.rstrip("\n")]
        for title, steps, k, rows in _layout_rows(side):
            entries = []
            for cell in cells:
                r = rows.loc[cell]
                mark = "*" if _incomplete(r) else ""
                diff = r[f"{stat}_diff"]
                entries.append(f"**{_fmt(r[stat])}**{mark} / {_fmt(r[f'{stat}_published'])}"
                               + ("" if pd.isna(diff) else f" ({diff:+.1f})"))
            out.append(f"| {title} | {steps} | {k} | " + " | ".join(entries) + " |")
    out += ["", "## Runs per entry", "",
            "Runs stored `ok` / runs the profile expects (failed runs in brackets).", "",
            head.rstrip("\n")]
    for title, steps, k, rows in _layout_rows(side):
        entries = []
        for cell in cells:
            r = rows.loc[cell]
            expected = "?" if pd.isna(r["n_expected"]) else str(int(r["n_expected"]))
            failed = f" ({int(r['n_failed'])} failed)" if r["n_failed"] else ""
            entries.append(f"{int(r['n_runs'])}/{expected}{failed}")
        out.append(f"| {title} | {steps} | {k} | " + " | ".join(entries) + " |")
    if summary:
        out += ["", "## Agreement", "", "```", summary, "```"]
    return "\n".join(out) + "\n"


def _incomplete(row):
    return not pd.isna(row["n_expected"]) and row["n_runs"] + row["n_failed"] < row["n_expected"]


def to_latex(side, caption=""):
    """Our Table I in the paper's layout (booktabs): min, mean and std per cell type."""
    cells = [c for c in side["cell"].unique()]
    n = len(cells)
    names = " & ".join(CELL_TITLES.get(c, c) for c in cells)
    lines = [
        r"\begin{table*}",
        r"\centering",
        r"\begin{tabular}{lll" + ("r" * n) * len(STATISTICS) + "}",
        r"\toprule",
        " & & & " + " & ".join(rf"\multicolumn{{{n}}}{{c}}{{{STATISTIC_TITLES[s]}}}"
                               for s in STATISTICS) + r" \\",
        "".join(rf"\cmidrule(lr){{{4 + i * n}-{3 + (i + 1) * n}}}"
                for i in range(len(STATISTICS))),
        r"Task & Steps back & Input dimension & " + " & ".join([names] * len(STATISTICS))
        + r" \\",
        r"\midrule",
    ]
    for title, steps, k, rows in _layout_rows(side):
        if title and lines[-1] != r"\midrule":
            lines.append(r"\addlinespace")
        values = [_fmt(rows.loc[c, s], missing="--") for s in STATISTICS for c in cells]
        lines.append(f"{title} & {steps} & {k} & " + " & ".join(values) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}"]
    if caption:
        lines.append(rf"\caption{{{caption}}}")
    lines.append(r"\end{table*}")
    return "\n".join(lines) + "\n"


def write_tables(ours, side, out, source="", summary=None):
    """Write ``table1.csv``, ``.md`` and ``.tex`` into the folder `out`; return their paths.

    `side` is ``compare(ours, published)``; `summary` defaults to its
    `agreement_text`.  The three replace the old ones together or not at all
    (`reproduce.store.files.together`)."""
    out = Path(out)
    written = [out / name for name in FILES]
    summary = agreement_text(side) if summary is None else summary
    with together():
        to_csv(ours, written[0])
        write_text(written[1], to_markdown(side, source=source, summary=summary))
        write_text(written[2], to_latex(
            ours, caption=f"Test-set error (\\%) per task variant and cell type; "
                          f"{int(ours['n_runs'].sum()):,} runs."))
    return written


def to_csv(ours, path):
    """``table1.csv``: our statistics and run counts (no published values)."""
    with replacing(path) as temporary:
        ours[[*ROW_COLUMNS, *COUNT_COLUMNS, *STATISTICS]].to_csv(temporary, index=False,
                                                                  float_format="%.6g")
