"""fit_batched: configurations through the batched engine, grouped, chunked and in order."""
import functools
import json

import numpy as np
import pytest

from pybrain_ext.batched.architecture import Architecture
from pybrain_ext.batched.layout import initial_params
from reproduce.cli import main
from reproduce.experiment import batching
from reproduce.experiment.batching import BATCH_SIZE, batch_key, fit_batched
from reproduce.experiment.build import make_network
from reproduce.experiment.config import RunConfig, package_versions
from reproduce.experiment.engines import fit_many, fit_pybrain

CONFIGS = [
    RunConfig(task="fdr", k=3, steps_back=3, cell="lstm", layers=2, hidden=3, skip="both",
              delta0=0.1, seed=0, max_epochs=4),
    RunConfig(task="svb", k=3, cell="gru", layers=1, hidden=4, delta0=0.03, seed=1,
              max_epochs=4),
    RunConfig(task="ddr", k=3, cell="lstm", layers=2, hidden=3, skip="both", delta0=0.01,
              seed=2, max_epochs=4),
    RunConfig(task="multiswitch", k=2, cell="relu", layers=2, hidden=3, skip="in",
              delta0=0.1, seed=3, max_epochs=4, init_variance=0.1),
    RunConfig(task="mvb", k=3, cell="lstm", layers=2, hidden=3, skip="both", delta0=0.1,
              seed=4, max_epochs=6),   # other early-stopping settings: another batch
]


def without_timing(result):
    d = result.to_dict()
    d.pop("seconds")
    return d


def test_initial_parameters_are_make_networks():
    for config in CONFIGS:
        arch = Architecture(*config.architecture)
        np.testing.assert_array_equal(
            initial_params(arch.paramdim, config.seed, config.init_variance),
            make_network(config).params)


@functools.lru_cache(maxsize=None)
def pybrain_reference(config):
    """PyBrain's ``(result, params)`` of `config`, computed once: this module runs on both
    engine paths (tests/conftest.py), PyBrain is the same for both."""
    return fit_pybrain(config)


def test_results_match_pybrain_in_input_order():
    """Capped runs (max_epochs 4-6, a functional check; the stopping rule's parity
    is tests/pybrain_ext/test_batched_parity.py's)."""
    ours = fit_many(CONFIGS, "batched")
    assert len(ours) == len(CONFIGS)
    for config, (result, params) in zip(CONFIGS, ours):
        theirs, their_params = pybrain_reference(config)
        assert result.engine == "batched" and result.versions == package_versions()
        assert result.seconds > 0
        assert (result.epochs, result.stop_reason, result.test_error) == \
            (theirs.epochs, theirs.stop_reason, theirs.test_error)
        assert result.training_error == pytest.approx(theirs.training_error, rel=1e-9)
        assert result.validation_error == pytest.approx(theirs.validation_error, rel=1e-10)
        np.testing.assert_allclose(params, their_params, rtol=0, atol=1e-8)


def test_grouping_and_chunking_do_not_change_results():
    configs = [c for c in CONFIGS for _ in range(2)]
    configs = [RunConfig(**{**json.loads(c.to_json()), "seed": c.seed + 10 * i})
               for i, c in enumerate(configs)]
    whole = fit_batched(configs)
    chunked = fit_batched(configs, batch_size=1)
    alone = [fit_batched([c])[0] for c in configs[::3]]
    for (a, pa), (b, pb) in zip(whole, chunked):
        assert without_timing(a) == without_timing(b)
        np.testing.assert_array_equal(pa, pb)
    for (a, pa), (b, pb) in zip(whole[::3], alone):
        assert without_timing(a) == without_timing(b)
        np.testing.assert_array_equal(pa, pb)


def test_batch_key():
    a, b, c, d, e = CONFIGS
    assert batch_key(a) == batch_key(c)            # delta0 and seed may differ in a batch
    assert batch_key(a) != batch_key(b)            # architecture
    assert batch_key(a) != batch_key(e)            # max_epochs
    assert BATCH_SIZE == batching.BATCH_SIZE == 64
    with pytest.raises(ValueError):
        fit_batched(CONFIGS, batch_size=0)


def test_cli_runs_the_batched_engine(capsys):
    args = ["run", "--task", "svb", "--k", "3", "--cell", "gru", "--layers", "2", "--hidden",
            "3", "--skip", "in", "--delta0", "0.03", "--seed", "4", "--max-epochs", "3",
            "--engine", "batched", "--json"]
    assert main(args) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["result"]["engine"] == "batched"
    assert record["result"]["epochs"] == 4 and record["result"]["stop_reason"] == "max_epochs"
