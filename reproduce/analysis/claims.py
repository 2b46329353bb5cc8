"""The paper's claims as precise statements over stored runs, each with a verdict.

    runs = store.runs()                 # or runs_csv.read(...)
    frame = evaluate(runs, published)   # one row per claim of CLAIMS
    to_markdown(frame)

Every claim of the paper's results section and abstract that the grid can
decide is one `Claim`.  Three kinds of evidence decide them:

*Paired comparisons* (``better``: "A beats B on these rows").  Runs of two cell
types (or groups of them: the group's mean) are matched on everything else --
variant, layers, width, skip, step size and seed -- and the difference of
their test errors, A - B, is averaged; its 95 % confidence interval is
``scipy.stats.bootstrap``'s percentile interval over the matched
configurations.  The claim *holds* when the interval lies below 0, *fails*
when it lies above 0, and is *inconclusive* otherwise.

*Equivalence* (``similar``: "no consistent difference among ...").  Every
pair of options is compared as above; the claim *holds* when every interval
lies within ``EQUIVALENCE_POINTS`` of 0, *fails* when some interval lies
wholly outside that band, and is *inconclusive* otherwise.

*Table statistics* ("tanh has the best minimum in all 6 FDR rows").  A
predicate of Table I's entries, with the count of rows it is true of; the
claim holds when the count reaches the claim's.  ``support`` is the share of
``BOOTSTRAP_TABLE`` resamples of the configurations (within each variant,
matched across cells) that give the same verdict; below ``MIN_SUPPORT`` the
verdict is *inconclusive*: resampling the grid would change it too often to
call.

Beside each verdict, ``published_verdict`` says what the published Table I
itself says where it can decide the claim: the same predicate for table
claims; for paired and equivalence claims, the sign (or size) of the
difference of the published means, averaged over the same rows (no interval:
the table has no runs).  Claims about depth, width and skip connections need
runs, so the table cannot decide them.

The thresholds are this module's constants; "perfectly solved" means a test
error that Table I would print as 0.0.
"""
import math
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np
import pandas as pd
from scipy import stats

import tasks
from reproduce.experiment.protocol import TABLE1_AGREEMENT_POINTS, TABLE1_CELL_ORDER
from reproduce.store.selection import ok_runs

GATED = ("gru", "lstm")
SIMPLE = ("tanh", "sigmoid", "relu")
PERFECT_POINTS = 0.05        # "solved perfectly": prints as 0.0 in Table I
CLOSE_POINTS = 1.0           # "very close to a perfect solution"
# "No difference": within the margin at which two Table I entries agree (5 points).
EQUIVALENCE_POINTS = TABLE1_AGREEMENT_POINTS
CONFIDENCE = 0.95
BOOTSTRAP_RESAMPLES = 999    # scipy.stats.bootstrap's, for paired differences
BOOTSTRAP_TABLE = 100        # resamples of the grid behind a table claim's support
MIN_SUPPORT = 0.8
SEED = 20150101              # the bootstraps' generator seed: the same verdicts every time

# What identifies a configuration apart from the cell type (runs matched across cells).
MATCH = ("variant", "layers", "hidden", "skip", "delta0", "seed")
VERDICTS = ("holds", "fails", "inconclusive")


@dataclass(frozen=True)
class Claim:
    """One statement of the paper, made precise.

    ``kind`` is ``better``, ``similar`` or ``table``; ``rows`` selects the
    Table I variants (a predicate of ``task, k, steps_back``).  For ``better``,
    ``a`` and ``b`` are cell groups (A's error minus B's; A better below 0) or,
    with ``axis``, two values of that factor.  For ``similar``, ``options`` are
    cell groups or, with ``axis``, values of that factor.  For ``table``,
    ``test(entries) -> (count, needed, detail)`` over the table's entries.
    """
    id: str
    source: str
    statement: str
    kind: str
    rows: Callable = lambda task, k, n: True
    a: tuple = ()
    b: tuple = ()
    options: tuple = ()
    axis: Optional[str] = None
    where: Optional[Callable] = None      # a further filter of runs (e.g. layers >= 2)
    test: Optional[Callable] = None
    outcome: str = "higher is worse"
    spread: bool = False                  # `better` on an axis: "higher mean or wider spread"


