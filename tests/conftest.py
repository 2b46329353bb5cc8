"""The batched engine's tests run on both of its paths: compiled (numba) and numpy.

Every test of a module named ``test_batched_*`` or ``test_batching`` runs twice,
once with :mod:`pybrain_ext.batched.kernels` enabled and once without; the
compiled run is skipped where numba is unavailable.  ``test_batched_kernels``
compares the two paths itself.

Importing ``pybrain_ext`` here, before any test module, makes ``pybrain3`` importable
whatever the order of a test module's imports (see ``pybrain_ext.compat``).
"""
import pytest

import pybrain_ext  # noqa: F401

ENGINE_TEST_MODULES = ("test_batched_", "test_batching")


def pytest_generate_tests(metafunc):
    name = metafunc.module.__name__.rpartition(".")[2]
    if name.startswith(ENGINE_TEST_MODULES) and name != "test_batched_kernels":
        metafunc.parametrize("engine_path", ["compiled", "numpy"], indirect=True)


@pytest.fixture(autouse=True)
def engine_path(request, monkeypatch):
    """The engine path of a parametrized test (elsewhere: the default)."""
    path = getattr(request, "param", None)
    if path is not None:
        from pybrain_ext.batched import kernels
        if path == "compiled" and not kernels.AVAILABLE:
            pytest.skip("numba (or numpy's loops and BLAS) unavailable: no compiled path")
        monkeypatch.setattr(kernels, "ENABLED", path == "compiled")
    return path
