"""The batched engine on its own: numerical gradients, batch independence,
independence of the BLAS thread count, compaction and input checks."""
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import tasks
from pybrain_ext.batched.architecture import Architecture
from pybrain_ext.batched.cells import CELL_TYPES
from pybrain_ext.batched.engine import Sequences, backward, forward
from pybrain_ext.batched.layout import initial_params
from pybrain_ext.batched.training import batch_size_for, train
from pybrain_ext.rprop import RPropSettings

ROOT = Path(__file__).parents[2]


def cross_entropy(y, data):
    """Σ over unmasked steps of -log y[target]: the loss whose minus gradient
    PyBrain's softmax error ``importance * (target - y)`` backpropagates."""
    return -(data.target_codes * np.log(y)).sum(axis=(1, 2))


@pytest.mark.parametrize("cell", list(CELL_TYPES))
@pytest.mark.parametrize("layers, skip", [(1, "none"), (2, "both"), (3, "out")])
def test_derivatives_are_minus_the_numerical_gradient(cell, layers, skip):
    """Central differences of the cross-entropy, every parameter at once: one
    batch holds the network with each parameter moved by +-h."""
    data = tasks.generate("fdr", 3, steps_back=2, n_sequences=2, length=7)
    assert (~data.mask).any()
    arch = Architecture(cell, layers, 3, skip, 3, 3)
    params = initial_params(arch.paramdim, seed=11)
    P, h = arch.paramdim, 1e-6
    moved = np.repeat(params[None], 2 * P, axis=0)
    moved[np.arange(P), np.arange(P)] += h
    moved[P + np.arange(P), np.arange(P)] -= h
    batch = Sequences.stack([data] * 2 * P, 3, 3)
    loss = cross_entropy(forward(arch, moved, batch).y, batch)
    numerical = (loss[:P] - loss[P:]) / (2 * h)
    one = Sequences.stack([data], 3, 3)
    derivs = backward(arch, params[None], one, forward(arch, params[None], one))[0]
    scale = np.abs(derivs).max()
    assert scale > 0
    np.testing.assert_allclose(-numerical, derivs, rtol=0, atol=1e-6 * scale)


K3_VARIANTS = [("fdr", 3), ("fdr", 4), ("ddr", None), ("svb", None), ("mvb", None)]
SETTINGS = RPropSettings(max_epochs=40, continue_epochs=4)  # stops at many different epochs


def batch_of(n, arch):
    """n networks with their own seeds, delta0 and data (five k=3 variants)."""
    parts = [tasks.split(tasks.generate(task, 3, steps_back=s)) for task, s in K3_VARIANTS]
    chosen = [parts[i % len(parts)] for i in range(n)]
    params = np.stack([initial_params(arch.paramdim, seed) for seed in range(n)])
    delta0 = np.array([(0.1, 0.03, 0.01)[i % 3] for i in range(n)])
    data = [Sequences.stack([p[j] for p in chosen], 3, 3) for j in (0, 1)]
    return params, data[0], data[1], delta0


def assert_identical(a, b):
    np.testing.assert_array_equal(a.params, b.params)
    assert (a.training_error, a.validation_error, a.epochs, a.best_epoch, a.stop_reason,
            a.validation_errors, a.training_errors) == \
        (b.training_error, b.validation_error, b.epochs, b.best_epoch, b.stop_reason,
         b.validation_errors, b.training_errors)


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_a_network_trains_alike_alone_and_among_63_others(cell):
    arch = Architecture(cell, 2, 3, "both", 3, 3)
    params, train_data, validation_data, delta0 = batch_of(64, arch)
    together = train(arch, params, train_data, validation_data, delta0, SETTINGS)
    epochs = {o.epochs for o in together}
    assert len(epochs) > 3 and min(epochs) < SETTINGS.max_epochs   # networks left early
    for m in (0, 31, 62):
        rows = np.array([m])
        alone = train(arch, params[rows], train_data.take(rows), validation_data.take(rows),
                      delta0[rows], SETTINGS)[0]
        assert_identical(alone, together[m])
    rows = np.array([50, 31, 7, 12])                        # another company, another place
    among = train(arch, params[rows], train_data.take(rows), validation_data.take(rows),
                  delta0[rows], SETTINGS)
    for m, outcome in zip(rows, among):
        assert_identical(outcome, together[m])


def test_waiting_networks_join_as_others_stop():
    """At most 5 networks in the batch, 12 to train: the same results as all at once."""
    arch = Architecture("gru", 1, 4, "none", 3, 3)
    params, train_data, validation_data, delta0 = batch_of(12, arch)
    together = train(arch, params, train_data, validation_data, delta0, SETTINGS)
    streamed = train(arch, params, train_data, validation_data, delta0, SETTINGS,
                     batch_size=5)
    for a, b in zip(together, streamed):
        assert_identical(a, b)
    with pytest.raises(ValueError, match="batch_size"):
        train(arch, params, train_data, validation_data, delta0, SETTINGS, batch_size=0)


