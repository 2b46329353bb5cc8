"""pybrain_ext.compat: PyBrain 3.0.4 imports and runs on today's numpy/scipy."""
import importlib
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import scipy

import pybrain_ext
from pybrain_ext import compat

PYBRAIN_MODULES = [
    "pybrain3.structure",
    "pybrain3.datasets",
    "pybrain3.supervised.trainers",
    "pybrain3.auxiliary",
    "pybrain3.tools.functions",
    "pybrain3.tools.shortcuts",
    "pybrain3.tests.helpers",
]


def test_pybrain_modules_import():
    for name in PYBRAIN_MODULES:
        importlib.import_module(name)


def test_every_scipy_name_pybrain_asks_for_is_there():
    # Scan the PyBrain sources the project uses for `from scipy import ...` and
    # `scipy.NAME`: each name must now resolve.
    import pybrain3
    root = Path(pybrain3.__file__).parent
    used = ("structure", "datasets", "supervised/trainers", "auxiliary/gradientdescent.py",
            "tools/functions.py", "utilities.py", "tests/helpers.py")
    missing = set()
    for part in used:
        for path in ([root / part] if part.endswith(".py") else (root / part).rglob("*.py")):
            src = path.read_text()
            names = [n.strip().split(" as ")[0]
                     for line in re.findall(r"^\s*from scipy import ([^\n#]+)", src, re.M)
                     for n in line.strip("()\\ ").split(",")]
            names += re.findall(r"\bscipy\.([A-Za-z_]\w*)", src)
            missing |= {n for n in names if n and not hasattr(scipy, n)}
    assert not missing


def test_only_missing_names_are_added():
    """In a fresh process: each name scipy still defines is scipy's own object after PyBrain
    is imported; each it lacks is what PyBrain means by it."""
    code = ("import json, scipy\n"
            f"names = {sorted(compat._SCIPY_ALIASES)!r}\n"
            "own = {n: getattr(scipy, n) for n in names if hasattr(scipy, n)}\n"
            "import pybrain_ext, pybrain3.structure\n"
            "from pybrain_ext.compat import _SCIPY_ALIASES as aliases\n"
            "print(json.dumps({'kept': [n for n in own if getattr(scipy, n) is own[n]],\n"
            "                  'added': [n for n in names if n not in own\n"
            "                            and getattr(scipy, n, None) is aliases[n][0]]}))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(pybrain_ext.__file__).parents[1])
    assert out.returncode == 0, out.stderr
    found = json.loads(out.stdout)
    assert found["added"] and not set(found["kept"]) & set(found["added"])
    assert sorted(found["kept"] + found["added"]) == sorted(compat._SCIPY_ALIASES)


def test_install_is_idempotent_and_quiet():
    code = ("import warnings; warnings.simplefilter('error');"
            "import pybrain_ext, pybrain_ext.compat as c; c.install(); c.install();"
            "import importlib; importlib.reload(pybrain_ext);"
            "from pybrain3.structure import RecurrentNetwork; print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(pybrain_ext.__file__).parents[1])
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok" and out.stderr == ""


def test_sequential_dataset_with_float_sequence_index():
    from pybrain3.datasets import ImportanceDataSet
    ds = ImportanceDataSet(2, 2)
    for s in range(3):
        ds.newSequence()
        for t in range(s + 2):
            ds.addSample([t, s], [s, t], np.array([1.0, 0.0]))
    assert ds.getNumSequences() == 3
    inputs, targets, importance = ds.getSequence(1)
    np.testing.assert_array_equal(inputs, [[0, 1], [1, 1], [2, 1]])
    np.testing.assert_array_equal(importance, [[1, 0]] * 3)
    assert [len(list(seq)) for seq in ds] == [2, 3, 4]


def _fresh(code):
    """Run `code` in a fresh interpreter from the repository root; its stdout."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(pybrain_ext.__file__).parents[1])
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_the_batched_engine_loads_neither_pybrain_nor_scipy():
    loaded = "import sys; print(sorted({'pybrain3', 'scipy'} & set(sys.modules)))"
    assert _fresh("import pybrain_ext.batched; " + loaded) == "[]"
    # Every PyBrain-free module at once; numba, if there, imports scipy itself (its
    # version check), so it is taken away: the engine then runs its numpy path.
    assert _fresh("import sys; sys.modules['numba'] = None; "
                  "import pybrain_ext.batched.training, pybrain_ext.batched.engine, "
                  "pybrain_ext.batched.kernels as k, pybrain_ext.batched.layout, "
                  "pybrain_ext.rprop, pybrain_ext.memory; assert not k.AVAILABLE; "
                  + loaded) == "[]"


@pytest.mark.parametrize("first", ["pybrain_ext.batched.cells", "pybrain_ext.network"])
def test_pybrain_imports_in_any_order_once_pybrain_ext_is_imported(first):
    # pybrain3 after a PyBrain-free module (the compat finder patches it as it loads),
    # and pybrain3's data sets after pybrain3 itself: mended as they load.
    assert _fresh(f"import {first}; from pybrain3.structure import LSTMLayer; "
                  "from pybrain3.datasets import ImportanceDataSet as D; "
                  "from pybrain_ext import compat; "
                  "print(D.addSample.__module__ == compat.__name__)") == "True"


def test_without_pybrain_ext_pybrain_does_not_import():
    # What compat cannot mend: a process that imports pybrain3 before anything of ours
    # (the test suite's conftest imports pybrain_ext first).
    out = subprocess.run([sys.executable, "-c", "from pybrain3.structure import LSTMLayer"],
                         capture_output=True, text=True, cwd="/")
    assert out.returncode != 0 and "from scipy import" in out.stderr
