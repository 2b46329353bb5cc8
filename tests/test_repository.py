"""The repository as a whole: self-contained, and its packages import in one direction.

The import graph is checked by import-linter against the contracts in
``.importlinter``: the rooms of ``reproduce`` (cli > analysis > store > experiment)
above ``pybrain_ext`` and ``tasks``, which never import ``reproduce``; ``tasks``
loads of ``pybrain_ext`` only its number check (``pybrain_ext.checks``) and, to make
PyBrain data sets, what those need; the batched engine imports
neither PyBrain nor scipy; and no package has an import cycle among its modules.
"""
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("tasks", "pybrain_ext", "reproduce")
SOURCES = sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))
TESTS = sorted((ROOT / "tests").rglob("*.py"))
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _read(path):
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", SOURCES + TESTS + DOCS + [ROOT / "Makefile"],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_nothing_refers_to_files_outside_the_repository(path):
    """A clone has no shared folder beside it: the protocol is docs/protocol.md, the
    published table reproduce/data/."""
    text = _read(path)
    for pattern in (r"\.\./shared", r"\bshared/(paper|spec|data)\b", r"PROTOCOL(\.md| ?§)"):
        assert not re.search(pattern, text), f"{path.name} refers to {pattern}"


def test_protocol_references_name_sections_that_exist():
    sections = set(re.findall(r"^## §(\d+)", _read(ROOT / "docs" / "protocol.md"), re.M))
    assert sections == {str(n) for n in range(1, 8)}
    cited = set()
    for path in SOURCES + TESTS + DOCS:
        for first, last in re.findall(r"docs/protocol\.md §(\d+)(?:-(\d+))?", _read(path)):
            cited |= {first, last or first}
    assert cited and cited <= sections


def test_no_library_module_switches_matplotlib_s_global_state():
    """Figures are ``matplotlib.figure.Figure`` objects: no pyplot, no backend switch."""
    pattern = re.compile(r"^\s*(import matplotlib\.pyplot|from matplotlib(\.pyplot)? import "
                         r"(.*\b)?pyplot\b|from matplotlib\.pyplot import)|matplotlib\.use\(",
                         re.M)
    offenders = [str(p.relative_to(ROOT)) for p in SOURCES if pattern.search(_read(p))]
    assert not offenders


def lint_imports(root):
    """Run ``lint-imports`` (import-linter) on the contracts of ``.importlinter`` in `root`."""
    script = Path(sys.executable).with_name("lint-imports")
    assert script.exists(), f"{script} is missing: pip install -r requirements.txt"
    return subprocess.run([str(script), "--no-cache", "--no-logo"], cwd=root,
                          capture_output=True, text=True, timeout=120)


def test_the_import_contracts_hold():
    out = lint_imports(ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    assert re.search(r"Contracts: (\d+) kept, 0 broken", out.stdout)


# (file, line added to it, the contract that must then break)
VIOLATIONS = [
    ("reproduce/experiment/config.py", "import reproduce.analysis.style",
     "reproduce's rooms"),
    ("pybrain_ext/batched/cells.py", "import scipy", "neither PyBrain nor scipy"),
    ("pybrain_ext/batched/engine.py", "import pybrain_ext.training",
     "neither PyBrain nor scipy"),
    ("tasks/registry.py", "import reproduce", "never import reproduce"),
    ("tasks/protocol.py", "import tasks.data", "no import cycle"),
]


@pytest.mark.parametrize("path, line, contract", VIOLATIONS, ids=[v[0] for v in VIOLATIONS])
def test_a_broken_contract_fails(tmp_path, path, line, contract):
    """Each contract bites: one import against it, in a copy of the packages, breaks it."""
    shutil.copy(ROOT / ".importlinter", tmp_path)
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    with open(tmp_path / path, "a", encoding="utf-8") as handle:
        handle.write(f"\n{line}\n")
    out = lint_imports(tmp_path)
    assert out.returncode == 1, out.stdout + out.stderr
    broken = [s for s in re.findall(r"^(.*?) BROKEN$", out.stdout, re.M)]
    assert any(contract in name for name in broken), out.stdout


def test_the_published_table_ships_with_the_package():
    from reproduce.analysis import table1
    published = table1.load_published()
    assert len(published) == 100                         # 20 variants x 5 cell types
    assert published.loc[("fdr-n3-k3", "tanh")].tolist() == [0.0, 0.2, 0.3]
    assert "Table I" in table1.PUBLISHED_CSV.read_text().splitlines()[0]
