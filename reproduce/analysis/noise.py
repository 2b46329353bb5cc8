"""The noise floor: how far two honest replicates of one grid lie apart, and where the
published Table I stands against that.

A *replicate* is an independent rerun of a grid (`reproduce.experiment.profiles`):
its own draw of every task's data and its own parameter seeds.  With R >= 3
replicates of one reading::

    floor = study(runs, published)             # runs: the ok runs of R replicates
    write(floor, "results/quick/var0.09+cap50", source="...")

or piece by piece, over ``split = selection.by_replicate(runs)``::

    tables = replicate_tables(split)           # {replicate: Table I}
    pairs = pairwise_floor(tables)             # every measure between every pair of replicates
    stand = published_against_floor(split, published)
    entries = intervals(tables, table1.summarise(runs), published)
    parts = variance_components(split)

The measures are `reproduce.analysis.sensitivity.metrics`'s (MAE of min, mean
and std, entries within 5 points, best cell, rho, "solved" agreement, r of the
means), overall and within each task.

**Where the published table stands** (`published_against_floor`).  Leave one
replicate out at a time: replicate i is compared with the pooled table of the
other R - 1 (a Table I over all their runs), giving the floor values d_1..d_R.
The published table is compared with the same R pools of R - 1 replicates and
its values are averaged, p = mean_i m(published, pool without i), so that both
sides are measured against pools of one size.  Two figures say how unusual p is:

- ``rank``: how many of d_1..d_R are at least as far from their pool as the
  published table (for measures where higher means closer, at most as close),
  plus one, out of R + 1: the exact rank of a table that is just another
  replicate is uniform on 1..R + 1, so ``rank / (R + 1)`` is a p-value whose
  smallest possible value is 1 / (R + 1).
- ``p_value``: one-sided prediction test, t = (p - mean d) / (sd d * sqrt(1 + 1/R))
  with R - 1 degrees of freedom (the distances of replicates taken as roughly
  normal).  Averaging over the R pools makes p less variable than one d, so
  the test errs on the side of "within the noise".

**Table I with intervals** (`intervals`).  Per entry and statistic: the pooled
value over all replicates' runs, the replicates' values, and a 95 % prediction
interval for the value one new replicate gives, mean +- t(R - 1) * sd *
sqrt(1 + 1/R); ``z`` is (published - mean) / (sd * sqrt(1 + 1/R)).  An entry is
*outside* when the published value lies outside the interval.

**Where an entry's variance comes from** (`variance_components`).  Method of
moments on the balanced design replicate x configuration x seed of each entry:
the initialisation variance is the mean over (replicate, configuration) of the
variance across seeds; the data-draw variance is the mean over configurations
of the variance of the seed-means across replicates, less the initialisation
variance divided by the seeds per configuration (negative estimates are set to
0).  Both are variances of one run's test error with the configuration's own
effect removed.  The standard deviation of an entry's mean across replicates
is given as observed and as the two parts imply.
"""
import math
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

import tasks
from reproduce.analysis import sensitivity, table1
from reproduce.analysis.markdown import p_value
from reproduce.analysis.style import CELL_TITLES, TASK_TITLES, ordered_cells, ordered_tasks
from reproduce.analysis.table1 import STATISTICS
from reproduce.experiment.profiles import format_replicates
from reproduce.store.files import replacing, save_figure, together, write_text
from reproduce.store.selection import by_replicate

MIN_REPLICATES = 3
LEVEL = 0.95             # of the prediction intervals
SIGNIFICANCE = 0.05      # a p_value below this puts the published table outside the noise
# The measures of the floor, and whether a higher value means closer agreement.
MEASURES = {"mae_min": False, "mae_mean": False, "mae_std": False, "within_min": True,
            "within_mean": True, "within_std": True, "best_cell": True, "rho": True,
            "solved": True, "r_means": True}
SCOPES = ("all",)        # then every task, in Table I's order
_SHORT = {"min_error": "min", "mean_error": "mean", "std_error": "std"}


# The files `write` makes, CSVs first; noise_readings.csv only when other readings are judged.
CSV_FILES = ("noise_summary.csv", "noise_floor.csv", "noise_table1.csv",
             "noise_components.csv", "noise_readings.csv")
FILES = (*CSV_FILES, "noise.md", "noise_z.png")


