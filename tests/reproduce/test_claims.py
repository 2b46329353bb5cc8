"""Claims: each kind of verdict on constructed results whose answer is known."""
import itertools

import pandas as pd
import pytest

import tasks
from reproduce.analysis import claims, table1
from reproduce.analysis.claims import CLAIMS, evaluate

CELLS = ("gru", "lstm", "tanh", "sigmoid", "relu")


def grid(error, tasks_=("fdr", "ddr", "multiswitch", "svb", "mvb")):
    """Runs of every Table I variant of `tasks_` x cell x (1 none, 2 none, 2 both, 3 none)
    x widths 5/50 x 2 step sizes x 3 seeds; ``error(row) -> test error``."""
    rows = []
    for variant in tasks.variants():
        if variant.task not in tasks_:
            continue
        for cell, (layers, skip), hidden, delta0, seed in itertools.product(
                CELLS, ((1, "none"), (2, "none"), (2, "both"), (3, "none")), (5, 50),
                (0.1, 0.01), (0, 1, 2)):
            row = dict(variant=variant.id, task=variant.task, k=variant.k,
                       steps_back=variant.steps_back, cell=cell, layers=layers, hidden=hidden,
                       skip=skip, delta0=delta0, seed=seed, status="ok")
            row["test_error"] = float(error(row))
            rows.append(row)
    frame = pd.DataFrame(rows)
    frame["steps_back"] = frame["steps_back"].astype("Int64")
    return frame


def noise(row, size=1.0):
    """A deterministic zero-mean wobble: +size or -size by seed parity, 0 for seed 2."""
    return size * {0: 1, 1: -1, 2: 0}[row["seed"]]


def verdict(frame, claim_id, published=None):
    claim = next(c for c in CLAIMS if c.id == claim_id)
    return evaluate(frame, published, claims=(claim,)).iloc[0]


def test_the_claims_are_many_and_named_once():
    ids = [c.id for c in CLAIMS]
    assert len(ids) == len(set(ids)) >= 15
    assert {c.kind for c in CLAIMS} == {"better", "similar", "table"}


@pytest.mark.parametrize("gru_minus_lstm, expected", [(-10, "holds"), (10, "fails"),
                                                      (0, "inconclusive")])
def test_a_paired_comparison_follows_its_interval(gru_minus_lstm, expected):
    def error(row):
        base = 30 + noise(row, 3)
        return base + gru_minus_lstm if row["cell"] == "gru" else base
    row = verdict(grid(error, ("svb",)), "svb-gru-beats-lstm")
    assert row["verdict"] == expected
    assert row["ci_low"] <= gru_minus_lstm <= row["ci_high"]
    assert row["estimate"] == pytest.approx(gru_minus_lstm)
    assert row["n"] == 5 * 4 * 2 * 2 * 3          # SVB variants x architectures x ...


def test_equivalence_needs_every_pair_inside_the_band():
    same = grid(lambda r: 40 + noise(r, 0.5), ("svb",))
    assert verdict(same, "svb-simple-similar")["verdict"] == "holds"
    apart = grid(lambda r: 40 + (10 if r["cell"] == "sigmoid" else 0), ("svb",))
    result = verdict(apart, "svb-simple-similar")
    assert result["verdict"] == "fails" and "tanh - sigmoid -10.00" in result["detail"]


def test_a_table_claim_counts_rows_and_its_support():
    best = grid(lambda r: 0.0 if r["cell"] == "tanh" else 20 + noise(r), ("fdr",))
    row = verdict(best, "fdr-tanh-best-min")
    assert row["verdict"] == "holds" and row["support"] == 1.0
    assert "6/6 rows" in row["detail"]
    worse = grid(lambda r: 50.0 if r["cell"] == "tanh" and r["k"] == 5 else 10 + noise(r),
                 ("fdr",))
    row = verdict(worse, "fdr-tanh-best-min")
    assert row["verdict"] == "fails" and "4/6 rows" in row["detail"]


def test_support_catches_a_verdict_that_rests_on_one_run():
    # tanh is best in every FDR row only through one lucky run per row
    def error(row):
        lucky = row["cell"] == "tanh" and (row["layers"], row["hidden"], row["seed"]) == (1, 5, 0)
        return 0.0 if lucky and row["delta0"] == 0.1 else 10.0 if row["cell"] != "tanh" else 30
    row = verdict(grid(error, ("fdr",)), "fdr-tanh-best-min")
    assert row["support"] < claims.MIN_SUPPORT and row["verdict"] == "inconclusive"


def test_solving_and_difficulty():
    def error(row):
        gated = row["cell"] in ("gru", "lstm")
        return (0.0 if gated and row["k"] == 2 else 10.0 * row["k"]) + abs(noise(row))
    frame = grid(error, ("multiswitch",))
    assert verdict(frame, "ms2-gated-solve")["verdict"] == "holds"
    assert verdict(frame, "difficulty-multiswitch")["verdict"] == "holds"
    assert verdict(grid(lambda r: 50 - r["k"] + noise(r), ("multiswitch",)),
                   "difficulty-multiswitch")["verdict"] == "fails"


def test_axis_claims_and_spread():
    deeper_worse = grid(lambda r: 20 + 5 * r["layers"] + noise(r), ("svb",))
    row = verdict(deeper_worse, "abstract-ii-deeper-worse")
    assert row["verdict"] == "holds" and "layers 1 - 3" in row["detail"]
    assert verdict(deeper_worse, "abstract-iv-depth")["verdict"] == "fails"
    # same mean, but the deep networks' errors spread far wider
    spread = grid(lambda r: 30 + noise(r, 1 if r["layers"] == 1 else 10), ("svb",))
    assert verdict(spread, "abstract-ii-deeper-worse")["verdict"] == "holds"
    flat = grid(lambda r: 30 + noise(r, 0.3), ("svb",))
    assert verdict(flat, "abstract-iv-depth")["verdict"] == "holds"
    assert verdict(flat, "abstract-iv-skip")["verdict"] == "holds"


def test_the_published_table_decides_what_it_can():
    frame = grid(lambda r: (0.0 if r["cell"] == "tanh" else 10.0 * (1 + CELLS.index(r["cell"])))
                 + noise(r), ("fdr", "svb"))
    entries = table1.summarise(frame.assign(key=range(len(frame))))
    published = entries.set_index(["variant", "cell"])[list(table1.STATISTICS)]
    for claim_id in ("fdr-tanh-best-min", "fdr-sigmoid-worst", "svb-gru-beats-lstm"):
        row = verdict(frame, claim_id, published)
        assert row["published_verdict"] == row["verdict"], claim_id
    assert verdict(frame, "abstract-iv-skip", published)["published_verdict"] == "–"


def test_verdicts_are_reproducible_and_markdown_lists_them():
    frame = grid(lambda r: 20 + 3 * CELLS.index(r["cell"]) + noise(r, 2), ("svb",))
    a, b = evaluate(frame), evaluate(frame)
    pd.testing.assert_frame_equal(a, b)
    text = claims.to_markdown(a, "source line")
    assert "source line" in text and text.count("\n| **") == len(CLAIMS)
    assert set(a["verdict"]) <= set(claims.VERDICTS)
