"""The batched forward pass runs sequences of any length: 100 steps against PyBrain."""
import numpy as np
import pytest

import tasks
from pybrain_ext.batched.architecture import Architecture
from pybrain_ext.batched.cells import CELL_TYPES
from pybrain_ext.batched.engine import Sequences, classification_error, forward
from pybrain_ext.network import build_network
from pybrain_ext.training import classification_error as pybrain_classification_error


@pytest.mark.parametrize("cell", CELL_TYPES)
def test_100_step_outputs_equal_pybrains(cell):
    data = tasks.generate("ddr", 3, n_sequences=2, length=100, seed=11)
    nets = [build_network(cell, 3, 3, 2, 4, "both", seed=seed) for seed in (0, 1)]
    arch = Architecture(cell, 2, 4, "both", 3, 3)
    params = np.stack([net.params for net in nets])
    batch = Sequences.stack([data, data], 3, 3)
    y = forward(arch, params, batch).y                          # (models, outdim, steps * seqs)
    y = y.reshape(2, 3, 100, 2)                                 # (models, outdim, steps, seqs)
    ours = classification_error(arch, params, batch)
    for m, net in enumerate(nets):
        for s in range(2):
            net.reset()
            expected = np.array([net.activate(np.eye(3)[x]) for x in data.inputs[s]])
            np.testing.assert_allclose(y[m, :, :, s].T, expected, rtol=0, atol=1e-10)
        assert ours[m] == pybrain_classification_error(net, tasks.to_pybrain(data))
