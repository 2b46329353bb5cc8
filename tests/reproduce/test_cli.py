"""The command line: every bad input ends in one line and exit status 2, writing nothing;
commands are imported lazily; ``--version``; the installed ``reproduce`` script."""
import gzip
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import reproduce
from reproduce.cli import main
from reproduce.experiment.profiles import get_profile
from reproduce.experiment.readings import get_reading
from reproduce.store import runs_csv
from reproduce.store.database import Store

ROOT = Path(__file__).parents[2]
RUN = ["run", "--task", "svb", "--k", "3", "--cell", "tanh", "--layers", "1", "--hidden", "5"]
FDR = ["--task", "fdr", "--k", "3", "--cell", "tanh", "--layers", "1", "--hidden", "5"]
ON_LINUX = pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc")

LONG = "x" * 300            # longer than any file system's name limit (255 bytes)
CAP25 = "var0.09+cap25"
# Issue 20's reproductions: a store of another reading, an empty one, runs files that are
# empty, only a header or hold a word for a number, and results folders to leave alone.
ISSUE_20 = [
    # 1, 2: an empty selection (no runs of the reading asked for, none at all)
    (["table1", "--db", "cap25.sqlite", "--out", "T"],
     f"cap25.sqlite has no ok runs of reading stated; it holds 12 runs of {CAP25} "
     f"(profile quick); pass --reading {CAP25}"),
    (["table1", "--db", "empty.sqlite", "--out", "T"],
     "empty.sqlite has no ok runs of reading stated: it holds no ok runs at all"),
    (["claims", "--db", "header.csv.gz", "--out", "T"], "it holds no ok runs at all"),
    (["anova", "--db", "empty.sqlite", "--out", "T"], "it holds no ok runs at all"),
    (["generalise", "--db", "cap25.csv.gz", "--out", "T"],
     f"it holds 12 runs of {CAP25}; pass --reading {CAP25}"),
    (["curves", "--db", "cap25.sqlite", "--reading", CAP25, "--profile", "smoke"],
     f"has no ok runs of reading {CAP25} and profile smoke; it holds 12 runs of {CAP25} "
     "(profile quick); pass --profile quick"),
    (["claims", "--db", "cap25.sqlite", "--reading", CAP25, "--replicates", "1"],
     "in replicate 1; it holds 12 runs of var0.09+cap25 (profile quick); pass --replicates 0"),
    (["report", "--results", "H"], "H/runs.csv.gz has no ok runs of reading stated"),
    # 3: a word where a number belongs
    (["table1", "--db", "word.csv.gz", "--profile", "quick", "--reading", CAP25, "--out", "new"],
     "word.csv.gz, line 3: test_error is 'abc', not a number"),
    (["claims", "--db", "word.csv.gz", "--out", "new"], "test_error is 'abc', not a number"),
    # 7: names longer than the file system takes
    (["table1", "--db", "cap25.sqlite", "--reading", CAP25, "--out", LONG],
     "the name is longer than the file system allows"),
    (["sweep", "--profile", "smoke", "--db", LONG + ".sqlite", "--workers", "1"],
     "File name too long"),
    (["figure6", "--name", LONG, "--seeds", "1"],
     "the name is longer than the file system allows"),
    # 9: more workers than the machine holds
    (["sweep", "--profile", "smoke", "--db", "new.sqlite", "--workers", "100000"],
     "--workers 100000: this machine holds at most"),
    # minor: an empty runs file, a file for a folder
    (["claims", "--db", "empty.csv.gz", "--out", "new"],
     "empty.csv.gz is empty: not a runs.csv.gz"),
    (["report", "--results", "afile"], "--results afile is a file, not a results folder"),
]

