"""The ANOVA of the grid: shares, a known effect recovered, statsmodels' sums, the command."""
import zlib

import numpy as np
import pytest

from reproduce.analysis import anova
from reproduce.store import runs_csv


def wobble(config, size=2.0):
    """Deterministic noise: a fixed draw per (variant, architecture, width, step, seed)."""
    rng = np.random.default_rng(zlib.crc32(repr((config.variant_id, config.layers,
                                                 config.hidden, config.delta0,
                                                 config.seed)).encode()))
    return size * rng.standard_normal()


def test_a_known_main_effect_is_recovered_and_shares_sum_to_one(make_runs):
    runs = make_runs(lambda c: 30 + (10 if c.cell == "gru" else -10) + wobble(c))
    frame = anova.analyse(runs, bootstrap=30, seed=1)
    assert set(frame["response"]) == set(anova.RESPONSES)
    for _, group in frame.groupby(["task", "response"]):
        assert group["share"].sum() == pytest.approx(1.0)
    error = frame[frame["response"] == "error"].set_index("term")
    assert error.index[0] == "cell" and error.loc["cell", "share"] > 0.9
    assert error.loc["cell", "p"] < 1e-10
    assert error.loc["cell", "share_low"] <= error.loc["cell", "share"] \
        <= error.loc["cell", "share_high"]
    others = error.drop(["cell", anova.RESIDUAL])
    assert (others["share"] < 0.03).all()
    assert anova.largest_terms(frame)["fdr"][0][0] == "cell"
    # the same resampling seed gives the same intervals
    again = anova.analyse(runs, bootstrap=30, seed=1)
    assert np.array_equal(frame["share_low"], again["share_low"])


def test_the_fast_sums_equal_statsmodels_on_an_unbalanced_design(make_runs):
    runs = make_runs(lambda c: 20 + 5 * (c.hidden == 15) * (c.cell == "tanh") + wobble(c))
    runs = runs.drop(index=runs.index[::7])           # unbalanced: type II != type I
    frame = anova.design(runs)
    factors = [f for f in anova.FACTORS if frame[f].nunique() > 1]
    model, table = anova._fit(frame, "error", factors)
    X = np.asarray(model.model.exog)
    terms = anova._terms(factors)
    columns = anova._term_columns(model, terms)
    assert sorted(i for c in columns.values() for i in c) == list(range(1, X.shape[1]))
    y = frame["error"].to_numpy() - frame["error"].mean()
    sums, resid = anova.type2_sums(X.T @ X, (X.T @ y)[:, None], np.array([y @ y]),
                                   columns, terms)
    np.testing.assert_allclose(sums[:, 0], table["sum_sq"].to_numpy()[:-1], rtol=1e-7,
                               atol=1e-7)
    assert resid[0] == pytest.approx(table["sum_sq"].iloc[-1])


def test_a_factor_with_one_level_is_left_out(make_runs):
    runs = make_runs(lambda c: 10 + wobble(c), architectures=((1, "none"),))
    terms = set(anova.analyse(runs, bootstrap=0)["term"])
    assert "architecture" not in terms and "cell" in terms
    with pytest.raises(ValueError, match="bootstrap"):
        anova.analyse(runs, bootstrap=-1)


def test_the_command_writes_its_files(make_runs, tmp_path, cli):
    runs_csv.write(make_runs(lambda c: 30 + (5 if c.cell == "gru" else 0) + wobble(c)),
                   tmp_path / "runs.csv.gz")
    out = cli("anova", "--db", str(tmp_path / "runs.csv.gz"), "--out", str(tmp_path / "a"),
              "--bootstrap", "5")
    assert out.returncode == 0, out.stderr
    assert "fdr" in out.stdout
    for name in ("anova.csv", "anova.md", "anova_shares.png"):
        assert (tmp_path / "a" / name).stat().st_size > 0
    assert "--bootstrap 5" in (tmp_path / "a" / "anova.md").read_text()
    assert cli("anova", "--help").returncode == 0


@pytest.mark.parametrize("args, message", [
    (["--db", "missing.csv.gz"], "cannot read"),
    (["--reading", "nonsense"], "unknown reading atom"),
    (["--bootstrap", "-3"], "expected an int >= 0"),
])
def test_bad_input_exits_2_in_one_line_and_writes_nothing(args, message, tmp_path, cli):
    out = cli("anova", *(["--db", str(tmp_path / "none.csv.gz")] if "--db" not in args
                         else []), *args, "--out", str(tmp_path / "out"))
    assert out.returncode == 2
    assert message in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()