def _task(*names):
    return lambda task, k, n: task in names


def _variant(task, *ks, n=None):
    return lambda t, k, steps: t == task and k in ks and (n is None or steps == n)


# --- table predicates -----------------------------------------------------------------
# Each takes the entries of the claim's rows (one row per variant x cell, with min/mean)
# and returns (rows true, rows needed, a short detail).

def _per_row(entries, predicate):
    rows = list(entries.groupby("variant", sort=False))
    true = [v for v, g in rows if predicate(g.set_index("cell"))]
    return true, rows


def _best(stat, cell, needed=None):
    def test(entries):
        true, rows = _per_row(entries, lambda g: g.loc[cell, stat] <= g[stat].min() + 1e-9)
        return len(true), needed or len(rows), f"{cell} best {stat[:-6]} in {len(true)}/{len(rows)} rows"
    return test


def _second_best_min(cell, first, needed):
    def test(entries):
        def second(g):
            others = g.drop(index=[cell, first])["min_error"]
            return bool((others >= g.loc[cell, "min_error"] - 1e-9).all())
        true, rows = _per_row(entries, second)
        return len(true), needed, f"{cell} second-best (or tied best) min in {len(true)}/{len(rows)} rows"
    return test


def _worst_both(cell):
    def test(entries):
        true, rows = _per_row(entries, lambda g: all(
            g.loc[cell, s] >= g[s].max() - 1e-9 for s in ("min_error", "mean_error")))
        return len(true), len(rows), f"{cell} worst min and mean in {len(true)}/{len(rows)} rows"
    return test


def _between(cells, low, high):
    def test(entries):
        true, rows = _per_row(entries, lambda g: all(
            g.loc[low, "mean_error"] <= g.loc[c, "mean_error"] <= g.loc[high, "mean_error"]
            for c in cells))
        return len(true), len(rows), (f"{'/'.join(cells)} mean between {low} and {high} in "
                                      f"{len(true)}/{len(rows)} rows")
    return test


def _solves(yes, no=(), close=()):
    """In every row: the `yes` cells solve perfectly, the `no` cells do not, the
    `close` cells come within CLOSE_POINTS."""
    def test(entries):
        def ok(g):
            m = g["min_error"]
            return (all(m[c] <= PERFECT_POINTS for c in yes)
                    and all(m[c] > PERFECT_POINTS for c in no)
                    and all(m[c] <= CLOSE_POINTS for c in close))
        true, rows = _per_row(entries, ok)
        mins = "; ".join(f"{v}: " + ", ".join(f"{c} {g.set_index('cell').loc[c, 'min_error']:.1f}"
                                               for c in (*yes, *no, *close))
                         for v, g in entries.groupby("variant", sort=False))
        return len(true), len(rows), f"best errors {mins}"
    return test


def _none_below(points):
    def test(entries):
        true, rows = _per_row(entries, lambda g: g["min_error"].min() >= points)
        return len(true), len(rows), f"lowest error {entries['min_error'].min():.1f}"
    return test


def _none_solves(entries):
    true, rows = _per_row(entries, lambda g: g["min_error"].min() > PERFECT_POINTS)
    return len(true), len(rows), f"lowest error {entries['min_error'].min():.1f}"


