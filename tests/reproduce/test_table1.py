"""Table I: statistics from store rows, the side-by-side comparison, the agreement summary,
the three files, partial stores and bad input (checked against hand-computed numbers)."""
import hashlib
import math

import numpy as np
import pandas as pd
import pytest

import tasks
from reproduce.analysis import table1
from reproduce.experiment import protocol
from reproduce.experiment.config import RunConfig
from reproduce.store.database import Store


def _row(variant_id, cell, seed, test_error, status="ok", profile="smoke"):
    v = tasks.parse_variant(variant_id)
    config = RunConfig(task=v.task, k=v.k, steps_back=v.steps_back, cell=cell, layers=1,
                       hidden=2, seed=seed, max_epochs=5)
    result = None if status == "failed" else dict(
        test_error=test_error, training_error=0.1, validation_error=0.1, epochs=5,
        stop_reason="max_epochs", seconds=1.0, engine="pybrain", versions={})
    return Store.record(config, status=status, result=result,
                  error="RuntimeError: x" if status == "failed" else None, engine="pybrain",
                  code_version="v", versions={}, host="h", started_at="t0", finished_at="t1",
                  profile=profile)


ROWS = [_row("fdr-n3-k3", "tanh", 0, 10.0), _row("fdr-n3-k3", "tanh", 1, 20.0),
        _row("fdr-n3-k3", "tanh", 2, 60.0), _row("fdr-n3-k3", "lstm", 0, 50.0),
        _row("fdr-n3-k3", "lstm", 1, None, status="failed"),
        _row("multiswitch-k2", "gru", 0, 5.0)]


def _frame(rows):
    return pd.DataFrame(rows, columns=list(ROWS[0]))


def _entry(table, variant, cell):
    return table.set_index(["variant", "cell"]).loc[(variant, cell)]


def test_statistics_per_variant_and_cell():
    expected = {("fdr-n3-k3", "tanh"): 3, ("fdr-n3-k3", "lstm"): 3}
    table = table1.summarise(_frame(ROWS), expected)
    # every Table I row x the paper's column order
    assert len(table) == 20 * 5
    assert list(table["cell"][:5]) == list(protocol.TABLE1_CELL_ORDER)
    assert list(table["variant"].unique()) == [v.id for v in tasks.variants()]
    tanh = _entry(table, "fdr-n3-k3", "tanh")
    assert (tanh["min_error"], tanh["mean_error"]) == (10.0, 30.0)
    assert tanh["std_error"] == pytest.approx(np.std([10, 20, 60], ddof=protocol.TABLE1_STD_DDOF))
    assert (tanh["n_runs"], tanh["n_failed"], tanh["n_expected"]) == (3, 0, 3)
    lstm = _entry(table, "fdr-n3-k3", "lstm")
    assert (lstm["n_runs"], lstm["n_failed"], lstm["mean_error"]) == (1, 1, 50.0)
    empty = _entry(table, "ddr-k3", "relu")
    assert empty["n_runs"] == 0 and math.isnan(empty["mean_error"])
    assert pd.isna(_entry(table, "multiswitch-k2", "gru")["n_expected"])
    assert table1.completeness(table) == (4, 6, 1, 1, 0)


def test_table_does_not_depend_on_row_order():
    forward = table1.summarise(_frame(ROWS))
    backward = table1.summarise(_frame(ROWS[::-1]).sample(frac=1, random_state=3))
    pd.testing.assert_frame_equal(forward, backward)


def _published_as_ours(offset=0.0):
    """A table of ours equal to the published one plus `offset` points."""
    published = table1.load_published()
    ours = table1.summarise(_frame([]), {})
    for stat in table1.STATISTICS:
        ours[stat] = [published[stat][(v, c)] + offset for v, c in zip(ours["variant"],
                                                                         ours["cell"])]
    return ours, published


def test_agreement_with_itself_and_with_a_shift():
    ours, published = _published_as_ours()
    same = table1.agreement(table1.compare(ours, published))
    assert same["cells"] == 100
    for stat in table1.STATISTICS:
        assert same["statistics"][stat] == {"compared": 100, "mad": 0.0, "within": 100}
    assert len(same["rows"]) == 20 and all(r["agrees"] for r in same["rows"])

    shifted, _ = _published_as_ours(offset=6.0)
    side = table1.compare(shifted, published)
    result = table1.agreement(side)
    assert result["statistics"]["mean_error"]["mad"] == pytest.approx(6.0)
    assert result["statistics"]["mean_error"]["within"] == 0
    assert all(r["agrees"] for r in result["rows"])  # a shift keeps every ranking
    assert side["mean_error_diff"].round(9).eq(6.0).all()


