"""What drives the test error: a factorial ANOVA of the grid, per task.

    frame = analyse(runs, bootstrap=100, seed=0)   # runs: Store.runs() or runs_csv.read
    to_markdown(frame); plot_shares(frame, "anova_shares.png")

The sweep's grid is a full factorial: every task variant x cell x architecture
x width x step size x seed.  Per task, `analyse` fits an ordinary least-squares
model of the test error on these factors (all categorical) and their two-way
interactions (statsmodels ``ols`` + ``anova_lm(typ=2)``), once on the error
itself (%) and once on its rank within the task (the rank transform of Conover
& Iman: errors are bounded at 0 and skewed, and many runs tie at 0 %).  Each
term's *share* is its type-II sum of squares over the sum of all terms' and the
residual's; in a complete, balanced grid the terms are orthogonal, type II
equals type I, and that sum is exactly the total sum of squares.  The
interval of a share is the percentile interval over `bootstrap` refits on
resamples of the runs (configurations with their seed) drawn with
replacement from a seeded generator.

Factors (`FACTORS`):

``variant``
    the task variant within the task (k, and N for FDR): Table I's rows, so the
    task's difficulty does not end up in the residual.
``architecture``
    layers and skip scheme as *one* factor (``L1 none``, ``L2 both``, ...).
    The grid is not crossed in them: one layer exists only without skips, and
    ``quick`` has (2, none), (2, both), (3, both) only, so separate layer and
    skip factors would alias each other (L1 is always ``none``) and their
    interaction could not be estimated.
``cell``, ``hidden``, ``delta0``, ``seed``
    cell type, width, RProp's initial step, the parameter seed (a control: its
    terms measure how much of the error is the luck of the draw).

A factor with one level in a task's runs is left out.  This is the classical
counterpart of the functional ANOVA (fANOVA) with which Greff et al. ("LSTM: A
Search Space Odyssey", 2017) apportioned the variance of a random-search
sample over hyperparameters through a random-forest surrogate; on a full
factorial grid the cells of the design are observed directly, so a factorial
ANOVA decomposes the same variance exactly, with no surrogate model, and
gives each term degrees of freedom and a test.
"""
import numpy as np
import pandas as pd
from scipy import stats

from pybrain_ext.batched.runtime import one_blas_thread
from reproduce.analysis.style import ordered_tasks
from reproduce.store.files import save_figure
from reproduce.store.selection import ok_runs
from tasks.registry import TASKS

FACTORS = ("variant", "cell", "architecture", "hidden", "delta0", "seed")
RESPONSES = ("error", "rank")
RESIDUAL = "residual"
BOOTSTRAP = 100          # refits on resampled runs per task (both responses share them)
CONFIDENCE = 0.95
SEED = 0
COLUMNS = ("task", "response", "term", "df", "sum_sq", "share", "share_low", "share_high",
           "F", "p", "runs", "bootstrap")


def design(runs):
    """The ``ok`` runs with the model's columns: `FACTORS`, ``error`` and ``task``."""
    ok = ok_runs(runs)
    frame = ok[["task", "variant", "cell", "hidden", "delta0", "seed"]].copy()
    frame["architecture"] = ["L%d %s" % (n, s) for n, s in zip(ok["layers"], ok["skip"])]
    frame["error"] = ok["test_error"].astype(float)
    return frame.reset_index(drop=True)


def _terms(factors):
    """Main effects, then the two-way interactions, as tuples of factor names."""
    return [(a,) for a in factors] + [(a, b) for i, a in enumerate(factors)
                                      for b in factors[i + 1:]]


def term_label(term):
    return " × ".join(term)


def _formula_term(term):
    """A term as the model's formula (and so patsy and `anova_lm`) names it:
    ``("cell", "seed")`` -> ``C(cell):C(seed)``."""
    return ":".join(f"C({f})" for f in term)


def _term_columns(model, terms):
    """``{term: [column indices]}``: each term's columns of the fitted model's design
    (patsy's ``term_name_slices``)."""
    slices = model.model.data.model_spec.term_name_slices     # a patsy DesignInfo
    return {t: list(range(slices[_formula_term(t)].start, slices[_formula_term(t)].stop))
            for t in terms}


def _fit(frame, response, factors):
    """statsmodels' fit and type-II table of `response` on `factors` + two-way interactions
    (no table, None, when no residual degree of freedom is left)."""
    import statsmodels.formula.api as smf
    from statsmodels.stats.anova import anova_lm
    formula = f"{response} ~ " + " + ".join(_formula_term(t) for t in _terms(factors))
    model = smf.ols(formula, frame).fit()
    return model, (anova_lm(model, typ=2) if model.df_resid >= 1 else None)


