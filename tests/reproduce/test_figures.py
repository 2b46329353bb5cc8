"""Figures 1-6: the saved numbers are the network's, the files and panels are there."""
import csv
import dataclasses
import math
import os

import numpy as np
import pytest
from matplotlib.image import imread

import tasks
from pybrain_ext.batched.cells import CELL_TYPES
from pybrain_ext.record import record, unflatten
from reproduce.analysis.figures import (
    PATTERN_FIGURES,
    activity_of,
    load_activity,
    load_figure_data,
    save_activity,
)
from reproduce.cli import main
from reproduce.cli.commands.figure6 import choose
from reproduce.experiment.build import make_data, make_network
from reproduce.experiment.config import RunConfig, RunResult
from reproduce.experiment.engines import fit_many
from reproduce.experiment.protocol import FIGURE6

FAST = ["--max-epochs", "2", "--engine", "pybrain"]


def check_files(out, stem):
    """The four files exist; the images are real PNG / PDF of some size."""
    for ext in ("png", "pdf", "npz", "csv"):
        assert (out / f"{stem}.{ext}").stat().st_size > 0, ext
    image = imread(out / f"{stem}.png")
    assert image.ndim == 3 and image.shape[0] > 200 and image.shape[1] > 400
    assert image[..., :3].std() > 0.05          # not a blank canvas
    assert (out / f"{stem}.pdf").read_bytes().startswith(b"%PDF")


def expected_columns(cell, layers, hidden, indim, outdim):
    names = [f"input.{v}" for v in range(indim)] + [f"target.{c}" for c in range(outdim)]
    names += [f"hidden{i}.u{j}.{q}" for i in range(layers) for j in range(hidden)
              for q in CELL_TYPES[cell].quantities]
    return names + [f"out.y{c}" for c in range(outdim)]


@pytest.fixture(scope="module")
def figure6(tmp_path_factory):
    out = tmp_path_factory.mktemp("figures")
    assert main(["figure6", "--seeds", "2", *FAST, "--out", str(out)]) == 0
    return out, load_figure_data(out / "figure6.npz")


def test_figure6_numbers_equal_a_fresh_forward_pass(figure6):
    out, data = figure6
    check_files(out, "figure6")
    config = data["config"]
    assert {name: getattr(config, name) for name in FIGURE6} == FIGURE6
    assert data["summary"]["seed"] == config.seed
    # the saved data are the test sequences of the config's data set
    test = make_data(config)[2]
    np.testing.assert_array_equal(data["inputs"], test.inputs)
    np.testing.assert_array_equal(data["targets"], test.targets)
    np.testing.assert_array_equal(data["mask"], test.mask)
    np.testing.assert_array_equal(data["rows"], np.asarray(test.rows))
    # a network rebuilt from the saved config and parameters computes the saved numbers
    net = make_network(config)
    net._setParameters(data["params"].copy())
    fresh = record(net, data["inputs"])
    saved = unflatten({k: v for k, v in data.items() if isinstance(v, np.ndarray)})
    assert saved.keys() == fresh.keys()
    for layer, quantities in fresh.items():
        assert saved[layer].keys() == quantities.keys()
        for q, values in quantities.items():
            np.testing.assert_array_equal(saved[layer][q], values, err_msg=f"{layer}.{q}")
    # ... and the drawn columns are that network's, for the drawn sequence
    s = int(data["sequence"])
    columns = list(data["columns"])
    for j, name in enumerate(columns):
        layer, _, rest = name.partition(".")
        if layer.startswith("hidden"):
            unit, q = rest.split(".")
            np.testing.assert_array_equal(data["column_values"][:, j],
                                          fresh[layer][q][s, :, int(unit[1:])])
        elif layer == "out":
            np.testing.assert_array_equal(data["column_values"][:, j],
                                          fresh["out"]["y"][s, :, int(rest[1:])])
    # the stated test error is that of the saved outputs
    wrong = (fresh["out"]["y"].argmax(-1) != data["targets"]) & data["mask"]
    assert data["summary"]["test_error"] == pytest.approx(100 * wrong.sum() / data["mask"].sum())


def test_figure6_keeps_the_lowest_validation_error_and_retrains_identically(figure6):
    _, data = figure6
    seeds, errors = data["candidate_seed"], data["candidate_validation_error"]
    assert list(seeds) == [0, 1]
    assert data["summary"]["seed"] == seeds[np.argmin(errors)]
    (result, params), = fit_many([data["config"]], "pybrain")   # deterministic training
    np.testing.assert_array_equal(params, data["params"])
    assert result.test_error == data["summary"]["test_error"]


