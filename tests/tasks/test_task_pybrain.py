"""tasks.to_pybrain: the ImportanceDataSet holds exactly the arrays."""
import numpy as np
import pytest

import tasks


def example_args(name):
    return name, 4, (3 if tasks.TASKS[name].needs_steps_back else None)


@pytest.fixture(scope="module", params=list(tasks.TASKS))
def converted(request):
    data = tasks.generate(*example_args(request.param), n_sequences=16, length=12, seed=4)
    return data, tasks.to_pybrain(data)


def test_dimensions_and_sequences(converted):
    data, dataset = converted
    assert type(dataset).__name__ == "ImportanceDataSet"
    assert (dataset.indim, dataset.outdim) == (data.variant.indim, data.variant.outdim)
    assert dataset.getNumSequences() == 16
    assert [dataset.getSequenceLength(i) for i in range(16)] == [12] * 16
    assert len(dataset) == 16 * 12


def test_samples_are_one_hot_with_importance_mask(converted):
    data, dataset = converted
    for i in range(dataset.getNumSequences()):
        inputs, targets, importance = dataset.getSequence(i)
        assert inputs.shape == (12, data.variant.indim)
        assert targets.shape == importance.shape == (12, data.variant.outdim)
        for t in range(12):
            expected_input = [0.0] * data.variant.indim
            expected_input[data.inputs[i, t]] = 1.0
            assert inputs[t].tolist() == expected_input
            expected_target = [0.0] * data.variant.outdim
            if data.mask[i, t]:
                expected_target[data.targets[i, t]] = 1.0
            assert targets[t].tolist() == expected_target          # masked: zero vector
            assert importance[t].tolist() == [float(data.mask[i, t])] * data.variant.outdim


def test_round_trip(converted):
    data, dataset = converted
    inputs, targets, mask = tasks.from_pybrain(dataset)
    np.testing.assert_array_equal(inputs, data.inputs)
    np.testing.assert_array_equal(targets, data.targets)
    np.testing.assert_array_equal(mask, data.mask)


def test_split_parts_convert():
    train, validation, test = tasks.split(tasks.generate("fdr", 3, 3))
    assert [tasks.to_pybrain(p).getNumSequences() for p in (train, validation, test)] == [
        36, 12, 16]


def test_from_pybrain_refuses_other_data_sets():
    dataset = tasks.to_pybrain(tasks.generate("ddr", 3, n_sequences=2, length=5))
    dataset.getField("importance")[0, 0] = 0.5
    with pytest.raises(ValueError, match="importance must be 0 or 1"):
        tasks.from_pybrain(dataset)
