"""Replicates of a grid and the noise floor: the replicate axis, the statistics of
`reproduce.analysis.noise` on tables whose answer is known, and the command on a real
sweep of three replicates."""
import contextlib
import io
import json
import math

import numpy as np
import pandas as pd
import pytest

from reproduce.analysis import noise
from reproduce.cli import main
from reproduce.experiment.config import RunConfig
from reproduce.experiment.engines import run
from reproduce.experiment.profiles import (
    format_replicates,
    get_profile,
    parse_replicates,
    replicate_of,
)
from reproduce.store import runs_csv
from reproduce.store.selection import by_replicate, replicate_counts, replicates_in

SMOKE = get_profile("smoke")


def _main(*argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(argv))
    return status, out.getvalue(), err.getvalue()


# --- the replicate axis ------------------------------------------------------------

def test_replicate_zero_is_the_grid_itself():
    assert [c.key for c in SMOKE.configs(replicate=0)] == [c.key for c in SMOKE.configs()]


@pytest.mark.parametrize("profile, replicate, seeds",
                         [("quick", 1, (2, 3)), ("paper", 1, (3, 4, 5)), ("paper", 2, (6, 7, 8))])
def test_a_replicate_shifts_the_seeds_by_the_number_of_seeds(profile, replicate, seeds):
    assert get_profile(profile).seeds_of(replicate) == seeds


def test_replicates_share_no_key_no_seed_and_no_data_set():
    grids = {r: SMOKE.configs(replicate=r) for r in range(3)}
    keys = [c.key for configs in grids.values() for c in configs]
    assert len(keys) == len(set(keys))
    for r, configs in grids.items():
        assert {c.data_set_seed for c in configs} == {r}
        assert {replicate_of(c) for c in configs} == {r}
        assert {c.seed for c in configs} == set(SMOKE.seeds_of(r))


@pytest.mark.parametrize("text, replicates", [("0", (0,)), ("0-4", (0, 1, 2, 3, 4)),
                                              ("3,0,1", (0, 1, 3)), ("1-2,4", (1, 2, 4))])
def test_replicates_parse_and_format(text, replicates):
    assert parse_replicates(text) == replicates
    assert parse_replicates(format_replicates(replicates)) == replicates


@pytest.mark.parametrize("text", ["", "a", "-1", "3-1", "0-100", "1,,2", "1.5"])
def test_bad_replicates_say_what_is_allowed(text):
    with pytest.raises(ValueError, match="N-M"):
        parse_replicates(text)


# --- the statistics -------------------------------------------------------------------

def test_rank_and_p_of_a_table_far_beyond_the_floor():
    far = noise._unusual(np.array([1.0, 2.0, 3.0, 2.5]), 10.0, higher_closer=False)
    assert far["rank"] == 1 and far["rank_p"] == pytest.approx(1 / 5)
    assert far["p_value"] < 0.01 and far["outside"]
    typical = noise._unusual(np.array([1.0, 2.0, 3.0, 2.5]), 2.2, higher_closer=False)
    assert typical["rank"] == 3 and 0.3 < typical["p_value"] < 0.7 and not typical["outside"]


def test_for_measures_where_higher_is_closer_the_direction_turns():
    low = noise._unusual(np.array([0.9, 0.85, 0.95]), 0.5, higher_closer=True)
    assert low["rank"] == 1 and low["outside"]
    high = noise._unusual(np.array([0.9, 0.85, 0.95]), 0.99, higher_closer=True)
    assert high["rank"] == 4 and not high["outside"]


def _design(data_effects, seed_offsets, configurations=3):
    """Runs of one entry: error = configuration effect + data effect of the replicate +
    the seed's offset, with every part known."""
    rows = []
    for r, d in enumerate(data_effects):
        for c in range(configurations):
            for s, e in enumerate(seed_offsets):
                rows.append({"task": "mvb", "variant": "mvb-k2", "cell": "gru", "layers": 1,
                             "skip": "none", "hidden": 5 + c, "delta0": 0.1,
                             "data_seed": r, "seed": s, "test_error": 10.0 * c + d + e})
    return pd.DataFrame(rows)