CLAIMS = (
    # --- Fixed Delay Recall -----------------------------------------------------------
    Claim("fdr-tanh-best-min", "IV-B, FDR",
          "FDR: tanh networks have the best (lowest, ties included) minimum error in all 6 rows",
          "table", _task("fdr"), test=_best("min_error", "tanh")),
    Claim("fdr-tanh-best-mean", "IV-B, FDR",
          "FDR: tanh networks have the lowest mean error in all 6 rows",
          "table", _task("fdr"), test=_best("mean_error", "tanh")),
    Claim("fdr-relu-second-min", "IV-B, FDR",
          "FDR: ReLU networks have the second-best minimum (after tanh) in at least 5 of 6 rows",
          "table", _task("fdr"), test=_second_best_min("relu", "tanh", 5)),
    Claim("fdr-sigmoid-worst", "IV-B, FDR",
          "FDR: sigmoid networks are worst on both minimum and mean in all 6 rows",
          "table", _task("fdr"), test=_worst_both("sigmoid")),
    Claim("fdr-gated-between", "IV-B, FDR",
          "FDR: the gated cells' mean errors lie between tanh's and sigmoid's in all 6 rows",
          "table", _task("fdr"), test=_between(GATED, "tanh", "sigmoid")),
    # --- Dynamic Delay Recall ---------------------------------------------------------
    Claim("ddr-tanh-advantage-gone", "IV-B, DDR",
          "DDR: tanh's advantage disappears: tanh is not better than the other cells by "
          f"more than {EQUIVALENCE_POINTS:g} points (matched configurations)",
          "similar", _task("ddr"), options=(("tanh",), GATED + ("sigmoid", "relu")),
          outcome="at most equal"),
    # --- Multiswitch ------------------------------------------------------------------
    Claim("ms2-gated-solve", "IV-B, Multiswitch",
          "Multiswitch k=2: GRU and LSTM networks solve it perfectly; tanh, sigmoid and ReLU "
          "networks do not", "table", _variant("multiswitch", 2), test=_solves(GATED, SIMPLE)),
    Claim("ms3-gated-better", "IV-B, Multiswitch",
          "Multiswitch k=3: gated networks are better than simple ones (matched)",
          "better", _variant("multiswitch", 3), a=GATED, b=SIMPLE),
    Claim("ms4-none-below-30", "IV-B, Multiswitch",
          "Multiswitch k=4: no network reaches an error below 30 %",
          "table", _variant("multiswitch", 4), test=_none_below(30.0)),
    Claim("ms-no-best-skip", "IV-B, Multiswitch",
          "Multiswitch: no skip scheme is consistently better than another (2-3 layers, "
          "matched)", "similar", _task("multiswitch"), axis="skip",
          where=lambda runs: runs["layers"] >= 2),
    # --- Single Variable Binding ------------------------------------------------------
    Claim("svb-gated-better", "IV-B, SVB",
          "SVB: gated networks are better than simple ones (matched)",
          "better", _task("svb"), a=GATED, b=SIMPLE),
    Claim("svb-gru-beats-lstm", "IV-B, SVB",
          "SVB: GRU networks are better than LSTM networks (matched)",
          "better", _task("svb"), a=("gru",), b=("lstm",)),
    Claim("svb-only-gru-solves-4-5", "IV-B, SVB",
          "SVB k=4 and k=5: only GRU networks solve them perfectly",
          "table", _variant("svb", 4, 5), test=_solves(("gru",), ("lstm",) + SIMPLE)),
    Claim("svb-simple-similar", "IV-B, SVB",
          f"SVB: no consistent difference (over {EQUIVALENCE_POINTS:g} points) among tanh, "
          "sigmoid and ReLU networks (matched)", "similar", _task("svb"),
          options=(("tanh",), ("sigmoid",), ("relu",))),
    # --- Multiple Variable Binding ----------------------------------------------------
    Claim("mvb2-gated-solve-tanh-close", "IV-B, MVB",
          f"MVB k=2: GRU and LSTM networks solve it perfectly; tanh comes within "
          f"{CLOSE_POINTS:g} %", "table", _variant("mvb", 2),
          test=_solves(GATED, close=("tanh",))),
    Claim("mvb34-none-solves", "IV-B, MVB",
          "MVB k=3 and k=4: no network solves them perfectly",
          "table", _variant("mvb", 3, 4), test=_none_solves),
    # --- Abstract -----------------------------------------------------------------------
    Claim("abstract-i-gated-less-reliable-fdr", "Abstract (i)",
          "FDR: gated networks have a higher error than standard (tanh) RNNs (matched)",
          "better", _task("fdr"), a=("tanh",), b=GATED),
    Claim("abstract-ii-deeper-worse", "Abstract (ii)",
          "Deeper networks (the deepest without skips vs 1 layer) have a higher mean error "
          "or a wider spread of errors (matched)", "better", axis="layers", a=(1,), b=(),
          where=lambda runs: runs["skip"] == "none", spread=True),
    Claim("abstract-ii-wider-worse", "Abstract (ii)",
          "Wider networks (50 units vs 5) have a higher mean error or a wider spread of "
          "errors (matched)", "better", axis="hidden", a=(5,), b=(50,), spread=True),
    Claim("abstract-iii-gated-conditional", "Abstract (iii)",
          "Multiswitch, SVB, MVB (values stored and updated conditionally on the input): "
          "gated networks beat simple ones (matched)",
          "better", _task("multiswitch", "svb", "mvb"), a=GATED, b=SIMPLE),
    Claim("abstract-iv-depth", "Abstract (iv)",
          f"Error is independent of depth: 1, 2 and 3 layers (no skips) differ by at most "
          f"{EQUIVALENCE_POINTS:g} points (matched)", "similar", axis="layers",
          where=lambda runs: runs["skip"] == "none"),
    Claim("abstract-iv-skip", "Abstract (iv)",
          f"Error is independent of the connection architecture: skip schemes (2-3 layers) "
          f"differ by at most {EQUIVALENCE_POINTS:g} points (matched)", "similar",
          axis="skip", where=lambda runs: runs["layers"] >= 2),
    # --- Task difficulty ----------------------------------------------------------------
    *(Claim(f"difficulty-{task}", "III (task design)",
            f"{title}: error rises with task difficulty (each harder variant vs the next "
            "easier one, matched)", "better", _task(task), axis="difficulty")
      for task, title in (("fdr", "FDR"), ("ddr", "DDR"), ("multiswitch", "Multiswitch"),
                          ("svb", "SVB"), ("mvb", "MVB"))),
)


