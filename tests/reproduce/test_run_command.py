"""``python -m reproduce run``: one configuration end to end, deterministic."""
import json
import subprocess
import sys

import pytest

from reproduce.cli import main
from reproduce.experiment.config import RunConfig
from reproduce.experiment.engines import run

ARGS = ["run", "--task", "svb", "--k", "3", "--cell", "gru", "--layers", "2", "--hidden",
        "3", "--skip", "in", "--delta0", "0.03", "--seed", "4", "--max-epochs", "8"]


@pytest.mark.slow
def test_same_config_same_result_in_two_processes():
    """In this process twice, and in a process of its own (a real one: the contract is that
    a run retrains bit for bit anywhere)."""
    cfg = RunConfig(task="svb", k=3, cell="gru", layers=2, hidden=3, skip="in",
                    delta0=0.03, seed=4, max_epochs=8)
    first, second = run(cfg), run(cfg)
    assert first.same_outcome(second)
    out = subprocess.run([sys.executable, "-m", "reproduce", *ARGS, "--json"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    record = json.loads(out.stdout)
    assert record["key"] == cfg.key
    assert RunConfig(**record["config"]) == cfg
    record["result"].pop("seconds")
    expected = first.to_dict()
    expected.pop("seconds")
    assert record["result"] == expected
    assert record["result"]["epochs"] == 9 and record["result"]["stop_reason"] == "max_epochs"


def test_init_variance_is_part_of_the_config(cli):
    out = cli(*ARGS[:-2], "--max-epochs", "1", "--init-variance", "0.01", "--json")
    assert out.returncode == 0, out.stderr
    record = json.loads(out.stdout)
    assert record["config"]["init_variance"] == 0.01
    assert record["key"] == RunConfig(**record["config"]).key


def test_readable_summary(capsys):
    assert main(ARGS[:-2] + ["--max-epochs", "2"]) == 0
    out = capsys.readouterr().out
    assert "svb-k3 gru L2 H3 in d0.03 s4" in out
    assert "test error" in out and "epochs            3 (max_epochs)" in out


@pytest.mark.parametrize("args, message", [
    (["--cell", "lstmx"], "invalid choice: 'lstmx'"),
    (["--hidden", "0"], "expected an int >= 1"),
    (["--delta0", "-1"], "expected a number > 0"),
    (["--skip", "both", "--layers", "1"], "needs layers >= 2"),
    (["--task", "fdr"], "steps_back"),
    (["--engine", "gpu"], "invalid choice: 'gpu'"),
    (["--init-variance", "0"], "expected a number > 0"),
])
def test_bad_options_exit_2_with_one_line(args, message, cli):
    out = cli(*ARGS, *args)
    assert out.returncode == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert message in lines[-1]
    assert len([line for line in lines if "error" in line]) == 1
