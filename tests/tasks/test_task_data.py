"""Data sets: generate (reproducibility, streams, validation) and split."""
import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import tasks
from tasks import protocol

ROOT = Path(__file__).resolve().parents[2]


def example_args(name):
    """(task, k, steps_back) of a valid variant of task `name`."""
    return name, 3, (2 if tasks.TASKS[name].needs_steps_back else None)


# --- generate -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(tasks.TASKS))
def test_generate_defaults_follow_the_protocol(name):
    data = tasks.generate(*example_args(name))
    shape = (protocol.N_SEQUENCES, protocol.SEQUENCE_LENGTH)
    assert data.inputs.shape == data.targets.shape == data.mask.shape == shape
    assert data.inputs.dtype == data.targets.dtype == np.int64 and data.mask.dtype == bool
    assert (data.n_sequences, data.length, data.seed) == (*shape, protocol.DATA_SEED)
    assert data.rows == range(protocol.N_SEQUENCES)
    assert data.variant == tasks.Variant(*example_args(name))
    assert (data.variant.indim, data.variant.outdim) == (3, tasks.TASKS[name].outdim(3))


@pytest.mark.parametrize("name", list(tasks.TASKS))
def test_generate_applies_the_rule(name):
    data = tasks.generate(*example_args(name), n_sequences=5, length=9, seed=3)
    targets, mask = tasks.TASKS[name](data.inputs, data.variant.k, data.variant.steps_back)
    np.testing.assert_array_equal(data.targets, targets)
    np.testing.assert_array_equal(data.mask, mask)


def test_inputs_are_roughly_uniform():
    inputs = tasks.generate("ddr", 5, n_sequences=400, length=50, seed=1).inputs
    counts = np.bincount(inputs.ravel(), minlength=5)
    assert np.all(np.abs(counts / inputs.size - 0.2) < 0.01)   # 20,000 draws: sd ~0.003


@pytest.mark.parametrize("name", list(tasks.TASKS))
def test_same_seed_same_arrays(name):
    first, second = (tasks.generate(*example_args(name), seed=5) for _ in range(2))
    for field in ("inputs", "targets", "mask"):
        np.testing.assert_array_equal(getattr(first, field), getattr(second, field))


@pytest.mark.parametrize("name", list(tasks.TASKS))
def test_different_seeds_different_arrays(name):
    first, second = (tasks.generate(*example_args(name), seed=s) for s in (0, 1))
    assert not np.array_equal(first.inputs, second.inputs)


def test_variants_never_share_a_stream():
    # Every pair of Table I variants with the same k (and fdr N=3 vs N=4 in particular)
    # draws different inputs from the same seed.
    seen = {}
    for variant in tasks.variants():
        key = tasks.generate(variant.task, variant.k, variant.steps_back).inputs.tobytes()
        assert key not in seen, f"{variant.id} repeats {seen.get(key)}'s inputs"
        seen[key] = variant.id


def test_generation_leaves_global_random_state_alone():
    before = np.random.get_state()[1].copy()
    tasks.generate("svb", 4)
    assert np.array_equal(np.random.get_state()[1], before)


def test_arrays_are_pinned():
    # Guards the stream derivation (SeedSequence + crc32 spawn key) and numpy's integers():
    # if this fails, every data set of the project has changed.
    assert tasks.generate("ddr", 3).inputs[0].tolist() == [
        2, 0, 0, 1, 0, 2, 1, 2, 2, 1, 2, 2, 0, 0, 1, 1, 1, 0, 0, 0]
    assert tasks.generate("fdr", 5, 4, seed=7).inputs[63].tolist() == [
        4, 0, 4, 0, 1, 1, 2, 1, 4, 3, 0, 1, 4, 2, 3, 0, 0, 4, 4, 3]


def test_arrays_are_the_same_in_another_process():
    code = ("import tasks; d = tasks.generate('mvb', 4, seed=11); "
            "print(d.inputs.tobytes().hex() + d.targets.tobytes().hex() + d.mask.tobytes().hex())")
    # A different PYTHONHASHSEED: the stream must not depend on Python's hash().
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True,
                            env={"PYTHONPATH": str(ROOT), "PYTHONHASHSEED": "12345"})
    data = tasks.generate("mvb", 4, seed=11)
    here = data.inputs.tobytes().hex() + data.targets.tobytes().hex() + data.mask.tobytes().hex()
    assert result.stdout.strip() == here


