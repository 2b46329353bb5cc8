"""Fixtures shared by the tests of reproduce/: made-up runs tables, read-only folders and
full disks."""
import dataclasses
import itertools
import os
import subprocess
import time
from pathlib import Path

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


def _writable(folder):
    probe = Path(folder) / ".probe"
    try:
        probe.write_text("")
    except OSError:
        return False
    probe.unlink()
    return True


@pytest.fixture
def read_only():
    """``read_only(folder)`` makes `folder` read-only: a read-only bind mount where this
    process may mount (root, who ignores permissions), else ``chmod``; skips where
    neither stops this process writing.  Undone at the end."""
    mounted, modes = [], {}

    def make(folder):
        folder = Path(folder)
        if os.geteuid() == 0:
            done = subprocess.run(["mount", "--bind", str(folder), str(folder)],
                                  capture_output=True)
            if done.returncode == 0:
                mounted.append(folder)
                subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)],
                               capture_output=True)
        else:
            modes[folder] = folder.stat().st_mode
            folder.chmod(0o555)
        if _writable(folder):
            pytest.skip("cannot make a folder read-only here")
        return folder
    yield make
    for folder in reversed(mounted):
        subprocess.run(["umount", str(folder)], capture_output=True)
    for folder, mode in modes.items():
        folder.chmod(mode)


@pytest.fixture
def small_disk(tmp_path):
    """A folder on a 512 KiB tmpfs (root only; skipped elsewhere: tests/reproduce/test_files.py
    fills a disk by a raised ENOSPC instead)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    if os.geteuid() != 0 or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(folder)],
            capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small tmpfs here")
    yield folder
    for _ in range(20):           # a process that had a file there may take a moment to end
        if subprocess.run(["umount", str(folder)], capture_output=True).returncode == 0:
            return
        time.sleep(0.25)
    subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def _fill(folder, leave=0):
    """Fill the file system of `folder` to its last byte, or to `leave` bytes free."""
    descriptor = os.open(Path(folder) / "filler", os.O_CREAT | os.O_WRONLY)
    try:
        if leave:
            stat = os.statvfs(folder)
            os.write(descriptor, b"\0" * max(stat.f_bavail * stat.f_frsize - leave, 0))
            return
        for size in (4096, 1):
            try:
                while True:
                    os.write(descriptor, b"\0" * size)
            except OSError:
                pass
    finally:
        os.close(descriptor)


@pytest.fixture
def fill():
    """``fill(folder, leave=0)``: fill the file system of `folder` (to `leave` bytes free)."""
    return _fill
