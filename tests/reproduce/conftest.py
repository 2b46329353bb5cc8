"""Fixtures shared by the tests of the analyses beyond Table I."""
import dataclasses
import itertools

import pandas as pd
import pytest

from reproduce.experiment.config import RunConfig
from reproduce.store import runs_csv


@pytest.fixture
def make_runs():
    """``make_runs(error, variants=..., cells=..., ..., **RunConfig fields) -> runs frame``
    (the columns of `runs_csv.read`): one ``ok`` run per grid point, test error
    ``error(config)``, validation error 0.1 + 0.01 * seed."""
    def make(error, variants=(("fdr", 3, 3), ("fdr", 4, 3)), cells=("gru", "tanh"),
             architectures=((1, "none"), (2, "both")), widths=(5, 15), delta0=(0.1, 0.01),
             seeds=(0, 1, 2), **fields):
        rows = []
        for (task, k, n), cell, (layers, skip), hidden, d0, seed in itertools.product(
                variants, cells, architectures, widths, delta0, seeds):
            config = RunConfig(task=task, k=k, steps_back=n, cell=cell, layers=layers,
                               hidden=hidden, skip=skip, delta0=d0, seed=seed, **fields)
            rows.append({"key": config.key, "variant": config.variant_id,
                         **dataclasses.asdict(config), "status": "ok",
                         "test_error": float(error(config)), "training_error": 0.1,
                         "validation_error": 0.1 + 0.01 * seed, "epochs": 10,
                         "stop_reason": "validation rose", "engine": "batched",
                         "config": config.to_json()})
        frame = pd.DataFrame(rows)
        frame["steps_back"] = frame["steps_back"].astype("Int64")
        return frame[[*runs_csv.COLUMNS, "config"]]
    return make
