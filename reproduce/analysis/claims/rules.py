"""The rules that decide a claim: each reads the runs (or the mechanisms cache), measures one
statistic with its interval, and says whether the interval clears the claim's test.

A rule has ``evaluate(evidence, rng) -> dict`` (``verdict``, ``estimate``, ``ci_low``,
``ci_high``, ``n``, ``support``, ``detail``) and ``published(table) -> (verdict or None,
detail)``, what the published Table I says by the same rule where it can say it.

*Units* are what was drawn at random: a run (a configuration with its seed) or a
configuration (its seeds together), in one replicate.  Runs are *matched* when they
differ only in the factor compared (cell type, depth, skip scheme, width or task
variant), so a unit holds one error per value of that factor.  Intervals are the
two-stage bootstrap of `reproduce.analysis.claims.resample` (replicates, then units
within each replicate and stratum); ``support`` is the share of resamples in which
the rule holds.  A verdict *holds* only when the whole interval clears the test,
*fails* when the whole interval lies on the other side, and is *inconclusive*
otherwise.

Throughout, "tanh" stands for the paper's "standard units" / "standard RNNs" where a
sentence contrasts gated cells with standard ones in Section IV-B's fixed-delay
sentences and the abstract's (i); "SRNs" (simple recurrent networks) are the three
simple cells together, as Section IV-B uses the word.
"""
import math
import warnings
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np
import pandas as pd

import tasks
from reproduce.analysis.claims.resample import (
    RESAMPLES,
    TwoStage,
    clopper_pearson,
    grid_chance,
    interval,
    ones,
)
from reproduce.analysis.style import PERFECT_POINTS

GATED = ("gru", "lstm")
SIMPLE = ("tanh", "sigmoid", "relu")
CELLS = ("gru", "lstm", "tanh", "sigmoid", "relu")
CLOSE_POINTS = 1.0         # "very close to a perfect solution"; a run at or below it
#                            (nearly) solves, which breaks ties of Table I's minima
GRID_SHOWS = 0.5           # a grid "shows" an outcome when it does so more often than not
CONSISTENT = 0.8           # "consistently better": better in at least 4 strata of 5
LARGE_SHARE = 0.14         # a "significant" share of variance: Cohen's large eta squared

# Every run is one of these; a unit of comparison drops the factor compared.
RUN_KEYS = ("replicate", "variant", "cell", "layers", "hidden", "skip", "delta0", "seed")
CONFIG_KEYS = RUN_KEYS[:-1]
VERDICTS = ("holds", "fails", "inconclusive")


@dataclass
class Evidence:
    """What the rules read.

    Attributes
    ----------
    runs : DataFrame
        ``ok`` runs with the columns `RUN_KEYS`, ``task, k, steps_back`` and ``test_error``.
    effect : float
        The smallest difference (points) the paper itself calls a consistent one
        (`reproduce.analysis.claims.effect_size`): the band of "alike".
    paper_grid : DataFrame
        One (variant, cell)'s configurations in the paper's grid (``layers, hidden,
        skip, delta0, seed``): how many runs a grid of the paper's size has.
    mechanisms : DataFrame or None
        The mechanisms cache (`reproduce.analysis.mechanisms`), if any.
    resamples : int
    """
    runs: pd.DataFrame
    effect: float
    paper_grid: pd.DataFrame
    mechanisms: Optional[pd.DataFrame] = None
    resamples: int = RESAMPLES


def result(verdict, estimate=math.nan, low=math.nan, high=math.nan, n=0, support=math.nan,
           detail=""):
    return dict(verdict=verdict, estimate=estimate, ci_low=low, ci_high=high, n=n,
                support=support, detail=detail)


# --- which runs: rows of Table I and further filters --------------------------------

def tasks_(*names):
    """Rows of these tasks."""
    return lambda task, k, n: task in names


def variants(task, *ks, n=None):
    """Rows of `task` with these k (and steps back `n`, FDR)."""
    return lambda t, k, steps: t == task and k in ks and (n is None or steps == n)


def select_rows(runs, rows, where=None, cells=None):
    """The runs of the Table I rows `rows` (a predicate of task, k, steps back), of
    `cells` and where `where(runs)` is true."""
    meta = runs.drop_duplicates("variant")
    keep = {v for v, t, k, n in zip(meta["variant"], meta["task"], meta["k"], meta["steps_back"])
            if rows(t, int(k), None if pd.isna(n) else int(n))}
    mask = np.array(runs["variant"].isin(keep), dtype=bool)
    if cells is not None:
        mask &= runs["cell"].isin(cells).to_numpy()
    if where is not None:
        mask &= np.asarray(where(runs), dtype=bool)
    return runs[mask]


def variant_order(runs):
    """The variants of `runs` in task-registry order, then by steps back and k."""
    order = {t: i for i, t in enumerate(tasks.TASKS)}
    meta = runs.drop_duplicates("variant")
    key = lambda row: (order.get(row[1], 99), -1 if pd.isna(row[3]) else row[3], row[2])  # noqa
    return [row[0] for row in sorted(zip(meta["variant"], meta["task"], meta["k"],
                                         meta["steps_back"]), key=key)]


# --- tests of an interval --------------------------------------------------------------

def _bound(value, effect):
    if value == "effect":
        return effect
    if value == "-effect":
        return -effect
    return float(value)


