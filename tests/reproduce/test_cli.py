"""The command line: every bad input ends in one line and exit status 2, writing nothing;
commands are imported lazily; ``--version``; the installed ``reproduce`` script."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import reproduce
from reproduce.cli import main

ROOT = Path(__file__).parents[2]
RUN = ["run", "--task", "svb", "--k", "3", "--cell", "tanh", "--layers", "1", "--hidden", "5"]
FDR = ["--task", "fdr", "--k", "3", "--cell", "tanh", "--layers", "1", "--hidden", "5"]
ON_LINUX = pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc")

# (argv, a fragment of the one line on stderr); run in a folder holding `afile` (empty),
# `other.csv` (a CSV of other columns) and `binary.csv` (not text).
BAD_INPUT = [
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


@pytest.fixture
def folder(tmp_path, monkeypatch):
    (tmp_path / "afile").write_text("")
    (tmp_path / "other.csv").write_text("a,b\n1,2\n")
    (tmp_path / "binary.csv").write_bytes(b"\xd0\xcf\x11\xe0" * 100)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _files(root):
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}


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