# --- evaluation -----------------------------------------------------------------------

def _select(frame, claim):
    keep = np.array([claim.rows(t, k, None if pd.isna(n) else int(n))
                     for t, k, n in zip(frame["task"], frame["k"], frame["steps_back"])],
                    dtype=bool) if len(frame) else np.zeros(0, dtype=bool)
    frame = frame[keep]
    if claim.where is not None and "layers" in frame:
        frame = frame[claim.where(frame)]
    return frame


def _group_error(runs, cells):
    """Mean error of each matched configuration over the `cells` (all must have run)."""
    part = runs[runs["cell"].isin(cells)]
    wide = part.pivot_table(index=list(MATCH), columns="cell", values="test_error",
                            aggfunc="first")
    return wide.reindex(columns=list(cells)).dropna().mean(axis=1)


def _axis_error(runs, axis, value):
    part = runs[runs[axis] == value]
    index = ["cell", *(m for m in MATCH if m != axis)]
    return part.set_index(index)["test_error"]


def _harder_pairs(runs):
    """Differences harder - easier of matched runs, for each adjacent pair of variants
    of a task (FDR: k within each N, and N=4 vs N=3 at each k)."""
    index = ["cell", "layers", "hidden", "skip", "delta0", "seed"]
    by_variant = {v: g.set_index(index)["test_error"] for v, g in runs.groupby("variant")}
    meta = runs.drop_duplicates("variant").set_index("variant")[["task", "k", "steps_back"]]
    pairs = []
    for v, row in meta.iterrows():
        for w, other in meta.iterrows():
            if row["task"] != other["task"]:
                continue
            same_n = (pd.isna(row["steps_back"]) and pd.isna(other["steps_back"])) or \
                row["steps_back"] == other["steps_back"]
            if same_n and other["k"] == row["k"] + 1:
                pairs.append((v, w))
            elif (not pd.isna(row["steps_back"]) and other["k"] == row["k"]
                  and other["steps_back"] == row["steps_back"] + 1):
                pairs.append((v, w))
    diffs = [(by_variant[w] - by_variant[v]).dropna() for v, w in pairs]
    return pd.concat(diffs) if diffs else pd.Series(dtype=float)


