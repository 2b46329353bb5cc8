"""Readings of the protocol: names, keys, and what each choice does to data and training."""
import json

import numpy as np
import pytest

import tasks
from pybrain_ext.batched.engine import Sequences
from pybrain_ext.batched.layout import param_layout
from pybrain_ext.training import classification_error
from reproduce.experiment.build import make_data, make_network
from reproduce.experiment.config import RunConfig
from reproduce.experiment.engines import fit_many, fit_pybrain
from reproduce.experiment.readings import (
    ATOMS,
    READING_FIELDS,
    STATED,
    get_reading,
    sensitivity_readings,
    with_overrides,
)

BASE = dict(task="fdr", k=3, steps_back=3, cell="tanh", layers=1, hidden=5)


@pytest.mark.parametrize("name, canonical", [
    ("stated", "stated"), ("var0.3", "stated"), ("cap1000", "stated"),
    ("var0.09", "var0.09"), ("cap100+var1", "var1+cap100"),
    ("zero-target+var0.01", "var0.01+zero-target"),
    ("class0-target+var0.01", "var0.01+class0-target"),
    ("cap50+class0-target+connections-only", "connections-only+class0-target+cap50"),
    ("data-per-seed+random-validation+connections-only",
     "connections-only+random-validation+data-per-seed"),
])
def test_names_are_canonical(name, canonical):
    assert get_reading(name).name == canonical
    assert get_reading(canonical) == get_reading(name)


@pytest.mark.parametrize("name, message", [
    ("", "non-empty"), ("varx", "unknown reading atom 'varx'"), ("foo", "allowed: stated, var<V>"),
    ("var0", "init_variance must be a number > 0"), ("var0.1+var0.2", "init_variance twice"),
    ("cap-3", "max_epochs must be an int >= 0"),
    ("zero-target+class0-target", "untargeted twice"), ("class0", "unknown reading atom"),
])
def test_bad_names_say_what_is_allowed(name, message):
    with pytest.raises(ValueError, match=message):
        get_reading(name)


def test_stated_keeps_every_key_written_before_readings_existed():
    config = RunConfig(**BASE)
    assert get_reading(STATED).apply(config).key == config.key
    # the new choices are in the JSON only where they differ from the stated ones
    assert not {"init_scope", "untargeted", "validation", "data_sets"} & set(
        json.loads(config.to_json()))
    other = get_reading("zero-target+random-validation").apply(config)
    assert json.loads(other.to_json())["untargeted"] == "zero_target"
    assert RunConfig.from_json(other.to_json()) == other and other.key != config.key


def test_the_untargeted_fillers_keep_their_keys():
    # A change here orphans stored runs; zero-target's JSON is the one its stores were keyed by.
    config = RunConfig(**BASE)
    stated = config.to_json()
    assert "untargeted" not in stated
    for name, value in (("zero-target", "zero_target"), ("class0-target", "class0_target")):
        run = get_reading(name).apply(config)
        assert run.untargeted == value
        assert run.to_json() == stated[:-1] + f',"untargeted":"{value}"}}'
        assert RunConfig.from_json(run.to_json()) == run
    assert len({get_reading(n).apply(config).key
                for n in ("stated", "zero-target", "class0-target")}) == 3


def test_every_atom_changes_the_key_and_matches_only_its_runs():
    config = RunConfig(**BASE)
    keys = {config.key}
    assert get_reading("connections-only").apply(config) == config   # tanh: nothing to scope
    config = RunConfig(**BASE | dict(cell="gru"))
    keys = {config.key}
    for part in ("var0.09", "connections-only", "zero-target", "class0-target",
                 "random-validation", "data-per-seed", "cap50"):
        reading = get_reading(part)
        run = reading.apply(config)
        keys.add(run.key)
        assert reading.matches(run) and not reading.matches(config)
        assert get_reading(STATED).matches(config)
    assert len(keys) == 8
    assert not get_reading("zero-target").matches(get_reading("class0-target").apply(config))
    assert {a.field for a in ATOMS} == set(READING_FIELDS)


def test_overrides_and_study_list():
    assert with_overrides(get_reading("zero-target"), 0.01, 50).name == "var0.01+zero-target+cap50"
    assert with_overrides(get_reading("var0.01"), 0.3).name == STATED
    names = [r.name for r in sensitivity_readings(0.09)]
    assert len(names) == len(set(names)) >= 10 and "stated" in names
    assert "var0.09+zero-target" in names and "var0.09+cap25" in names


