"""Make PyBrain 3.0.4 (``pybrain3``) run on numpy 2 and scipy >= 1.14.

PyBrain was written when ``scipy`` re-exported numpy's namespace, so it says
``from scipy import zeros, dot, ...`` and ``scipy.size(...)``; scipy has since
dropped those aliases.  It also slices arrays with float indices, which numpy
now refuses.  :func:`install` puts back exactly the names the parts of PyBrain
that this project uses (networks, layers, data sets, trainers, gradient
descent, the test helpers) ask scipy for, and mends the float indexing.
Nothing that scipy or numpy still defines is touched.

The fixes are applied as PyBrain is imported, not before: :func:`install`
puts a finder first on ``sys.meta_path`` that restores scipy's names just before
``pybrain3``'s first module runs, and mends each of the data set modules right
after it has run.  ``import pybrain_ext`` (or any of its modules) calls
:func:`install`, which costs nothing until ``pybrain3`` is imported: so a module
may import ``pybrain3`` and ``pybrain_ext`` in either order (as an import sorter
leaves them), and ``import pybrain_ext.batched`` loads neither PyBrain nor scipy.

What stays impossible: ``from pybrain3.structure import LSTMLayer`` in a process
that has imported nothing of ``pybrain_ext`` before it.  PyBrain 3.0.4 says
``from scipy import reshape, dot, outer`` while ``pybrain3`` itself is being
imported (``structure/connections/full.py``), so only code that runs before it can
put those names back: code run at interpreter start (a ``.pth`` file or
``sitecustomize``), or edits to the installed PyBrain.  This package does neither;
the test suite imports ``pybrain_ext`` in its root ``conftest.py``.

Calling :func:`install` more than once is harmless.
"""
import importlib.abc
import importlib.machinery
import sys

import numpy as np

# name scipy lost -> (what PyBrain means by it, the pybrain3 files that ask for it)
_SCIPY_ALIASES = {
    "argmax": (np.argmax, "supervised/trainers/backprop.py"),
    "array": (np.array, "auxiliary/gradientdescent.py, structure/parametercontainer.py, "
                        "tools/functions.py, utilities.py, structure/networks/*"),
    "asarray": (np.asarray, "auxiliary/gradientdescent.py, datasets/dataset.py"),
    "asmatrix": (np.asmatrix, "auxiliary/pca.py"),
    "c_": (np.c_, "auxiliary/gaussprocess.py"),
    "clip": (np.clip, "auxiliary/gradientdescent.py, tools/functions.py"),
    "concatenate": (np.concatenate, "structure/networks/network.py"),
    "cos": (np.cos, "auxiliary/gaussprocess.py"),
    "cov": (np.cov, "auxiliary/gradientdescent.py, auxiliary/pca.py"),
    "diag": (np.diag, "tools/functions.py, auxiliary/gaussprocess.py"),
    "dot": (np.dot, "structure/connections/full.py, supervised/trainers/backprop.py, "
                    "datasets/importance.py, auxiliary/gradientdescent.py"),
    "exp": (np.exp, "tools/functions.py, utilities.py"),
    "eye": (np.eye, "structure/connections/fullnotself.py"),
    "floor": (np.floor, "structure/modules/kohonen.py"),
    "isscalar": (np.isscalar, "datasets/supervised.py"),
    "log": (np.log, "tools/functions.py"),
    "mat": (np.asmatrix, "utilities.py (np.mat was removed in numpy 2.0)"),
    "mgrid": (np.mgrid, "structure/modules/kohonen.py"),
    "ndarray": (np.ndarray, "auxiliary/gradientdescent.py, structure/parametercontainer.py"),
    "ones": (np.ones, "datasets/importance.py"),
    "outer": (np.outer, "structure/connections/full.py"),
    "pi": (np.pi, "tools/functions.py"),
    "power": (np.power, "tools/functions.py"),
    "product": (np.prod, "structure/networks/multidimensional.py (np.product was removed)"),
    "r_": (np.r_, "datasets/sequential.py"),
    "rand": (np.random.rand, "tools/functions.py"),
    "randn": (np.random.randn, "structure/evolvables/maskedparameters.py, tests/helpers.py"),
    "random": (np.random, "structure/modules/gaussianlayer.py, samplelayer.py, kohonen.py"),
    "ravel": (np.ravel, "datasets/dataset.py, datasets/sequential.py"),
    "reshape": (np.reshape, "structure/connections/full.py"),
    "resize": (np.resize, "datasets/dataset.py"),
    "sign": (np.sign, "auxiliary/gradientdescent.py"),
    "sin": (np.sin, "auxiliary/gaussprocess.py"),
    "size": (np.size, "structure/networks/network.py, structure/parametercontainer.py, "
                      "structure/modules/softmax.py, utilities.py"),
    "sort": (np.sort, "auxiliary/gaussprocess.py"),
    "sqrt": (np.sqrt, "supervised/trainers/rprop.py, tools/functions.py"),
    "sum": (np.sum, "utilities.py, structure/modules/kohonen.py"),
    "tan": (np.tan, "tools/functions.py"),
    "tanh": (np.tanh, "structure/modules/lstm.py, tanhlayer.py, tools/functions.py"),
    "tile": (np.tile, "structure/modules/kohonen.py"),
    "where": (np.where, "utilities.py"),
    "zeros": (np.zeros, "structure/modules/module.py, structure/parametercontainer.py, "
                        "datasets/dataset.py, auxiliary/gradientdescent.py, tests/helpers.py"),
}


