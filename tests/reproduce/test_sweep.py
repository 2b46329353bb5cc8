"""The sweep: planning, worker outcomes, resuming after SIGKILL or Ctrl-C, Dask, bad input.

End-to-end tests run the command line (in this process: the `cli` fixture) on
the smoke profile (8 tiny runs) with the batched engine when it is there, else
PyBrain.  The interruption tests run ``python -m reproduce`` in a process of its
own, with the PyBrain engine, one worker and batches of one run, so that a sweep
takes seconds and can be stopped part-way on any machine.  Both, and the Dask
test, are marked ``slow``.
"""
import concurrent.futures
import contextlib
import dataclasses
import hashlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import reproduce.experiment.engines
from reproduce.analysis import table1
from reproduce.experiment.config import RunConfig
from reproduce.experiment.profiles import get_profile
from reproduce.experiment.sweep import plan, run_batch, run_sweep
from reproduce.store.database import Store

REPO = Path(__file__).resolve().parents[2]
ENGINE = "batched"
SMOKE = get_profile("smoke")
SMOKE_KEYS = {c.key for c in SMOKE.configs()}
# columns that must not depend on where, when or in which batch a run ran
OUTCOME = ["key", "config", "status", "error", "test_error", "training_error",
           "validation_error", "epochs", "stop_reason", "engine", "versions"]


# The interrupted sweeps train longer than smoke's 5 epochs, one run at a time on PyBrain:
# about 1 s (tanh) to 4 s (LSTM) of CPU a run, so that a signal sent once the first run is
# stored finds the other seven still to run.
SLOW = ("--max-epochs", 15)
SLOW_KEYS = {c.key for c in dataclasses.replace(SMOKE, max_epochs=SLOW[1]).configs()}