# --- what each choice does ---------------------------------------------------------

def test_connections_only_keeps_the_gru_matrices_at_pybrains_default_draw():
    gru = RunConfig(**BASE | dict(cell="gru", hidden=20, init_variance=0.01))
    stated, scoped = make_network(gru), make_network(
        get_reading("connections-only").apply(gru))
    for block in param_layout(stated):
        a, b = (net.params[block.start:block.stop] for net in (stated, scoped))
        if block.kind == "module":    # the same draw, at standard deviation 1 instead of 0.1
            np.testing.assert_allclose(b, a * 10, rtol=1e-12)
            assert 0.9 < b.std() < 1.1
        else:
            np.testing.assert_array_equal(a, b)
    # without a layer of its own parameters the scope changes nothing (not even the key)
    tanh = RunConfig(**BASE)
    assert get_reading("connections-only").apply(tanh) == tanh
    assert get_reading("var0.3+connections-only").matches(tanh)


@pytest.mark.parametrize("reading", ["zero-target", "class0-target"])
def test_the_fillers_count_the_steps_without_a_target(reading):
    config = RunConfig(**BASE | dict(steps_back=4))
    filled = get_reading(reading).apply(config)
    test = make_data(config)[2]
    assert not test.mask[:, :4].any() and test.mask[:, 4:].all()
    net = make_network(config)
    masked = classification_error(net, tasks.to_pybrain(test))
    counted = classification_error(net, tasks.to_pybrain(test, filled.untargeted))
    # by hand: every step counts; a step without a target is right when the output says 0
    wrong = []
    for inputs, targets, mask in zip(test.inputs, test.targets, test.mask):
        net.reset()
        for x, y, m in zip(inputs, targets, mask):
            out = np.argmax(net.activate(np.eye(3)[x]))
            wrong.append((out != (y if m else 0), m))
    wrong = np.array(wrong)
    assert masked == pytest.approx(100 * wrong[wrong[:, 1] == 1, 0].mean())
    assert counted == pytest.approx(100 * wrong[:, 0].mean())
    assert masked != counted


def test_random_validation_is_drawn_from_the_seed():
    config = RunConfig(**BASE)
    fixed = make_data(config)
    drawn = [make_data(get_reading("random-validation").apply(
        RunConfig(**BASE | dict(seed=s)))) for s in (0, 0, 1)]
    assert drawn[0][1].rows == drawn[1][1].rows != drawn[2][1].rows
    assert drawn[0][1].rows != fixed[1].rows
    assert drawn[0][2].rows == fixed[2].rows          # the test set does not move


def test_data_per_seed_draws_a_data_set_per_seed():
    runs = [get_reading("data-per-seed").apply(RunConfig(**BASE | dict(seed=s)))
            for s in (0, 1)]
    first, second = (make_data(c)[0] for c in runs)
    assert not np.array_equal(first.inputs, second.inputs)
    assert np.array_equal(first.inputs, make_data(RunConfig(**BASE))[0].inputs)  # seed 0


@pytest.mark.parametrize("reading, change", [
    ("connections-only", dict(cell="gru", task="svb", k=3, steps_back=None, hidden=3)),
    ("zero-target", dict(task="svb", k=4, steps_back=None, cell="lstm", hidden=3)),
    ("random-validation", dict(cell="relu")),
    ("data-per-seed+zero-target", dict(task="mvb", k=3, steps_back=None, seed=2)),
])
def test_both_engines_agree_under_every_reading(reading, change):
    config = get_reading(reading + "+var0.09+cap4").apply(
        RunConfig(**BASE | dict(delta0=0.1, seed=1) | change))
    (ours, params), = fit_many([config], "batched")
    theirs, their_params = fit_pybrain(config)
    assert (ours.epochs, ours.stop_reason, ours.test_error) == \
        (theirs.epochs, theirs.stop_reason, theirs.test_error)
    assert ours.validation_error == pytest.approx(theirs.validation_error, rel=1e-10)
    np.testing.assert_allclose(params, their_params, rtol=0, atol=1e-8)


# --- class0-target: which steps are filled, and with what -----------------------------

VARIANTS = [("fdr", 3, 3), ("ddr", 4, None), ("multiswitch", 3, None), ("svb", 4, None),
            ("mvb", 3, None)]