@dataclass(frozen=True)
class Floor:
    """Everything `study` measures (each frame as its function returns it)."""
    replicates: tuple            # the replicates compared
    pairs: pd.DataFrame          # pairwise_floor
    stand: pd.DataFrame          # published_against_floor
    entries: pd.DataFrame        # intervals
    components: pd.DataFrame     # variance_components
    judged: pd.DataFrame = None  # judge_readings, when other readings were given

    def summary(self):
        """The verdict per scope (`verdicts`)."""
        return verdicts(self.stand)


def study(runs, published, others=None):
    """The whole floor of the ok runs `runs` (R >= 3 replicates, each complete): the pairs,
    the published table against them, Table I with intervals, the variance components and,
    given ``others`` (``{reading: Table I}``), other readings against the pairs."""
    split = by_replicate(runs)
    tables = replicate_tables(split)
    pairs = pairwise_floor(tables)
    return Floor(replicates=tuple(split), pairs=pairs,
                 stand=published_against_floor(split, published),
                 entries=intervals(tables, table1.summarise(runs), published),
                 components=variance_components(split),
                 judged=(judge_readings(others, published, pairs) if others is not None
                         else None))


def write(floor, out, source=""):
    """Write `floor` (`study`) to the folder `out`, every file together or none (`FILES`);
    the paths written."""
    out = Path(out)
    frames = dict(zip(CSV_FILES, (floor.summary(),
                                  floor.stand.merge(floor.pairs, on=["scope", "measure"],
                                                    suffixes=("", "_pairs")),
                                  floor.entries, floor.components, floor.judged)))
    frames = {name: frame for name, frame in frames.items() if frame is not None}
    text = to_markdown(floor.pairs, floor.stand, floor.entries, floor.components, source,
                       floor.replicates, floor.judged)
    with together():
        for name, frame in frames.items():
            with replacing(out / name) as temporary:
                frame.to_csv(temporary, index=False, float_format="%.4f")
        write_text(out / "noise.md", text)
        plot_z(floor.entries, out / "noise_z.png")
    return [out / name for name in frames] + [out / "noise.md", out / "noise_z.png"]


def replicate_tables(split):
    """``{replicate: Table I}`` (`table1.summarise`) of ``{replicate: ok runs}``."""
    return {r: table1.summarise(runs) for r, runs in split.items()}


def as_published(table):
    """A Table I of ours in `table1.load_published`'s form, to compare another with."""
    return table.set_index(["variant", "cell"])[list(STATISTICS)]


def _pool(split, replicates):
    return table1.summarise(pd.concat([split[r] for r in replicates]))


def _scoped_metrics(side):
    """``{scope: {measure: value}}``: the measures overall and within each task."""
    out = {"all": _measures(side)}
    for task in ordered_tasks(side.dropna(subset=["mean_error"])["task"].unique()):
        out[task] = _measures(side[side["task"] == task])
    return out


def _measures(side):
    values = sensitivity.metrics(side)
    return {m: values[m] for m in MEASURES}


def pairwise_floor(tables):
    """Every measure between every pair of replicates (the first as ours, the second as
    published), overall and per task: one row per scope x measure with the mean,
    minimum and maximum over the pairs and the number of pairs."""
    values = {}
    for a, b in combinations(sorted(tables), 2):
        side = table1.compare(tables[a], as_published(tables[b]))
        for scope, measures in _scoped_metrics(side).items():
            for measure, value in measures.items():
                values.setdefault((scope, measure), []).append(value)
    return pd.DataFrame([{"scope": scope, "measure": measure, "pairs": len(vals),
                          **_spread("floor", vals)} for (scope, measure), vals in values.items()])


