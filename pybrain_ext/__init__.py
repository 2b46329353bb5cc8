"""PyBrain (``pybrain3``) on today's numpy/scipy, plus what the paper added to it.

Importing this package first makes ``pybrain3`` importable (see
:mod:`pybrain_ext.compat`), then offers the GRU and ReLU layers and the
network builder::

    from pybrain_ext import build_network
    net = build_network("lstm", indim=3, outdim=2, layers=2, hidden=5, skip="both", seed=0)
"""
from pybrain_ext import compat

compat.install()

from pybrain_ext.cells import CELL_TYPES, CellType  # noqa: E402
from pybrain_ext.layers import GRULayer, ReluLayer  # noqa: E402
from pybrain_ext.network import ParamBlock, build_network, param_layout  # noqa: E402

__all__ = ["CELL_TYPES", "CellType", "GRULayer", "ReluLayer", "ParamBlock", "build_network",
           "param_layout"]
