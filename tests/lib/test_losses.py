"""backprop_lib.losses: the squared error and cross-entropy, and their gradients."""

import numpy as np
import pytest

import backprop_lib as bl
from backprop_lib import example
from helpers import each_bad_input

X, Y, W1, B1 = example.x, example.y, example.W1, example.b1


def test_losses_on_example():
    z2 = bl.softmax(bl.linear(W1, X, B1))
    assert bl.squared_error(Y, z2) == pytest.approx(1.2191, abs=5e-5)
    np.testing.assert_allclose(bl.squared_error_grad(Y, z2), [1.5615, -1.5615], atol=5e-5)
    assert bl.squared_error(Y, [0.8, 0.2]) == pytest.approx(1.28)
    np.testing.assert_allclose(bl.squared_error_grad(Y, [0.8, 0.2]), [1.6, -1.6])
    assert bl.cross_entropy(Y, z2) == pytest.approx(-np.log(z2[1]))
    np.testing.assert_allclose(bl.cross_entropy_grad(Y, z2), [0.0, -1 / z2[1]])


BAD = [
    ("loss shapes", lambda: bl.squared_error([0.0, 1.0], [0.5, 0.3, 0.2]), r"\(2,\).*\(3,\)"),
    ("loss grad shapes", lambda: bl.squared_error_grad([[0.0, 1.0]], [0.5, 0.5]), r"\(1, 2\).*\(2,\)"),
    ("ce of a zero", lambda: bl.cross_entropy([0.0, 1.0], [1.0, 0.0]), r"infinite"),
    ("ce negative", lambda: bl.cross_entropy_grad([0.0, 1.0], [1.5, -0.5]), r"-0.5"),
]


@each_bad_input(BAD)
def test_bad_input_raises_a_value_error_naming_shapes_or_values(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_no_silent_broadcast_between_target_and_prediction():
    # (2,) against (1, 2) would broadcast in numpy; the library refuses
    with pytest.raises(ValueError):
        bl.squared_error(np.array([[0.0, 1.0]]), np.array([0.5, 0.5]))
