"""backprop_lib.example: the lecture notes' example, read-only."""

import numpy as np
import pytest

from backprop_lib import example

X, Y, W1, B1 = example.x, example.y, example.W1, example.b1


def test_example_values_and_labels():
    np.testing.assert_array_equal(X, [0.3, 0.3, 0.9])
    np.testing.assert_array_equal(Y, [0.0, 1.0])
    np.testing.assert_array_equal(W1, [[0.2, 0.4, 0.9], [0.1, -0.2, -0.5]])
    np.testing.assert_array_equal(B1, [0.0, 0.2])
    assert example.INPUT_LABELS == ("green", "yellow", "red")
    assert example.OUTPUT_LABELS == ("exact", "test")


@pytest.mark.parametrize("name", ["x", "y", "W1", "b1"])
def test_example_arrays_are_read_only(name):
    a = getattr(example, name)
    with pytest.raises(ValueError, match="read-only"):
        a[0] = 42.0
    with pytest.raises(ValueError, match="read-only"):
        a += 1.0
