"""The paper's claims as precise statements over stored runs, each with a verdict.

    runs = runs_csv.load_all(["results/paper/stated/runs.csv.gz"])
    frame = evaluate(runs, published)   # one row per claim of CLAIMS
    to_markdown(frame)

Every testable sentence of the abstract, the introduction and Sections III-V is one
`Claim` (`reproduce.analysis.claims.catalogue`), quoted, stated precisely and decided
by a rule (`reproduce.analysis.claims.rules`):

* paired comparisons of matched runs (A - B, their mean and its interval), and
  differences of such differences;
* "no consistent difference": every pair alike within the effect size, pooled and
  per task, and none consistently better across strata;
* Table I statistics counted over rows, with the count's interval;
* existence ("some network solves it", "none does"): per-run rates with binomial
  intervals and the chance that a grid of the paper's size shows the outcome;
* shares (of configurations, of variance) and mechanisms measured on retrained
  networks (`reproduce.analysis.mechanisms`).

Intervals include the data draw where the runs hold several replicates (two-stage
bootstrap: replicates, then configurations within each; `resample`); with one
replicate they are conditional on the data set, and the verdict says so.  A claim
*holds* only if its interval clears its rule, *fails* if the interval lies on the
other side, and is *inconclusive* otherwise.  ``replicate_share`` is the share of
replicates in which the claim holds on its own.

The *effect size* that bands "alike" is the paper's own: the smallest difference it
calls consistent, the published gated cells' advantage on Multiswitch k=3 ("performed
consistently better than SRNs", Table I's means; `effect_size`).  ``published_verdict``
is what the published Table I says by the same rule where it can (no interval: the
table has no runs).
"""
import math
import zlib

import numpy as np
import pandas as pd

import tasks
from reproduce.analysis.claims.catalogue import CLAIMS, Claim
from reproduce.analysis.claims.resample import CONFIDENCE, RESAMPLES
from reproduce.analysis.claims.rules import (
    CLOSE_POINTS,
    CONSISTENT,
    GATED,
    GRID_SHOWS,
    PERFECT_POINTS,
    SIMPLE,
    VERDICTS,
    Evidence,
    Exists,
    Mechanism,
    result,
)
from reproduce.experiment.profiles import get_profile, grid_architectures
from reproduce.store.selection import ok_runs, replicate_column

# The bootstraps' generator seed (with the claim's id): the same verdicts every time.
SEED = 20150101
COLUMNS = ("id", "source", "statement", "quote", "verdict", "conditional", "data_draw",
           "replicates", "replicate_share", "estimate", "ci_low", "ci_high", "n", "support",
           "detail", "published_verdict", "published_detail")
RUN_COLUMNS = ("replicate", "variant", "task", "k", "steps_back", "cell", "layers", "hidden",
               "skip", "delta0", "seed", "test_error")

__all__ = ["CLAIMS", "COLUMNS", "Claim", "CONFIDENCE", "RESAMPLES", "VERDICTS", "effect_size",
           "evaluate", "to_markdown", "CLOSE_POINTS", "CONSISTENT", "GRID_SHOWS",
           "PERFECT_POINTS"]


def effect_size(published):
    """The smallest difference the paper calls consistent (points): its gated cells'
    advantage over the simple ones on Multiswitch k=3 in the published means ("the
    networks with gated units performed consistently better than SRNs on this task").

    Parameters
    ----------
    published : DataFrame
        `reproduce.analysis.table1.load_published()` (``variant, cell`` index).
    """
    variant = tasks.Variant("multiswitch", 3, None).id
    means = published["mean_error"]
    gated = np.mean([means[(variant, c)] for c in GATED])
    simple = np.mean([means[(variant, c)] for c in SIMPLE])
    return float(abs(gated - simple))


def paper_grid():
    """One (variant, cell)'s configurations in the paper's grid: the runs a grid of the
    paper's size has of each Table I entry."""
    paper = get_profile("paper")
    rows = [dict(layers=layers, hidden=hidden, skip=skip, delta0=delta0, seed=seed)
            for layers, skip in grid_architectures()
            for hidden in paper.widths for delta0 in paper.delta0 for seed in paper.seeds]
    assert len(rows) * len(paper.variants) * len(paper.cells) == paper.n_runs
    return pd.DataFrame(rows)


def _runs_frame(runs):
    runs = ok_runs(runs)
    if "replicate" not in runs:
        runs = runs.assign(replicate=replicate_column(runs) if "data_seed" in runs else 0)
    columns = list(RUN_COLUMNS) + (["reading"] if "reading" in runs else [])
    return runs[columns].reset_index(drop=True)


def _published_frame(published, effect):
    if published is None:
        return None
    pub = published.reset_index()
    parsed = [tasks.parse_variant(v) for v in pub["variant"]]
    pub["task"] = [p.task for p in parsed]
    pub["k"] = [p.k for p in parsed]
    pub["steps_back"] = [p.steps_back for p in parsed]
    pub.attrs["effect"] = effect
    return pub


def _replicates(rule, ev):
    if isinstance(rule, Mechanism):
        cache = ev.mechanisms
        return [] if cache is None else sorted(cache["replicate"].unique())
    return sorted(ev.runs["replicate"].unique())