def published_against_floor(split, published):
    """The published table against the leave-one-out floor (module docstring): one row per
    scope x measure with ``floor_mean``, ``floor_sd``, ``published`` (p), ``rank`` (of
    R + 1), ``rank_p``, ``t``, ``p_value``, ``outside`` and the range of each
    replicate against the published table; `split` is ``{replicate: ok runs}``."""
    replicates = sorted(split)
    n = len(replicates)
    if n < MIN_REPLICATES:
        raise ValueError(f"the noise floor needs at least {MIN_REPLICATES} replicates, "
                         f"got {n} ({format_replicates(replicates)})")
    floor, against, alone = {}, {}, {}
    for r in replicates:
        pool = _pool(split, [o for o in replicates if o != r])
        own = table1.summarise(split[r])
        for scope, measures in _scoped_metrics(table1.compare(own, as_published(pool))).items():
            for m, v in measures.items():
                floor.setdefault((scope, m), []).append(v)
        for scope, measures in _scoped_metrics(table1.compare(pool, published)).items():
            for m, v in measures.items():
                against.setdefault((scope, m), []).append(v)
        for scope, measures in _scoped_metrics(table1.compare(own, published)).items():
            for m, v in measures.items():
                alone.setdefault((scope, m), []).append(v)
    rows = []
    for (scope, measure), d in floor.items():
        d = np.asarray(d, dtype=float)
        p = float(pd.Series(against[(scope, measure)], dtype=float).mean())
        each = _spread("replicate_vs_published", alone[(scope, measure)])
        rows.append({"scope": scope, "measure": measure, "replicates": n,
                     **_spread("floor", d), "published": p,
                     **_unusual(d, p, MEASURES[measure]),
                     "replicate_vs_published_min": each["replicate_vs_published_min"],
                     "replicate_vs_published_max": each["replicate_vs_published_max"]})
    return pd.DataFrame(rows)


def _spread(prefix, values):
    """``{prefix_mean, prefix_sd, prefix_min, prefix_max}`` of `values`, NaN left out (NaN
    where nothing, or for the sd fewer than two, is left)."""
    values = pd.Series(values, dtype=float)
    return {f"{prefix}_mean": float(values.mean()), f"{prefix}_sd": float(values.std(ddof=1)),
            f"{prefix}_min": float(values.min()), f"{prefix}_max": float(values.max())}


def _unusual(d, p, higher_closer):
    """Rank and prediction-test p-value of `p` among the floor values `d` (module docstring)."""
    d = d[~np.isnan(d)]
    if math.isnan(p) or len(d) < 2:
        return {"rank": math.nan, "rank_p": math.nan, "t": math.nan, "p_value": math.nan,
                "outside": False}
    sign = -1.0 if higher_closer else 1.0          # positive: the published table is further
    at_least_as_far = int(np.sum(sign * d >= sign * p - 1e-12))
    rank = at_least_as_far + 1
    sd = float(np.std(d, ddof=1))
    scale = sd * math.sqrt(1 + 1 / len(d))
    diff = sign * (p - float(np.mean(d)))
    if scale > 0:
        t = diff / scale
        p_value = float(stats.t.sf(t, df=len(d) - 1))
    else:
        t = 0.0 if diff == 0 else math.copysign(math.inf, diff)
        p_value = 0.5 if diff == 0 else (0.0 if diff > 0 else 1.0)
    return {"rank": rank, "rank_p": rank / (len(d) + 1), "t": t, "p_value": p_value,
            "outside": bool(p_value < SIGNIFICANCE)}


def intervals(tables, pooled, published, level=LEVEL):
    """Table I with prediction intervals for one new replicate (module docstring): one row
    per entry x statistic, with the value of the `pooled` table (all replicates' runs)."""
    replicates = sorted(tables)
    n = len(replicates)
    if n < MIN_REPLICATES:
        raise ValueError(f"intervals need at least {MIN_REPLICATES} replicates, got {n}")
    keys = ["task", "steps_back", "input_dim", "variant", "cell"]
    quantile = float(stats.t.ppf(0.5 + level / 2, df=n - 1))
    indexed = {r: tables[r].set_index(["variant", "cell"]) for r in replicates}
    rows = []
    for _, entry in pooled[pooled["n_runs"] > 0].iterrows():
        key = (entry["variant"], entry["cell"])
        for stat in STATISTICS:
            values = np.array([indexed[r][stat].get(key, math.nan) for r in replicates],
                              dtype=float)
            spread = _spread("", values)
            mean, sd = spread["_mean"], spread["_sd"]
            half = quantile * sd * math.sqrt(1 + 1 / n)
            pub = published[stat].get(key, math.nan)
            rows.append({**entry[keys].to_dict(), "statistic": _SHORT[stat],
                         "pooled": entry[stat], "replicate_mean": mean, "replicate_sd": sd,
                         "low": mean - half, "high": mean + half, "published": pub,
                         "z": _z(pub, mean, sd * math.sqrt(1 + 1 / n)),
                         "outside": bool(not math.isnan(pub) and not math.isnan(half)
                                         and (pub < mean - half - 1e-9
                                              or pub > mean + half + 1e-9)),
                         **{f"r{r}": v for r, v in zip(replicates, values)}})
    return pd.DataFrame(rows)