def test_variance_components_recover_a_data_draw_without_initialisation_noise():
    parts = noise.variance_components(by_replicate(_design([0.0, 4.0, 8.0], [0.0, 0.0])))
    row = parts.iloc[0]
    assert row["var_init"] == 0
    assert row["var_data"] == pytest.approx(np.var([0.0, 4.0, 8.0], ddof=1))
    assert row["share_data"] == 1
    assert row["sd_mean_observed"] == pytest.approx(4.0)


def test_variance_components_recover_initialisation_noise_without_a_data_draw():
    # seeds +-1: variance 2 across seeds; every replicate's seed-mean is the same
    parts = noise.variance_components(by_replicate(_design([5.0, 5.0, 5.0], [-1.0, 1.0])))
    row = parts.iloc[0]
    assert row["var_init"] == pytest.approx(2.0)
    assert row["var_data"] == 0 and row["share_data"] == 0
    assert row["sd_mean_observed"] == 0


def test_prediction_intervals_and_z():
    tables = {r: pd.DataFrame({"task": ["mvb"], "steps_back": pd.array([None], "Int64"),
                               "input_dim": [2], "variant": ["mvb-k2"], "cell": ["gru"],
                               "n_runs": [4], "min_error": [m], "mean_error": [m + 10],
                               "std_error": [1.0]})
              for r, m in enumerate([1.0, 2.0, 3.0])}
    published = pd.DataFrame({"min_error": [2.0], "mean_error": [40.0], "std_error": [1.0]},
                             index=pd.MultiIndex.from_tuples([("mvb-k2", "gru")],
                                                             names=["variant", "cell"]))
    entries = noise.intervals(tables, tables[1], published).set_index("statistic")
    scale = 1.0 * math.sqrt(1 + 1 / 3)
    assert entries.loc["min", "z"] == pytest.approx(0.0)
    assert entries.loc["mean", "z"] == pytest.approx((40 - 12) / scale)
    assert entries.loc["mean", "high"] == pytest.approx(12 + 4.302653 * scale, rel=1e-6)
    assert entries.loc["mean", "outside"] and not entries.loc["min", "outside"]
    assert entries.loc["std", "z"] == 0 and not entries.loc["std", "outside"]


# --- the command on three real replicates ----------------------------------------------

@pytest.fixture(scope="module")
def three(tmp_path_factory):
    folder = tmp_path_factory.mktemp("noise")
    db = folder / "runs.sqlite"
    status, _, err = _main("sweep", "--profile", "smoke", "--replicates", "0-2", "--db", str(db),
                           "--workers", "1", "--no-progress")
    assert status == 0, err
    return folder, db


def test_the_noise_command_writes_the_floor_the_intervals_and_the_parts(three):
    folder, db = three
    out = folder / "out"
    status, printed, err = _main("noise", "--db", str(db), "--profile", "smoke", "--out",
                                 str(out))
    assert status == 0, err
    summary = pd.read_csv(out / "noise_summary.csv")
    assert list(summary["scope"]) == ["all", "fdr", "multiswitch"]
    floor = pd.read_csv(out / "noise_floor.csv")
    assert set(floor["measure"]) == set(noise.MEASURES)
    assert (floor["pairs"] == 3).all() and (floor["replicates"] == 3).all()
    entries = pd.read_csv(out / "noise_table1.csv")
    assert len(entries) == 4 * 3 and {"r0", "r1", "r2", "low", "high", "z"} <= set(entries)
    assert (entries["low"] <= entries["replicate_mean"] + 1e-9).all()
    components = pd.read_csv(out / "noise_components.csv")
    assert len(components) == 4 and (components["replicates"] == 3).all()
    text = (out / "noise.md").read_text()
    assert "--replicates 0-2" in text and "## Verdict per task" in text
    assert (out / "noise_z.png").stat().st_size > 0
    assert not (out / "noise_readings.csv").exists()