@dataclass(frozen=True)
class Below:
    """The statistic lies below `bound` (a number, ``"effect"`` or ``"-effect"``)."""
    bound: object = 0.0

    def decide(self, low, high, effect):
        b = _bound(self.bound, effect)
        if math.isnan(low):
            return "inconclusive"
        return "holds" if high < b else "fails" if low > b else "inconclusive"

    def holds(self, values, effect):
        return np.asarray(values) < _bound(self.bound, effect)

    def text(self, effect):
        return f"below {_bound(self.bound, effect):+.2f}"


@dataclass(frozen=True)
class Above:
    """The statistic lies above `bound`."""
    bound: object = 0.0

    def decide(self, low, high, effect):
        b = _bound(self.bound, effect)
        if math.isnan(low):
            return "inconclusive"
        return "holds" if low > b else "fails" if high < b else "inconclusive"

    def holds(self, values, effect):
        return np.asarray(values) > _bound(self.bound, effect)

    def text(self, effect):
        return f"above {_bound(self.bound, effect):+.2f}"


@dataclass(frozen=True)
class Within:
    """The statistic lies between `low` and `high` (default: within the effect band)."""
    low: object = "-effect"
    high: object = "effect"

    def decide(self, low, high, effect):
        a, b = _bound(self.low, effect), _bound(self.high, effect)
        if math.isnan(low):
            return "inconclusive"
        return ("holds" if a < low and high < b else "fails" if high < a or low > b
                else "inconclusive")

    def holds(self, values, effect):
        values = np.asarray(values)
        return (values > _bound(self.low, effect)) & (values < _bound(self.high, effect))

    def text(self, effect):
        return f"within ({_bound(self.low, effect):g}, {_bound(self.high, effect):g})"


@dataclass(frozen=True)
class NoAdvantage:
    """"No evidence of an advantage" of A over B (A - B): fails when the interval lies
    wholly below 0 (an advantage is evident, however small); holds when it does not and
    rules out an advantage as large as the effect size; inconclusive otherwise."""

    def decide(self, low, high, effect):
        if math.isnan(low):
            return "inconclusive"
        return "fails" if high < 0 else "holds" if low > -effect else "inconclusive"

    def holds(self, values, effect):
        return np.asarray(values) > -effect

    def text(self, effect):
        return f"not wholly below 0 and above {-effect:+.2f}"


def _bootstrap(sampler, statistic, ev, rng):
    """The statistic of the data and of `ev.resamples` resamples (rows stacked)."""
    point = statistic(ones(sampler.n))
    draws = [statistic(W) for W in sampler.weights(rng, ev.resamples)]
    return point[0], np.concatenate(draws, axis=0)


def _combine(verdicts):
    """A conjunction: fails if a part fails, holds if every part holds."""
    return ("fails" if "fails" in verdicts else "holds" if set(verdicts) == {"holds"}
            else "inconclusive")


def _label(group):
    return "/".join(map(str, group)) if group else ""


# --- matched units -------------------------------------------------------------------------

def _configurations(runs, value, keys=CONFIG_KEYS):
    """One row per configuration (seeds together): the spread of its errors across seeds
    (``spread``: sample std) or the share of its seeds that do not (nearly) solve
    (``failures``: error above CLOSE_POINTS)."""
    keys = [runs[k] for k in keys]
    if value == "spread":
        out = runs["test_error"].groupby(keys, sort=False).std(ddof=1)
    else:
        out = (runs["test_error"] > CLOSE_POINTS).astype(float).groupby(keys, sort=False).mean()
    return out.rename("test_error").reset_index()


def matched(runs, axis, value="error"):
    """A table with one row per unit matched across `axis` and one column per value of
    it (the unit's error, or its configuration's spread or failure share)."""
    keys = list(RUN_KEYS) if value == "error" else list(CONFIG_KEYS)
    keys += [axis] if axis not in keys else []          # e.g. the reading, across readings
    frame = runs[[*keys, "test_error"]] if value == "error" else _configurations(runs, value,
                                                                                  keys)
    index = [k for k in keys if k != axis]
    return frame.set_index([*index, axis])["test_error"].unstack(axis).reset_index()


def _stratum(frame, axis):
    """What the grid fixed for each unit of a matched table: its variant and cell, less the
    factor compared."""
    parts = [c for c in ("variant", "cell") if c != axis and c in frame]
    return frame[parts].astype(str).agg("|".join, axis=1).to_numpy()


# --- paired differences ---------------------------------------------------------------------

@dataclass(frozen=True)
class Paired:
    """A - B over matched units (the mean over A's values minus the mean over B's; with
    B empty, A's mean itself), its interval, and a test of it.

    ``axis`` is the factor A and B are values of: ``cell`` (groups of cell types),
    ``layers``, ``hidden``, ``skip`` or ``variant`` (harder against easier).  ``value``
    is ``error`` (per run), ``spread`` or ``failures`` (per configuration,
    `_configurations`).
    """
    rows: Callable
    a: tuple
    b: tuple = ()
    axis: str = "cell"
    test: object = Below()
    where: Optional[Callable] = None
    cells: Optional[tuple] = None
    value: str = "error"
    note: str = ""                        # a word for the label, e.g. the variant

    @property
    def label(self):
        name = "" if self.axis == "cell" else f"{self.axis} "
        cells = "" if self.cells is None or self.axis == "cell" else f" ({_label(self.cells)})"
        what = {"error": "", "spread": "spread across seeds, ",
                "failures": "share of seeds not solving, "}[self.value]
        return (f"{what}{name}{_label(self.a)}" + (f" - {_label(self.b)}" if self.b else "")
                + cells + (f" ({self.note})" if self.note else ""))

    def units(self, runs):
        """``(replicate, stratum, d)`` of the matched units."""
        part = select_rows(runs, self.rows, self.where, self.cells)
        if part.empty:
            return None
        wide = matched(part, self.axis, self.value)
        columns = [*self.a, *self.b]
        if not set(columns) <= set(wide.columns):
            return None
        wide = wide.dropna(subset=columns)
        d = wide[list(self.a)].mean(axis=1).to_numpy()
        if self.b:
            d = d - wide[list(self.b)].mean(axis=1).to_numpy()
        return wide["replicate"].to_numpy(), _stratum(wide, self.axis), d

    def evaluate(self, ev, rng):
        return Contrast(((self, 1.0),), self.test, self.label).evaluate(ev, rng)

    def published_value(self, table):
        """The same difference of the published means, or None where the table cannot
        give it (it has no depth, width or skip, and only the errors' means)."""
        if self.axis not in ("cell", "variant") or self.value != "error" or self.where:
            return None
        part = select_rows(table, self.rows, cells=self.cells)
        means = part.set_index(["variant", "cell"])["mean_error"].unstack(self.axis)
        if not set([*self.a, *self.b]) <= set(means.columns):
            return None
        d = means[list(self.a)].mean(axis=1)
        if self.b:
            d = d - means[list(self.b)].mean(axis=1)
        return float(d.mean())

    def published(self, table):
        return Contrast(((self, 1.0),), self.test, self.label).published(table)


