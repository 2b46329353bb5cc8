"""checks: the one number check, and that the objects built on it keep plain values."""
import json
from dataclasses import dataclass

import numpy as np
import pytest

from pybrain_ext.checks import check_number, describe, set_checked


@pytest.mark.parametrize("value, kind, bounds, expected", [
    (3, int, {}, 3), (np.int64(3), int, {"minimum": 1}, 3), (np.uint8(0), int, {"minimum": 0}, 0),
    (0.5, float, {"above": 0}, 0.5), (1, float, {"above": 0}, 1.0),
    (np.float32(0.25), float, {}, 0.25), (5, int, {"minimum": 1, "maximum": 5}, 5),
])
def test_plain_values_come_back(value, kind, bounds, expected):
    result = check_number("x", value, kind, **bounds)
    assert result == expected and type(result) is kind


@pytest.mark.parametrize("value, kind, bounds, message", [
    (True, int, {}, r"x must be an int; got True \(bool\)"),
    (np.bool_(True), float, {}, "x must be a number; got"),
    (3.0, int, {"minimum": 1}, r"x must be an int >= 1; got 3.0 \(float\)"),
    ("3", int, {}, r"got '3' \(str\)"), (None, float, {}, r"got None \(NoneType\)"),
    (0, int, {"minimum": 1}, "x must be an int >= 1; got 0"),
    (6, int, {"minimum": 1, "maximum": 5}, "x must be an int >= 1 and <= 5; got 6"),
    (0.0, float, {"above": 0}, "x must be a number > 0; got 0.0"),
    (float("nan"), float, {}, "x must be a number; got nan"),
    (float("inf"), float, {"above": 0}, "got inf"),
])
def test_bad_values_say_what_is_allowed(value, kind, bounds, message):
    with pytest.raises(ValueError, match=message):
        check_number("x", value, kind, **bounds)


def test_describe():
    assert describe(int, minimum=1) == "an int >= 1"
    assert describe(float, above=0) == "a number > 0"


def test_set_checked_writes_the_plain_value_back():
    @dataclass(frozen=True)
    class Thing:
        n: object

    thing = Thing(np.int64(4))
    assert set_checked(thing, "n", int, minimum=0) == 4 and type(thing.n) is int


def test_numpy_numbers_make_the_same_run_key():
    """RunConfig used to accept np.int64 and then fail to serialise it."""
    from reproduce.experiment.config import RunConfig
    plain = RunConfig(task="fdr", k=3, steps_back=3, cell="lstm", layers=2, hidden=5,
                      skip="both", delta0=0.1, seed=0, max_epochs=1000)
    numpy = RunConfig(task="fdr", k=np.int64(3), steps_back=np.int32(3), cell="lstm",
                      layers=np.int64(2), hidden=np.int16(5), skip="both",
                      delta0=np.float64(0.1), seed=np.int64(0), max_epochs=np.int64(1000))
    assert numpy == plain and numpy.key == plain.key
    assert all(type(v) in (int, float, str, type(None))
               for v in json.loads(numpy.to_json()).values())