# (argv, a fragment of the one line on stderr); run in a folder holding `afile` (empty),
# `other.csv` (a CSV of other columns), `binary.csv` (not text) and those of `ISSUE_20`.
BAD_INPUT = ISSUE_20 + [
    (["run", *FDR, "--steps-back", "30"], "steps_back must be < the sequence length 20; got 30"),
    (["run", *FDR, "--steps-back", "20"], "steps_back must be < the sequence length 20; got 20"),
    (["figure6", *FDR, "--steps-back", "20"], "steps_back must be < the sequence length 20"),
    (RUN + ["--hidden", "100000"], "GiB of memory to train (1 network at once, pybrain"),
    (RUN + ["--hidden", "100000", "--engine", "batched"], "GiB of memory to train"),
    (["figure6", "--hidden", "100000"], "GiB of memory to train (64 networks at once"),
    (RUN + ["--k", "1000000"], "GiB of memory to train"),
    (["table1", "--published", "other.csv"], "--published: other.csv has no column task"),
    (["table1", "--published", "binary.csv"], "--published: binary.csv is not a CSV table"),
    (["table1", "--published", "missing.csv"],
     "--published: cannot read missing.csv: No such file"),
    (["figure6", "--out", "afile"], "--out afile is a file, not a folder"),
    (["patterns", "--out", "afile"], "--out afile is a file, not a folder"),
    (["patterns", "--out", "afile/sub"], "cannot create the folder, afile is not a folder"),
    pytest.param(["figure6", "--out", "/proc/x"], "--out /proc/x: cannot create",
                 marks=ON_LINUX),
    pytest.param(["patterns", "--out", "/proc/x"], "--out /proc/x: cannot create",
                 marks=ON_LINUX),
    (["figure6", "--name", "a/b"], "--name: expected a file name without a folder"),
    (["figure6", "--name", "../../etc/evil"], "expected a file name without a folder"),
    (["figure6", "--name", ".."], "expected a file name without a folder"),
    (RUN + ["--bogus"], "reproduce run: error: unrecognized arguments: --bogus"),
    (["figure6", "--bogus"], "reproduce figure6: error: unrecognized arguments: --bogus"),
    (RUN + ["--delta0", "nan"], "argument --delta0: expected a number > 0, got 'nan'"),
    (RUN + ["--max-epochs", "1e3"], "argument --max-epochs: expected an int >= 0"),
    (["run", *FDR], "task 'fdr' needs steps_back"),
]


def _stored_runs(reading, n=12, profile="quick"):
    """Store rows of `n` runs of `profile` under `reading` with made-up outcomes (nothing
    is trained: these test what the commands read, not what training gives)."""
    configs = get_profile(profile).configs(get_reading(reading))[:n]
    return [Store.record(c, status="ok", engine="batched", code_version="test",
                         versions={}, host="here", started_at="2026-01-01T00:00:00+00:00",
                         finished_at="2026-01-01T00:00:01+00:00", profile=profile,
                         result=dict(test_error=10.0 + i, training_error=0.1,
                                     validation_error=0.2, epochs=3, stop_reason="cap",
                                     seconds=0.1))
            for i, c in enumerate(configs)]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """The files of the bad-input table, made once."""
    root = tmp_path_factory.mktemp("inputs")
    (root / "afile").write_text("")
    (root / "other.csv").write_text("a,b\n1,2\n")
    (root / "binary.csv").write_bytes(b"\xd0\xcf\x11\xe0" * 100)
    with Store.open(root / "cap25.sqlite", create=True) as store:
        store.add(_stored_runs(CAP25))
        rows = store.runs()
    with Store.open(root / "empty.sqlite", create=True):
        pass
    runs_csv.write(rows, root / "cap25.csv.gz")
    runs_csv.write(rows.iloc[:0], root / "header.csv.gz")
    text = gzip.decompress((root / "cap25.csv.gz").read_bytes()).decode().splitlines()
    header = text[0].split(",")
    row = text[2].split(",")
    row[header.index("test_error")] = "abc"
    text[2] = ",".join(row)
    (root / "word.csv.gz").write_bytes(gzip.compress(("\n".join(text) + "\n").encode()))
    (root / "empty.csv.gz").write_bytes(b"")
    for folder in ("T", "H"):           # results folders a failing command must leave alone
        (root / folder).mkdir()
        for name in ("table1.csv", "table1.md", "table1.tex", "claims.csv", "REPORT.md"):
            (root / folder / name).write_text(f"the {name} of before\n")
    shutil.copy(root / "cap25.csv.gz", root / "T" / "runs.csv.gz")
    shutil.copy(root / "header.csv.gz", root / "H" / "runs.csv.gz")
    return root


