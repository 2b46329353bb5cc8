"""The batched engine: many PyBrain-identical networks trained at once, in numpy.

Networks that share an :class:`~pybrain_ext.batched.architecture.Architecture`
(cell, layers, hidden, skip, indim, outdim) but have their own parameters, RProp
``delta0`` and data are stacked along a leading ``models`` axis and computed
together: forward pass, backpropagation through time with the importance mask,
PyBrain's RProp- and PyBrain's early stopping per network (docs/protocol.md
§2-3).  Parameters are PyBrain's own flat layout, so
``build_network(...).params`` go in and come out unchanged::

    from pybrain_ext.batched.architecture import Architecture
    from pybrain_ext.batched.engine import Sequences
    from pybrain_ext.batched.training import train
    arch = Architecture("lstm", layers=1, hidden=10, skip="none", indim=3, outdim=3)
    outcomes = train(arch, params, train_data, validation_data, delta0, settings)

The modules: :mod:`~pybrain_ext.batched.cells` (the registry of cell types, with
one forward and one backward step per cell), :mod:`~pybrain_ext.batched.layout`
(PyBrain's parameter layout and initial parameters, which the PyBrain path uses
too), :mod:`~pybrain_ext.batched.architecture` (the shape and layout a batch shares),
:mod:`~pybrain_ext.batched.engine`
(the passes over layers and time, ``Sequences``, ``record``),
:mod:`~pybrain_ext.batched.kernels` (their compiled form),
:mod:`~pybrain_ext.batched.training` (RProp- and early stopping) and
:mod:`~pybrain_ext.batched.runtime` (BLAS threads, memory).  None imports PyBrain
or scipy; this file imports nothing, so the registry loads without the engine.
"""