@dataclass(frozen=True)
class Contrast:
    """A weighted sum of paired means over disjoint sets of units, e.g. a difference in
    differences: ``sum(weight * mean(A - B over the part's units))``."""
    parts: tuple            # ((Paired, weight), ...)
    test: object = Below()
    label: str = ""

    def evaluate(self, ev, rng):
        pieces = [(p.units(ev.runs), w) for p, w in self.parts]
        if any(u is None or len(u[2]) < 2 for u, _ in pieces):
            return result("inconclusive", detail="no matched units")
        rep = np.concatenate([u[0] for u, _ in pieces])
        strata = np.concatenate([np.char.add(f"{i}|", u[1].astype(str))
                                 for i, (u, _) in enumerate(pieces)])
        d = np.concatenate([u[2] for u, _ in pieces])
        bounds = np.cumsum([0] + [len(u[2]) for u, _ in pieces])
        sampler = TwoStage(rep, strata)

        def statistic(W):
            total = 0.0
            for (start, stop), (_, weight) in zip(zip(bounds, bounds[1:]), pieces):
                w = W[:, start:stop]
                total = total + weight * (w @ d[start:stop]) / w.sum(axis=1)
            return total
        point, draws = _bootstrap(sampler, statistic, ev, rng)
        low, high = interval(draws)
        verdict = self.test.decide(low, high, ev.effect)
        support = float(np.mean(self.test.holds(draws, ev.effect)))
        units = "matched units" if len(pieces) == 1 else "matched units in " + \
            " and ".join(f"{len(u[2]):,}" for u, _ in pieces)
        detail = (f"{self.label}: {point:+.2f} [{low:+.2f}, {high:+.2f}] over {len(d):,} "
                  f"{units}; holds if {self.test.text(ev.effect)}")
        return result(verdict, float(point), low, high, len(d), support, detail)

    def published(self, table):
        values = [p.published_value(table) for p, _ in self.parts]
        if any(v is None for v in values):
            return None, "the table has no runs to match on this factor"
        d = sum(w * v for v, (_, w) in zip(values, self.parts))
        verdict = self.test.decide(d, d, table.attrs.get("effect", 0.0))
        return verdict, f"{self.label} means {d:+.1f}"


@dataclass(frozen=True)
class AllOf:
    """Every part holds (a conjunction of rules)."""
    parts: tuple

    def evaluate(self, ev, rng):
        results = [p.evaluate(ev, rng) for p in self.parts]
        verdict = _combine([r["verdict"] for r in results])
        deciding = next((r for r in results if r["verdict"] == verdict), results[0]) \
            if verdict != "holds" else min(results, key=lambda r: (
                r["support"] if not math.isnan(r["support"]) else 1.0))
        supports = [r["support"] for r in results if not math.isnan(r["support"])]
        return result(verdict, deciding["estimate"], deciding["ci_low"], deciding["ci_high"],
                      deciding["n"], min(supports) if supports else math.nan,
                      "; ".join(r["detail"] for r in results))

    def published(self, table):
        answers = [p.published(table) for p in self.parts]
        if any(v is None for v, _ in answers):
            return None, next(d for v, d in answers if v is None)
        return _combine([v for v, _ in answers]), "; ".join(d for _, d in answers)


@dataclass(frozen=True)
class AnyOf:
    """Some part holds (a disjunction): holds if one part holds, fails if every part fails."""
    parts: tuple

    def evaluate(self, ev, rng):
        results = [p.evaluate(ev, rng) for p in self.parts]
        verdicts = [r["verdict"] for r in results]
        verdict = ("holds" if "holds" in verdicts else "fails" if set(verdicts) == {"fails"}
                   else "inconclusive")
        deciding = next(r for r in results if r["verdict"] == verdict)
        supports = [r["support"] for r in results if not math.isnan(r["support"])]
        return result(verdict, deciding["estimate"], deciding["ci_low"], deciding["ci_high"],
                      deciding["n"], max(supports) if supports else math.nan,
                      " or ".join(r["detail"] for r in results))

    def published(self, table):
        answers = [p.published(table) for p in self.parts]
        if any(v is None for v, _ in answers):
            return None, next(d for v, d in answers if v is None)
        verdicts = [v for v, _ in answers]
        return ("holds" if "holds" in verdicts else "fails"), " or ".join(d for _, d in answers)