def _b(runs, claim):
    """B of a `better` claim; on an axis, empty means the largest value in the runs."""
    return claim.b or (runs[claim.axis].max(),)


def _differences(runs, claim, a=None, b=None):
    """The matched differences A - B of a `better` claim (or of two options)."""
    if claim.axis == "difficulty":      # easier - harder: negative is the claim
        return -_harder_pairs(runs)
    a = claim.a if a is None else a
    b = _b(runs, claim) if b is None else b
    if claim.axis is not None:
        return (_axis_error(runs, claim.axis, a[0]) - _axis_error(runs, claim.axis, b[0])
                ).dropna()
    return (_group_error(runs, a) - _group_error(runs, b)).dropna()


def _interval(diffs, rng):
    values = np.asarray(diffs, dtype=float)
    if len(values) < 2:
        return math.nan, math.nan, math.nan
    if np.ptp(values) == 0:
        return float(values[0]), float(values[0]), float(values[0])
    ci = stats.bootstrap((values,), np.mean, n_resamples=BOOTSTRAP_RESAMPLES,
                         confidence_level=CONFIDENCE, method="percentile",
                         random_state=rng, vectorized=True).confidence_interval
    return float(values.mean()), float(ci.low), float(ci.high)


def _options(claim, runs):
    if claim.axis is not None:
        return [(v,) for v in sorted(runs[claim.axis].unique())]
    return list(claim.options)


def _label(option):
    return "/".join(map(str, option))


def _evaluate_better(runs, claim, rng):
    diffs = _differences(runs, claim)
    mean, low, high = _interval(diffs, rng)
    verdict = ("inconclusive" if math.isnan(mean) else "holds" if high < 0
               else "fails" if low > 0 else "inconclusive")
    if len(diffs) < 2:
        return dict(verdict="inconclusive", n=len(diffs), detail="no matched configurations")
    what = ("easier - harder" if claim.axis == "difficulty"
            else f"{claim.axis or ''}{' ' if claim.axis else ''}{_label(claim.a)} - "
                 f"{_label(_b(runs, claim))}")
    detail = (f"{what}: {mean:+.2f} points [{low:+.2f}, {high:+.2f}] over "
              f"{len(diffs):,} matched configurations")
    if claim.spread and len(diffs) >= 2:   # or: the simpler networks' errors spread less
        a, b = (_axis_error(runs, claim.axis, v[0]) for v in (claim.a, _b(runs, claim)))
        a, b = a.align(b, join="inner")
        ci = stats.bootstrap((a.to_numpy(), b.to_numpy()),
                             lambda x, y, axis=-1: np.std(x, axis=axis) - np.std(y, axis=axis),
                             paired=True, n_resamples=BOOTSTRAP_RESAMPLES,
                             confidence_level=CONFIDENCE, method="percentile",
                             random_state=rng, vectorized=True).confidence_interval
        spread = float(a.std(ddof=0) - b.std(ddof=0))
        detail += f"; std {spread:+.2f} [{ci.low:+.2f}, {ci.high:+.2f}]"
        verdict = ("holds" if high < 0 or ci.high < 0 else
                   "fails" if low > 0 and ci.low > 0 else "inconclusive")
    return dict(verdict=verdict, estimate=mean, ci_low=low, ci_high=high, n=len(diffs),
                detail=detail)


