"""RunConfig: validation, canonical JSON and the run key."""
import dataclasses
import json

import numpy as np
import pytest

from pybrain_ext.protocol import ETAPLUS, MAX_EPOCHS
from reproduce.experiment.config import RunConfig, RunResult

BASE = dict(task="multiswitch", k=3, cell="lstm", layers=2, hidden=5, skip="both",
            delta0=0.1, seed=0)


def test_defaults_are_the_protocol():
    cfg = RunConfig(**BASE)
    assert cfg.etaplus == ETAPLUS and cfg.max_epochs == MAX_EPOCHS
    assert cfg.rprop().delta0 == 0.1


def test_json_round_trip_and_key():
    cfg = RunConfig(**BASE)
    text = cfg.to_json()
    assert json.loads(text)["cell"] == "lstm"
    assert " " not in text and text == json.dumps(json.loads(text), sort_keys=True,
                                                 separators=(",", ":"))
    again = RunConfig.from_json(text)
    assert again == cfg and again.key == cfg.key
    assert len(cfg.key) == 64


def test_key_identifies_the_configuration():
    cfg = RunConfig(**BASE)
    assert RunConfig(**BASE | dict(delta0=1e-1)).key == cfg.key
    assert RunConfig(**BASE | dict(seed=1)).key != cfg.key
    assert RunConfig(**BASE | dict(data_seed=1)).key != cfg.key
    assert RunConfig(**BASE | dict(max_epochs=10)).key != cfg.key


def test_key_is_stable_across_versions_of_the_code():
    # A change here silently orphans every stored result; change it knowingly.
    cfg = RunConfig(task="fdr", k=3, steps_back=3, cell="tanh", layers=1, hidden=5)
    assert cfg.to_json() == (
        '{"cell":"tanh","continue_epochs":10,"convergence_decimals":10,"data_seed":0,'
        '"delta0":0.1,"deltamax":5.0,"deltamin":1e-06,"etaminus":0.5,"etaplus":1.2,'
        '"hidden":5,"init_variance":0.3,"k":3,"layers":1,"max_epochs":1000,"seed":0,'
        '"skip":"none","steps_back":3,"task":"fdr"}')


@pytest.mark.parametrize("change, message", [
    (dict(cell="lstmx"), "allowed: lstm, gru"),
    (dict(skip="x"), "allowed: none, in"),
    (dict(layers=1), "needs layers >= 2"),
    (dict(hidden=0), "hidden must be"),
    (dict(task="fdr"), "steps_back"),
    (dict(steps_back=2), "steps_back"),
    (dict(k=1), "k"),
    (dict(delta0=0), "delta0"),
    (dict(seed=-1), "seed"),
    (dict(task="nope"), "nope"),
])
def test_invalid_configs(change, message):
    with pytest.raises(ValueError, match=message):
        RunConfig(**BASE | change)


def test_from_json_refuses_unknown_fields():
    data = json.loads(RunConfig(**BASE).to_json()) | {"colour": "red"}
    with pytest.raises(ValueError, match="colour"):
        RunConfig.from_json(json.dumps(data))


def test_result_checks_its_reason_and_engine():
    ok = dict(test_error=1.0, training_error=0.1, validation_error=0.1, epochs=3,
              stop_reason="converged", seconds=1.0, engine="pybrain", versions={})
    RunResult(**ok)
    with pytest.raises(ValueError):
        RunResult(**ok | dict(stop_reason="bored"))
    with pytest.raises(ValueError):
        RunResult(**ok | dict(engine="tpu"))


@pytest.mark.parametrize("seeds", [dict(seed=4), dict(data_seed=2), dict(seed=1, data_seed=3)])
def test_with_seeds_is_replace_checking_only_the_seeds(seeds):
    config = RunConfig(task="svb", k=3, cell="gru", layers=2, hidden=5, skip="both",
                       init_variance=0.09, untargeted="class0_target")
    moved = config.with_seeds(**{k: np.int64(v) for k, v in seeds.items()})
    assert moved == dataclasses.replace(config, **seeds)
    assert moved.to_json() == dataclasses.replace(config, **seeds).to_json()
    assert type(moved.seed) is int and type(moved.data_seed) is int
    assert config.seed == 0 and config.data_seed == 0               # the original stays


@pytest.mark.parametrize("seeds, message", [
    (dict(seed=-1), "seed must be an int >= 0; got -1"),
    (dict(data_seed=1.0), "data_seed must be an int >= 0; got 1.0 (float)"),
    (dict(seed=True), "seed must be an int >= 0; got True (bool)"),
])
def test_with_seeds_refuses_what_the_constructor_refuses(seeds, message):
    config = RunConfig(task="svb", k=3, cell="gru", layers=1, hidden=5)
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        config.with_seeds(**seeds)
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        RunConfig(task="svb", k=3, cell="gru", layers=1, hidden=5, **seeds)
