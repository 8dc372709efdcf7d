"""backprop_lib.activations: the softmax, its log, Jacobian and backward step, and the hidden
layers' sigmoid, tanh and relu with their backward steps, against the `autograd` package;
their stability for extreme inputs; bad input."""

import numpy as np
import pytest
from autograd import elementwise_grad, jacobian
from hypothesis import assume, given
from hypothesis import strategies as st

import backprop_lib as bl
from backprop_lib import example
from helpers import ACTIVATIONS, each_bad_input, softmax, values

X, Y, W1, B1 = example.x, example.y, example.W1, example.b1


def test_softmax_jacobian_on_example():
    J = bl.softmax_jacobian(bl.linear(W1, X, B1))
    np.testing.assert_allclose(J, 0.1712 * np.array([[1, -1], [-1, 1]]), atol=5e-5)
    np.testing.assert_allclose(bl.softmax_jacobian_from_output([0.8, 0.2]),
                               0.16 * np.array([[1, -1], [-1, 1]]), atol=1e-12)


@pytest.mark.parametrize("z, expected", [
    ([1000.0, -1000.0], [1.0, 0.0]),
    ([-1000.0, -1000.0], [0.5, 0.5]),
    ([1000.0, 1000.0], [0.5, 0.5]),
    ([[1000.0, -1000.0], [-1000.0, -1000.0]], [[1.0, 0.0], [0.5, 0.5]]),
])


def test_softmax_extreme_logits_are_exact_and_finite(z, expected):
    s = bl.softmax(z)
    assert np.all(np.isfinite(s))
    np.testing.assert_array_equal(s, expected)


def test_log_softmax_extreme_logits():
    np.testing.assert_allclose(bl.log_softmax([1000.0, -1000.0]), [0.0, -2000.0])


BAD = [
    ("nan in logits", lambda: bl.softmax([np.nan, 1.0]), r"z has non-finite"),
    ("jacobian of text", lambda: bl.softmax_jacobian("abc"), r"z must be numbers"),
    ("activation backward shapes", lambda: bl.sigmoid_backward([0.0, 1.0], [1.0]), r"\(2,\).*\(1,\)"),
    ("relu of text", lambda: bl.relu("three"), r"numbers"),
    ("softmax_backward shapes", lambda: bl.softmax_backward([0.5, 0.5], [1.0, 2.0, 3.0]), r"\(2,\).*\(3,\)"),
]


@each_bad_input(BAD)
def test_bad_input_raises_a_value_error_naming_shapes_or_values(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@given(z=st.one_of(values((3,), -50, 50), values((4, 5), -50, 50)))
def test_softmax_rows_sum_to_one(z):
    s = bl.softmax(z)
    assert np.all(s >= 0)
    np.testing.assert_allclose(s.sum(axis=-1), 1.0, rtol=1e-12)


@given(z=st.one_of(values((3,), -10, 10), values((4, 5), -10, 10)))
def test_softmax_jacobian_rows_sum_to_zero_and_symmetric(z):
    J = bl.softmax_jacobian(z)
    n = np.shape(z)[-1]
    assert J.shape == np.shape(z)[:-1] + (n, n)
    np.testing.assert_allclose(J.sum(axis=-1), 0.0, atol=1e-15)
    np.testing.assert_array_equal(J, np.swapaxes(J, -1, -2))


@given(z=values((4,), -5, 5))
def test_softmax_jacobian_matches_autograd(z):
    np.testing.assert_allclose(bl.softmax_jacobian(z), jacobian(softmax)(z), rtol=1e-9, atol=1e-15)


@given(z=values((3, 4), -5, 5), g=values((3, 4)))
def test_softmax_backward_is_jacobian_transpose_times_gradient(z, g):
    s = bl.softmax(z)
    via_J = np.einsum("nij,ni->nj", bl.softmax_jacobian(z), g)
    np.testing.assert_allclose(bl.softmax_backward(s, g), via_J, rtol=1e-9, atol=1e-15)


# ---- the hidden layers' activations ----------------------------------------------------


@pytest.mark.parametrize("name", ACTIVATIONS)
@given(z=values((3, 4), -30.0, 30.0), g=values((3, 4)))
def test_activation_backward_is_the_derivative_at_z(name, z, g):
    f, f_backward = bl.activations.ACTIVATIONS[name]
    np.testing.assert_allclose(f(z), ACTIVATIONS[name](z), rtol=1e-14, atol=1e-300)
    assume(name != "relu" or np.abs(z).min() > 0)
    # a (1 - a) loses relative precision where 1 - a is tiny, not absolute precision
    np.testing.assert_allclose(f_backward(z, g), g * elementwise_grad(ACTIVATIONS[name])(z),
                               rtol=1e-9, atol=1e-15)
    # the stored activation, passed in, gives the same step
    np.testing.assert_array_equal(f_backward(z, g, a=f(z)), f_backward(z, g))


def test_activations_at_the_edges():
    z = np.array([-1000.0, -1.0, 0.0, 1.0, 1000.0])
    with np.errstate(over="raise", divide="raise", invalid="raise"):  # no overflow warning, no nan
        np.testing.assert_array_equal(bl.sigmoid(z)[[0, 2, 4]], [0.0, 0.5, 1.0])
        np.testing.assert_array_equal(bl.sigmoid_backward(z, np.ones(5))[[0, 4]], [0.0, 0.0])
    np.testing.assert_array_equal(bl.relu_backward(z, np.ones(5)), [0.0, 0.0, 0.0, 1.0, 1.0])  # relu'(0) = 0
    assert bl.sigmoid_backward(np.array([0.0]), np.array([1.0]))[0] == 0.25
