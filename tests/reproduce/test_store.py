"""The SQLite results store: schema, one row per key, atomic batches, refusing foreign files."""
import hashlib
import json
import sqlite3

import pandas as pd
import pytest

from reproduce.experiment.config import RunConfig
from reproduce.store.database import APPLICATION_ID, SCHEMA_VERSION, Store, StoreError, check


def _config(seed=0, **kw):
    fields = dict(task="fdr", k=3, steps_back=3, cell="tanh", layers=1, hidden=2,
                  delta0=0.1, seed=seed, max_epochs=5)
    fields.update(kw)
    return RunConfig(**fields)


def _result(test_error=12.5):
    return dict(test_error=test_error, training_error=0.1, validation_error=0.2, epochs=7,
                stop_reason="validation rose", seconds=0.5, engine="pybrain",
                versions={"numpy": "x"})


def _record(config, status="ok", **kw):
    fields = dict(status=status, engine="pybrain", code_version="abc123", versions={"numpy": "x"},
                  host="here", started_at="2026-01-01T00:00:00+00:00",
                  finished_at="2026-01-01T00:00:01+00:00", profile="smoke")
    if status == "ok":
        fields["result"] = _result()
    else:
        fields["error"] = "ValueError: boom"
    fields.update(kw)
    return Store.record(config, **fields)


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_store_has_schema_wal_and_marks(tmp_path):
    path = tmp_path / "deep" / "runs.sqlite"
    with Store.open(path, create=True) as store:
        assert len(store) == 0 and store.keys() == set()
        assert store.counts() == {"ok": 0, "failed": 0}
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    columns = {row[1] for row in conn.execute("PRAGMA table_info(runs)")}
    assert {"key", "config", "status", "error", "test_error", "engine", "code_version",
            "versions", "host", "started_at", "finished_at", "variant", "cell"} <= columns
    conn.close()


def test_rows_round_trip_and_come_back_sorted_by_key(tmp_path):
    configs = [_config(seed=s) for s in range(4)]
    with Store.open(tmp_path / "r.sqlite", create=True) as store:
        assert store.add([_record(c) for c in configs[:3]]) == 3
        assert store.add([_record(configs[3], status="failed")]) == 1
        assert store.counts() == {"ok": 3, "failed": 1}
        frame = store.runs()
    assert list(frame["key"]) == sorted(c.key for c in configs)
    row = frame.set_index("key").loc[configs[0].key]
    assert RunConfig.from_json(row["config"]) == configs[0]
    assert (row["variant"], row["cell"], row["seed"]) == ("fdr-n3-k3", "tanh", 0)
    assert row["test_error"] == 12.5 and row["stop_reason"] == "validation rose"
    assert json.loads(row["versions"]) == {"numpy": "x"}
    failed = frame.set_index("key").loc[configs[3].key]
    assert failed["status"] == "failed" and failed["error"] == "ValueError: boom"
    assert failed["test_error"] != failed["test_error"]  # NaN


def test_a_key_is_never_stored_twice(tmp_path):
    config = _config()
    path = tmp_path / "r.sqlite"
    with Store.open(path, create=True) as first, Store.open(path) as second:
        assert first.add([_record(config)]) == 1
        assert second.add([_record(config, status="failed")]) == 0
        assert first.add([_record(config), _record(_config(seed=1))]) == 1
        assert len(second) == 2
        frame = second.runs()
    assert frame.set_index("key").loc[config.key, "status"] == "ok"  # the first one stays


def test_a_batch_is_one_transaction(tmp_path):
    good = _record(_config(seed=0))
    bad = dict(_record(_config(seed=1)), status="lost")  # violates the status CHECK
    with Store.open(tmp_path / "r.sqlite", create=True) as store:
        with pytest.raises(sqlite3.IntegrityError):
            store.add([good, bad])
        assert len(store) == 0
        assert store.add([good]) == 1


def test_record_checks_its_outcome():
    with pytest.raises(ValueError, match="status"):
        _record(_config(), status="maybe")
    with pytest.raises(ValueError, match="needs a result"):
        _record(_config(), status="ok", result=None)
    with pytest.raises(ValueError, match="error text"):
        _record(_config(), status="failed", error="")


def test_text_file_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("not a database\n")
    before = _digest(path)
    for attempt in (lambda: Store.open(path, create=True), lambda: check(path)):
        with pytest.raises(StoreError, match="not an SQLite file"):
            attempt()
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite"]


def test_foreign_sqlite_database_is_refused_untouched(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE things (x)")
    conn.commit()
    conn.close()
    before = _digest(path)
    for attempt in (lambda: Store.open(path, create=True), lambda: check(path)):
        with pytest.raises(StoreError, match="another application"):
            attempt()
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_other_schema_version_is_refused(tmp_path):
    path = tmp_path / "r.sqlite"
    Store.open(path, create=True).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match=f"schema version {SCHEMA_VERSION + 1}"):
        Store.open(path)