def type2_sums(gram, xy, yy, columns, terms):
    """Type-II sums of squares from the weighted normal equations, one per term.

    ``gram = X'WX``, ``xy = X'WY``, ``yy = diag(Y'WY)`` for the design ``X``
    (first column the intercept), row weights ``W`` and responses ``Y`` (one
    per column); ``columns`` maps each term to its column indices.  A term's
    sum is the rise of the residual sum of squares when it is dropped from the
    model of every term that does not contain it (so a main effect is not adjusted
    for its own interactions) -- what ``anova_lm(typ=2)`` gives, at the cost of small
    solves only, so that
    bootstrap refits are cheap.  Returns ``(sums, residual sums)``, shapes
    (terms, responses) and (responses,).
    """
    def rss(keep):
        idx = np.array([0] + sorted(i for t in keep for i in columns[t]))
        g, c = gram[np.ix_(idx, idx)], xy[idx]                            # (p, p), (p, Y)
        return yy - (_solve(g, c) * c).sum(axis=0)

    sums = []
    for term in terms:
        without = [t for t in terms if not set(term) < set(t)]   # drop terms containing it
        sums.append(rss([t for t in without if t != term]) - rss(without))
    return np.maximum(np.array(sums), 0.0), rss(terms)


def _solve(g, c):
    """A solution of ``g b = c`` for a positive semi-definite ``g``: directly where
    ``g`` is well conditioned (the usual case, fast), else the least-squares one
    (a resample that lacks a level combination leaves a zero column)."""
    try:
        pivots = np.diag(np.linalg.cholesky(g)) ** 2
        if pivots.min() > 1e-10 * np.diag(g).max():
            return np.linalg.solve(g, c)
    except np.linalg.LinAlgError:
        pass
    return np.linalg.lstsq(g, c, rcond=None)[0]


def _task_rows(frame, task, bootstrap, rng, confidence):
    """`analyse`'s rows of one task's runs (`design` columns)."""
    factors = [f for f in FACTORS if frame[f].nunique() > 1]
    if not factors:
        return []
    frame = frame.assign(rank=stats.rankdata(frame["error"]))
    terms = _terms(factors)
    labels = {_formula_term(t): term_label(t) for t in terms}   # anova_lm's row -> ours
    rows = []
    for response in RESPONSES:     # the design (model.model.exog) is the same for both
        model, table = _fit(frame, response, factors)
        if table is None:
            return []
        total = table["sum_sq"].sum()
        for name, row in table.iterrows():
            term = RESIDUAL if name == "Residual" else labels[name]
            rows.append({"task": task, "response": response, "term": term, "df": row["df"],
                         "sum_sq": row["sum_sq"], "share": row["sum_sq"] / total,
                         "F": row["F"], "p": row["PR(>F)"], "runs": len(frame),
                         "bootstrap": bootstrap})
    # bootstrap: multinomial weights on the runs, one set per refit, both responses
    X = np.asarray(model.model.exog)                                      # (runs, params)
    columns = _term_columns(model, terms)
    Y = np.column_stack([frame[r].to_numpy(float) - frame[r].mean() for r in RESPONSES])
    n = len(frame)
    shares = np.empty((bootstrap, len(RESPONSES), len(terms) + 1))
    for b in range(bootstrap):
        w = rng.multinomial(n, np.full(n, 1.0 / n)).astype(float)        # (runs,)
        Xw = X * w[:, None]                                               # (runs, params)
        sums, resid = type2_sums(X.T @ Xw, Xw.T @ Y, (Y * Y * w[:, None]).sum(axis=0),
                                 columns, terms)
        parts = np.vstack([sums, resid])                                  # (terms + 1, Y)
        shares[b] = (parts / parts.sum(axis=0)).T
    tail = (1 - confidence) / 2
    low, high = (np.quantile(shares, q, axis=0) if bootstrap else
                 np.full(shares.shape[1:], np.nan) for q in (tail, 1 - tail))
    order = [term_label(t) for t in terms] + [RESIDUAL]
    for row in rows:
        j, i = RESPONSES.index(row["response"]), order.index(row["term"])
        row["share_low"], row["share_high"] = low[j, i], high[j, i]
    return rows


def analyse(runs, bootstrap=BOOTSTRAP, seed=SEED, confidence=CONFIDENCE):
    """The ANOVA of every task's ``ok`` runs (module docstring).

    Parameters
    ----------
    runs : pandas.DataFrame
        Store rows (`Store.runs()` or `runs_csv.read`).
    bootstrap : int
        Refits on resampled runs for the intervals (0: none).
    seed : int
        Seed of the resampling (each task draws from its own stream).
    confidence : float
        Coverage of the percentile intervals.

    Returns
    -------
    pandas.DataFrame
        `COLUMNS`: per task and response (``error``, ``rank``), one row per term
        and one for the residual, the largest share first and the residual last.
        A task whose runs leave no residual degree of freedom has no rows.
    """
    if isinstance(bootstrap, bool) or not isinstance(bootstrap, int) or bootstrap < 0:
        raise ValueError(f"bootstrap must be an integer >= 0, got {bootstrap!r}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie in (0, 1), got {confidence!r}")
    frame = design(runs)
    rows = []
    with one_blas_thread():   # small products: threads only contend
        for index, task in enumerate(ordered_tasks(frame["task"])):
            rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(index,)))
            rows += _task_rows(frame[frame["task"] == task].reset_index(drop=True), task,
                               bootstrap, rng, confidence)
    out = pd.DataFrame(rows, columns=list(COLUMNS))
    out["_residual"] = out["term"] == RESIDUAL
    out = out.sort_values(["task", "response", "_residual", "share"],
                          ascending=[True, True, True, False],
                          key=lambda s: s.map(list(TASKS).index) if s.name == "task" else s)
    return out.drop(columns="_residual").reset_index(drop=True)