def _default_sigint():
    # A process that ignores SIGINT (a background job, say) hands that on to its
    # children; the sweep under test must see Ctrl-C as a terminal would send it.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_sweep(db, *args):
    return subprocess.Popen(
        [sys.executable, "-m", "reproduce", "sweep", "--profile", "smoke", "--db", str(db),
         "--no-progress", *map(str, args)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=_default_sigint,
        start_new_session=True)  # its own process group: the test can find its workers


@contextlib.contextmanager
def slow_sweep_part_way(db):
    """A slow smoke sweep (one worker, runs one by one) once its first run is stored;
    whatever of it is left is killed at the end."""
    proc = start_sweep(db, "--workers", 1, "--batch-size", 1, "--engine", "pybrain", *SLOW)
    try:
        wait_for_rows(db, proc)
        assert stored_rows(db) < len(SLOW_KEYS), "the sweep ended before the signal"
        yield proc
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def stored_rows(db):
    if not Path(db).exists():
        return 0
    conn = sqlite3.connect(db, timeout=30)
    try:
        return conn.execute("SELECT count(*) FROM runs").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0
    finally:
        conn.close()


def wait_for_rows(db, proc, minimum=1, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if stored_rows(db) >= minimum:
            return
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.02)
    raise AssertionError(f"no row stored within {timeout} s")


def wait_group_gone(pgid, timeout=30):
    """True once no process of the group is left (the workers have exited)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def outcomes(db):
    with Store.open(db) as store:
        frame = store.runs()
    return frame[OUTCOME].reset_index(drop=True)


def table1_csv(db, out):
    """What ``table1`` writes to table1.csv for the store `db`."""
    with Store.open(db) as store:
        runs = store.runs()
    path = Path(out) / "table1.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    table1.to_csv(table1.summarise(runs, table1.expected_counts(["smoke"])), path)
    return path.read_text()


_reference = {}


def uninterrupted(cli, engine, tmp_path_factory, *args):
    """A complete smoke sweep on one engine: (store, table1.csv text), made once."""
    if (engine, args) not in _reference:
        folder = tmp_path_factory.mktemp(f"reference-{engine}")
        db = folder / "runs.sqlite"
        done = cli("sweep", "--profile", "smoke", "--db", db, "--workers", 2,
                   "--engine", engine, *args)
        assert done.returncode == 0, done.stderr
        _reference[engine, args] = (db, table1_csv(db, folder / "table"))
    return _reference[engine, args]


# --- planning and the worker function (in process) -------------------------------

def _config(**kw):
    fields = dict(task="fdr", k=3, steps_back=3, cell="tanh", layers=1, hidden=2, seed=0,
                  max_epochs=3)
    fields.update(kw)
    return RunConfig(**fields)


def test_plan_groups_by_architecture_skips_stored_and_chunks():
    configs = [_config(seed=s, task=t, k=k, steps_back=n, cell=c)
               for c in ("tanh", "lstm")
               for t, k, n in (("fdr", 3, 3), ("svb", 3, None), ("multiswitch", 3, None))
               for s in range(3)]
    done = {configs[0].key}
    batches = plan(configs + configs[:2], done, batch_size=4)
    planned = [c for batch in batches for c in batch]
    assert sorted(c.key for c in planned) == sorted({c.key for c in configs} - done)
    for batch in batches:
        assert 1 <= len(batch) <= 4
        assert len({c.architecture for c in batch}) == 1
    # fdr-n3-k3 and svb-k3 share an architecture (3 inputs, 3 outputs); multiswitch-k3 has 2
    assert [len(b) for b in batches] == [4, 1, 3, 4, 2, 3]
    assert plan(configs, {c.key for c in configs}, 4) == []
    with pytest.raises(ValueError):
        plan(configs, set(), 0)


def _failing_on_seed(bad_seed):
    real = reproduce.experiment.engines.run_many

    def run_many(configs, engine="batched"):
        if any(c.seed == bad_seed for c in configs):
            raise FloatingPointError(f"seed {bad_seed} blew up")
        return real(configs, engine)
    return run_many


def test_run_batch_isolates_a_failing_run(monkeypatch):
    monkeypatch.setattr(reproduce.experiment.engines, "run_many", _failing_on_seed(1))
    configs = [_config(seed=s) for s in range(3)]
    out = run_batch([c.to_json() for c in configs], "pybrain")
    assert [o["key"] for o in out] == [c.key for c in configs]
    assert [o["status"] for o in out] == ["ok", "failed", "ok"]
    assert out[1]["result"] is None
    assert "FloatingPointError: seed 1 blew up" in out[1]["error"]
    assert out[0]["result"]["epochs"] >= 1 and out[0]["engine"] == "pybrain"
    assert all(o["host"] and o["versions"]["numpy"] for o in out)


class InProcess:
    """Workers that run each batch at once in this process (or fail it, for a test)."""
    description = "this process"
    n = 1

    def __init__(self, broken=()):
        self.broken = set(broken)
        self.aborted = False

    def submit(self, fn, *args):
        future = concurrent.futures.Future()
        if any(RunConfig.from_json(text).seed in self.broken for text in args[0]):
            future.set_exception(concurrent.futures.process.BrokenProcessPool("worker died"))
        else:
            future.set_result(fn(*args))
        return future

    def abort(self):
        self.aborted = True


def test_failed_runs_are_stored_once_and_not_retried(monkeypatch, tmp_path):
    monkeypatch.setattr(reproduce.experiment.engines, "run_many", _failing_on_seed(1))
    configs = SMOKE.configs()[:4]
    with Store.open(tmp_path / "r.sqlite", create=True) as store:
        report = run_sweep(configs, store, InProcess(), engine="pybrain", batch_size=2,
                           progress=False, profile="smoke")
        assert (report.planned, report.stored, report.failed, report.lost) == (4, 4, 2, 0)
        assert store.counts() == {"ok": 2, "failed": 2}
        again = run_sweep(configs, store, InProcess(), engine="pybrain", progress=False)
        assert (again.planned, again.stored) == (0, 0)
        frame = store.runs()
        assert set(frame["profile"]) == {"smoke"}
        assert all(frame[frame["status"] == "failed"]["error"].str.contains("seed 1 blew up"))
        # once the cause is fixed, asking for it runs them again, in place
        monkeypatch.undo()
        retry = run_sweep(configs, store, InProcess(), engine="pybrain", progress=False,
                          retry_failed=True)
        assert (retry.planned, retry.stored, retry.failed) == (2, 2, 0)
        assert store.counts() == {"ok": 4, "failed": 0} and len(store) == 4


def test_lost_batches_are_not_stored_and_run_next_time(tmp_path):
    """A broken pool loses the batch in flight; what was not submitted yet is counted as
    not started, not as lost, and both are run by the next sweep."""
    configs = SMOKE.configs()[:4]
    with Store.open(tmp_path / "r.sqlite", create=True) as store:
        report = run_sweep(configs, store, InProcess(broken={1}), engine="pybrain",
                           batch_size=1, progress=False)
        assert (report.stored, report.lost, report.not_started) == (1, 1, 2)
        assert "BrokenProcessPool: worker died" in report.lost_errors[0]
        assert store.keys() == {configs[0].key}
        assert store.leases() == {}               # given back: the next sweep runs them
        again = run_sweep(configs, store, InProcess(), engine="pybrain", progress=False)
        assert (again.planned, again.stored, again.lost) == (3, 3, 0)
        assert store.keys() == {c.key for c in configs}


# --- end to end -------------------------------------------------------------------

@pytest.mark.slow
def test_smoke_sweep_then_table1(tmp_path, cli):
    db = tmp_path / "store" / "runs.sqlite"
    done = cli("sweep", "--profile", "smoke", "--db", db, "--workers", 2,
               "--engine", ENGINE)
    assert done.returncode == 0, done.stderr
    assert "= 4 configurations x 2 seeds = 8 runs" in done.stdout
    assert "8 to run" in done.stdout and "stored 8 runs (0 failed)" in done.stdout
    assert "run/s" in done.stderr or "s/run" in done.stderr       # the progress bar
    with Store.open(db) as store:
        frame = store.runs()
    assert set(frame["key"]) == SMOKE_KEYS
    assert set(frame["status"]) == {"ok"} and set(frame["engine"]) == {ENGINE}
    assert frame["code_version"].str.len().min() > 0 and frame["host"].str.len().min() > 0
    # a second sweep finds nothing to do
    again = cli("sweep", "--profile", "smoke", "--db", db, "--engine", ENGINE)
    assert again.returncode == 0 and "nothing to run" in again.stdout

    out = tmp_path / "tables"
    shown = cli("table1", "--db", db, "--out", out)
    assert shown.returncode == 0, shown.stderr
    assert "8 of 8 runs (100.0 %), 4 entries complete" in shown.stdout
    assert "mean |ours - published|" in shown.stdout
    assert sorted(p.name for p in out.iterdir()) == ["runs.csv.gz", "table1.csv", "table1.md",
                                                     "table1.tex"]
    # table1.csv is recomputed from the committed runs.csv.gz alone
    again = tmp_path / "again"
    shown = cli("table1", "--db", out / "runs.csv.gz", "--profile", "smoke",
                "--out", again)
    assert shown.returncode == 0, shown.stderr
    assert (again / "table1.csv").read_text() == (out / "table1.csv").read_text()
    assert not (again / "runs.csv.gz").exists()
    claims = cli("claims", "--db", out / "runs.csv.gz", "--out", again)
    assert claims.returncode == 0, claims.stderr
    assert "claims, checked" in (again / "claims.md").read_text()


@pytest.mark.slow
def test_another_init_variance_is_other_runs_and_another_table(tmp_path, cli):
    db = tmp_path / "runs.sqlite"
    for variance in ("0.3", "0.01"):
        done = cli("sweep", "--profile", "smoke", "--db", db, "--workers", 1,
                   "--init-variance", variance, "--no-progress")
        assert done.returncode == 0, done.stderr
    assert "reading var0.01" in done.stdout and "8 to run" in done.stdout
    with Store.open(db) as store:
        frame = store.runs()
    assert len(frame) == 16 and len(set(frame["key"]) & SMOKE_KEYS) == 8
    for args, variance in (((), 0.3), (("--init-variance", "0.01"), 0.01)):
        out = tmp_path / str(variance)
        shown = cli("table1", "--db", db, "--out", out, *args)
        assert shown.returncode == 0, shown.stderr
        assert "8 of 8 runs (100.0 %)" in shown.stdout
        assert "n_runs" in (out / "table1.csv").read_text()
    tables = [(tmp_path / v / "table1.csv").read_text() for v in ("0.3", "0.01")]
    assert tables[0] != tables[1]   # other initial parameters, other errors


@pytest.mark.slow
def test_sigkill_part_way_then_resume_equals_uninterrupted(tmp_path, tmp_path_factory, cli):
    reference_db, reference_table = uninterrupted(cli, "pybrain", tmp_path_factory, *SLOW)
    db = tmp_path / "runs.sqlite"
    with slow_sweep_part_way(db) as proc:
        proc.send_signal(signal.SIGKILL)            # the driver only, as `kill -9` would
        proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        assert 1 <= stored_rows(db) < len(SLOW_KEYS)
        # its worker notices and leaves
        assert wait_group_gone(proc.pid), "a worker outlived its killed driver"
    done = cli("sweep", "--profile", "smoke", "--db", db, "--workers", 2,
               "--engine", "pybrain", *SLOW)
    assert done.returncode == 0, done.stderr
    conn = sqlite3.connect(db)
    keys = [key for (key,) in conn.execute("SELECT key FROM runs")]
    conn.close()
    assert sorted(keys) == sorted(SLOW_KEYS)                     # every key exactly once
    assert outcomes(db).equals(outcomes(reference_db))
    assert table1_csv(db, tmp_path / "table") == reference_table


@pytest.mark.slow
def test_ctrl_c_stops_and_says_how_to_resume(tmp_path, cli):
    db = tmp_path / "runs.sqlite"
    with slow_sweep_part_way(db) as proc:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 130, err
        assert wait_group_gone(proc.pid), "the workers outlived an interrupted sweep"
    stored = stored_rows(db)
    assert 1 <= stored < len(SLOW_KEYS)
    last = err.strip().splitlines()[-1]
    assert last.startswith("interrupted:") and "rerun the same command to resume" in last
    assert f"{len(SLOW_KEYS) - stored} still to run" in last
    done = cli("sweep", "--profile", "smoke", "--db", db, "--engine", "pybrain",
               *SLOW)
    assert done.returncode == 0 and f"{stored} of these runs stored already" in done.stdout
    assert stored_rows(db) == len(SLOW_KEYS)


@pytest.mark.slow
def test_dask_local_cluster_stores_what_local_workers_store(tmp_path, tmp_path_factory, cli):
    from distributed import LocalCluster
    reference_db, reference_table = uninterrupted(cli, ENGINE, tmp_path_factory)
    db = tmp_path / "runs.sqlite"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        done = cli("sweep", "--profile", "smoke", "--db", db, "--batch-size", 3,
                   "--scheduler", cluster.scheduler_address, "--engine", ENGINE)
    assert done.returncode == 0, done.stderr
    assert "the Dask cluster at tcp://" in done.stdout
    assert outcomes(db).equals(outcomes(reference_db))
    assert table1_csv(db, tmp_path / "table") == reference_table


def _fail_once(marker):
    """A batch's task that raises the first time it runs (a worker out of memory, say)."""
    if not os.path.exists(marker):
        open(marker, "w").close()
        raise MemoryError("the first attempt")
    return "ran again"


@pytest.mark.slow
def test_dask_runs_a_failed_batch_again(tmp_path):
    from distributed import LocalCluster

    from reproduce.experiment.workers import LOST_BATCH_RETRIES, ClusterWorkers
    assert LOST_BATCH_RETRIES >= 1
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                      dashboard_address=None) as cluster, \
            ClusterWorkers(cluster.scheduler_address, engine="pybrain") as workers:
        future = workers.submit(_fail_once, str(tmp_path / "failed once"))
        assert future.result(timeout=60) == "ran again"