def test_directory_and_missing_store(tmp_path):
    with pytest.raises(StoreError, match="is a directory"):
        Store.open(tmp_path, create=True)
    with pytest.raises(StoreError, match="no such results store"):
        Store.open(tmp_path / "missing.sqlite")
    check(tmp_path / "new" / "runs.sqlite")           # fine, and creates nothing
    assert not (tmp_path / "new").exists()
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="not a directory"):
        check(tmp_path / "file" / "runs.sqlite")


def test_blank_database_is_set_up_but_not_read_as_a_store(tmp_path):
    # what a creation killed before its first commit leaves behind
    empty, blank = tmp_path / "empty.sqlite", tmp_path / "blank.sqlite"
    empty.write_bytes(b"")
    sqlite3.connect(blank).execute("PRAGMA journal_mode=WAL").fetchone()
    with pytest.raises(StoreError, match="empty SQLite database"):
        Store.open(blank)
    for path in (empty, blank):
        check(path)
        with Store.open(path, create=True) as store:
            assert store.add([_record(_config())]) == 1
        with Store.open(path) as store:
            assert len(store) == 1


def test_replace_failed_replaces_only_failed_rows(tmp_path):
    failed, ok = _config(seed=0), _config(seed=1)
    with Store.open(tmp_path / "r.sqlite", create=True) as store:
        store.add([_record(failed, status="failed"), _record(ok)])
        assert store.keys("failed") == {failed.key} and store.keys("ok") == {ok.key}
        again = [_record(failed, result=dict(_result(), test_error=3.0)),
                 _record(ok, result=dict(_result(), test_error=99.0))]
        assert store.add(again, replace_failed=True) == 1
        frame = store.runs().set_index("key")
        assert len(frame) == 2
    assert (frame.loc[failed.key, "status"], frame.loc[failed.key, "test_error"]) == ("ok", 3.0)
    assert pd.isna(frame.loc[failed.key, "error"])
    assert frame.loc[ok.key, "test_error"] == 12.5


def test_adopt_copies_only_the_wanted_ok_rows(tmp_path):
    from reproduce.experiment.config import RunConfig
    from reproduce.store.database import Store
    configs = [RunConfig(task="fdr", k=3, steps_back=3, cell="tanh", layers=1, hidden=2, seed=s)
               for s in range(3)]
    result = dict(test_error=1.0, training_error=0.1, validation_error=0.2, epochs=3,
                  stop_reason="converged", seconds=0.5)
    def rows(status):
        return [Store.record(c, status=status, result=result if status == "ok" else None,
                       error=None if status == "ok" else "boom", engine="batched",
                       code_version="v", versions={}, host="h", started_at="a",
                       finished_at="b") for c in configs]
    with Store.open(tmp_path / "a.sqlite", create=True) as a:
        a.add(rows("ok")[:2] + rows("failed")[2:])
    with Store.open(tmp_path / "b.sqlite", create=True) as b:
        assert b.adopt(tmp_path / "a.sqlite", [c.key for c in configs[1:]]) == 1
        assert b.adopt(tmp_path / "a.sqlite", [c.key for c in configs]) == 1
        assert b.adopt(tmp_path / "a.sqlite", [c.key for c in configs]) == 0
        frame = b.runs()
    with Store.open(tmp_path / "a.sqlite") as a:
        original = a.runs()
    assert set(frame["key"]) == {c.key for c in configs[:2]}
    import pandas as pd
    ok = original[original["status"] == "ok"].reset_index(drop=True)
    assert frame["error"].isna().all() and ok["error"].isna().all()
    pd.testing.assert_frame_equal(frame.drop(columns="error"), ok.drop(columns="error"),
                                  check_dtype=False)


# --- leases: two drivers of one store share it (issue 20, 10) ----------------------------

def _gone_pid():
    """The pid of a process that has ended (and been reaped)."""
    import subprocess
    import sys
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(done.stdout)