def test_batch_size_for_keeps_the_stored_pass_within_the_budget():
    small, large = (Architecture("lstm", L, H, "none", 3, 3) for L, H in ((1, 5), (3, 50)))
    assert batch_size_for(small, 36, 20) >= 64
    assert 1 <= batch_size_for(large, 36, 20) < 16
    assert batch_size_for(large, 36, 20, budget=1) == 1


SCRIPT = textwrap.dedent("""
    import hashlib, numpy as np, tasks
    from pybrain_ext.batched.architecture import Architecture
    from pybrain_ext.batched.engine import Sequences, backward, forward
    from pybrain_ext.batched.training import train
    from pybrain_ext.batched.layout import initial_params
    from pybrain_ext.rprop import RPropSettings
    arch = Architecture("lstm", 2, 60, "both", 3, 3)
    train_part, validation_part, _ = tasks.split(tasks.generate("fdr", 3, steps_back=3))
    params = np.stack([initial_params(arch.paramdim, s) for s in range(3)])
    data = Sequences.stack([train_part] * 3, 3, 3)
    digest = hashlib.sha256()
    # forward and backward with however many threads OpenBLAS has ...
    digest.update(backward(arch, params, data, forward(arch, params, data)).tobytes())
    # ... and training, which runs them with one
    for o in train(arch, params, data, Sequences.stack([validation_part] * 3, 3, 3),
                   [0.1, 0.03, 0.01], RPropSettings(max_epochs=1)):
        digest.update(o.params.tobytes())
        digest.update(np.array(o.validation_errors).tobytes())
    print(digest.hexdigest())
""")


@pytest.mark.slow                    # three processes
@pytest.mark.default_engine_path     # its processes run the default path whatever the test's
def test_results_do_not_depend_on_the_blas_thread_count():
    digests = set()
    for threads in ("1", "2", "4"):
        env = {"OPENBLAS_NUM_THREADS": threads, "OMP_NUM_THREADS": threads,
               "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
        out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env,
                             capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        digests.add(out.stdout.strip())
    assert len(digests) == 1


def test_stopped_networks_keep_their_best_parameters():
    arch = Architecture("tanh", 1, 4, "none", 3, 3)
    params, train_data, validation_data, delta0 = batch_of(6, arch)
    outcomes = train(arch, params, train_data, validation_data, delta0, SETTINGS)
    for m, o in enumerate(outcomes):
        assert len(o.validation_errors) == o.epochs + 1
        assert len(o.training_errors) == o.epochs
        assert o.validation_error == min(o.validation_errors[1:])
        assert o.validation_errors[o.best_epoch + 1] == o.validation_error
        # the kept parameters are the best epoch's: their validation error is the best
        again = forward(arch, o.params[None], validation_data.take(np.array([m])))
        from pybrain_ext.batched.engine import mean_error
        assert mean_error(again.y, validation_data.take(np.array([m])))[0] == o.validation_error
    assert not np.array_equal(params, np.stack([o.params for o in outcomes]))
    np.testing.assert_array_equal(params, batch_of(6, arch)[0])   # the input is not modified


def test_bad_input_is_refused():
    arch = Architecture("lstm", 1, 3, "none", 3, 3)
    params, train_data, validation_data, delta0 = batch_of(2, arch)
    with pytest.raises(ValueError, match="params must have shape"):
        train(arch, params[:, :-1], train_data, validation_data, delta0)
    with pytest.raises(ValueError, match="delta0"):
        train(arch, params, train_data, validation_data, [0.1])
    with pytest.raises(ValueError, match="train_data"):
        train(arch, params, train_data.take(np.array([0])), validation_data, delta0)
    x = np.zeros((1, 2, 5), dtype=int)
    with pytest.raises(ValueError, match="inputs must lie"):
        Sequences(x + 3, x, x == 0, 3, 3)
    with pytest.raises(ValueError, match="mask must be a bool"):
        Sequences(x, x, x, 3, 3)
    with pytest.raises(ValueError, match="shape"):
        Sequences(x, x[:, :1], x == 0, 3, 3)


def test_one_blas_thread_while_training_then_as_before():
    from threadpoolctl import threadpool_info

    from pybrain_ext.batched import runtime as blas

    def threads():
        return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]
    before = threads()
    if not before:
        pytest.skip("no BLAS whose threads threadpoolctl controls")
    with blas.one_blas_thread():
        assert set(threads()) == {1}
    assert threads() == before
