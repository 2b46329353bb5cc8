"""A new cell type and a new task are one registry entry plus their functions each.

The test adds a softsign cell (``x / (1 + |x|)``: the batched engine's two steps in
the cell registry, a PyBrain layer beside it) and a "previous symbol" task (a rule
function), touching no source file, and trains them through both engines, the command
line included.
"""
import numpy as np
import pytest
from pybrain3.structure.modules.neuronlayer import NeuronLayer

import tasks
from pybrain_ext.batched.architecture import Architecture
from pybrain_ext.batched.cells import CELL_TYPES, simple_cell
from pybrain_ext.batched.engine import record as batched_record
from pybrain_ext.cells import CELL_LAYERS, simple_layer
from pybrain_ext.record import record
from reproduce.analysis.figures import activity_columns, activity_of, draw_activity
from reproduce.cli import main
from reproduce.experiment.build import make_data, make_network
from reproduce.experiment.config import RunConfig
from reproduce.experiment.engines import fit_many
from tasks.registry import TASKS, TaskSpec

# --- the cell: PyBrain's layer and the batched steps ----------------------------------

class SoftsignLayer(NeuronLayer):
    """``x / (1 + |x|)``, derivative ``1 / (1 + |x|)**2``."""

    def _forwardImplementation(self, inbuf, outbuf):
        outbuf[:] = inbuf / (1 + abs(inbuf))

    def _backwardImplementation(self, outerr, inerr, outbuf, inbuf):
        inerr[:] = outerr / (1 + abs(inbuf)) ** 2


def softsign_forward(pre, s, prev):
    np.divide(pre[0], 1 + np.abs(pre[0]), out=s.h)


def softsign_backward(e, s, prev, carry, delta):
    # 1 / (1 + |x|) = 1 - |h|
    np.multiply((1 - np.abs(s.h)) ** 2, e, out=delta[0])


# --- the task: the symbol one step back ------------------------------------------------

def previous(x, k):
    """``y_t = x_{t-1}``; step 0 has no target."""
    x = np.asarray(x)
    targets, mask = np.zeros_like(x), np.zeros(x.shape, dtype=bool)
    targets[..., 1:], mask[..., 1:] = x[..., :-1], True
    return targets, mask


@pytest.fixture
def registered(monkeypatch):
    monkeypatch.setitem(CELL_TYPES, "softsign", simple_cell(
        "softsign", softsign_forward, softsign_backward))
    monkeypatch.setitem(CELL_LAYERS, "softsign", simple_layer(SoftsignLayer))
    monkeypatch.setitem(TASKS, "previous", TaskSpec("previous", previous, "the tests"))


def test_the_new_cell_and_task_train_alike_in_both_engines(registered):
    config = RunConfig(task="previous", k=3, cell="softsign", layers=2, hidden=4,
                       skip="both", delta0=0.03, seed=1, max_epochs=12)
    (pybrain, pybrain_params), = fit_many([config], "pybrain")
    (batched, batched_params), = fit_many([config], "batched")
    assert (pybrain.epochs, pybrain.stop_reason) == (batched.epochs, batched.stop_reason)
    assert pybrain.test_error == batched.test_error
    assert pybrain.training_error == pytest.approx(batched.training_error, rel=1e-9)
    np.testing.assert_allclose(pybrain_params, batched_params, rtol=1e-9, atol=1e-12)
    assert pybrain.validation_error < 0.5                 # it learns something

    inputs = make_data(config)[2].inputs
    net = make_network(config)
    net._setParameters(pybrain_params)
    arch = Architecture(*config.architecture)
    ours, theirs = record(net, inputs), batched_record(arch, pybrain_params, inputs)
    for layer in ("hidden0", "hidden1", "out"):
        for q, values in ours[layer].items():
            np.testing.assert_allclose(values, theirs[layer][q], rtol=1e-9, atol=1e-12)

    activity = activity_of(config, pybrain_params)        # and the figures draw it
    assert [c.name for c in activity_columns(activity)][6:8] == ["hidden0.u0.h", "hidden0.u1.h"]
    assert "softsign" in draw_activity(activity).texts[0].get_text()


def test_the_command_line_knows_them(registered, capsys):
    assert main(["run", "--task", "previous", "--k", "3", "--cell", "softsign",
                 "--layers", "1", "--hidden", "3", "--max-epochs", "2",
                 "--engine", "batched"]) == 0
    assert "previous-k3 softsign L1 H3" in capsys.readouterr().out
    assert tasks.generate("previous", 3).mask[:, 0].sum() == 0
