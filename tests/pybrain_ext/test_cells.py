"""The cell registry: PyBrain-free facts in pybrain_ext.batched.cells, a PyBrain layer per name."""
import pytest

from pybrain_ext.batched import kernels
from pybrain_ext.batched.cells import CELL_TYPES, Cell, CellType, cell_type, tanh_forward
from pybrain_ext.cells import CELL_LAYERS, layer_of


def test_every_cell_type_has_a_pybrain_layer_and_no_layer_is_extra():
    assert list(CELL_LAYERS) == list(CELL_TYPES)


@pytest.mark.parametrize("cell", list(CELL_TYPES))
def test_a_layer_takes_one_input_block_per_unit_and_block(cell):
    layer = layer_of(cell).layer(4)
    assert layer.indim == 4 * len(CELL_TYPES[cell].blocks) and layer.outdim == 4


def test_the_compiled_codes_are_the_registry_s():
    assert kernels.CODES == {name: c.kernel for name, c in CELL_TYPES.items()}
    assert len(set(kernels.CODES.values())) == len(kernels.CODES)


def test_unknown_names_are_refused_naming_the_registered_ones():
    with pytest.raises(ValueError, match="unknown cell 'lstmx'; allowed: lstm, gru"):
        cell_type("lstmx")
    with pytest.raises(ValueError, match="unknown cell"):
        layer_of("lstmx")


def test_an_entry_whose_steps_record_other_quantities_is_refused():
    steps = Cell(tanh_forward, tanh_forward, ((0, 0),), (), {"h": ("h", None)})
    with pytest.raises(ValueError, match="record"):
        CellType("odd", ("h",), False, quantities=("h", "c"), gates=(), steps=steps)
    with pytest.raises(ValueError, match="gates"):
        CellType("odd", ("h",), False, quantities=("h",), gates=("i",), steps=steps)
    assert CellType("odd", ("h",), False, ("h",), (), steps).title == "odd"   # title: its name
