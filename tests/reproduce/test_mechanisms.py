"""Figure 6's mechanisms: the independent forward pass against PyBrain's own recording, the
clamps, the switch states, the choice of networks, and the commands around the cache."""
import dataclasses

import numpy as np
import pandas as pd
import pytest

from pybrain_ext.record import record
from reproduce.analysis import mechanisms
from reproduce.cli.main import main
from reproduce.experiment.build import make_data, make_network
from reproduce.experiment.config import RunConfig
from reproduce.experiment.engines import fit_many
from reproduce.store import runs_csv


def _config(cell="lstm", task="multiswitch", k=2, **kw):
    settings = dict(layers=1, hidden=3, skip="none", delta0=0.1, seed=0, max_epochs=2)
    settings.update(kw)
    return RunConfig(task=task, k=k, cell=cell, **settings)


@pytest.mark.parametrize("cell, layers, skip", [("lstm", 2, "both"), ("gru", 2, "in"),
                                                 ("gru", 1, "none"), ("tanh", 3, "out"),
                                                 ("relu", 2, "both")])
def test_the_forward_pass_reproduces_pybrains_recording(cell, layers, skip):
    config = _config(cell, layers=layers, skip=skip, hidden=4, seed=3)
    net = make_network(config)
    inputs = make_data(config)[2].inputs
    recorded = record(net, inputs)
    y, states = mechanisms.forward(config, net.params, inputs)
    np.testing.assert_allclose(y, recorded["out"]["y"], rtol=0, atol=1e-12)
    for layer, quantities in states.items():
        for name, values in quantities.items():
            np.testing.assert_allclose(values, recorded[layer][name], rtol=0, atol=1e-12)


def test_a_clamped_gate_is_held_in_every_unit():
    config = _config("gru", hidden=4, seed=1)
    net = make_network(config)
    inputs = make_data(config)[2].inputs
    # z = 1 keeps every h at its start, 0: the output is the softmax of the bias alone
    y, states = mechanisms.forward(config, net.params, inputs, ("z", 1.0))
    assert np.all(states["hidden0"]["h"] == 0)
    assert np.allclose(y, y[0, 0])
    # an LSTM with o = 1 outputs tanh(c)
    lstm = _config("lstm", hidden=4, seed=1)
    net = make_network(lstm)
    _, states = mechanisms.forward(lstm, net.params, inputs, ("o", 1.0))
    np.testing.assert_allclose(states["hidden0"]["h"], np.tanh(states["hidden0"]["c"]))
    _, free = mechanisms.forward(lstm, net.params, inputs)
    assert not np.allclose(free["hidden0"]["h"], np.tanh(free["hidden0"]["c"]))


def test_switch_states_follow_the_task():
    inputs = np.array([[1, 0, 1, 1, 2, 0]])                 # tasks.multiswitch's example
    states = mechanisms.switch_states(inputs, 3)[0]
    assert states[:, 0].tolist() == [0, 1, 1, 1, 1, 0]
    assert states[:, 1].tolist() == [1, 1, 0, 1, 1, 1]
    assert states[:, 2].tolist() == [0, 0, 0, 0, 1, 1]
    targets = states[np.arange(6), inputs[0]]
    assert targets.tolist() == [1, 1, 0, 1, 1, 0]           # the task's targets
    cells = np.stack([2 * states[:, 1] - 0.5, np.ones(6)], axis=-1)[None]   # (1, 6, 2)
    r = mechanisms.switch_correlations(cells, inputs, 3)
    assert r.shape == (2, 3) and r[0, 1] == pytest.approx(1.0) and np.all(r[1] == 0)


def _runs(configs, errors, engine="pybrain"):
    rows = []
    for config, error in zip(configs, errors):
        rows.append({"key": config.key, "variant": config.variant_id,
                     **dataclasses.asdict(config), "status": "ok", "test_error": error,
                     "training_error": 0.0, "validation_error": 0.0, "epochs": 2,
                     "stop_reason": "max_epochs", "engine": engine})
    frame = pd.DataFrame(rows)
    frame["config"] = [c.to_json() for c in configs]
    frame["steps_back"] = frame["steps_back"].astype("Int64")
    return frame


