"""The repository's hygiene: ruff passes (lint and import order), the pinned versions
agree, and the top level keeps the shape the design asks for."""
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# what the top level may hold besides dotfiles (docs/protocol.md's layout)
TOP_LEVEL = {"tasks", "pybrain_ext", "reproduce", "tests", "docs", "bench", "results",
             "Makefile", "requirements.txt", "README.md", "pyproject.toml"}


def test_ruff_passes():
    """``ruff check`` with the settings of pyproject.toml ([tool.ruff]: E, F, W, I)."""
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache",
                           "--output-format", "concise", str(ROOT)],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


def _pins(lines):
    """``{name: version}`` of ``name==version`` requirement lines (names normalised)."""
    pins = {}
    for line in lines:
        line = line.split("#")[0].strip()
        if line:
            name, version = re.fullmatch(r"([A-Za-z0-9_.-]+)==([^\s;]+)", line).groups()
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    return pins


def test_requirements_pin_what_the_package_declares():
    """requirements.txt (what `make` installs) pins exactly the package's dependencies and
    its extras (pyproject.toml), at the same versions."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = _pins(project["dependencies"])
    for extra, requirements in project["optional-dependencies"].items():
        pins = _pins(requirements)
        assert not set(pins) & set(declared), f"extra {extra} repeats a dependency"
        declared |= pins
    assert _pins((ROOT / "requirements.txt").read_text().splitlines()) == declared
    assert set(project["optional-dependencies"]) == {"test", "cluster"}


def test_the_top_level_keeps_its_shape():
    """What git tracks at the top (a checkout also holds .venv, *.egg-info, caches)."""
    try:
        tracked = subprocess.run(["git", "ls-files"], capture_output=True, text=True,
                                 cwd=ROOT, check=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    names = {line.split("/")[0] for line in tracked.stdout.splitlines()}
    assert {n for n in names if not n.startswith(".")} <= TOP_LEVEL