def _evaluate_similar(runs, claim, rng):
    options = _options(claim, runs)
    worst, parts, verdicts = None, [], []
    for i, a in enumerate(options):
        for b in options[i + 1:]:
            diffs = _differences(runs, claim, a, b)
            mean, low, high = _interval(diffs, rng)
            if math.isnan(mean):
                continue
            band = EQUIVALENCE_POINTS
            if claim.outcome == "at most equal":   # only A better than B by more than the band fails
                verdicts.append("fails" if high < -band else "holds" if low > -band
                                else "inconclusive")
            else:
                verdicts.append("holds" if -band < low and high < band
                                else "fails" if low > band or high < -band else "inconclusive")
            parts.append(f"{_label(a)} - {_label(b)} {mean:+.2f} [{low:+.2f}, {high:+.2f}]")
            if worst is None or abs(mean) > abs(worst[0]):
                worst = (mean, low, high, len(diffs))
    if not verdicts:
        return dict(verdict="inconclusive", estimate=math.nan, ci_low=math.nan,
                    ci_high=math.nan, n=0, detail="no matched configurations")
    verdict = ("fails" if "fails" in verdicts else "holds" if set(verdicts) == {"holds"}
               else "inconclusive")
    return dict(verdict=verdict, estimate=worst[0], ci_low=worst[1], ci_high=worst[2],
                n=worst[3], detail="; ".join(parts))


def _entries(runs, weights=None):
    """Table I's min and mean per variant x cell of `runs` (each run counted `weights`
    times; 0 leaves it out)."""
    w = np.ones(len(runs)) if weights is None else weights
    frame = pd.DataFrame({"variant": runs["variant"].to_numpy(), "cell": runs["cell"].to_numpy(),
                          "error": np.where(w > 0, runs["test_error"].to_numpy(), np.inf),
                          "weighted": w * runs["test_error"].to_numpy(), "w": w})
    grouped = frame.groupby(["variant", "cell"], sort=False)
    out = grouped.agg(min_error=("error", "min"), total=("weighted", "sum"), w=("w", "sum"))
    out = out[out["w"] > 0]
    out["mean_error"] = out["total"] / out["w"]
    return out.reset_index()[["variant", "cell", "min_error", "mean_error"]]


def _table_verdict(entries, claim):
    cells = set(entries["cell"])
    if not set(TABLE1_CELL_ORDER) <= cells or entries.empty:
        return None, "not every cell type has runs"
    count, needed, detail = claim.test(entries)
    return ("holds" if count >= needed else "fails"), detail


def _resample_weights(runs, rng):
    """How often each run is drawn in a bootstrap resample of the configurations
    (matched across cells, drawn within each variant)."""
    config = runs.groupby(list(MATCH), sort=False).ngroup().to_numpy()
    first = pd.DataFrame({"config": config, "variant": runs["variant"].to_numpy()}
                         ).drop_duplicates("config")
    counts = np.zeros(config.max() + 1)
    for _, ids in first.groupby("variant")["config"]:
        np.add.at(counts, rng.choice(ids.to_numpy(), size=len(ids), replace=True), 1)
    return counts[config]


def _evaluate_table(runs, claim, rng):
    verdict, detail = _table_verdict(_entries(runs), claim)
    if verdict is None:
        return dict(verdict="inconclusive", detail=detail, n=0)
    same = sum(_table_verdict(_entries(runs, _resample_weights(runs, rng)), claim)[0] == verdict
               for _ in range(BOOTSTRAP_TABLE))
    support = same / BOOTSTRAP_TABLE
    return dict(verdict=verdict if support >= MIN_SUPPORT else "inconclusive",
                support=support, detail=detail,
                n=len(runs[list(MATCH)].drop_duplicates()))


def _published_verdict(published, claim):
    """What the published Table I says of `claim` (verdict, detail) or (None, reason)."""
    if published is None:
        return None, "no published table"
    frame = _select(published, claim)
    if claim.kind == "table":
        return _table_verdict(frame[["variant", "cell", "min_error", "mean_error"]], claim)
    if claim.axis is not None and claim.axis != "difficulty":
        return None, f"the table does not break errors down by {claim.axis}"
    means = frame.set_index(["variant", "cell"])["mean_error"].unstack("cell")
    if claim.axis == "difficulty":
        runs = frame.assign(test_error=frame["mean_error"], layers=0, hidden=0, skip="",
                            delta0=0.0, seed=0)
        d = -_harder_pairs(runs)
        mean = float(d.mean())
        return ("holds" if mean < 0 else "fails"), f"easier - harder means {mean:+.1f}"
    if claim.kind == "better":
        d = float((means[list(claim.a)].mean(axis=1) - means[list(claim.b)].mean(axis=1)).mean())
        return ("holds" if d < 0 else "fails"), (f"{_label(claim.a)} - {_label(claim.b)} "
                                                  f"means {d:+.1f}")
    parts, verdicts = [], []
    for i, a in enumerate(claim.options):
        for b in claim.options[i + 1:]:
            d = float((means[list(a)].mean(axis=1) - means[list(b)].mean(axis=1)).mean())
            parts.append(f"{_label(a)} - {_label(b)} {d:+.1f}")
            if claim.outcome == "at most equal":
                verdicts.append("fails" if d < -EQUIVALENCE_POINTS else "holds")
            else:
                verdicts.append("holds" if abs(d) <= EQUIVALENCE_POINTS else "fails")
    return ("fails" if "fails" in verdicts else "holds"), "; ".join(parts)