def test_importing_tasks_imports_only_the_number_check_of_ours_and_no_pybrain():
    code = ("import json, sys, tasks; "
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('pybrain_ext', 'reproduce', 'pybrain3', 'pybrain', 'scipy'))))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True, env={"PYTHONPATH": str(ROOT)})
    loaded = set(json.loads(result.stdout))
    # pybrain_ext's __init__ (compat's import hook) and its checks: no PyBrain, no scipy
    assert "pybrain_ext.checks" in loaded
    assert loaded <= {"pybrain_ext", "pybrain_ext.compat", "pybrain_ext.checks"}


@pytest.mark.parametrize("field", ["inputs", "targets", "mask"])
def test_arrays_are_read_only(field):
    data = tasks.generate("ddr", 3)
    train = tasks.split(data)[0]
    for array in (getattr(data, field), getattr(train, field)):
        with pytest.raises(ValueError, match="read-only"):
            array[0, 0] = 1


def test_task_data_copies_what_it_is_given():
    inputs = np.zeros((2, 3), dtype=np.int64)
    data = tasks.TaskData(tasks.Variant("multiswitch", 2), 2, 3, 0, inputs,
                          np.array([[1, 0, 1], [1, 0, 1]]), np.ones((2, 3), dtype=bool))
    inputs[0, 0] = 1
    assert data.inputs[0, 0] == 0 and inputs.flags.writeable


# --- generate's ValueErrors -------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, message", [
    (dict(task="copy", k=3), "task must be one of 'fdr', 'ddr'.*got 'copy'"),
    (dict(task=None, k=3), "task must be one of"),
    (dict(task="ddr", k=1), "k must be an int >= 2; got 1"),
    (dict(task="ddr", k=0), "k must be an int >= 2; got 0"),
    (dict(task="ddr", k=True), r"k must be an int >= 2; got True \(bool\)"),
    (dict(task="ddr", k=3.0), r"k must be an int >= 2; got 3.0 \(float\)"),
    (dict(task="ddr", k="3"), "k must be an int"),
    (dict(task="fdr", k=3), "task 'fdr' needs steps_back"),
    (dict(task="ddr", k=3, steps_back=2), "task 'ddr' takes no steps_back.*got 2"),
    (dict(task="fdr", k=3, steps_back=0), "steps_back must be an int >= 1; got 0"),
    (dict(task="fdr", k=3, steps_back=2.0), "steps_back must be an int"),
    (dict(task="fdr", k=3, steps_back=True), "steps_back must be an int"),
    (dict(task="fdr", k=3, steps_back=20), "steps_back must be < the sequence length 20; got"),
    (dict(task="fdr", k=3, steps_back=5, length=5), "must be < the sequence length 5; got 5"),
    (dict(task="ddr", k=3, n_sequences=0), "n_sequences must be an int >= 1; got 0"),
    (dict(task="ddr", k=3, n_sequences=True), "n_sequences must be an int"),
    (dict(task="ddr", k=3, n_sequences=64.0), "n_sequences must be an int"),
    (dict(task="ddr", k=3, length=0), "length must be an int >= 1; got 0"),
    (dict(task="ddr", k=3, length=2.0), "length must be an int"),
    (dict(task="ddr", k=3, length=False), "length must be an int"),
    (dict(task="ddr", k=3, seed=-1), "seed must be an int >= 0; got -1"),
    (dict(task="ddr", k=3, seed=0.5), "seed must be an int"),
    (dict(task="ddr", k=3, seed=None), "seed must be an int"),
])
def test_generate_refuses(kwargs, message):
    with pytest.raises(ValueError, match=message):
        tasks.generate(**kwargs)


def test_generate_accepts_numpy_ints():
    data = tasks.generate("fdr", np.int64(3), np.int32(2), n_sequences=np.int16(4),
                          length=np.int64(6), seed=np.uint8(1))
    assert type(data.variant.k) is int and type(data.variant.steps_back) is int
    assert data.variant.id == "fdr-n2-k3"
    np.testing.assert_array_equal(data.inputs, tasks.generate("fdr", 3, 2, 4, 6, 1).inputs)