def _z(value, mean, scale):
    if math.isnan(value) or math.isnan(mean) or math.isnan(scale):
        return math.nan
    if scale > 0:
        return (value - mean) / scale
    return 0.0 if value == mean else math.copysign(math.inf, value - mean)


def variance_components(split):
    """Per entry: the data-draw and initialisation variances of one run's test error
    (method of moments, module docstring) and the standard deviation of the entry's
    mean across replicates, observed and as the two parts imply; `split` is
    ``{replicate: ok runs}``."""
    runs = pd.concat([part.assign(replicate=r) for r, part in split.items()])
    runs = runs.assign(configuration=runs["layers"].astype(str) + "/" + runs["skip"] + "/"
                       + runs["hidden"].astype(str) + "/" + runs["delta0"].astype(str))
    rows = []
    for (variant, cell), entry in runs.groupby(["variant", "cell"], sort=False):
        cells = entry.groupby(["replicate", "configuration"])["test_error"]
        seeds = cells.size()
        n_seeds = int(seeds.min())
        n_configurations = entry["configuration"].nunique()
        init = float(cells.var(ddof=1).mean()) if n_seeds > 1 else math.nan
        means = cells.mean().unstack("replicate")           # configuration x replicate
        between = float(means.var(axis=1, ddof=1).mean())
        data = max(0.0, between - init / n_seeds) if not math.isnan(init) else math.nan
        replicate_means = entry.groupby("replicate")["test_error"].mean()
        from_init = math.sqrt(init / (n_seeds * n_configurations)) if n_seeds > 1 else math.nan
        observed = float(replicate_means.std(ddof=1))
        rows.append({"task": entry["task"].iloc[0], "variant": variant, "cell": cell,
                     "replicates": int(entry["replicate"].nunique()),
                     "configurations": n_configurations, "seeds": n_seeds,
                     "var_init": init, "var_data": data,
                     "share_data": data / (data + init) if data + init > 0 else math.nan,
                     "sd_mean_observed": observed, "sd_mean_from_init": from_init,
                     "sd_mean_from_data": math.sqrt(max(0.0, observed ** 2 - from_init ** 2))
                     if not math.isnan(from_init) else math.nan})
    frame = pd.DataFrame(rows)
    order = {v.id: i for i, v in enumerate(tasks.variants())}
    frame["_row"] = frame["variant"].map(lambda v: order.get(v, len(order)))
    frame["_cell"] = frame["cell"].map({c: i for i, c in enumerate(ordered_cells(frame["cell"]))})
    return frame.sort_values(["_row", "_cell"]).drop(columns=["_row", "_cell"]).reset_index(
        drop=True)


def judge_readings(tables, published, floor, measure="mae_mean"):
    """Other readings' Table I (one replicate each; `tables` maps name -> table) against
    the published table, judged by the pairwise floor of `floor` (`pairwise_floor`):
    one table against one table on each side.  Per reading and scope: the measure, the
    floor's mean, their ratio, and the one-sided prediction test of the measure among
    the pairs (pairs share replicates, so the test is approximate)."""
    rows = []
    higher_closer = MEASURES[measure]
    for name, table in tables.items():
        side = table1.compare(table, published)
        for scope, measures in _scoped_metrics(side).items():
            pairs = floor[(floor["scope"] == scope) & (floor["measure"] == measure)]
            if pairs.empty:
                continue
            pair = pairs.iloc[0]
            value = measures[measure]
            sign = -1.0 if higher_closer else 1.0
            scale = pair["floor_sd"] * math.sqrt(1 + 1 / pair["pairs"])
            t = sign * (value - pair["floor_mean"]) / scale if scale > 0 else math.nan
            p = float(stats.t.sf(t, df=pair["pairs"] - 1)) if not math.isnan(t) else math.nan
            rows.append({"reading": name, "scope": scope, measure: value,
                         "floor_mean": pair["floor_mean"], "floor_sd": pair["floor_sd"],
                         "ratio": value / pair["floor_mean"] if pair["floor_mean"] else math.nan,
                         "t": t, "p_value": p,
                         "verdict": "outside the noise" if p < SIGNIFICANCE
                         else "within the noise"})
    return pd.DataFrame(rows)