def difficulty_steps(runs_variants):
    """Each harder variant against the next easier one of the same task (FDR: k within each
    N, and N = 4 against N = 3 at each k), as (easier, harder) pairs of variant ids."""
    parsed = [tasks.parse_variant(v) for v in runs_variants]
    pairs = []
    for e in parsed:
        for h in parsed:
            if e.task != h.task:
                continue
            if h.steps_back == e.steps_back and h.k == e.k + 1:
                pairs.append((e.id, h.id))
            elif e.steps_back is not None and h.k == e.k and h.steps_back == e.steps_back + 1:
                pairs.append((e.id, h.id))
    return pairs


@dataclass(frozen=True)
class Harder:
    """Error rises at every step of difficulty of `task`: each harder variant against the
    next easier one separately (`difficulty_steps`), and with `per_cell` for each cell
    type separately too; matched runs, each difference's interval above 0."""
    task: str
    per_cell: bool = False

    def _parts(self, variant_ids):
        parts = []
        for e, h in difficulty_steps(variant_ids):
            for cells in ([(c,) for c in CELLS] if self.per_cell else [None]):
                parts.append(Paired(_pair_rows(e, h), a=(h,), b=(e,), axis="variant",
                                    test=Above(0.0), cells=cells))
        return parts

    def evaluate(self, ev, rng):
        parts = self._parts(variant_order(select_rows(ev.runs, tasks_(self.task))))
        results = [p.evaluate(ev, rng) for p in parts]
        if not results:
            return result("inconclusive", detail="fewer than two variants")
        verdict = _combine([r["verdict"] for r in results])
        worst = min(range(len(results)), key=lambda i: (results[i]["ci_low"], i))
        r = results[worst]
        supports = [x["support"] for x in results if not math.isnan(x["support"])]
        rising = sum(x["verdict"] == "holds" for x in results)
        text = lambda i: (f"{parts[i].label} {results[i]['estimate']:+.2f} "  # noqa: E731
                          f"[{results[i]['ci_low']:+.2f}, {results[i]['ci_high']:+.2f}]")
        falls = [text(i) for i, x in enumerate(results) if x["verdict"] == "fails"]
        unclear = [text(i) for i, x in enumerate(results) if x["verdict"] == "inconclusive"]
        detail = (f"harder - easier, matched: {rising}/{len(parts)} steps rise (interval "
                  f"above 0); smallest: {text(worst)}"
                  + (f"; falls: {'; '.join(falls)}" if falls else "")
                  + (f"; unclear: {'; '.join(unclear)}" if unclear else ""))
        return result(verdict, r["estimate"], r["ci_low"], r["ci_high"], r["n"],
                      min(supports) if supports else math.nan, detail)

    def published(self, table):
        parts = self._parts(variant_order(select_rows(table, tasks_(self.task))))
        values = [p.published_value(table) for p in parts]
        if not parts or any(v is None for v in values):
            return None, "not every step is in the table"
        falls = [f"{p.label} {v:+.1f}" for p, v in zip(parts, values) if v <= 0]
        return (("holds" if not falls else "fails"),
                f"{len(parts) - len(falls)}/{len(parts)} steps rise in the means"
                + (f"; falls: {'; '.join(falls)}" if falls else ""))


def _pair_rows(easier, harder):
    return lambda t, k, n: _variant_id(t, k, n) in (easier, harder)


def _variant_id(task, k, steps_back):
    return tasks.Variant(task, k, steps_back).id


# --- no consistent difference ---------------------------------------------------------------