def test_figure6_panels_and_csv(figure6):
    out, data = figure6
    assert list(data["columns"]) == expected_columns("lstm", 2, 5, 3, 2)
    assert data["column_values"].shape == (20, len(data["columns"]))
    assert set(data) >= {"colour_limit_g", "colour_limit_c", "colour_limit_h", "params",
                         "predictions"}
    with open(out / "figure6.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 20
    assert rows[0].keys() >= {"step", "input", "target", "masked", "hidden1.u4.c", "out.y1",
                              "prediction", "correct"}
    s = int(data["sequence"])
    assert [int(r["input"]) for r in rows] == list(data["inputs"][s])
    assert float(rows[3]["hidden0.u2.g"]) == pytest.approx(
        data["hidden0.g"][s, 3, 2], rel=1e-7)


@pytest.mark.parametrize("cell", list(CELL_TYPES))
def test_every_cell_has_its_panels(cell, tmp_path):
    layers, skip = (1, "none") if cell in ("tanh", "relu") else (2, "out")
    config = RunConfig(task="svb", k=4, cell=cell, layers=layers, hidden=3, skip=skip)
    activity = activity_of(config, make_network(config).params, sequence=2)
    save_activity(activity, tmp_path, "view")
    check_files(tmp_path, "view")
    data = load_figure_data(tmp_path / "view.npz")
    assert list(data["columns"]) == expected_columns(cell, layers, 3, 4, 4)
    assert int(data["sequence"]) == 2 and int(data["rows"][2]) == 50


def test_gru_on_svb_through_the_cli(tmp_path, capsys):
    args = ["figure6", "--cell", "gru", "--task", "svb", "--k", "4", "--hidden", "3",
            "--seed", "5", "--sequence", "1", *FAST, "--out", str(tmp_path)]
    assert main(args) == 0
    stem = "activity_svb-k4_gru_L2_H3_both"
    check_files(tmp_path, stem)
    data = load_figure_data(tmp_path / f"{stem}.npz")
    assert data["config"] == RunConfig(task="svb", k=4, cell="gru", layers=2, hidden=3,
                                       skip="both", seed=5, max_epochs=2)
    assert list(data["candidate_seed"]) == [5]
    assert {c.split(".")[-1] for c in data["columns"] if c.startswith("hidden")} == {
        "r", "z", "hhat", "h"}
    with open(tmp_path / f"{stem}.csv", newline="") as handle:
        masked = [r["masked"] for r in csv.DictReader(handle)]
    assert masked == [str(int(not m)) for m in data["mask"][1]] and "1" in masked
    printed = capsys.readouterr().out
    assert "chosen: seed 5" in printed and "test error" in printed
    assert "paper" not in printed      # the 2.5 % comparison is only for Figure 6's network


def test_a_stored_run_by_key(tmp_path, capsys):
    from reproduce.store.database import Store
    config = RunConfig(task="multiswitch", k=2, cell="tanh", layers=1, hidden=2, seed=3,
                       max_epochs=1)
    (result, _), = fit_many([config], "pybrain")
    db = tmp_path / "runs.sqlite"
    with Store.open(db, create=True) as opened:
        opened.add([Store.record(config, status="ok", engine="pybrain", code_version="test",
                                 versions="{}", host="test", started_at="t0",
                                 finished_at="t1", result=result.to_dict())])
    out = tmp_path / "figures"
    assert main(["figure6", "--key", config.key[:10], "--db", str(db), "--engine", "pybrain",
                 "--out", str(out), "--name", "stored"]) == 0
    assert load_figure_data(out / "stored.npz")["config"] == config
    assert "warning" not in capsys.readouterr().err     # retrained as stored
    assert main(["figure6", "--key", "zz", "--db", str(db)]) == 2
    assert "no run" in capsys.readouterr().err


def test_choose_lowest_validation_error_ties_to_lowest_seed():
    def result(error):
        return RunResult(test_error=0.0, training_error=0.0, validation_error=error, epochs=1,
                         stop_reason="converged", seconds=0.0, engine="pybrain", versions={})
    configs = [RunConfig(task="svb", k=3, cell="tanh", layers=1, hidden=2, seed=s)
               for s in (4, 2, 7, 1)]
    assert choose(configs, [result(e) for e in (0.3, 0.1, 0.1, math.nan)]) == 1
    assert choose(configs, [result(e) for e in (math.nan, 0.5, math.nan, 0.5)]) == 3


def test_patterns(tmp_path, capsys):
    assert main(["patterns", "--out", str(tmp_path)]) == 0
    for task, (number, k, steps_back) in PATTERN_FIGURES.items():
        stem = f"figure{number}_{task}"
        check_files(tmp_path, stem)
        data = load_figure_data(tmp_path / f"{stem}.npz")
        expected = tasks.generate(task, k, steps_back)
        np.testing.assert_array_equal(data["inputs"], expected.inputs[0])
        np.testing.assert_array_equal(data["targets"], expected.targets[0])
        np.testing.assert_array_equal(data["mask"], expected.mask[0])
        assert str(data["variant"]) == expected.variant.id and int(data["figure"]) == number
    assert not load_figure_data(tmp_path / "figure1_fdr.npz")["mask"][:2].any()  # N = 2
    assert main(["patterns", "--out", str(tmp_path / "one"), "--task", "mvb", "--steps", "8",
                 "--sequence", "5"]) == 0
    data = load_figure_data(tmp_path / "one" / "figure5_mvb.npz")
    np.testing.assert_array_equal(data["inputs"], tasks.generate("mvb", 3).inputs[5, :8])
    assert sorted(os.listdir(tmp_path / "one")) == [f"figure5_mvb.{e}"
                                                    for e in ("csv", "npz", "pdf", "png")]


@pytest.mark.slow
def test_commands_run_in_an_empty_directory(tmp_path, monkeypatch, cli):
    """As on a fresh clone: nothing but the code; outputs go to ./results/figures."""
    monkeypatch.chdir(tmp_path)
    for args in (["patterns", "--task", "svb"], ["figure6", "--seeds", "1", *FAST]):
        done = cli(*args)
        assert done.returncode == 0, done.stderr
    check_files(tmp_path / "results" / "figures", "figure4_svb")
    check_files(tmp_path / "results" / "figures", "figure6")


@pytest.mark.parametrize("args, message", [
    (["figure6", "--task", "fdr"], "needs steps_back"),
    (["figure6", "--sequence", "16"], "--sequence must be < 16"),
    (["figure6", "--key", "abc", "--hidden", "3"], "takes no --hidden"),
    (["figure6", "--layers", "1", "--skip", "in"], "needs layers >= 2"),
    (["patterns", "--steps", "21"], "--steps must be <= 20"),
])
def test_usage_errors(args, message, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("args", [["figure6", "--seeds", "0"], ["figure6", "--seeds", "2",
                                                                 "--seed", "1"],
                                  ["patterns", "--task", "xyz"]])
def test_bad_options_exit_2(args):
    with pytest.raises(SystemExit) as exit_:
        main(args)
    assert exit_.value.code == 2


def test_load_activity_redraws_another_sequence(figure6, tmp_path):
    out, data = figure6
    activity = load_activity(out / "figure6.npz")
    assert activity.config == data["config"] and activity.error == data["summary"]["test_error"]
    save_activity(dataclasses.replace(activity, sequence=3), tmp_path, "again")
    again = load_figure_data(tmp_path / "again.npz")
    assert int(again["sequence"]) == 3
    for name in ("params", "hidden0.c", "hidden1.o", "out.y", "candidate_seed"):
        np.testing.assert_array_equal(again[name], data[name])
    j = list(again["columns"]).index("hidden1.u2.c")
    np.testing.assert_array_equal(again["column_values"][:, j], data["hidden1.c"][3, :, 2])


def test_the_batched_engine_trains_the_same_network(figure6, tmp_path):
    _, data = figure6
    assert main(["figure6", "--seeds", "2", "--max-epochs", "2", "--engine", "batched",
                 "--out", str(tmp_path)]) == 0
    batched = load_figure_data(tmp_path / "figure6.npz")
    assert batched["summary"]["engine"] == "batched"
    assert batched["summary"]["seed"] == data["summary"]["seed"]
    np.testing.assert_allclose(batched["params"], data["params"], rtol=0, atol=1e-9)
    np.testing.assert_allclose(batched["out.y"], data["out.y"], rtol=0, atol=1e-9)