def verdicts(stand):
    """Per scope: is the published table's MAE of the means within the noise?  One row
    each, with the floor (leave-one-out mean), the published value, rank and p-value."""
    part = stand[stand["measure"] == "mae_mean"]
    return pd.DataFrame([{
        "scope": row.scope, "floor_mae_mean": row.floor_mean,
        "floor_range": f"{row.floor_min:.2f}-{row.floor_max:.2f}",
        "published_mae_mean": row.published, "ratio": row.published / row.floor_mean
        if row.floor_mean else math.nan, "rank": row.rank, "replicates": row.replicates,
        "p_value": row.p_value,
        "verdict": "outside the noise" if row.outside else "within the noise"}
        for row in part.itertuples()])


def plot_z(entries, path):
    """Heat map of the published entries' z against our prediction intervals: one panel
    per statistic, rows Table I's variants, columns its cells (|z| beyond 6 clipped)."""
    from matplotlib.figure import Figure
    stats_ = [s for s in ("min", "mean", "std") if (entries["statistic"] == s).any()]
    fig = Figure(figsize=(4.2 * len(stats_), 7.5), layout="constrained")
    axes = fig.subplots(1, len(stats_), squeeze=False)[0]
    variants = list(dict.fromkeys(entries["variant"]))
    cells = ordered_cells(entries["cell"].unique())
    image = None
    for ax, stat in zip(axes, stats_):
        part = entries[entries["statistic"] == stat].set_index(["variant", "cell"])
        grid = np.array([[part["z"].get((v, c), np.nan) for c in cells] for v in variants],
                        dtype=float)
        shown = np.clip(grid, -6, 6)
        image = ax.imshow(shown, cmap="RdBu_r", vmin=-6, vmax=6, aspect="auto")
        for (i, j), z in np.ndenumerate(grid):
            if not np.isnan(z):
                outside = bool(part["outside"].get((variants[i], cells[j]), False))
                ax.text(j, i, ("" if abs(z) < 100 else ">") + f"{np.clip(z, -99, 99):.1f}",
                        ha="center", va="center", fontsize=6.5,
                        fontweight="bold" if outside else "normal",
                        color="white" if abs(shown[i, j]) > 3.5 else "black")
        ax.set_xticks(range(len(cells)), [CELL_TITLES.get(c, c) for c in cells])
        ax.set_yticks(range(len(variants)), variants, fontsize=7)
        ax.set_title(f"{stat} test error: z of the published value", fontsize=9)
    fig.colorbar(image, ax=list(axes), shrink=0.6, label="z (published - our replicates)")
    save_figure(fig, path, dpi=120)