@dataclass(frozen=True)
class Independent:
    """No option is consistently better than another, nor better by a material amount.

    For each pair of `options` (cell groups, or values of `axis`), pooled over the
    claim's rows and within each task: the pair *differs* when its mean difference
    lies wholly outside the effect band, or when it is consistent -- its interval
    excludes 0 and the share of strata (variant x cell; variant for cell types) on
    that side has an interval at or above `CONSISTENT`.  The pair is *alike* when its
    interval lies within the band.  The claim holds when every pair is alike in every
    scope and none differs, fails when one differs.
    """
    rows: Callable
    options: tuple = ()
    axis: str = "cell"
    where: Optional[Callable] = None
    by_task: bool = True

    def _options(self, runs):
        if self.options:
            return [tuple(o) if isinstance(o, tuple) else (o,) for o in self.options]
        return [(v,) for v in sorted(runs[self.axis].unique())]

    def evaluate(self, ev, rng):
        part = select_rows(ev.runs, self.rows, self.where)
        if part.empty:
            return result("inconclusive", detail="no runs")
        options = self._options(part)
        if len(options) < 2:
            return result("inconclusive", detail=f"fewer than two values of {self.axis}")
        wide = matched(part, self.axis)
        wanted = [c for o in options for c in o]
        wide = wide.dropna(subset=[c for c in wanted if c in wide])
        if not set(wanted) <= set(wide.columns) or len(wide) < 2:
            return result("inconclusive", detail="no matched units")
        task_of = dict(zip(part["variant"], part["task"]))
        codes = np.unique(_stratum(wide, self.axis), return_inverse=True)[1]
        wide = wide.iloc[np.argsort(codes, kind="stable")].reset_index(drop=True)
        codes = np.sort(codes)
        starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])      # one per stratum
        unit_task = wide["variant"].map(task_of).to_numpy()
        stratum_task = unit_task[starts]
        sampler = TwoStage(wide["replicate"].to_numpy(), codes)
        scopes = [("pooled", np.ones(len(starts), bool))]
        if self.by_task and len(set(stratum_task)) > 1:
            scopes += [(t, stratum_task == t) for t in dict.fromkeys(stratum_task)]
        pairs = [(a, b) for i, a in enumerate(options) for b in options[i + 1:]]
        diffs = [wide[list(a)].mean(axis=1).to_numpy() - wide[list(b)].mean(axis=1).to_numpy()
                 for a, b in pairs]

        def statistic(W):
            weight = np.add.reduceat(W, starts, axis=1)                   # (b, strata)
            out = []
            for d in diffs:
                sums = np.add.reduceat(W * d, starts, axis=1)
                means = sums / weight
                for _, mask in scopes:
                    out += [sums[:, mask].sum(axis=1) / weight[:, mask].sum(axis=1),
                            (means[:, mask] < 0).mean(axis=1), (means[:, mask] > 0).mean(axis=1)]
            return np.stack(out, axis=1)
        point, draws = _bootstrap(sampler, statistic, ev, rng)
        band = ev.effect
        verdicts, lines, worst = [], [], None
        within_all = np.ones(len(draws), bool)
        for p, (a, b) in enumerate(pairs):
            for s, (scope, mask) in enumerate(scopes):
                j = 3 * (p * len(scopes) + s)
                low, high = interval(draws[:, j])
                neg_low, neg_high = interval(draws[:, j + 1])
                pos_low, pos_high = interval(draws[:, j + 2])
                consistent = ((high < 0 and neg_low >= CONSISTENT)
                              or (low > 0 and pos_low >= CONSISTENT))
                differs = high < -band or low > band or consistent
                alike = -band < low and high < band
                verdicts.append("fails" if differs else "holds" if alike else "inconclusive")
                within_all &= np.abs(draws[:, j]) < band
                mean = point[j]
                if worst is None or abs(mean) > abs(worst[0]):
                    worst = (mean, low, high, int(np.isin(codes, np.flatnonzero(mask)).sum()))
                if scope == "pooled" or verdicts[-1] != "holds":
                    side, share = ((point[j + 1], (neg_low, neg_high)) if mean < 0
                                   else (point[j + 2], (pos_low, pos_high)))
                    n_strata = int(mask.sum())
                    lines.append(
                        f"{'' if scope == 'pooled' else scope + ': '}{_label(a)} - {_label(b)} "
                        f"{mean:+.2f} [{low:+.2f}, {high:+.2f}], "
                        f"{_label(a) if mean < 0 else _label(b)} better in {side:.0%} of "
                        f"{n_strata} strata "
                        f"[{share[0]:.0%}, {share[1]:.0%}]"
                        + ("" if verdicts[-1] == "holds" or scope == "pooled"
                           else f" ({'differs' if differs else 'unclear'})"))
        verdict = _combine(verdicts)
        detail = ("; ".join(lines) + f"; alike within ±{band:.2f} points, consistent at "
                  f">= {CONSISTENT:.0%} of strata")
        return result(verdict, float(worst[0]), worst[1], worst[2], worst[3],
                      float(within_all.mean()), detail)

    def published(self, table):
        if self.axis != "cell" or self.where is not None:
            return None, f"the table does not break errors down by {self.axis}"
        part = select_rows(table, self.rows)
        means = part.set_index(["variant", "cell"])["mean_error"].unstack("cell")
        band = table.attrs.get("effect", 0.0)
        options = self._options(part)
        verdicts, parts = [], []
        for i, a in enumerate(options):
            for b in options[i + 1:]:
                d = means[list(a)].mean(axis=1) - means[list(b)].mean(axis=1)
                share = max((d < 0).mean(), (d > 0).mean())
                differs = abs(d.mean()) > band or (share >= CONSISTENT and len(d) > 1)
                verdicts.append("fails" if differs else "holds")
                parts.append(f"{_label(a)} - {_label(b)} {d.mean():+.1f} ({share:.0%} of rows "
                             "one way)")
        return _combine(verdicts), "; ".join(parts)


# --- Table I statistics ---------------------------------------------------------------------