def _rules(rule):
    """`rule` and the rules it is made of."""
    yield rule
    for part in getattr(rule, "parts", ()):
        yield from _rules(part[0] if isinstance(part, tuple) else part)


def _draw_text(rule, replicates):
    n = len(replicates)
    if isinstance(rule, Mechanism):
        return f"networks of {n} replicate{'s' if n != 1 else ''}"
    if any(isinstance(r, Exists) for r in _rules(rule)):
        return f"binomial over the runs of {n} replicate{'s' if n != 1 else ''}"
    return ("conditional on the data set (1 replicate)" if n <= 1
            else f"two-stage bootstrap over {n} replicates")


def evaluate(runs, published=None, claims=CLAIMS, mechanisms=None, effect=None,
             resamples=RESAMPLES):
    """One row per claim: our verdict and evidence, and the published table's.

    Parameters
    ----------
    runs : pandas.DataFrame
        Store rows (`Store.runs()` or `runs_csv.read`) of one reading; ``ok`` runs
        count.  Their replicates come from their configs (or a ``replicate`` column).
    published : pandas.DataFrame, optional
        `table1.load_published()` (``variant, cell`` index): the published verdicts
        and the effect size.
    mechanisms : pandas.DataFrame, optional
        The mechanisms cache (`reproduce.analysis.mechanisms.read_cache`).
    effect : float, optional
        The effect size; default `effect_size` of `published`, or of the paper's
        table shipped with the package.
    resamples : int
        Bootstrap resamples per claim (and per replicate).
    """
    if effect is None:
        if published is None:
            from reproduce.analysis import table1
            effect = effect_size(table1.load_published())
        else:
            effect = effect_size(published)
    frame = _runs_frame(runs)
    pub = _published_frame(published, effect)
    grid = paper_grid()
    rows = []
    for claim in claims:
        ev = Evidence(frame, effect, grid, mechanisms, resamples)
        rng = np.random.default_rng([SEED, zlib.crc32(claim.id.encode())])
        out = claim.rule.evaluate(ev, rng) if len(frame) else result(
            "inconclusive", detail="no runs")
        replicates = _replicates(claim.rule, ev)
        if len(replicates) > 1:
            held = 0
            for r in replicates:
                one = Evidence(frame[frame["replicate"] == r], effect, grid,
                               None if mechanisms is None else
                               mechanisms[mechanisms["replicate"] == r], resamples)
                held += claim.rule.evaluate(one, rng)["verdict"] == "holds"
            share = held / len(replicates)
        else:
            share = float(out["verdict"] == "holds") if replicates else math.nan
        pub_verdict, pub_detail = (claim.rule.published(pub) if pub is not None
                                   else (None, "no published table"))
        rows.append({"id": claim.id, "source": claim.source, "statement": claim.statement,
                     "quote": claim.quote, **out,
                     "conditional": len(replicates) <= 1,
                     "data_draw": _draw_text(claim.rule, replicates),
                     "replicates": len(replicates), "replicate_share": share,
                     "published_verdict": pub_verdict or "–", "published_detail": pub_detail})
    table = pd.DataFrame(rows)
    return table[list(COLUMNS)]


def _held(share, replicates):
    """``2/3``: in how many of the replicates the claim holds on its own."""
    if share is None or replicates is None or pd.isna(share) or pd.isna(replicates) \
            or not replicates:
        return "–"
    return f"{round(float(share) * int(replicates))}/{int(replicates)}"


def to_markdown(frame, source=""):
    """``claims.md``: each claim, the sentence it encodes, our verdict and evidence, the share
    of replicates in which it holds, and the published table's verdict."""
    lines = ["# The paper's claims, checked", ""]
    if source:
        lines += [source, ""]
    counts = frame["verdict"].value_counts()
    lines += [", ".join(f"{counts.get(v, 0)} {v}" for v in VERDICTS) + f" of {len(frame)} "
              "claims.  Evidence: the statistic, its 95 % interval in brackets and what the "
              "rule needs (`reproduce/analysis/claims/`).  Intervals resample the data sets "
              "(replicates) and the configurations within each; with one replicate they are "
              "conditional on the data set.  Existence claims turn the per-run rate (exact "
              "binomial interval) into the chance that a grid of the paper's size shows the "
              "outcome.  A claim holds only when its whole interval clears its rule.", "",
              "| claim | the paper | verdict | evidence | holds in replicates | published "
              "table |", "|---|---|---|---|---|---|"]
    for row in frame.to_dict("records"):
        verdict = f"**{row['verdict']}**"
        draw = row.get("data_draw")
        if not pd.isna(draw) and draw:
            verdict += f"<br>{draw}"
        held = _held(row.get("replicate_share"), row.get("replicates"))
        support = row.get("support")
        support = ("" if support is None or pd.isna(support)
                   else f" (support {float(support):.2f})")
        detail = "" if pd.isna(row.get("detail")) else str(row["detail"])
        published = str(row["published_verdict"]) + (
            f": {row['published_detail']}" if not pd.isna(row.get("published_detail"))
            and row["published_detail"] else "")
        quote = "" if pd.isna(row.get("quote")) else f"“{row['quote']}”"
        lines.append(f"| **{row['id']}**: {row['statement']} | {row['source']}: {quote} | "
                     f"{verdict} | {detail}{support} | {held} | {published} |")
    return "\n".join(lines) + "\n"