COLUMNS = ("id", "source", "statement", "verdict", "estimate", "ci_low", "ci_high", "n",
           "support", "detail", "published_verdict", "published_detail")


def evaluate(runs, published=None, claims=CLAIMS):
    """One row per claim: our verdict and evidence, and the published table's.

    Parameters
    ----------
    runs : pandas.DataFrame
        Store rows (`Store.runs()` or `runs_csv.read`); ``ok`` runs count.
    published : pandas.DataFrame, optional
        `table1.load_published()` as a frame (``variant, cell`` index).
    """
    runs = ok_runs(runs)
    runs = runs[["variant", "task", "k", "steps_back", "cell", "layers", "hidden", "skip",
                 "delta0", "seed", "test_error"]]
    pub = None
    if published is not None:
        pub = published.reset_index()
        parsed = [tasks.parse_variant(v) for v in pub["variant"]]
        pub["task"] = [p.task for p in parsed]
        pub["k"] = [p.k for p in parsed]
        pub["steps_back"] = [p.steps_back for p in parsed]
    rows = []
    for claim in claims:
        rng = np.random.default_rng(SEED)
        part = _select(runs, claim)
        evaluate_kind = {"better": _evaluate_better, "similar": _evaluate_similar,
                         "table": _evaluate_table}[claim.kind]
        if part.empty:
            result = dict(verdict="inconclusive", detail="no runs", n=0)
        else:
            result = evaluate_kind(part, claim, rng)
        pub_verdict, pub_detail = _published_verdict(pub, claim)
        rows.append({"id": claim.id, "source": claim.source, "statement": claim.statement,
                     **result, "published_verdict": pub_verdict or "–",
                     "published_detail": pub_detail})
    frame = pd.DataFrame(rows)
    for column in COLUMNS:
        if column not in frame:
            frame[column] = math.nan
    return frame[list(COLUMNS)]


def to_markdown(frame, source=""):
    """``claims.md``: each claim, our verdict and evidence, and the published table's."""
    lines = ["# The paper's claims, checked", ""]
    if source:
        lines += [source, ""]
    counts = frame["verdict"].value_counts()
    lines += [", ".join(f"{counts.get(v, 0)} {v}" for v in VERDICTS) + f" of {len(frame)} "
              "claims.  Paired comparisons: mean difference of test error (points) over "
              f"matched configurations with a {CONFIDENCE:.0%} bootstrap interval; equivalence "
              f"band ±{EQUIVALENCE_POINTS:g} points; table claims: the count and the share "
              f"of {BOOTSTRAP_TABLE} grid resamples that agree (support; below "
              f"{MIN_SUPPORT:g}: inconclusive).  See `reproduce/claims.py`.", "",
              "| claim | source | verdict | evidence | published table |",
              "|---|---|---|---|---|"]
    for row in frame.to_dict("records"):
        support = "" if pd.isna(row.get("support")) else f" (support {row['support']:.2f})"
        published = (row["published_verdict"] + (f": {row['published_detail']}"
                                                 if row["published_detail"] else ""))
        lines.append(f"| **{row['id']}**: {row['statement']} | {row['source']} | "
                     f"**{row['verdict']}** | {row['detail']}{support} | {published} |")
    return "\n".join(lines) + "\n"