def test_networks_are_chosen_deterministically_across_variants():
    configs = [_config("lstm", "multiswitch", k, seed=s) for k in (2, 3) for s in range(4)]
    errors = [0.0, 0.0, 0.0, 5.0, 0.0, 0.0, 9.0, 9.0]
    runs = _runs(configs, errors)
    chosen = mechanisms.choose(runs, "lstm", "multiswitch", 3)
    assert list(chosen["variant"]) == ["multiswitch-k3", "multiswitch-k2", "multiswitch-k3"]
    assert (chosen["test_error"] == 0).all() and (chosen["replicate"] == 0).all()
    again = mechanisms.choose(runs.sample(frac=1, random_state=1), "lstm", "multiswitch", 3)
    assert list(again["key"]) == list(chosen["key"])
    assert len(mechanisms.choose(runs, "lstm", "multiswitch", 99)) == 5


def test_retrained_networks_are_checked_against_their_stored_error():
    configs = [_config("lstm", seed=0), _config("gru", "svb", 3, seed=1)]
    stored = [fit[0].test_error for fit in fit_many(configs, "pybrain")]
    runs = _runs(configs, stored).assign(replicate=0)
    cache = mechanisms.measure(runs, log=lambda text: None)
    assert list(cache.columns) == list(mechanisms.COLUMNS)
    assert mechanisms.mismatches(cache).empty
    assert cache["error"].tolist() == stored
    lstm, gru = cache.iloc[0], cache.iloc[1]
    assert not np.isnan(lstm["error_o1"]) and np.isnan(lstm["error_z1"])
    assert 0 <= lstm["switch_corr_min"] <= lstm["switch_corr_max"] <= 1
    assert not np.isnan(gru["error_rmean"]) and np.isnan(gru["switch_corr_max"])
    wrong = mechanisms.measure(runs.assign(test_error=[e + 1 for e in stored]),
                               log=lambda text: None)
    assert len(mechanisms.mismatches(wrong)) == 2


def test_the_commands_write_and_read_the_cache(tmp_path, capsys):
    configs = [_config("lstm", seed=s) for s in range(2)] + \
        [_config("gru", "svb", 3, seed=s) for s in range(2)]
    # marked solved, so they are chosen; retraining tells the truth
    path = tmp_path / "runs.csv.gz"
    runs_csv.write(_runs(configs, [0.0] * 4).drop(columns="config"), path)
    out = tmp_path / "out"
    assert main(["mechanisms", "--db", str(path), "--networks", "2", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "4 networks retrained" in text and "Not reproduced" in text
    cache = mechanisms.read_cache(out / "mechanisms.csv")
    assert len(cache) == 4 and set(cache["cell"]) == {"lstm", "gru"}
    assert main(["claims", "--db", str(path), "--replicates", "all", "--mechanisms",
                 str(out / "mechanisms.csv"), "--resamples", "20", "--out", str(out)]) == 0
    claims = pd.read_csv(out / "claims.csv").set_index("id")
    assert "2 retrained networks" in claims.loc["mech-lstm-output-gate-unimportant", "detail"]
    made = (out / "claims.md").read_text()
    assert "--replicates all --mechanisms" in made
    # a cache of other runs is refused, and nothing is written
    other = cache.assign(key=["0" * 64] * 4)
    other.to_csv(tmp_path / "other.csv", index=False)
    elsewhere = tmp_path / "elsewhere"
    assert main(["claims", "--db", str(path), "--mechanisms", str(tmp_path / "other.csv"),
                 "--out", str(elsewhere)]) == 2
    assert "not among the selected runs" in capsys.readouterr().err
    assert not elsewhere.exists()