@pytest.mark.parametrize("change, message", [
    (dict(inputs=np.zeros((3, 20), dtype=np.int64)), r"inputs must have shape \(64, 20\)"),
    (dict(mask=np.ones((64, 20), dtype=np.int64)), "mask must be a bool array"),
    (dict(targets=np.zeros((64, 20))), "targets must be a int array"),
    (dict(inputs=np.full((64, 20), 3)), r"inputs must lie in \{0..2\}"),
    (dict(targets=np.full((64, 20), 3)), r"targets must lie in \{0..2\}"),
    (dict(targets=np.ones((64, 20), dtype=np.int64)), "0 at masked steps"),
    (dict(rows=range(60, 70)), "rows must be a range"),
    (dict(rows=[0, 1]), "rows must be a range"),
    (dict(rows=(0, 0)), "tuple of distinct indices"),
    (dict(rows=(0, 64)), "tuple of distinct indices"),
    (dict(seed=-2), "seed must be"),
    (dict(variant=("fdr", 3, 3)), "variant must be a tasks.Variant"),
])
def test_task_data_validates(change, message):
    data = tasks.generate("fdr", 3, 3)
    with pytest.raises(ValueError, match=message):
        dataclasses.replace(data, **change)


# --- split -------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(tasks.TASKS))
def test_split_is_36_12_16_consecutive_rows(name):
    data = tasks.generate(*example_args(name))
    train, validation, test = tasks.split(data)
    expected = {"train": (train, 0, 36), "validation": (validation, 36, 48),
                "test": (test, 48, 64)}
    for part, (subset, start, stop) in expected.items():
        assert subset.rows == range(start, stop), part
        for field in ("inputs", "targets", "mask"):
            np.testing.assert_array_equal(getattr(subset, field),
                                          getattr(data, field)[start:stop])
        assert (subset.variant, subset.n_sequences, subset.length, subset.seed) == (
            data.variant, 64, 20, 0)
    assert tuple(len(s.rows) for s in (train, validation, test)) == protocol.SPLIT


@pytest.mark.parametrize("n, sizes", [
    (64, (36, 12, 16)), (128, (72, 24, 32)), (4, (2, 1, 1)), (5, (3, 1, 1)),
    (8, (5, 2, 1)),       # 8 * 36/64 = 4.5 rounds half up to 5; 8 * 12/64 = 1.5 to 2
    (10, (6, 2, 2)), (100, (56, 19, 25)),
])
def test_split_proportional_sizes(n, sizes):
    assert tasks.split_sizes(n) == sizes
    parts = tasks.split(tasks.generate("ddr", 3, n_sequences=n))
    assert tuple(p.inputs.shape[0] for p in parts) == sizes
    assert [p.rows for p in parts] == [range(0, sizes[0]), range(sizes[0], n - sizes[2]),
                                       range(n - sizes[2], n)]


@pytest.mark.parametrize("n", [1, 2, 3])
def test_split_refuses_too_few_sequences(n):
    with pytest.raises(ValueError, match=f"cannot split {n} sequences"):
        tasks.split(tasks.generate("ddr", 3, n_sequences=n))


def test_split_refuses_non_task_data():
    with pytest.raises(ValueError, match="split needs a TaskData; got ndarray"):
        tasks.split(np.zeros((64, 20)))


def test_split_of_a_part_keeps_parent_rows():
    train, _, _ = tasks.split(tasks.generate("ddr", 3))
    assert [p.rows for p in tasks.split(train)] == [range(0, 20), range(20, 27), range(27, 36)]


def test_random_validation_split_is_pybrains_split_of_train_and_validation():
    data = tasks.generate("svb", 4)
    fixed = tasks.split(data)
    train, validation, test = tasks.split(data, validation_rng=np.random.default_rng(3))
    n_train, n_validation, _ = protocol.SPLIT
    assert (len(train.rows), len(validation.rows)) == (n_train, n_validation)
    # the 48 first sequences, shared out at random, each part in its original order
    assert sorted(train.rows + validation.rows) == list(range(n_train + n_validation))
    assert list(train.rows) == sorted(train.rows) and train.rows != fixed[0].rows
    assert np.array_equal(train.inputs, data.inputs[list(train.rows)])
    assert np.array_equal(validation.mask, data.mask[list(validation.rows)])
    # the test block is untouched
    assert test.rows == fixed[2].rows and np.array_equal(test.inputs, fixed[2].inputs)
    # same generator state, same split
    again = tasks.split(data, validation_rng=np.random.default_rng(3))
    assert again[0].rows == train.rows
