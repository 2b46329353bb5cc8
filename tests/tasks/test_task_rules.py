"""The task rules: docs/protocol.md §1's worked examples and naive reimplementations.

Each naive rule below is a literal step-by-step simulation of the rule as
docs/protocol.md §1 words it (plain loops over lists, explicit state), written
independently of the closed-form numpy code in ``tasks/<name>.py``.
"""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tasks

# --- the worked examples of docs/protocol.md §1 (inputs -> targets, "." = masked) ------------
WORKED_EXAMPLES = {
    "fdr": dict(k=3, steps_back=2, x="0 2 1 1 0", y=". . 0 2 1"),
    "ddr": dict(k=3, steps_back=None, x="2 0 1 0 2 1 0 1", y=". 2 2 1 0 0 1 1"),
    "multiswitch": dict(k=3, steps_back=None, x="1 0 1 1 2 0", y="1 1 0 1 1 0"),
    "svb": dict(k=3, steps_back=None, x="0 1 2 0 2 2 1", y=". . 1 1 0 2 2"),
    "mvb": dict(k=3, steps_back=None, x="0 1 0 2 1 0", y=". . . . 0 1"),
}


# --- naive reimplementations -------------------------------------------------------------
def naive_fdr(xs, k, steps_back):
    ys, ms = [], []
    delay_line = []                      # the inputs seen so far, oldest first
    for x in xs:
        if len(delay_line) >= steps_back:
            ys.append(delay_line[len(delay_line) - steps_back])
            ms.append(True)
        else:
            ys.append(0)
            ms.append(False)
        delay_line.append(x)
    return ys, ms


def naive_ddr(xs, k, steps_back):
    ys, ms = [], []
    for t in range(len(xs)):
        delay = xs[t] + 1
        source = None
        for s in range(t):               # search the past for the step `delay` back
            if t - s == delay:
                source = s
        ys.append(0 if source is None else xs[source])
        ms.append(source is not None)
    return ys, ms


def naive_multiswitch(xs, k, steps_back):
    switches = [0] * k
    ys = []
    for x in xs:
        switches[x] = 1 - switches[x]
        ys.append(switches[x])
    return ys, [True] * len(xs)


def naive_svb(xs, k, steps_back):
    stored, previous = None, None
    ys, ms = [], []
    for x in xs:
        if x == k - 1 and previous is not None:
            stored = previous
        ys.append(0 if stored is None else stored)
        ms.append(stored is not None)
        previous = x
    return ys, ms


def naive_mvb(xs, k, steps_back):
    slots = {}
    previous = None
    ys, ms = [], []
    for x in xs:
        ys.append(slots.get(x, 0))
        ms.append(x in slots)
        if previous is not None:
            slots[x] = previous
        previous = x
    return ys, ms


NAIVE = {"fdr": naive_fdr, "ddr": naive_ddr, "multiswitch": naive_multiswitch,
         "svb": naive_svb, "mvb": naive_mvb}


def parse(row):
    """'. 2 0' -> ([0, 2, 0], [False, True, True])."""
    symbols = row.split()
    return ([0 if s == "." else int(s) for s in symbols], [s != "." for s in symbols])


@st.composite
def task_inputs(draw, spec):
    """(x, k, steps_back) for `spec`: any k the task allows, lengths 1..30."""
    k = draw(st.integers(spec.min_k, 7))
    xs = draw(st.lists(st.integers(0, k - 1), min_size=1, max_size=30))
    steps_back = draw(st.integers(1, len(xs) + 2)) if spec.needs_steps_back else None
    return xs, k, steps_back


# --- tests ----------------------------------------------------------------------------------
def test_every_task_has_an_example_and_a_naive_rule():
    assert set(WORKED_EXAMPLES) == set(tasks.TASKS) == set(NAIVE)


@pytest.mark.parametrize("name", list(tasks.TASKS))
def test_worked_example(name):
    example = WORKED_EXAMPLES[name]
    x, _ = parse(example["x"])
    expected_targets, expected_mask = parse(example["y"])
    targets, mask = tasks.TASKS[name](np.array(x), example["k"], example["steps_back"])
    assert targets.tolist() == expected_targets
    assert mask.tolist() == expected_mask
    assert targets.dtype == np.int64 and mask.dtype == bool


@pytest.mark.parametrize("name", list(tasks.TASKS))
def test_worked_example_is_in_the_docstring(name):
    # The docstring's inputs / targets / mask rows are the same example.
    example = WORKED_EXAMPLES[name]
    targets, mask = parse(example["y"])
    doc = " ".join(tasks.TASKS[name].rule.__doc__.split())
    assert "inputs " + example["x"] in doc
    assert "targets " + " ".join(map(str, targets)) in doc
    assert "mask " + " ".join(str(int(m)) for m in mask) in doc


@pytest.mark.parametrize("name", list(tasks.TASKS))
def test_rule_matches_naive_reimplementation(name):
    spec = tasks.TASKS[name]

    @settings(max_examples=150, deadline=None, database=None)
    @given(task_inputs(spec))
    def check(case):
        xs, k, steps_back = case
        targets, mask = spec(np.array(xs), k, steps_back)
        assert (targets.tolist(), mask.tolist()) == NAIVE[name](xs, k, steps_back)

    check()


@pytest.mark.parametrize("name", list(tasks.TASKS))
def test_rule_is_applied_row_by_row_on_a_batch(name):
    spec = tasks.TASKS[name]
    k, steps_back = 4, (3 if spec.needs_steps_back else None)
    x = np.random.default_rng(0).integers(0, k, size=(2, 5, 11))    # (..., T)
    targets, mask = spec(x, k, steps_back)
    assert targets.shape == mask.shape == x.shape
    for index in np.ndindex(x.shape[:-1]):
        row_targets, row_mask = spec(x[index], k, steps_back)
        np.testing.assert_array_equal(targets[index], row_targets)
        np.testing.assert_array_equal(mask[index], row_mask)


@pytest.mark.parametrize("name", list(tasks.TASKS))
def test_rule_leaves_its_input_alone(name):
    spec = tasks.TASKS[name]
    x = np.array([2, 0, 1, 2, 2, 1])
    spec(x, 3, 2 if spec.needs_steps_back else None)
    assert x.tolist() == [2, 0, 1, 2, 2, 1]


@pytest.mark.parametrize("name", list(tasks.TASKS))
@pytest.mark.parametrize("x, message", [
    ([0, 3, 1], r"in \{0..2\}"),          # symbol out of range for k = 3
    ([0, -1, 1], r"in \{0..2\}"),
    ([0.0, 1.0], "int array"),
    ([True, False], "int array"),
    (1, "time axis"),
])
def test_rule_refuses_bad_inputs(name, x, message):
    spec = tasks.TASKS[name]
    with pytest.raises(ValueError, match=message):
        spec(x, 3, 1 if spec.needs_steps_back else None)


def test_fdr_refuses_bad_steps_back():
    for steps_back in (0, -1, None, 1.0, True):
        with pytest.raises(ValueError, match="steps_back"):
            tasks.TASKS["fdr"]([0, 1, 2], 3, steps_back)


@pytest.mark.parametrize("name", [n for n, s in tasks.TASKS.items() if not s.needs_steps_back])
def test_tasks_without_steps_back_refuse_it(name):
    with pytest.raises(ValueError, match="takes no steps_back"):
        tasks.TASKS[name]([0, 1, 2], 3, 2)


def test_output_dims():
    assert {name: spec.outdim(5) for name, spec in tasks.TASKS.items()} == {
        "fdr": 5, "ddr": 5, "multiswitch": 2, "svb": 5, "mvb": 5}