def started_at_zero(task, x, k, steps_back):
    """The targets of one sequence by a step-by-step generator whose state starts at 0:
    the input history is padded with 0 (FDR, DDR), the switches, the stored value and
    the slots start at 0 (Multiswitch, SVB, MVB).  No step is left without a target."""
    history = lambda t: x[t] if t >= 0 else 0                               # noqa: E731
    if task == "fdr":
        return [history(t - steps_back) for t in range(len(x))]
    if task == "ddr":
        return [history(t - (x[t] + 1)) for t in range(len(x))]
    targets, memory = [], [0] * k
    for t, symbol in enumerate(x):
        if task == "multiswitch":
            memory[symbol] ^= 1
            targets.append(memory[symbol])
        elif task == "svb":
            if symbol == k - 1 and t >= 1:
                memory[0] = x[t - 1]
            targets.append(memory[0])
        else:                                             # mvb: read the slot, then write it
            targets.append(memory[symbol])
            if t >= 1:
                memory[symbol] = x[t - 1]
    return targets


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v[0])
def test_class0_target_is_class_0_one_hot_exactly_at_the_untargeted_steps(variant):
    task, k, steps_back = variant
    data = tasks.generate(task, k, steps_back=steps_back, n_sequences=24, seed=3)
    filled = tasks.to_pybrain(data, "class0_target")
    masked = tasks.to_pybrain(data)
    eye = np.eye(data.variant.outdim)
    for i in range(data.inputs.shape[0]):
        _, targets, importance = filled.getSequence(i)
        _, masked_targets, _ = masked.getSequence(i)
        mask = data.mask[i]
        assert np.all(importance == 1)
        np.testing.assert_array_equal(targets[~mask], np.tile(eye[0], ((~mask).sum(), 1)))
        np.testing.assert_array_equal(targets[mask], masked_targets[mask])
        # what a generator whose memory or history starts at 0 gives at every step
        np.testing.assert_array_equal(targets.argmax(axis=1),
                                      started_at_zero(task, data.inputs[i], k, steps_back))
    # the batched engine is given the same numbers
    sequences = Sequences.stack([data], data.variant.indim, data.variant.outdim, "class0_target")
    # (T, seqs, outdim)
    columns = sequences.target_codes[0].T.reshape(data.length, -1, data.variant.outdim)
    np.testing.assert_array_equal(columns.transpose(1, 0, 2).reshape(-1, data.variant.outdim),
                                  filled.getField("target"))
    assert np.all(sequences.importance == 1)
    assert (~data.mask).any() == (task != "multiswitch")   # every task but one has such steps


CLASS0_CONFIGS = [dict(task=t, k=k, steps_back=n, cell=c, layers=layers, hidden=3, skip=skip)
                  for t, k, n in VARIANTS
                  for c, layers, skip in (("tanh", 1, "none"), ("gru", 2, "both"))]


@pytest.mark.parametrize("change", [       # the fast lane: tanh on every task, GRU on one
    pytest.param(c, marks=pytest.mark.slow if c["cell"] == "gru" and c["task"] != "svb" else ())
    for c in CLASS0_CONFIGS], ids=lambda c: f"{c['task']}-{c['cell']}-L{c['layers']}")
def test_both_engines_agree_bit_for_bit_under_class0_target(change):
    config = get_reading("class0-target+var0.09+cap4").apply(
        RunConfig(**BASE | dict(delta0=0.1, seed=1) | change))
    (ours, params), = fit_many([config], "batched")
    theirs, their_params = fit_pybrain(config)
    assert (ours.epochs, ours.stop_reason, ours.test_error) == \
        (theirs.epochs, theirs.stop_reason, theirs.test_error)
    np.testing.assert_array_equal(params, their_params)
    # one sum taken in another order: at most a rounding step apart
    assert ours.validation_error == pytest.approx(theirs.validation_error, rel=1e-12, abs=0)


def test_reading_of_a_run_names_the_reading_that_selects_it():
    """What an empty selection's message suggests (issue 20, 1): the reading a stored run
    was made under; a profile's own cap is no part of it."""
    from reproduce.experiment.profiles import get_profile
    from reproduce.experiment.readings import reading_of
    for name in ("stated", "var0.09+cap25", "var0.01+zero-target+cap50", "data-per-seed"):
        reading = get_reading(name)
        for profile in ("quick", "smoke"):
            config = get_profile(profile).configs(reading)[0]
            assert reading_of(config, get_profile(profile).max_epochs) == reading
            assert reading_of(json.loads(config.to_json())) == reading
            assert reading.matches(config)