def _restore_scipy_aliases():
    import scipy
    for name, (obj, _files) in _SCIPY_ALIASES.items():
        if not hasattr(scipy, name):  # never shadow something scipy still has
            setattr(scipy, name, obj)


def _mend_sequential(module):
    # datasets/sequential.py: the sequence starts are stored in a float field and
    # used directly as slice bounds; numpy >= 1.12 refuses float indices.
    def _getSequenceField(self, index, field):
        """Return a sequence of one single field given by `field` and indexed by
        `index`."""
        starts = np.ravel(self.getField("sequence_index")).astype(int)
        if len(starts) == index + 1:
            return self.getField(field)[starts[index]:]
        if len(starts) < index + 1:
            raise IndexError("sequence does not exist.")
        return self.getField(field)[starts[index]:starts[index + 1]]

    module.SequentialDataSet._getSequenceField = _getSequenceField


def _mend_importance(module):
    # datasets/importance.py: `importance == None` on an array is elementwise
    # under numpy >= 1.13, so `if` on it raises for any importance vector.
    def addSample(self, inp, target, importance=None):
        """Add a sample of input, target and importance (default: all ones)."""
        if importance is None:
            importance = np.ones(len(target))
        self.appendLinked(inp, target, importance)

    module.ImportanceDataSet.addSample = addSample


# pybrain3 module -> its mending, applied as soon as the module has run
_MENDS = {"pybrain3.datasets.sequential": _mend_sequential,
          "pybrain3.datasets.importance": _mend_importance}


class _MendingLoader(importlib.abc.Loader):
    """Runs a module with its own loader, then mends it."""

    def __init__(self, loader, mend):
        self._loader, self._mend = loader, mend

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        self._mend(module)


class _PyBrainFinder(importlib.abc.MetaPathFinder):
    """Applies the fixes as ``pybrain3`` is imported (finds nothing itself)."""

    def find_spec(self, name, path, target=None):
        if name == "pybrain3":
            _restore_scipy_aliases()
        elif name in _MENDS:
            spec = importlib.machinery.PathFinder.find_spec(name, path, target)
            if spec is not None and spec.loader is not None:
                spec.loader = _MendingLoader(spec.loader, _MENDS[name])
            return spec
        return None


def install():
    """Apply the compatibility fixes to ``pybrain3`` when it is imported (idempotent).

    Imports nothing: the fixes run when ``pybrain3`` is imported, or at once for
    the parts of it that already are.
    """
    if not any(isinstance(finder, _PyBrainFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _PyBrainFinder())
    if "pybrain3" in sys.modules:
        _restore_scipy_aliases()
    for name, mend in _MENDS.items():
        if name in sys.modules:
            mend(sys.modules[name])
