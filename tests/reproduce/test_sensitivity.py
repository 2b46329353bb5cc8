"""Sensitivity measures on a hand-made table, and runs.csv.gz round trips."""
import math

import pandas as pd
import pytest

from reproduce.analysis import sensitivity, table1
from reproduce.experiment.config import RunConfig
from reproduce.experiment.engines import run_many
from reproduce.store import runs_csv
from reproduce.store.database import Store

CELLS = ("gru", "lstm", "sigmoid", "relu", "tanh")


def side(ours_minus_published, published_means=(10, 20, 30, 40, 0), mins=(0, 0, 5, 5, 0)):
    """Two FDR rows; ours = published + the given per-cell offsets."""
    rows = []
    for variant, k in (("fdr-n3-k3", 3), ("fdr-n3-k4", 4)):
        for cell, mean, low, offset in zip(CELLS, published_means, mins, ours_minus_published):
            rows.append(dict(task="fdr", steps_back=3, input_dim=k, variant=variant, cell=cell,
                             n_runs=10, n_failed=0, n_expected=10,
                             min_error=low + offset, mean_error=mean + offset,
                             std_error=5.0 + offset,
                             min_error_published=low, mean_error_published=mean,
                             std_error_published=5.0))
    return pd.DataFrame(rows)


def test_identical_tables_agree_perfectly():
    m = sensitivity.metrics(side((0, 0, 0, 0, 0)))
    assert m["entries"] == 10 and m["runs"] == 100
    assert m["mae_min"] == m["mae_mean"] == m["mae_std"] == 0
    assert m["within_mean"] == 10 and m["best_cell"] == 2 and m["solved"] == 10
    assert m["rho"] == pytest.approx(1) and m["r_means"] == pytest.approx(1)
    assert m["mae_mean_fdr"] == 0 and math.isnan(m["mae_mean_svb"])


def test_offsets_show_as_errors_biases_and_rankings():
    # sigmoid 30 points better, tanh 12 worse: tanh is no longer best, sigmoid is
    m = sensitivity.metrics(side((0, 0, -30, 0, 12)))
    assert m["mae_mean"] == pytest.approx((30 + 12) / 5)
    assert m["within_mean"] == 6
    assert m["bias_sigmoid"] == -30 and m["bias_tanh"] == 12 and m["bias_gru"] == 0
    assert m["best_cell"] == 0
    assert m["rho"] < 0.5
    # the sigmoid minimum falls from 5 to -25 (<= 1): "solved" disagrees in 2 rows;
    # tanh's rises from 0 to 12: 2 more
    assert m["solved"] == 6


def test_markdown_and_plots(tmp_path):
    frame = sensitivity.table({"stated": side((0, 0, -20, 5, 10)),
                               "var0.01": side((0, 0, -5, 1, 1))})
    text = sensitivity.to_markdown(frame, "made by a test")
    assert "| stated |" in text and "| var0.01 |" in text and "made by a test" in text
    sensitivity.plot_variance(frame, {"stated": 0.3, "var0.01": 0.01}, tmp_path / "v.png")
    sensitivity.plot_scatter({"stated": side((0,) * 5)}, tmp_path / "s.png")
    assert (tmp_path / "v.png").stat().st_size > 0 and (tmp_path / "s.png").stat().st_size > 0


def test_runs_csv_recomputes_the_table_and_is_byte_stable(tmp_path):
    configs = [RunConfig(task="fdr", k=3, steps_back=3, cell=c, layers=1, hidden=3, seed=s,
                         max_epochs=2, untargeted=u)
               for c in ("tanh", "gru") for s in (0, 1) for u in ("masked", "zero_target")]
    results = run_many(configs, "batched")
    with Store.open(tmp_path / "runs.sqlite", create=True) as store:
        store.add([Store.record(c, status="ok", result=r.to_dict(), engine=r.engine,
                          code_version="test", versions=r.versions, host="h",
                          started_at="t0", finished_at="t1") for c, r in zip(configs, results)])
        rows = store.runs()
    runs_csv.write(rows, tmp_path / "a.csv.gz")
    runs_csv.write(rows.sample(frac=1, random_state=1), tmp_path / "b.csv.gz")
    assert (tmp_path / "a.csv.gz").read_bytes() == (tmp_path / "b.csv.gz").read_bytes()
    back = runs_csv.load(tmp_path / "a.csv.gz")
    runs_csv.check_keys(back)
    assert set(back["key"]) == {c.key for c in configs}
    pd.testing.assert_frame_equal(table1.summarise(rows), table1.summarise(back))
    with pytest.raises(ValueError, match="cannot read"):
        runs_csv.load(tmp_path / "missing.csv.gz")
    broken = back.copy()
    broken.loc[0, "key"] = "0" * 64
    with pytest.raises(ValueError, match="keys do not match"):
        runs_csv.check_keys(broken)


@pytest.mark.slow
def test_the_command_sweeps_each_reading_then_tabulates(tmp_path):
    from reproduce.cli import main
    args = ["sensitivity", "--profile", "smoke", "--readings", "stated,var0.01,connections-only",
            "--stores", str(tmp_path / "stores"), "--results", str(tmp_path / "results"),
            "--out", str(tmp_path / "sens"), "--workers", "1", "--no-progress"]
    assert main(args) == 0
    for reading in ("stated", "var0.01", "connections-only"):
        folder = tmp_path / "results" / "smoke" / reading
        assert {"runs.csv.gz", "table1.csv", "table1.md", "table1.tex"} <= {
            p.name for p in folder.iterdir()}
        assert len(runs_csv.read(folder / "runs.csv.gz")) == 8
    # smoke has no GRU: connections-only's runs are stated's, copied, not run again
    assert (tmp_path / "results/smoke/connections-only/runs.csv.gz").read_bytes() == \
        (tmp_path / "results/smoke/stated/runs.csv.gz").read_bytes()
    frame = pd.read_csv(tmp_path / "sens" / "sensitivity.csv")
    assert list(frame["reading"]) == ["stated", "var0.01", "connections-only"]
    assert (frame["runs"] == 8).all() and frame["entries"].eq(4).all()
    assert (tmp_path / "sens" / "agreement_vs_variance.png").exists()
    first = (tmp_path / "sens" / "sensitivity.csv").read_text()
    assert main(args + ["--no-sweep"]) == 0
    assert (tmp_path / "sens" / "sensitivity.csv").read_text() == first


@pytest.mark.parametrize("change, message", [
    (["--readings", "stated,varx"], "unknown reading atom 'varx'"),
    (["--readings", "stated,var0.3"], "named twice"),
    (["--profile", "nope", "--readings", "stated"], "unknown profile"),
])
def test_bad_input_is_one_line_and_writes_nothing(tmp_path, capsys, change, message):
    from reproduce.cli import main
    args = ["sensitivity", "--profile", "smoke", "--stores", str(tmp_path / "stores"),
            "--results", str(tmp_path / "results"), "--out", str(tmp_path / "sens")]
    assert main(args + change) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not list(tmp_path.iterdir())