def to_markdown(floor, stand, entries, components, source="", replicates=(), judged=None):
    """``noise.md``: the floor, the published table against it, the entries outside the
    intervals, the variance components and (`judged`, from `judge_readings`) other
    readings against the floor."""
    n = len(replicates)
    lines = ["# The noise floor of Table I", ""]
    if source:
        lines += [source, ""]
    lines += ["How the published table is judged: each replicate is compared with the pooled "
              f"table of the other {n - 1}, and the published table with the same {n} pools "
              "(its values averaged), so that both are measured against pools of one size. "
              f"`rank` is the published table's place among the {n} replicates and itself "
              f"(1 = at least as far as every replicate; 1/{n + 1} is the smallest p-value "
              "the rank can give); `p` is the one-sided prediction test "
              f"t = (published - mean) / (sd x sqrt(1 + 1/{n})), {n - 1} degrees of freedom. "
              f"Outside the noise: p < {SIGNIFICANCE}.", ""]
    lines += ["## Verdict per task (MAE of the means)", "",
              "| scope | floor (mean, range) | published | ratio | rank | p | verdict |",
              "|---|---|---|---|---|---|---|"]
    for row in verdicts(stand).itertuples():
        lines.append(f"| {_scope_title(row.scope)} | {row.floor_mae_mean:.2f} "
                     f"({row.floor_range}) | {row.published_mae_mean:.2f} | {row.ratio:.1f} | "
                     f"{_fmt_rank(row.rank)} of {row.replicates + 1} | {p_value(row.p_value)} | "
                     f"**{row.verdict}** |")
    lines += ["", "## Every measure, overall and per task", "",
              "Pairs: every pair of replicates, one as ours and one as published (mean and "
              "range). Leave-one-out: each replicate against the pool of the others.", "",
              "| scope | measure | pairs: mean (range) | leave-one-out: mean ± sd | published | "
              "each replicate vs published | rank | p |",
              "|---|---|---|---|---|---|---|---|"]
    merged = stand.merge(floor, on=["scope", "measure"], suffixes=("", "_pairs"))
    for row in merged.itertuples():
        digits = 0 if row.measure.startswith(("within", "best", "solved")) else 2
        lines.append(
            f"| {_scope_title(row.scope)} | {row.measure} | {_f(row.floor_mean_pairs, digits)} "
            f"({_f(row.floor_min_pairs, digits)}-{_f(row.floor_max_pairs, digits)}) | "
            f"{_f(row.floor_mean, digits + 1)} ± {_f(row.floor_sd, digits + 1)} | "
            f"{_f(row.published, digits + 1)} | "
            f"{_f(row.replicate_vs_published_min, digits)}-"
            f"{_f(row.replicate_vs_published_max, digits)} | {_fmt_rank(row.rank)} | "
            f"{p_value(row.p_value)} |")
    outside = entries[entries["outside"]]
    lines += ["", f"## Published entries outside our {int(LEVEL * 100)} % prediction "
              "intervals", "",
              f"{len(outside)} of {int(entries['published'].notna().sum())} published "
              "values (entries x statistics) lie outside the interval for one new replicate "
              f"({int((outside['statistic'] == 'mean').sum())} of the means).", "",
              "| entry | statistic | our replicates: mean [interval] | published | z |",
              "|---|---|---|---|---|"]
    for row in outside.sort_values("z", key=abs, ascending=False).itertuples():
        lines.append(f"| {row.variant} {CELL_TITLES.get(row.cell, row.cell)} | {row.statistic} "
                     f"| {row.replicate_mean:.1f} [{row.low:.1f}, {row.high:.1f}] | "
                     f"{row.published:.1f} | {_f(row.z, 1)} |")
    lines += ["", "## Where an entry's variance comes from", "",
              "Method of moments per entry (replicate x configuration x seed); variances of "
              "one run's test error with the configuration's own effect removed, and the sd of "
              "the entry's mean across replicates. Medians over each task's entries:", "",
              "| task | var data | var init | share data | sd of the mean: observed | "
              "from init | from data |", "|---|---|---|---|---|---|---|"]
    for task in ordered_tasks(components["task"].unique()):
        part = components[components["task"] == task]
        lines.append(f"| {TASK_TITLES.get(task, task)} | {part['var_data'].median():.1f} | "
                     f"{part['var_init'].median():.1f} | {part['share_data'].median():.2f} | "
                     f"{part['sd_mean_observed'].median():.2f} | "
                     f"{part['sd_mean_from_init'].median():.2f} | "
                     f"{part['sd_mean_from_data'].median():.2f} |")
    if judged is not None and len(judged):
        scopes = list(dict.fromkeys(judged["scope"]))
        lines += ["", "## Other readings against the floor", "",
                  "One replicate of each reading against the published table, judged by the "
                  "floor between pairs of our replicates (one table against one table on each "
                  "side): MAE of the means, with its ratio to the floor; bold where the "
                  "prediction test gives p < 0.05 (approximate: the pairs share replicates).",
                  "", "| reading | " + " | ".join(_scope_title(s) for s in scopes) + " |",
                  "|---|" + "---|" * len(scopes)]
        floor_row = judged.drop_duplicates("scope").set_index("scope")
        lines.append("| *floor (pairs)* | " + " | ".join(
            f"*{floor_row.loc[s, 'floor_mean']:.2f} ± {floor_row.loc[s, 'floor_sd']:.2f}*"
            for s in scopes) + " |")
        for name, part in judged.groupby("reading", sort=False):
            cells = part.set_index("scope")
            lines.append(f"| {name} | " + " | ".join(
                _judged_cell(cells.loc[s]) if s in cells.index else "–" for s in scopes) + " |")
    return "\n".join(lines) + "\n"


def _judged_cell(row):
    text = f"{row['mae_mean']:.1f} ({row['ratio']:.1f}x)"
    return f"**{text}**" if row["verdict"] == "outside the noise" else text


def _scope_title(scope):
    return "all" if scope == "all" else TASK_TITLES.get(scope, scope)


def _fmt_rank(rank):
    return "–" if rank is None or (isinstance(rank, float) and math.isnan(rank)) else f"{rank:.0f}"


def _f(value, digits):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.{digits}f}"