# --- bad input: one line on stderr, exit status 2, the store untouched -------------

def _closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _snapshot(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(Path(folder).iterdir()) if p.is_file()}


@pytest.mark.parametrize("case", ["unknown profile", "text file", "directory",
                                  "foreign database", "unreachable scheduler",
                                  "unreachable scheduler, new store"])
def test_bad_input_is_one_line_and_status_2(case, tmp_path, cli):
    db = tmp_path / "runs.sqlite"
    with Store.open(db, create=True):
        pass
    args = ["--profile", "smoke", "--engine", "pybrain", "--workers", 1]
    expect = {"unknown profile": "unknown profile 'huge'",
              "text file": "not an SQLite file", "directory": "is a directory",
              "foreign database": "another application",
              "unreachable scheduler": "cannot reach the Dask scheduler",
              "unreachable scheduler, new store": "cannot reach the Dask scheduler"}[case]
    if case == "unknown profile":
        args[1] = "huge"
    elif case == "text file":
        db = tmp_path / "notes.txt"
        db.write_text("my notes\n")
    elif case == "directory":
        db = tmp_path
    elif case == "foreign database":
        db = tmp_path / "other.db"
        sqlite3.connect(db).execute("CREATE TABLE t (x)").connection.commit()
    elif case.startswith("unreachable scheduler"):
        args[-2:] = ["--scheduler", f"tcp://127.0.0.1:{_closed_port()}",
                     "--connect-timeout", 1]
        if case.endswith("new store"):
            db = tmp_path / "new" / "runs.sqlite"
    before = _snapshot(tmp_path)
    done = cli("sweep", "--db", db, *args)
    assert done.returncode == 2, (done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("reproduce sweep: error:"), lines
    assert expect in lines[0]
    assert _snapshot(tmp_path) == before
    assert not (tmp_path / "new").exists()


# --- issue 20: full disks, peers that are not Dask, Ctrl-C at start, two drivers ----------

def _sweep_in_process(db, *args):
    """``reproduce sweep`` on the smoke grid in this process: (status, stdout, stderr)."""
    import io
    from contextlib import redirect_stderr, redirect_stdout

    from reproduce.cli import main
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(["sweep", "--profile", "smoke", "--db", str(db), "--no-progress",
                       *map(str, args)])
    return status, out.getvalue(), err.getvalue()


@pytest.mark.slow
def test_a_full_disk_stops_the_sweep_and_keeps_what_it_stored(small_disk, fill):
    """Issue 20, 8: one line, exit 1 (runs were stored), the store intact; once there is
    room, the same command finishes the grid."""
    db = small_disk / "runs.sqlite"
    fill(small_disk, leave=150 * 1024)     # the store and a few batches, not all eight
    args = ("--workers", 1, "--batch-size", 1, "--engine", "pybrain")
    status, out, err = _sweep_in_process(db, *args)
    assert status == 1, (out, err)
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert err.startswith(f"stopped: the store {db} cannot take more runs")
    assert "database or disk is full" in err
    stored = int(err.split("; the ")[1].split()[0])
    assert 1 <= stored < len(SMOKE_KEYS)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM runs").fetchone()[0] == stored
    conn.close()
    (small_disk / "filler").unlink()
    status, out, err = _sweep_in_process(db, *args)
    assert status == 0, err
    assert f"{stored} of these runs stored already" in out
    with Store.open(db) as store:
        assert store.keys() == SMOKE_KEYS and len(store) == len(SMOKE_KEYS)


@contextlib.contextmanager
def _peer(kind):
    """A TCP peer on 127.0.0.1 that is not a Dask scheduler: ``silent`` (accepts, says
    nothing), ``http`` (an HTTP server, as ``python -m http.server``: it waits for a
    request) or ``banner`` (greets with an SSH banner); yields its port."""
    import http.server
    import threading
    if kind == "http":
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                 http.server.SimpleHTTPRequestHandler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield server.server_address[1]
        finally:
            server.shutdown()
            server.server_close()
        return
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted = []

    def serve():
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            accepted.append(conn)
            if kind == "banner":
                conn.sendall(b"SSH-2.0-OpenSSH_9.6\r\n")
    threading.Thread(target=serve, daemon=True).start()
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()
        for conn in accepted:
            conn.close()


@pytest.mark.parametrize("kind, expect", [
    ("silent", "no Dask scheduler answered at tcp://127.0.0.1:{port} within 2 s: something "
               "accepted the connection but said nothing"),
    ("http", "within 2 s: something accepted the connection but said nothing"),
    ("banner", "the peer at tcp://127.0.0.1:{port} is not a Dask scheduler"),
])
@pytest.mark.slow
def test_a_peer_that_is_not_a_scheduler_is_refused_within_the_timeout(kind, expect, tmp_path):
    """Issue 20, 4 and 5: one line, exit 2, within --connect-timeout; no store made."""
    db = tmp_path / "runs.sqlite"
    with _peer(kind) as port:
        started = time.monotonic()
        status, _, err = _sweep_in_process(db, "--scheduler", f"tcp://127.0.0.1:{port}",
                                           "--connect-timeout", 2)
        seconds = time.monotonic() - started
    assert status == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("reproduce sweep: error: "), lines
    assert expect.format(port=port) in lines[0]
    assert seconds < 2 + 5          # the timeout, and planning the smoke grid
    assert not db.exists()


@pytest.mark.slow
def test_ctrl_c_while_the_workers_start_ends_at_once_without_their_traceback(tmp_path):
    """Issue 20, 9: a Ctrl-C that reaches the workers while they import is theirs to
    ignore; the sweep ends within seconds, with status 130 and one line."""
    db = tmp_path / "runs.sqlite"
    proc = start_sweep(db, "--workers", 2, "--engine", "pybrain", "--batch-size", 1, *SLOW)
    try:
        for line in proc.stdout:
            if line.startswith("running on"):
                break
        time.sleep(0.3)                  # the workers are being spawned, importing
        os.killpg(proc.pid, signal.SIGINT)          # as a terminal sends it: to the group
        sent = time.monotonic()
        _, err = proc.communicate(timeout=60)
        seconds = time.monotonic() - sent
        assert proc.returncode == 130, err
        assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
        assert err.strip().splitlines()[-1].startswith("interrupted:")
        assert seconds < 15
        assert wait_group_gone(proc.pid, timeout=15), "a worker outlived the Ctrl-C"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


def _stored_count(stdout):
    """N of the summary line ``stored N runs (...)``."""
    import re
    return int(re.search(r"^stored (\d+) runs", stdout, re.MULTILINE).group(1))


@pytest.mark.slow
def test_two_sweeps_of_one_store_share_the_grid(tmp_path):
    """Issue 20, 10: the second sweep claims what the first has not, both finish, and
    every run is trained once and stored once (that a run's outcome does not depend on
    the driver, batch or worker that ran it, the SIGKILL tests show)."""
    db = tmp_path / "runs.sqlite"
    args = ("--workers", 1, "--batch-size", 1, "--engine", "pybrain", *SLOW)
    first = start_sweep(db, *args)
    second = None
    try:
        wait_for_rows(db, first)
        second = start_sweep(db, *args)
        outs = [proc.communicate(timeout=900) for proc in (first, second)]
    finally:
        for proc in (first, second):
            if proc is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
    assert first.returncode == 0 and second.returncode == 0, outs
    counts = [_stored_count(out) for out, _ in outs]
    assert sum(counts) == len(SLOW_KEYS) and min(counts) >= 1, counts   # shared, none twice
    assert all("had been stored by another sweep first" not in err for _, err in outs)
    assert "stored meanwhile by another sweep of this store" in outs[1][0] or \
        "stored meanwhile by another sweep of this store" in outs[0][0]
    conn = sqlite3.connect(db)
    keys = [key for (key,) in conn.execute("SELECT key FROM runs")]
    conn.close()
    assert sorted(keys) == sorted(SLOW_KEYS)


@pytest.mark.slow
def test_a_sweep_takes_over_at_once_what_a_killed_sweep_had_claimed(tmp_path,
                                                                    tmp_path_factory, cli):
    """kill -9 leaves the first driver's leases in the store; a second driver on this host
    sees that their process is gone and runs those batches without waiting for the
    leases to lapse."""
    reference_db, _ = uninterrupted(cli, "pybrain", tmp_path_factory, *SLOW)
    db = tmp_path / "runs.sqlite"
    args = ("--workers", 1, "--batch-size", 1, "--engine", "pybrain", *SLOW)
    with slow_sweep_part_way(db) as proc:
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
        with Store.open(db) as store:
            left = store.leases()
        assert left and all(driver.pid == proc.pid for driver, _ in left.values())
        done = cli("sweep", "--profile", "smoke", "--db", db, "--no-progress", *args)
    assert done.returncode == 0, done.stderr
    assert "waiting for" not in done.stderr
    with Store.open(db) as store:
        assert store.leases() == {}
        assert len(store) == len(SLOW_KEYS)
    assert outcomes(db).equals(outcomes(reference_db))
