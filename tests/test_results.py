"""The committed results: every Table I recomputes from the runs committed beside it.

Each ``results/<profile>/<reading>/`` folder holds the runs (``runs.csv.gz``) and
the ``table1.csv`` made from them; a change to the statistics or to the runs
file's format that would make them disagree fails here.  The two ``paper``
folders must hold the whole grid.
"""
import contextlib
import io
import re
from pathlib import Path

import pandas as pd
import pytest

from reproduce.analysis import noise
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
    runs = pd.read_csv(folder / "runs.csv.gz", usecols=["key", "status", "data_seed"])
    assert runs["key"].is_unique and (runs["status"] == "ok").all()
    per_replicate = runs["data_seed"].value_counts()            # replicate r: data seed r
    assert (per_replicate == get_profile("paper").n_runs).all() and 0 in per_replicate


NOISE = sorted(p.parent for p in RESULTS.glob("*/*/noise.md")
               if p.parent.parent.name in PROFILES)


@pytest.mark.slow       # replicates of a grid, every other reading judged: minutes
@pytest.mark.parametrize("folder", NOISE, ids=lambda f: f"{f.parent.name}/{f.name}")
def test_the_noise_floor_recomputes_from_the_committed_runs(folder, tmp_path):
    """Every replicate of the folder's runs is complete, and the floor, the intervals and
    the variance parts recompute byte for byte."""
    judge = ["--judge", str(folder.parent)] if (folder / "noise_readings.csv").exists() else []
    # the replicates it compared, as its "Made by" line names them (the runs file may hold
    # replicates that are still partial)
    made_by = re.search(r"--replicates (\S+)", (folder / "noise.md").read_text())
    replicates = ["--replicates", made_by.group(1)] if made_by else []
    with contextlib.redirect_stdout(io.StringIO()):
        status = main(["noise", "--db", str(folder / "runs.csv.gz"), "--reading", folder.name,
                       "--profile", folder.parent.name, *replicates, *judge,
                       "--out", str(tmp_path)])
    assert status == 0
    for name in noise.CSV_FILES:
        assert (tmp_path / name).exists() == (folder / name).exists(), name
        if (folder / name).exists():
            assert (tmp_path / name).read_bytes() == (folder / name).read_bytes(), name


def test_the_results_page_is_what_the_command_makes(monkeypatch, capsys):
    """docs/results.md is generated from results/: regenerate it with the command below
    when the results change."""
    monkeypatch.chdir(RESULTS.parent)
    status = main(["pages", "--results", "results", "--out", "docs", "--check"])
    assert status == 0, capsys.readouterr().out
