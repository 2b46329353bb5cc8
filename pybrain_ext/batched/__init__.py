"""The batched engine: many PyBrain-identical networks trained at once, in numpy.

Networks that share an :class:`Architecture` (cell, layers, hidden, skip, indim,
outdim) but have their own parameters, RProp ``delta0`` and data are stacked
along a leading ``models`` axis and computed together: forward pass,
backpropagation through time with the importance mask, PyBrain's RProp- and
PyBrain's early stopping per network (PROTOCOL §2-3).  Parameters are PyBrain's
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

from pybrain_ext.batched.architecture import Architecture  # noqa: E402
from pybrain_ext.batched.cells import CELL_STEPS  # noqa: E402
from pybrain_ext.batched.engine import (Forward, Sequences, Workspace, backward,  # noqa: E402
                                        classification_error, errors, forward, record)
from pybrain_ext.batched.training import batch_size_for, rprop_step, train  # noqa: E402

__all__ = ["Architecture", "CELL_STEPS", "Forward", "Sequences", "Workspace", "backward",
           "batch_size_for", "classification_error", "errors", "forward", "record",
           "rprop_step", "train"]
