"""Generalisation to longer sequences: the picks, a solved FDR network, the command."""
import pandas as pd
import pytest

from reproduce.analysis import generalise
from reproduce.experiment.config import RunConfig
from reproduce.store import runs_csv

FDR = dict(variants=(("fdr", 2, 2),), cells=("tanh",), architectures=((1, "none"),),
           widths=(4,), delta0=(0.1,), max_epochs=100)


def test_pick_takes_the_lowest_and_the_median_validation_error(make_runs):
    runs = make_runs(lambda c: 10.0)                   # validation error 0.1 + 0.01 * seed
    chosen = generalise.pick(runs)
    assert len(chosen) == 2 * 2 * 2                    # variants x cells x picks
    best = chosen[chosen["pick"] == "best"]
    median = chosen[chosen["pick"] == "median"]
    assert (best["seed"] == 0).all() and (median["seed"] == 1).all()
    assert list(chosen["variant"].unique()) == ["fdr-n3-k3", "fdr-n3-k4"]
    with pytest.raises(ValueError, match="picks"):
        generalise.pick(runs, ("worst",))


def test_a_network_that_solves_fdr_stays_at_zero_at_length_100(make_runs):
    runs = make_runs(lambda c: 0.0, seeds=(0,), **FDR)
    frame = generalise.generalise(runs, lengths=(20, 100), sequences=32, picks=("best",))
    assert list(frame["length"]) == [20, 100]
    assert (frame["retrained_test_error"] == 0).all()
    assert (frame["error"] == 0).all()
    assert generalise.keeps(frame) == {"fdr": {"tanh": (1, 1, 0.0, 0.0)}}
    # fresh sequences are not the training ones
    data = generalise.fresh_data(RunConfig.from_json(runs["config"].iloc[0]), 20)
    assert data.seed == generalise.FRESH_DATA_SEED + 20


def test_keeps_counts_variants_within_the_margin():
    rows = [dict(task="fdr", variant=v, cell="relu", pick="best", length=n, error=e)
            for v, errors in (("a", (0, 3)), ("b", (0, 40))) for n, e in zip((20, 100), errors)]
    assert generalise.keeps(pd.DataFrame(rows)) == {"fdr": {"relu": (1, 2, 0.0, 21.5)}}


def test_the_command_writes_its_cache_and_refuses_bad_input(make_runs, tmp_path, cli):
    runs_csv.write(make_runs(lambda c: 0.0, seeds=(0, 1), **FDR), tmp_path / "runs.csv.gz")
    db = str(tmp_path / "runs.csv.gz")
    out = cli("generalise", "--db", db, "--out", str(tmp_path / "g"), "--lengths", "20,40",
              "--sequences", "8")
    assert out.returncode == 0, out.stderr
    frame = pd.read_csv(tmp_path / "g" / "generalisation.csv")
    assert set(frame["length"]) == {20, 40} and set(frame["pick"]) == {"best", "median"}
    assert "--lengths 20,40" in (tmp_path / "g" / "generalisation.md").read_text()
    assert (tmp_path / "g" / "generalisation.png").stat().st_size > 0
    assert cli("generalise", "--help").returncode == 0
    for args, message in ((["--lengths", "20,x"], "distinct positive integers"),
                          (["--picks", "worst"], "some of best,median"),
                          (["--reading", "var0.01"], "no ok runs")):
        bad = cli("generalise", "--db", db, "--out", str(tmp_path / "bad"), *args)
        assert bad.returncode == 2 and message in bad.stderr, bad.stderr
        assert len(bad.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "bad").exists()