def test_claims_skip_stored_keys_and_live_leases_and_end_with_the_batch(tmp_path):
    import os
    import socket

    from reproduce.experiment.workers import Driver
    configs = [_config(seed=s) for s in range(6)]
    keys = [c.key for c in configs]
    me = Driver.here()
    alive = Driver("other", socket.gethostname(), os.getppid())     # pytest's parent
    with Store.open(tmp_path / "r.sqlite", create=True) as store:
        store.add([_record(configs[0])])
        assert store.claim(keys[:3], alive, 60) == ({keys[1], keys[2]}, {})
        mine, held = store.claim(keys, me, 60)
        assert mine == set(keys[3:]) and held == {keys[1]: alive, keys[2]: alive}
        assert store.claim(keys[3:], me, 60)[0] == set(keys[3:])   # its own: still its
        # storing a batch ends its leases in the same transaction
        assert store.add([_record(configs[3])], release=me) == 1
        assert set(store.leases()) == {keys[1], keys[2], keys[4], keys[5]}
        store.release(me)
        assert set(store.leases()) == {keys[1], keys[2]}
        # retrying failed runs: a failed row is not done
        store.add([_record(configs[4], status="failed")])
        assert store.claim([keys[4]], me, 60, done="ok")[0] == {keys[4]}
        assert store.claim([keys[4]], alive, 60)[0] == set()


@pytest.mark.parametrize("holder", ["dead process here", "expired elsewhere"])
def test_a_lease_of_a_dead_driver_is_taken_over(holder, tmp_path):
    import socket

    from reproduce.experiment.workers import Driver
    config = _config()
    me = Driver.here()
    with Store.open(tmp_path / "r.sqlite", create=True) as store:
        if holder == "dead process here":
            other, seconds = Driver("dead", socket.gethostname(), _gone_pid()), 3600
        else:   # another host cannot be asked: its lease must lapse
            other, seconds = Driver("far", "another-host.invalid", 1), 3600
            assert store.claim([config.key], other, seconds)[0] == {config.key}
            assert store.claim([config.key], me, 60) == (set(), {config.key: other})
            other, seconds = Driver("far", "another-host.invalid", 1), -1
        assert store.claim([config.key], other, seconds)[0] == {config.key}
        assert store.claim([config.key], me, 60) == ({config.key}, {})
        assert store.leases()[config.key][0] == me


def test_a_store_without_the_leases_table_opens_and_its_rows_do_not_change(tmp_path):
    """Stores of schema version 1 made before leases: they open, a claim adds the table
    and nothing else, and the rows and version stay as they were."""
    from reproduce.experiment.workers import Driver
    path = tmp_path / "r.sqlite"
    with Store.open(path, create=True) as store:
        store.add([_record(_config(seed=s)) for s in range(3)])
        before = store.runs()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall() == [
        ("runs",)]
    conn.close()
    check(path)
    with Store.open(path) as store:
        assert store.leases() == {}
        store.renew(Driver.here(), 60)          # no table yet: nothing to do
        store.claim([_config(seed=9).key], Driver.here(), 60)
        assert store.runs().equals(before)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 1
    conn.close()
    check(path)                                  # as older code checks it: still a store


def _runs_file(path, configs):
    """A runs.csv.gz of one ok run per configuration (rows in the given order)."""
    from dataclasses import asdict

    from reproduce.store import runs_csv
    rows = [dict(key=c.key, variant=c.variant_id, **asdict(c), status="ok", test_error=1.0,
                 training_error=0.1, validation_error=0.2, epochs=7,
                 stop_reason="validation rose", engine="batched") for c in configs]
    runs_csv.write(pd.DataFrame(rows, columns=runs_csv.COLUMNS), path)
    return path


def test_a_runs_file_gives_each_row_its_configs_own_json(tmp_path):
    from reproduce.store import runs_csv
    configs = [_config(seed=seed, data_seed=data_seed, cell=cell, untargeted=untargeted)
               for seed in (0, 3) for data_seed in (0, 2) for cell in ("tanh", "gru")
               for untargeted in ("masked", "class0_target")]
    runs = runs_csv.read(_runs_file(tmp_path / "runs.csv.gz", configs))
    by_key = dict(zip(runs["key"], runs["config"]))
    assert by_key == {c.key: c.to_json() for c in configs}
    runs_csv.check_keys(runs)


@pytest.mark.parametrize("bad, line", [
    ({"seed": {3: -1}}, 5),                       # the seeds are checked on their own
    ({"seed": {3: -1}, "cell": {1: "cnn"}}, 3),   # the first bad line, whatever is bad
    ({"data_seed": {2: 1.5}}, 2),                 # a float column: its first value is refused
])
def test_a_runs_file_row_that_is_no_configuration_is_named_by_its_line(tmp_path, bad, line):
    from reproduce.store import runs_csv
    path = _runs_file(tmp_path / "runs.csv.gz", [_config(seed=s) for s in range(5)])
    frame = runs_csv.read(path).drop(columns="config")
    for column, values in bad.items():
        for row, value in values.items():
            frame[column] = frame[column].astype(object)
            frame.loc[row, column] = value
    runs_csv.write(frame, path)
    with pytest.raises(ValueError, match=rf"runs.csv.gz, line {line}: not a configuration"):
        runs_csv.read(path)
