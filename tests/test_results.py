"""The committed results: every Table I recomputes from the runs committed beside it.

Each ``results/<profile>/<reading>/`` folder holds the runs (``runs.csv.gz``) and
the ``table1.csv`` made from them; a change to the statistics or to the runs
file's format that would make them disagree fails here.  The two ``paper``
folders must hold the whole grid.
"""
import contextlib
import io
from pathlib import Path

import pandas as pd
import pytest

from reproduce.cli import main
from reproduce.experiment.profiles import PROFILES, get_profile
from reproduce.experiment.readings import get_reading

RESULTS = Path(__file__).parents[1] / "results"
FOLDERS = sorted(p.parent for p in RESULTS.glob("*/*/table1.csv")
                 if (p.parent / "runs.csv.gz").is_file() and p.parent.parent.name in PROFILES)
FAST = RESULTS / "quick" / "stated"      # the one recomputed by `make test-fast` too


def test_there_are_results_to_check():
    assert {f.parent.name for f in FOLDERS} >= {"paper", "quick"}


@pytest.mark.parametrize("folder", [
    pytest.param(f, marks=() if f == FAST else pytest.mark.slow, id=f"{f.parent.name}/{f.name}")
    for f in FOLDERS])
def test_table1_recomputes_from_the_committed_runs(folder, tmp_path):
    reading = get_reading(folder.name)
    assert reading.name == folder.name                 # folders are named canonically
    with contextlib.redirect_stdout(io.StringIO()):
        status = main(["table1", "--db", str(folder / "runs.csv.gz"), "--reading",
                       reading.name, "--profile", folder.parent.name, "--out", str(tmp_path)])
    assert status == 0
    assert (tmp_path / "table1.csv").read_bytes() == (folder / "table1.csv").read_bytes()


@pytest.mark.parametrize("reading", sorted(f.name for f in FOLDERS if f.parent.name == "paper"))
def test_the_paper_grids_are_complete(reading):
    folder = RESULTS / "paper" / reading
    table = pd.read_csv(folder / "table1.csv")
    runs_per_entry = get_profile("paper").n_runs // len(table)
    assert len(table) == 100 and runs_per_entry == 405
    assert (table["n_runs"] == runs_per_entry).all() and (table["n_failed"] == 0).all()
    runs = pd.read_csv(folder / "runs.csv.gz", usecols=["key", "status"])
    assert len(runs) == runs["key"].nunique() == get_profile("paper").n_runs
    assert (runs["status"] == "ok").all()