@dataclass(frozen=True)
class TableCount:
    """A predicate of Table I's row statistics, counted over the claim's rows.

    ``predicate(stats) -> bool array`` reads ``stats.min``, ``stats.mean`` and
    ``stats.solve`` (each ``(resamples, cells)`` in `CELLS` order; ``solve`` is the
    share of runs at or below `CLOSE_POINTS`, None for the published table).  Each
    replicate is one grid and gets its own Table I (a minimum over several grids
    would be a minimum over a larger grid than the paper's); the statistic is the
    count of rows, averaged over the replicates.  Its interval comes from resampling
    the matched runs (two-stage); the claim holds when its lower end reaches
    ``needed`` (None: every row).
    """
    rows: Callable
    predicate: Callable
    text: str
    needed: Optional[int] = None

    def evaluate(self, ev, rng):
        part = select_rows(ev.runs, self.rows)
        wide = matched(part, "cell").dropna(subset=[c for c in CELLS if c in part["cell"].
                                                    unique()])
        if not set(CELLS) <= set(wide.columns) or wide.empty:
            return result("inconclusive", detail="not every cell type has runs")
        order = variant_order(part)
        errors = wide[list(CELLS)].to_numpy()
        replicate, variant = wide["replicate"].to_numpy(), wide["variant"].to_numpy()
        grids = {r: (np.flatnonzero(replicate == r),
                     [np.flatnonzero((replicate == r) & (variant == v)) for v in order])
                 for r in np.unique(replicate)}
        sampler = TwoStage(replicate, variant)

        def statistic(W):                            # (b, rows): each row's mean over grids
            total, copies = 0.0, 0.0
            for units, rows in grids.values():
                drawn = W[:, units].sum(axis=1) / len(units)              # (b,) copies
                with np.errstate(invalid="ignore", divide="ignore"):
                    hits = np.stack([self.predicate(_row_stats(W[:, idx], errors[idx]))
                                     for idx in rows], axis=1)
                total = total + np.where(drawn[:, None] > 0, hits, 0) * drawn[:, None]
                copies = copies + drawn[:, None]
            return total / copies
        point, draws = _bootstrap(sampler, statistic, ev, rng)
        needed = self.needed or len(order)
        counts = draws.sum(axis=1)
        low, high = interval(counts)
        verdict = "holds" if low >= needed - 1e-9 else "fails" if high < needed - 1e-9 \
            else "inconclusive"
        misses = [v + ("" if ok == 0 or len(grids) == 1 else f" (in {1 - ok:.0%} of grids)")
                  for v, ok in zip(order, point) if ok < 1]
        grids_text = "" if len(grids) == 1 else f" (mean over {len(grids)} grids)"
        detail = (f"{self.text} in {point.sum():g}/{len(order)} rows{grids_text} "
                  f"[{low:g}, {high:g}], needs {needed}"
                  + (f"; not in {', '.join(misses)}" if misses else ""))
        return result(verdict, float(point.sum()), low, high, len(wide),
                      float(np.mean(counts >= needed - 1e-9)), detail)

    def published(self, table):
        part = select_rows(table, self.rows)
        order = variant_order(part)
        hits = []
        for v in order:
            entries = part[part["variant"] == v].set_index("cell").reindex(list(CELLS))
            if entries["min_error"].isna().any():
                return None, "not every cell type is in the table"
            stats = _Stats(entries["min_error"].to_numpy()[None],
                           entries["mean_error"].to_numpy()[None], None)
            hits.append(bool(self.predicate(stats)[0]))
        needed = self.needed or len(order)
        misses = [v for v, ok in zip(order, hits) if not ok]
        return (("holds" if sum(hits) >= needed else "fails"),
                f"{sum(hits)}/{len(order)} rows (ties of minima unbroken)"
                + (f"; not in {', '.join(misses)}" if misses else ""))


@dataclass
class _Stats:
    min: np.ndarray       # (b, cells)
    mean: np.ndarray
    solve: Optional[np.ndarray]

    def col(self, cell):
        return CELLS.index(cell)


def _row_stats(W, errors):
    """Min, mean and share at or below CLOSE_POINTS of each cell, per resample."""
    present = W > 0                                                      # (b, units)
    mins = np.where(present[:, :, None], errors[None], np.inf).min(axis=1)
    total = W.sum(axis=1)[:, None]
    return _Stats(mins, (W @ errors) / total, (W @ (errors <= CLOSE_POINTS)) / total)


def ahead(stats, x, y):
    """Whether cell x's minimum ranks ahead of y's: lower as Table I prints it (one
    decimal), or equal and with a larger share of runs at or below CLOSE_POINTS."""
    i, j = stats.col(x), stats.col(y)
    mx, my = np.round(stats.min[:, i], 1), np.round(stats.min[:, j], 1)
    better = mx < my
    if stats.solve is not None:
        better |= (mx == my) & (stats.solve[:, i] > stats.solve[:, j])
    return better


def best_min(cell, among=CELLS):
    """No cell of `among` ranks ahead of `cell` on the minimum."""
    return lambda s: ~np.any([ahead(s, c, cell) for c in among if c != cell], axis=0)


def best_mean(cell):
    return lambda s: np.all([s.mean[:, s.col(cell)] <= s.mean[:, s.col(c)]
                             for c in CELLS if c != cell], axis=0)


def worst_both(cell):
    def test(s):
        on_min = ~np.any([ahead(s, cell, c) for c in CELLS if c != cell], axis=0)
        on_mean = np.all([s.mean[:, s.col(cell)] >= s.mean[:, s.col(c)]
                          for c in CELLS if c != cell], axis=0)
        return on_min & on_mean
    return test


def between_both(cells, low, high):
    """Each of `cells` lies between `low` and `high` on the minimum (ranked as in `ahead`)
    and on the mean."""
    def test(s):
        out = np.ones(len(s.mean), bool)
        for c in cells:
            out &= ~ahead(s, c, low) & ~ahead(s, high, c)
            out &= (s.mean[:, s.col(low)] <= s.mean[:, s.col(c)])
            out &= (s.mean[:, s.col(c)] <= s.mean[:, s.col(high)])
        return out
    return test


# --- existence: per-run rates and a grid of the paper's size ----------------------------------