def test_ranking_agreement_respects_published_ties():
    ours, published = _published_as_ours()
    ours = ours.set_index(["variant", "cell"])
    # fdr-n3-k3 mean: gru 15.0, lstm 15.1, sig 41.8, relu 10.1, tanh 0.2 -> swap gru and sig
    ours.loc[("fdr-n3-k3", "gru"), "mean_error"] = 50.0
    # multiswitch-k4 mean: gru and lstm are tied at 44.6 in the paper -> either order is fine
    ours.loc[("multiswitch-k4", "lstm"), "mean_error"] = 44.0
    rows = {r["variant"]: r for r in table1.agreement(
        table1.compare(ours.reset_index(), published))["rows"]}
    assert rows["fdr-n3-k3"]["agrees"] is False
    assert rows["fdr-n3-k3"]["ours"][-1] == "gru"
    assert rows["multiswitch-k4"]["agrees"] is True
    assert rows["fdr-n3-k4"]["agrees"] is True


def test_markdown_and_latex_layouts():
    side = table1.compare(table1.summarise(_frame(ROWS), {("fdr-n3-k3", "tanh"): 4}),
                          table1.load_published())
    md = table1.to_markdown(side, source="store s", summary="SUMMARY")
    fdr = next(line for line in md.splitlines() if line.startswith("| Fixed Delay Recall"))
    # ours (bold, * = incomplete) / published (difference); published tanh min is 0.0
    assert "| **10.0*** / 0.0 (+10.0) |" in fdr
    assert "| 0/? | 1/? (1 failed) | 0/? | 0/? | 3/4 |" in md
    assert md.count("## ") == 5 and "SUMMARY" in md
    tex = table1.to_latex(table1.summarise(_frame(ROWS)))
    body = [line for line in tex.splitlines() if line.endswith(r"\\")][2:]
    assert len(body) == 20 and all(line.count("&") == 3 + 15 - 1 for line in body)
    assert body[0].startswith("Fixed Delay Recall & 3 & 3 & --")
    assert tex.count("dynamic") == 4  # the four task blocks without a fixed delay


def test_command_on_a_partial_store(tmp_path, cli):
    db = tmp_path / "runs.sqlite"
    with Store.open(db, create=True) as store:
        # the smoke profile's fdr-n3-k3 tanh runs, one of them failed
        store.add([_row("fdr-n3-k3", "tanh", 0, 40.0), _row("fdr-n3-k3", "tanh", 1, 30.0),
                   _row("fdr-n3-k3", "lstm", 0, None, status="failed")])
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    done = cli("table1", "--db", db, "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert ("2 runs ok, 1 failed; profile smoke: 2 of 8 runs (25.0 %), 1 entries complete, "
            "1 partial, 2 empty") in done.stdout
    csv = pd.read_csv(tmp_path / "out" / "table1.csv")
    assert list(csv.columns) == ["task", "steps_back", "input_dim", "variant", "cell",
                                 "n_runs", "n_failed", "n_expected", "min_error",
                                 "mean_error", "std_error"]  # no published numbers
    tanh = csv[(csv["variant"] == "fdr-n3-k3") & (csv["cell"] == "tanh")].iloc[0]
    assert (tanh["n_runs"], tanh["n_expected"], tanh["mean_error"]) == (2, 2, 35.0)
    md = (tmp_path / "out" / "table1.md").read_text()
    assert "**35.0** /" in md and "0/2 (1 failed)" in md
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_command_with_another_published_table(tmp_path, cli):
    db = tmp_path / "runs.sqlite"
    with Store.open(db, create=True) as store:
        store.add(ROWS[:2])
    other = tmp_path / "other.csv"
    other.write_text("# a comment line\n" + ",".join(table1.PUBLISHED_COLUMNS) + "\n"
                     "fdr,3,3,tanh,1.0,2.0,3.0\n")
    done = cli("table1", "--db", db, "--out", tmp_path, "--published", other)
    assert done.returncode == 0, done.stderr
    assert "of 1 published entries" in done.stdout


@pytest.mark.parametrize("case", ["missing", "text file", "unknown profile"])
def test_command_bad_input(case, tmp_path, cli):
    db = tmp_path / "runs.sqlite"
    args = []
    if case == "text file":
        db.write_text("hello")
    elif case == "unknown profile":
        Store.open(db, create=True).close()
        args = ["--profile", "huge"]
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    done = cli("table1", "--db", db, "--out", tmp_path / "out", *args)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("reproduce table1: error:")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