def largest_terms(frame, response="error", n=2):
    """``{task: [(term, share), ...]}``: the `n` largest terms (no residual) per task."""
    part = frame[(frame["response"] == response) & (frame["term"] != RESIDUAL)]
    return {task: list(zip(g["term"][:n], g["share"][:n]))
            for task, g in part.groupby("task", sort=False)}


def largest_terms_markdown(frame):
    """A table of the two largest terms per task, of the error and of its rank."""
    lines = ["| task | two largest terms (error) | two largest terms (rank) |",
             "|---|---|---|"]
    error, rank = largest_terms(frame, "error"), largest_terms(frame, "rank")
    for task in error:
        fmt = lambda terms: "; ".join(f"{t} {_pct(s)} %" for t, s in terms)  # noqa: E731
        lines.append(f"| {task} | {fmt(error[task])} | {fmt(rank.get(task, []))} |")
    return lines


def _pct(value):
    return "–" if pd.isna(value) else f"{100 * value:.1f}"


def to_markdown(frame, source=""):
    """``anova.md``: per task, every term's share of the sum of squares, both responses."""
    lines = ["# What drives the test error: ANOVA per task", ""]
    if source:
        lines += [source, ""]
    boot = int(frame["bootstrap"].iloc[0]) if len(frame) else 0
    lines += [
        "Type-II ANOVA (statsmodels `anova_lm(typ=2)`) of the test error on task variant, "
        "cell type, architecture (layers and skip scheme as one factor: one layer exists "
        "only without skips), width, RProp step size and seed, all categorical, with their "
        "two-way interactions; per task, on the error (%) and on its rank within the task. "
        "A share is a term's sum of squares over the sum of all terms' and the residual's "
        f"(%), with a {CONFIDENCE:.0%} percentile interval over {boot} refits on runs "
        "resampled with replacement.  See `reproduce/anova.py` for how this relates to "
        "Greff et al.'s fANOVA.", ""]
    lines += largest_terms_markdown(frame)
    for task, group in frame.groupby("task", sort=False):
        e = group[group["response"] == "error"].set_index("term")
        r = group[group["response"] == "rank"].set_index("term")
        lines += ["", f"## {task} ({int(e['runs'].iloc[0]):,} runs)", "",
                  "| term | df | share of SS, error (%) | p | share of SS, rank (%) | p |",
                  "|---|---:|---:|---:|---:|---:|"]
        for term, row in e.iterrows():
            cells = [f"{_pct(x['share'])} [{_pct(x['share_low'])}, {_pct(x['share_high'])}]"
                     for x in (row, r.loc[term])]
            p = ["" if pd.isna(x["p"]) else f"{x['p']:.2g}" for x in (row, r.loc[term])]
            lines.append(f"| {term} | {int(row['df'])} | {cells[0]} | {p[0]} | {cells[1]} | "
                         f"{p[1]} |")
    return "\n".join(lines) + "\n"


def plot_shares(frame, path, min_share=0.03):
    """Stacked bars of the shares per task, one panel per response; interactions
    below `min_share` in every bar are pooled as "other interactions"."""
    from matplotlib import colormaps
    from matplotlib.figure import Figure

    interactions = frame[frame["term"].str.contains("×")]
    shown = sorted(set(interactions.loc[interactions["share"] >= min_share, "term"]))
    mains = [f for f in FACTORS if f in set(frame["term"])]
    order = mains + shown + ["other interactions", RESIDUAL]
    colours = dict(zip(order, colormaps["tab20"].colors))
    colours[RESIDUAL] = "lightgrey"
    fig = Figure(figsize=(11, 4.2), constrained_layout=True)
    axes = fig.subplots(1, len(RESPONSES), sharey=True)
    for ax, response in zip(axes, RESPONSES):
        part = frame[frame["response"] == response]
        tasks = list(dict.fromkeys(part["task"]))
        bottom = np.zeros(len(tasks))
        for term in order:
            if term == "other interactions":
                pick = part["term"].str.contains("×") & ~part["term"].isin(shown)
            else:
                pick = part["term"] == term
            values = np.array([part.loc[pick & (part["task"] == t), "share"].sum()
                               for t in tasks])
            ax.bar(tasks, values, bottom=bottom, color=colours[term], label=term,
                   edgecolor="white", linewidth=0.4)
            bottom += values
        ax.set(title=f"test {'error' if response == 'error' else 'error rank'}",
               ylim=(0, 1), ylabel="share of the sum of squares")
    axes[-1].legend(fontsize=7, loc="center left", bbox_to_anchor=(1.0, 0.5))
    save_figure(fig, path, dpi=120)
