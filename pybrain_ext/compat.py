"""Make PyBrain 3.0.4 (``pybrain3``) run on numpy 2 and scipy >= 1.14.

PyBrain was written when ``scipy`` re-exported numpy's namespace, so it says
``from scipy import zeros, dot, ...`` and ``scipy.size(...)``; scipy has since
dropped those aliases.  It also slices arrays with float indices, which numpy
now refuses.  :func:`install` puts back exactly the names the parts of PyBrain
that this project uses (networks, layers, data sets, trainers, gradient
descent, the test helpers) ask scipy for, and mends the float indexing.
Nothing that scipy or numpy still defines is touched.

Calling :func:`install` more than once is harmless; ``import pybrain_ext``
calls it before anything imports ``pybrain3``.
"""
import numpy as np
import scipy

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

_installed = False


def _restore_scipy_aliases():
    for name, (obj, _files) in _SCIPY_ALIASES.items():
        if not hasattr(scipy, name):  # never shadow something scipy still has
            setattr(scipy, name, obj)


def _mend_datasets():
    from pybrain3.datasets.importance import ImportanceDataSet
    from pybrain3.datasets.sequential import SequentialDataSet

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

    SequentialDataSet._getSequenceField = _getSequenceField

    # datasets/importance.py: `importance == None` on an array is elementwise
    # under numpy >= 1.13, so `if` on it raises for any importance vector.
    def addSample(self, inp, target, importance=None):
        """Add a sample of input, target and importance (default: all ones)."""
        if importance is None:
            importance = np.ones(len(target))
        self.appendLinked(inp, target, importance)

    ImportanceDataSet.addSample = addSample


def install():
    """Apply the compatibility fixes (idempotent)."""
    global _installed
    if _installed:
        return
    _restore_scipy_aliases()
    _mend_datasets()
    _installed = True
