"""bench.engines runs and prints its table (a smoke test; the timings are not tested)."""
import pytest

from bench import engines


@pytest.mark.slow                    # PyBrain and both engine paths, seconds each
@pytest.mark.default_engine_path     # the benchmark times both paths itself
def test_benchmark_prints_a_row_per_configuration(capsys):
    assert engines.main(["--cells", "tanh", "--hidden", "3", "--layers", "1", "2",
                         "--models", "1", "4", "--repeats", "1", "--epochs", "2",
                         "--pybrain-epochs", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split() == ["cell", "H", "L", "pybrain", "M=1", "M=4", "x(M=1)", "x(M=4)"]
    rows = [line.split() for line in lines[2:]]
    assert [row[:3] for row in rows] == [["tanh", "3", "1"], ["tanh", "3", "2"]]
    assert all(float(value) > 0 for row in rows for value in row[3:])


def test_bad_options_are_refused():
    with pytest.raises(SystemExit):
        engines.main(["--epochs", "0"])
    with pytest.raises(SystemExit):
        engines.main(["--cells", "lstmx"])
