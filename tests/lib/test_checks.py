"""backprop_lib._checks: the input checks every module shares, with the shapes or values
in each message."""

import numpy as np
import pytest

from backprop_lib._checks import as_array, frozen, n_rows, same_shape, whole_number
from helpers import each_bad_input

BAD = [
    ("not numbers", lambda: as_array("x", "abc"), r"x must be numbers"),
    ("wrong rank", lambda: as_array("W", np.ones(3), ndims=(2,)), r"W must be a matrix.*\(3,\)"),
    ("empty", lambda: as_array("x", np.ones((0, 3))), r"x is empty.*\(0, 3\)"),
    ("nan", lambda: as_array("x", [1.0, np.nan]), r"x has non-finite.*\[\(1,\)\]"),
    ("shapes differ", lambda: same_shape("y", np.ones(2), "y_hat", np.ones(3)), r"y has shape \(2,\).*\(3,\)"),
    ("not whole", lambda: whole_number("steps", 2.5), r"steps must be a whole number >= 0, got 2.5"),
    ("a bool", lambda: whole_number("steps", True), r"got True"),
    ("too small", lambda: whole_number("n", 0, minimum=1), r"n must be a whole number >= 1"),
    ("None not allowed", lambda: whole_number("seed", None), r"seed must be"),
]


@each_bad_input(BAD)
def test_bad_input_raises_a_value_error_naming_shapes_or_values(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_good_input_passes_through():
    np.testing.assert_array_equal(as_array("x", [1, 2]), [1.0, 2.0])
    assert as_array("x", [1, 2]).dtype == float
    assert whole_number("n", np.int64(3)) == 3 and whole_number("seed", None, allow_none=True) is None
    assert n_rows(np.ones(3)) == 1 and n_rows(np.ones((4, 3))) == 4


def test_frozen_arrays_are_read_only_and_numbers_stay_numbers():
    a = frozen([1.0, 2.0])
    with pytest.raises(ValueError, match="read-only"):
        a[0] = 0.0
    assert frozen(np.float64(1.5)) == 1.5 and type(frozen(np.float64(1.5))) is float
