"""pybrain_ext.memory: the parameter bound is the real count with every skip connection."""
import itertools
import os

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


def test_available_memory_is_in_bytes_and_below_the_physical_memory():
    """In bytes (not kB): at least half of the free physical memory -- MemAvailable counts
    the free pages and what the kernel can reclaim -- and at most all of it."""
    available = available_memory()
    if available is None:
        assert not os.path.exists("/proc/meminfo")
        pytest.skip("no memory figures on this system")
    page = os.sysconf("SC_PAGE_SIZE")
    physical, free = os.sysconf("SC_PHYS_PAGES") * page, os.sysconf("SC_AVPHYS_PAGES") * page
    assert free / 2 <= available <= physical