@pytest.fixture
def folder(inputs, tmp_path, monkeypatch):
    shutil.copytree(inputs, tmp_path, dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _files(root):
    """Every file's bytes and every folder (None) under `root`."""
    return {p: p.read_bytes() if p.is_file() else None for p in root.rglob("*")}


@pytest.mark.parametrize("argv, message", BAD_INPUT)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(argv, message, folder, capsys):
    before = _files(folder)
    try:
        status = main(argv)
    except SystemExit as exit_:        # argparse's own errors
        status = exit_.code
    out, err = capsys.readouterr()
    assert status == 2
    assert out == ""
    assert len(err.splitlines()) == 1 and err.startswith(f"reproduce {argv[0]}: error: ")
    assert message in err
    assert _files(folder) == before
    assert not Path("/etc/evil.png").exists()


def test_the_installed_script_and_python_m_name_themselves(folder):
    """As a user runs it: the console script from any folder, no traceback."""
    script = Path(sys.executable).parent / "reproduce"
    commands = [([sys.executable, "-m", "reproduce"], "python -m reproduce")]
    if script.exists():
        commands.append(([str(script)], "reproduce"))
    for command, prog in commands:
        done = subprocess.run([*command, *RUN, "--hidden", "100000"], capture_output=True,
                              text=True, cwd=folder, env=dict(os.environ, PYTHONPATH=str(ROOT)))
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert done.stderr.startswith(f"{prog} run: error: ")


def test_version_prints_the_package_version_and_git_describe(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out == f"reproduce {reproduce.__version__} (git {reproduce.code_version()})\n"
    if shutil.which("git") and (ROOT / ".git").exists():
        assert reproduce.code_version() != "unknown"


def test_help_lists_every_command_and_says_paths_are_relative(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert all(name in out for name in ("run", "sweep", "table1", "figure6", "patterns"))
    for command in ("sweep", "table1", "sensitivity", "claims", "figure6", "patterns"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        assert "relative to the current folder" in " ".join(capsys.readouterr().out.split())


def test_commands_are_imported_lazily():
    """A broken figures package (or a sixth task it does not know) cannot break run."""
    code = ("import sys; sys.modules['reproduce.analysis.figures'] = None\n"
            "from reproduce.cli import main\n"
            "assert main(['run', '--task', 'svb', '--k', '3', '--cell', 'tanh', '--layers', "
            "'1', '--hidden', '2', '--max-epochs', '0']) == 0\n"
            "assert not any(m.startswith('reproduce.cli.commands.') and m != "
            "'reproduce.cli.commands.run' for m in sys.modules)\n"
            "main(['run', '--help'])\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode == 0, done.stderr
    assert "--steps-back" in done.stdout


# --- folders that cannot be written, disks that fill (issue 20: 6, 8 and the minor items) --

def _one_line_error(argv, capsys, command=None):
    try:
        status = main(argv)
    except SystemExit as exit_:
        status = exit_.code
    out, err = capsys.readouterr()
    assert len(err.splitlines()) == 1, err
    assert err.startswith(f"reproduce {command or argv[0]}: error: "), err
    return status, out, err


def test_report_in_a_read_only_folder_is_one_line(folder, read_only, capsys):
    """Issue 20, 6: it checks that it can write before it draws anything."""
    shutil.copy(folder / "cap25.csv.gz", folder / "H" / "runs.csv.gz")
    before = _files(folder)
    read_only(folder / "H")
    status, out, err = _one_line_error(["report", "--results", "H", "--reading", CAP25],
                                       capsys)
    assert status == 2 and out == ""
    assert "--results H: cannot create or write the folder" in err
    assert _files(folder) == before


def test_a_store_in_a_read_only_folder_says_so(folder, read_only, capsys):
    """Issue 20, minor: not "not a readable SQLite database" -- WAL needs the folder."""
    (folder / "ro").mkdir()
    shutil.copy(folder / "cap25.sqlite", folder / "ro" / "runs.sqlite")
    read_only(folder / "ro")
    before = _files(folder)
    status, out, err = _one_line_error(["table1", "--db", "ro/runs.sqlite", "--reading", CAP25,
                                        "--out", "T"], capsys)
    assert status == 2 and out == ""
    assert "ro/runs.sqlite: its folder cannot be written" in err and "WAL" in err
    assert _files(folder) == before


def test_sweep_into_a_read_only_folder_prints_nothing_first(folder, read_only, capsys):
    """Issue 20, minor: the new store's folder is checked before the counts are printed."""
    (folder / "ro").mkdir()
    read_only(folder / "ro")
    status, out, err = _one_line_error(["sweep", "--profile", "smoke", "--db", "ro/new.sqlite",
                                        "--workers", "1"], capsys)
    assert status == 2 and out == ""
    assert "ro/new.sqlite: Read-only file system" in err or "Permission denied" in err
    assert not (folder / "ro" / "new.sqlite").exists()


def test_table1_on_a_full_disk_leaves_the_old_tables(folder, small_disk, fill, capsys):
    """Issue 20, 8: no 0-byte table1.csv; the old files stay, no temporary file is left."""
    out = small_disk / "T"
    shutil.copytree(folder / "T", out)
    fill(small_disk)
    before = _files(small_disk)
    status, printed, err = _one_line_error(
        ["table1", "--db", "cap25.sqlite", "--reading", CAP25, "--out", str(out)], capsys)
    assert status == 2 and printed == ""
    assert "No space left on device" in err
    assert _files(small_disk) == before
