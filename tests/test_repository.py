"""The repository as a whole: self-contained, and its packages import in one direction.

The import graph between the packages (module level; ``tasks`` loads more of
``pybrain_ext`` inside the functions that convert to PyBrain data sets)::

    reproduce ──> tasks ──> pybrain_ext.checks
        │          ┆
        │          ┆ (in functions)
        v          v
    pybrain_ext (its checks included)
"""
import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("tasks", "pybrain_ext", "reproduce")
OURS = PACKAGES
SOURCES = sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))
TESTS = sorted((ROOT / "tests").rglob("*.py"))


def _read(path):
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", SOURCES + TESTS + [ROOT / "README.md", ROOT / "Makefile"],
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
    for path in SOURCES + TESTS + [ROOT / "README.md"]:
        for first, last in re.findall(r"docs/protocol\.md §(\d+)(?:-(\d+))?", _read(path)):
            cited |= {first, last or first}
    assert cited and cited <= sections


def _imports(path):
    """``(package, at module level)`` for every import of one of ours in the file."""
    tree = ast.parse(_read(path))
    top_level = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            if name.split(".")[0] in OURS:
                found.append((name, id(node) in top_level))
    return found


def _graph(module_level_only):
    graph = {name: set() for name in OURS}
    for path in SOURCES:
        source = path.relative_to(ROOT).parts[0].removesuffix(".py")
        for name, at_top in _imports(path):
            target = name.split(".")[0]
            if target != source and (at_top or not module_level_only):
                graph[source].add("pybrain_ext.checks" if name == "pybrain_ext.checks"
                                  else target)
    return graph


def test_import_graph():
    anywhere, module_level = _graph(False), _graph(True)
    assert anywhere["pybrain_ext"] == set()               # nothing from tasks or reproduce
    assert anywhere["tasks"] <= {"pybrain_ext.checks", "pybrain_ext"}
    assert module_level["tasks"] == {"pybrain_ext.checks"}   # the rest only in functions
    assert module_level["reproduce"] >= {"tasks", "pybrain_ext"}
    assert module_level["reproduce"] <= {"tasks", "pybrain_ext", "pybrain_ext.checks"}


def test_the_published_table_ships_with_the_package():
    from reproduce.analysis import table1
    published = table1.load_published()
    assert len(published) == 100                         # 20 variants x 5 cell types
    assert published.loc[("fdr-n3-k3", "tanh")].tolist() == [0.0, 0.2, 0.3]
    assert "Table I" in table1.PUBLISHED_CSV.read_text().splitlines()[0]