def test_other_readings_are_judged_against_the_floor(three, tmp_path):
    folder, db = three
    for name in ("stated", "var0.09"):
        assert _main("table1", "--db", str(db), "--profile", "smoke", "--reading", "stated",
                     "--out", str(tmp_path / "readings" / name))[0] == 0
    (tmp_path / "readings" / "not-a-reading").mkdir()
    out = tmp_path / "out"
    status, _, err = _main("noise", "--db", str(db), "--profile", "smoke", "--judge",
                           str(tmp_path / "readings"), "--out", str(out))
    assert status == 0, err
    judged = pd.read_csv(out / "noise_readings.csv")
    assert set(judged["reading"]) == {"stated", "var0.09"}
    # replicate 0 of stated against the published table, as table1 compares it
    row = judged[(judged["reading"] == "stated") & (judged["scope"] == "all")].iloc[0]
    floor = pd.read_csv(out / "noise_floor.csv")
    pairs = floor[(floor["scope"] == "all") & (floor["measure"] == "mae_mean")].iloc[0]
    assert row["floor_mean"] == pytest.approx(pairs["floor_mean_pairs"])
    assert "## Other readings against the floor" in (out / "noise.md").read_text()


@pytest.mark.parametrize("argv, message", [
    (("--replicates", "0-1"), "at least 3 complete replicates"),
    (("--replicates", "0-3"), "in replicate 3; it holds replicates 0-2"),
    (("--reading", "var0.09"), "no runs of reading var0.09"),
])
def test_the_noise_command_refuses_in_one_line(three, tmp_path, argv, message):
    _, db = three
    status, _, err = _main("noise", "--db", str(db), "--profile", "smoke", *argv,
                           "--out", str(tmp_path / "out"))
    assert status == 2 and message in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_a_replicates_run_is_what_reproduce_run_gives(three):
    _, db = three
    runs = runs_csv.load(db)
    row = runs[runs["data_seed"] == 2].iloc[0]
    config = RunConfig.from_json(row["config"])
    assert replicate_of(json.loads(row["config"])) == 2
    result = run(config, engine="pybrain")
    assert (result.test_error, result.training_error, result.validation_error,
            result.epochs, result.stop_reason) == (row["test_error"], row["training_error"],
                                                   row["validation_error"], row["epochs"],
                                                   row["stop_reason"])


def test_table1_pools_the_replicates_it_is_given_and_keeps_all_in_its_runs_file(three):
    folder, db = three
    out = folder / "table"
    status, _, err = _main("table1", "--db", str(db), "--profile", "smoke", "--replicates",
                           "1-2", "--out", str(out))
    assert status == 0, err
    table = pd.read_csv(out / "table1.csv")
    assert (table.loc[table["n_expected"].notna(), "n_runs"] == 2 * 2).all()
    assert set(runs_csv.read(out / "runs.csv.gz")["data_seed"]) == {0, 1, 2}


def test_the_report_shows_the_noise_floor_of_its_folder(three):
    folder, db = three
    out = folder / "reported"
    assert _main("table1", "--db", str(db), "--profile", "smoke", "--out", str(out))[0] == 0
    assert _main("noise", "--db", str(out / "runs.csv.gz"), "--profile", "smoke",
                 "--out", str(out))[0] == 0
    status, _, err = _main("report", "--results", str(out), "--profile", "smoke",
                           "--reading", "stated")
    assert status == 0, err
    text = (out / "REPORT.md").read_text()
    section = text[text.index("## 7. Against the noise floor"):text.index("## How each")]
    summary = pd.read_csv(out / "noise_summary.csv")
    for row in summary.itertuples():
        assert f"| {row.scope} | {row.floor_mae_mean:.2f} ({row.floor_range}) |" in section
    assert "![z of the published entries" in section


def test_runs_are_counted_per_replicate_by_their_data_seed():
    design = _design([0.0, 1.0, 2.0], [0.0, 0.0, 0.0])
    design = design[~((design["data_seed"] == 1) & (design["hidden"] == 5))]   # 1 partial
    assert replicate_counts(design.iloc[::-1]) == {0: 9, 1: 6, 2: 9}          # in order
    assert replicates_in(design) == [0, 1, 2]
    assert list(by_replicate(design)) == [0, 1, 2]
