"""Learning curves: the seeded sample, exact retraining, the kept error, the command."""
import dataclasses

import numpy as np
import pandas as pd
import pytest

from reproduce.analysis import curves
from reproduce.experiment.config import RunConfig
from reproduce.experiment.engines import run_many
from reproduce.store import runs_csv


def real_runs(seeds=(0, 1), cells=("tanh", "gru")):
    """Small runs really trained (batched engine), as `runs_csv.read` gives them."""
    configs = [RunConfig(task="fdr", k=2, steps_back=2, cell=cell, layers=1, hidden=4,
                         skip="none", delta0=0.1, seed=seed, max_epochs=40,
                         init_variance=0.01)
               for cell in cells for seed in seeds]
    rows = [{"key": c.key, "variant": c.variant_id, **dataclasses.asdict(c), "status": "ok",
             "test_error": r.test_error, "training_error": r.training_error,
             "validation_error": r.validation_error, "epochs": r.epochs,
             "stop_reason": r.stop_reason, "engine": r.engine, "config": c.to_json()}
            for c, r in zip(configs, run_many(configs, "batched"))]
    frame = pd.DataFrame(rows)
    frame["steps_back"] = frame["steps_back"].astype("Int64")
    return frame


def test_the_sample_is_seeded_and_stratified(make_runs):
    runs = make_runs(lambda c: 1.0)                    # 2 variants x 2 cells x 24 per cell
    a, b = curves.sample(runs, 5, seed=3), curves.sample(runs.sample(frac=1, random_state=1), 5,
                                                         seed=3)
    assert list(a["key"]) == list(b["key"])            # the order the runs come in is irrelevant
    assert a.groupby(["task", "cell"]).size().to_dict() == {("fdr", "gru"): 5,
                                                            ("fdr", "tanh"): 5}
    assert list(curves.sample(runs, 5, seed=4)["key"]) != list(a["key"])
    assert len(curves.sample(runs, 1000)) == len(runs)  # all, where fewer
    with pytest.raises(ValueError, match="positive"):
        curves.sample(runs, 0)


def test_retrained_curves_reproduce_the_stored_runs():
    runs = real_runs()
    frame = curves.curves(curves.sample(runs, 2))
    assert set(frame["key"]) == set(runs["key"])
    for key, run in frame.groupby("key"):
        stored = runs.set_index("key").loc[key]
        assert run["retrained_test_error"].iloc[0] == stored["test_error"]
        assert list(run["epoch"]) == list(range(stored["epochs"] + 1))
        assert np.isnan(run["training_error"].iloc[0]) and run["training_error"][1:].notna().all()
        # the stored (restored) validation error is the lowest after training began
        assert run["validation_error"].iloc[1:].min() == pytest.approx(
            stored["validation_error"], rel=1e-12)


def test_kept_is_the_lowest_so_far_carried_past_the_end():
    frame = pd.DataFrame({"key": ["a"] * 4 + ["b"] * 3, "epoch": [0, 1, 2, 3, 0, 1, 2],
                          "validation_error": [9.0, 0.5, 0.7, 0.2, 9.0, 0.4, 0.3]})
    table = curves.kept(frame)
    assert table["a"].tolist() == [0.5, 0.5, 0.2]
    assert table["b"].tolist() == [0.4, 0.3, 0.3]     # stopped after epoch 2: kept


def test_the_command_writes_its_cache_and_refuses_bad_input(tmp_path, cli):
    runs_csv.write(real_runs(seeds=(0,)), tmp_path / "runs.csv.gz")
    db = str(tmp_path / "runs.csv.gz")
    out = cli("curves", "--db", db, "--reading", "var0.01", "--out", str(tmp_path / "c"),
              "--per-group", "1")
    assert out.returncode == 0, out.stderr
    assert "2 of 2 retrained runs reproduced" in out.stdout
    frame = pd.read_csv(tmp_path / "c" / curves.CSV)
    assert frame["key"].nunique() == 2
    text = (tmp_path / "c" / "curves.md").read_text()
    assert "--per-group 1 --seed 0" in text and "would take" in text
    assert (tmp_path / "c" / "learning_curves.png").stat().st_size > 0
    for args, message in ((["--per-group", "0"], "--per-group"),
                          (["--reading", "stated"], "no ok runs")):
        out = cli("curves", "--db", db, "--out", str(tmp_path / "bad"), *args)
        assert out.returncode == 2 and message in out.stderr, out.stderr
        assert len(out.stderr.strip().splitlines()) == 1
        assert not (tmp_path / "bad").exists()
    assert cli("curves", "--help").returncode == 0
