"""What every test may use: the in-process command line (`cli`) and the engine's two paths.

``cli("table1", "--db", db, ...)`` runs ``reproduce.cli.main([...])`` in this
process, as ``reproduce table1 --db ...`` would run, and returns its exit status
and what it printed (`Done`); argparse's own exits (``--help``, bad options)
are caught.  A real process is started only where the process is what is
tested: the console script, ``python -m``, signals and kill -9.

Every test of a module named ``test_batched_*`` or ``test_batching`` runs twice,
once with :mod:`pybrain_ext.batched.kernels` enabled and once without; the
compiled run is skipped where numba is unavailable.  ``test_batched_kernels``
compares the two paths itself, bit for bit, so ``test_batched_parity`` and
``test_batched_layout`` (the layout, which no path touches, and the recording pass
against PyBrain's buffers) run on one path only (the default: compiled where numba
is there), and so does a test marked ``default_engine_path``.

Tests marked ``slow`` are left out by ``make test-fast`` (``pytest -m "not slow"``);
``make test`` runs them all.  They are kill -9, Ctrl-C, Dask and end to end, the
checks that start processes, and the repeats of a check that the fast lane runs once:
the numpy path of the engine tests (when numba is there; without it the numpy path is
the only one and runs in both lanes), and the longer cases of a parametrized check.

Importing ``pybrain_ext`` here, before any test module, makes ``pybrain3`` importable
whatever the order of a test module's imports (see ``pybrain_ext.compat``).
"""
import dataclasses

import pytest

import pybrain_ext  # noqa: F401

ENGINE_TEST_MODULES = ("test_batched_", "test_batching")
ONE_PATH_MODULES = ("test_batched_kernels", "test_batched_parity", "test_batched_layout")


def pytest_generate_tests(metafunc):
    name = metafunc.module.__name__.rpartition(".")[2]
    if (name.startswith(ENGINE_TEST_MODULES) and name not in ONE_PATH_MODULES
            and not metafunc.definition.get_closest_marker("default_engine_path")):
        # the fast lane runs the compiled path; the numpy path, proven the same bit for bit
        # by test_batched_kernels, runs in `make test`
        from pybrain_ext.batched import kernels
        numpy_marks = pytest.mark.slow if kernels.AVAILABLE else ()
        metafunc.parametrize("engine_path", ["compiled",
                                             pytest.param("numpy", marks=numpy_marks)],
                             indirect=True)


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


@dataclasses.dataclass
class Done:
    """What a command did: its exit status and what it printed (as `subprocess.run` gives)."""
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(capsys):
    """``cli(*args) -> Done``: ``reproduce <args>`` run in this process.

    Arguments are turned into strings (paths may be given as they are).  The
    program name in messages is ``reproduce``, as the console script's.
    """
    from reproduce.cli import main

    def run(*args):
        capsys.readouterr()                    # what the test printed before is not ours
        try:
            status = main([str(arg) for arg in args])
        except SystemExit as exit_:            # argparse: --help, --version, bad options
            status = exit_.code
        out, err = capsys.readouterr()
        return Done(0 if status is None else status, out, err)
    return run
