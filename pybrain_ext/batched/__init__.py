"""The batched engine: many PyBrain-identical networks trained at once, in numpy.

Networks that share an :class:`Architecture` (cell, layers, hidden, skip, indim,
outdim) but have their own parameters, RProp ``delta0`` and data are stacked
along a leading ``models`` axis and computed together: forward pass,
backpropagation through time with the importance mask, PyBrain's RProp- and
PyBrain's early stopping per network (docs/protocol.md §2-3).  Parameters are PyBrain's
own flat layout, so ``build_network(...).params`` go in and come out unchanged::

    from pybrain_ext.batched import Architecture, Sequences, train
    arch = Architecture("lstm", layers=1, hidden=10, skip="none", indim=3, outdim=3)
    outcomes = train(arch, params, train_data, validation_data, delta0, settings)

See :mod:`pybrain_ext.batched.cells` (one forward and one backward step per
cell), :mod:`~pybrain_ext.batched.engine` (the passes over layers and time) and
:mod:`~pybrain_ext.batched.training` (RProp- and early stopping).
"""
from pybrain_ext import compat

compat.install()

# Exported lazily (PEP 562): the cell registry, pybrain_ext.cells, imports the step
# functions of .cells while .architecture reads the registry, so importing the
# package must not import its modules.
_EXPORTS = {"Architecture": "architecture", "CELL_STEPS": "cells",
            "Forward": "engine", "Sequences": "engine", "Workspace": "engine",
            "backward": "engine", "classification_error": "engine", "errors": "engine",
            "forward": "engine", "record": "engine",
            "batch_size_for": "training", "rprop_step": "training", "train": "training"}
__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)


def __dir__():
    return sorted(list(globals()) + __all__)