@dataclass(frozen=True)
class Exists:
    """A grid of the paper's size shows (``shows``) or does not show a run of `cells` at or
    below `threshold` (strictly below with ``strict``) in each of the claim's rows.

    Per row (and cell, with ``per_cell``): the share of runs that reach the
    threshold, with its Clopper-Pearson interval (runs of all replicates
    together), turned into the chance that a grid of the paper's size -- its runs
    of that row and cell, under ``where`` -- holds at least one.  "Shows" holds
    when that chance's interval lies above `GRID_SHOWS`, "does not show" when it
    lies below; one grid with no such run cannot tell the two apart (its rate's
    upper end, about 3.7 / runs, gives a chance near 0.98).
    """
    rows: Callable
    cells: tuple = CELLS
    shows: bool = True
    threshold: float = PERFECT_POINTS
    strict: bool = False
    per_cell: bool = True
    where: Optional[Callable] = None
    what: str = "solve"

    def _parts(self, runs):
        order = variant_order(runs)
        groups = [(v, (c,)) for v in order for c in self.cells] if self.per_cell \
            else [(v, self.cells) for v in order]
        return groups

    def evaluate(self, ev, rng):
        part = select_rows(ev.runs, self.rows, self.where, self.cells)
        if part.empty:
            return result("inconclusive", detail="no runs")
        grid = len(ev.paper_grid if self.where is None else
                   ev.paper_grid[np.asarray(self.where(ev.paper_grid), bool)])
        verdicts, lines, rows = [], [], []
        for variant, cells in self._parts(part):
            errors = part.loc[(part["variant"] == variant) & part["cell"].isin(cells),
                              "test_error"].to_numpy()
            hits = int((errors < self.threshold).sum() if self.strict
                       else (errors <= self.threshold).sum())
            n = len(errors)
            if n == 0:
                verdicts.append("inconclusive")
                continue
            m = grid * len(cells)
            low, high = (float(x) for x in clopper_pearson(hits, n))
            chance = [float(grid_chance(x, m)) for x in (hits / n, low, high)]
            if self.shows:
                v = "holds" if chance[1] > GRID_SHOWS else "fails" if chance[2] < GRID_SHOWS \
                    else "inconclusive"
            else:
                v = "holds" if chance[2] < GRID_SHOWS else "fails" if chance[1] > GRID_SHOWS \
                    else "inconclusive"
            verdicts.append(v)
            rows.append((v, chance, n))
            lines.append(f"{variant} {_label(cells) if self.per_cell else 'any cell'} "
                         f"{hits}/{n} [{low:.1%}, {high:.1%}], P {chance[0]:.2f} "
                         f"[{chance[1]:.2f}, {chance[2]:.2f}] of {m:,}")
        verdict = _combine(verdicts)
        deciding = next((r for r in rows if r[0] == verdict), rows[0]) if rows else None
        sign = "<" if self.strict else "<="
        detail = (f"{'shows' if self.shows else 'shows none'} ({self.what}, error {sign} "
                  f"{self.threshold:g} %): " + "; ".join(lines))
        if deciding is None:
            return result(verdict, detail=detail)
        return result(verdict, deciding[1][0], deciding[1][1], deciding[1][2],
                      int(len(part)), math.nan, detail)

    def published(self, table):
        if self.where is not None:
            return None, "the table does not break errors down by architecture"
        part = select_rows(table, self.rows, cells=self.cells)
        verdicts, lines = [], []
        for variant, cells in self._parts(part):
            best = part.loc[(part["variant"] == variant) & part["cell"].isin(cells),
                            "min_error"].min()
            reached = best < self.threshold if self.strict else best <= self.threshold
            verdicts.append("holds" if reached == self.shows else "fails")
            lines.append(f"{variant} {_label(cells) if self.per_cell else 'any'} {best:.1f}")
        return _combine(verdicts), "minima " + ", ".join(lines)


# --- shares of configurations and of variance -----------------------------------------------

@dataclass(frozen=True)
class EverySeed:
    """Of the configurations where some seed solves, the share where every seed does."""
    rows: Callable
    test: object = Below(0.5)

    def evaluate(self, ev, rng):
        part = select_rows(ev.runs, self.rows)
        if part.empty:
            return result("inconclusive", detail="no runs")
        solved = part.assign(solved=part["test_error"] <= PERFECT_POINTS)
        configs = solved.groupby(list(CONFIG_KEYS), sort=False)["solved"].agg(["any", "all"])
        configs = configs.reset_index()
        if not configs["any"].any():
            return result("inconclusive", n=len(configs),
                          detail="no configuration solves with any seed")
        some, every = configs["any"].to_numpy(float), configs["all"].to_numpy(float)
        sampler = TwoStage(configs["replicate"].to_numpy(), _stratum(configs, None))

        def statistic(W):
            with np.errstate(invalid="ignore", divide="ignore"):
                return (W @ every) / (W @ some)
        point, draws = _bootstrap(sampler, statistic, ev, rng)
        low, high = interval(draws)
        verdict = self.test.decide(low, high, ev.effect)
        detail = (f"every seed solves in {int(every.sum())} of the {int(some.sum())} "
                  f"configurations where some seed solves: {point:.2f} [{low:.2f}, {high:.2f}]; "
                  f"holds if {self.test.text(ev.effect)}")
        return result(verdict, float(point), low, high, int(some.sum()),
                      float(np.nanmean(self.test.holds(draws, ev.effect))), detail)

    def published(self, table):
        return None, "the table has no seeds"


