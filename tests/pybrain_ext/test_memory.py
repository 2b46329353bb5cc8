"""pybrain_ext.memory: the parameter bound is the real count with every skip connection."""
import itertools

import pytest

from pybrain_ext.batched.architecture import Architecture
from pybrain_ext.batched.cells import CELL_TYPES
from pybrain_ext.memory import available_memory, memory_estimate, parameter_bound
from pybrain_ext.protocol import SKIPS


@pytest.mark.parametrize("cell, layers", list(itertools.product(CELL_TYPES, (1, 2, 3))))
def test_parameter_bound(cell, layers):
    for indim, outdim in ((3, 3), (4, 2)):
        counts = {skip: Architecture(cell, layers, 5, skip, indim, outdim).paramdim
                  for skip in (SKIPS if layers > 1 else ("none",))}
        bound = parameter_bound(cell, layers, 5, indim, outdim)
        assert bound == max(counts.values()) and bound == counts.get("both", bound)


def test_memory_estimate_scales_and_refuses_absurd_networks():
    small = memory_estimate("lstm", 2, 5, 3, 3, sequences=64, steps=20)
    assert 0 < small < 2**22 < memory_estimate("lstm", 2, 5, 3, 3, 64, 20, networks=64)
    assert memory_estimate("tanh", 1, 100_000, 3, 3, 64, 20) > 2**39          # > 512 GiB
    available = available_memory()
    assert available is None or available > 0
