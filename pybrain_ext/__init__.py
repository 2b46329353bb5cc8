"""PyBrain (``pybrain3``) on today's numpy/scipy, plus what the paper added to it.

Importing this package (or any of its modules) makes ``pybrain3`` importable, in
any order of imports (see :mod:`pybrain_ext.compat`); it imports nothing else.
The modules, from the ground up:

- :mod:`~pybrain_ext.protocol`: the protocol's network and training constants;
- :mod:`~pybrain_ext.rprop`: RProp-'s settings, PyBrain's early-stopping rule and
  the outcome of a training run;
- :mod:`~pybrain_ext.batched`: the batched engine, with what both engines share:
  :mod:`~pybrain_ext.batched.cells`, the registry of cell types, and
  :mod:`~pybrain_ext.batched.layout`, PyBrain's parameter layout;
- :mod:`~pybrain_ext.memory`: what training a network needs, before it starts;
- :mod:`~pybrain_ext.layers` (GRU, ReLU), :mod:`~pybrain_ext.cells` (each cell's
  PyBrain layer), :mod:`~pybrain_ext.network` (the network builder),
  :mod:`~pybrain_ext.training` (training through PyBrain),
  :mod:`~pybrain_ext.record` (every quantity of a PyBrain network)::

    from pybrain_ext.network import build_network
    net = build_network("lstm", indim=3, outdim=2, layers=2, hidden=5, skip="both", seed=0)
"""
from pybrain_ext import compat

compat.install()