@dataclass(frozen=True)
class SeedShare:
    """The median, over (variant, cell) strata, of the share of the errors' variance that
    lies within configurations, across their seeds (law of total variance)."""
    rows: Callable
    test: object = Above(LARGE_SHARE)

    def evaluate(self, ev, rng):
        part = select_rows(ev.runs, self.rows)
        if part.empty:
            return result("inconclusive", detail="no runs")
        grouped = part.groupby(list(CONFIG_KEYS), sort=False)["test_error"]
        configs = pd.concat([grouped.mean().rename("m"), grouped.var(ddof=0).rename("v")],
                            axis=1).reset_index()
        # one grid's strata: its variant x cell, in its replicate
        strata = [f"{r}|{s}" for r, s in zip(configs["replicate"], _stratum(configs, None))]
        codes = np.unique(strata, return_inverse=True)[1]
        configs = configs.iloc[np.argsort(codes, kind="stable")].reset_index(drop=True)
        codes = np.sort(codes)
        starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
        m, v = configs["m"].to_numpy(), configs["v"].to_numpy()
        sampler = TwoStage(configs["replicate"].to_numpy(), codes)

        def statistic(W):
            # NaN for a stratum that a draw left out (a replicate not drawn: weight 0) or
            # that has no spread; the median is over the others
            with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                total = np.add.reduceat(W, starts, axis=1)               # (b, strata)
                within = np.add.reduceat(W * v, starts, axis=1) / total
                mean = np.add.reduceat(W * m, starts, axis=1) / total
                between = np.maximum(np.add.reduceat(W * m * m, starts, axis=1) / total
                                     - mean ** 2, 0)
                return np.nanmedian(within / (within + between), axis=1)
        point, draws = _bootstrap(sampler, statistic, ev, rng)
        low, high = interval(draws)
        verdict = self.test.decide(low, high, ev.effect)
        detail = (f"median share of a stratum's variance within configurations (across "
                  f"seeds) {point:.2f} [{low:.2f}, {high:.2f}] over {len(starts)} "
                  f"variant x cell strata; holds if {self.test.text(ev.effect)} "
                  f"(Cohen's large eta squared)")
        return result(verdict, float(point), low, high, len(configs),
                      float(np.mean(self.test.holds(draws, ev.effect))), detail)

    def published(self, table):
        return None, "the table mixes configurations and seeds in one std"


@dataclass(frozen=True)
class Categorical:
    """Gated cells are categorically better on at least `needed` of `tasks`: in some
    variant of the task, the share of gated runs that solve exceeds the share of
    simple-cell runs that do (matched, the difference's interval above 0)."""
    tasks: tuple
    needed: int = 2

    def evaluate(self, ev, rng):
        part = select_rows(ev.runs, tasks_(*self.tasks))
        wide = matched(part, "cell") if len(part) else pd.DataFrame()
        if not set(CELLS) <= set(wide.columns) or wide.dropna(subset=list(CELLS)).empty:
            return result("inconclusive", detail="no matched runs")
        wide = wide.dropna(subset=list(CELLS))
        if wide.empty:
            return result("inconclusive", detail="no matched runs")
        solved = wide[list(CELLS)].to_numpy() <= PERFECT_POINTS
        d = solved[:, :2].mean(axis=1) - solved[:, 2:].mean(axis=1)      # gated - simple
        order = variant_order(part)
        vcol = wide["variant"].to_numpy()
        S = np.stack([vcol == v for v in order], axis=1).astype(float)
        sampler = TwoStage(wide["replicate"].to_numpy(), vcol)

        def statistic(W):
            return (W @ (S * d[:, None])) / (W @ S)
        point, draws = _bootstrap(sampler, statistic, ev, rng)
        task_of = dict(zip(part["variant"], part["task"]))
        sure, possible, lines = set(), set(), []
        for j, v in enumerate(order):
            low, high = interval(draws[:, j])
            if low > 0:
                sure.add(task_of[v])
            if high > 0:
                possible.add(task_of[v])
            if high > 0:
                lines.append(f"{v} {point[j]:+.1%} [{low:+.1%}, {high:+.1%}]")
        verdict = ("holds" if len(sure) >= self.needed else "fails"
                   if len(possible) < self.needed else "inconclusive")
        detail = (f"tasks where gated runs clearly solve more often than simple ones: "
                  f"{len(sure)} ({', '.join(sorted(sure)) or 'none'}), possibly "
                  f"{len(possible)}; needs {self.needed}; gated - simple share solving: "
                  + ("; ".join(lines) or "0 everywhere"))
        return result(verdict, float(len(sure)), float(len(sure)), float(len(possible)),
                      len(wide), math.nan, detail)

    def published(self, table):
        part = select_rows(table, tasks_(*self.tasks))
        tasks_found = set()
        for v, g in part.groupby("variant"):
            m = g.set_index("cell")["min_error"]
            if (m[list(GATED)] <= PERFECT_POINTS).any() and (m[list(SIMPLE)] > PERFECT_POINTS
                                                             ).all():
                tasks_found.add(g["task"].iloc[0])
        return (("holds" if len(tasks_found) >= self.needed else "fails"),
                f"gated solve where no SRN does in {len(tasks_found)} tasks "
                f"({', '.join(sorted(tasks_found)) or 'none'})")


# --- mechanisms, from retrained networks ----------------------------------------------------

@dataclass(frozen=True)
class Mechanism:
    """In most retrained solved networks of `cell` (the share's Clopper-Pearson interval
    above 1/2), ``found(cache rows) -> bool array`` is true."""
    cell: str
    found: Callable
    what: str
    summary: Callable = None          # rows -> a short text of the measured values

    def evaluate(self, ev, rng):
        cache = ev.mechanisms
        if cache is None:
            return result("inconclusive", detail="no mechanisms cache (reproduce mechanisms)")
        rows = cache[cache["cell"] == self.cell]
        if rows.empty:
            return result("inconclusive", detail=f"no {self.cell} networks in the cache")
        hits = np.asarray(self.found(rows), bool)
        k, n = int(hits.sum()), len(rows)
        low, high = (float(x) for x in clopper_pearson(k, n))
        verdict = "holds" if low > 0.5 else "fails" if high < 0.5 else "inconclusive"
        variants = ", ".join(sorted(set(rows["variant"])))
        detail = (f"{self.what} in {k}/{n} retrained networks ({variants}): "
                  f"{k / n:.2f} [{low:.2f}, {high:.2f}]; holds if above 0.5"
                  + (f"; {self.summary(rows)}" if self.summary else ""))
        return result(verdict, k / n, low, high, n, math.nan, detail)

    def published(self, table):
        return None, "the paper shows one network (Figure 6)"

