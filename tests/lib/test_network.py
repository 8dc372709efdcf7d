"""Property tests on random shapes and values: backward against finite differences and
against an independent reverse-mode autodiff (the PyPI package `autograd`)."""

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import backprop_lib as bl

settings.register_profile("book", max_examples=60, deadline=None, derandomize=True)
settings.load_profile("book")

ORACLE_RTOL = 1e-9


def values(shape, lo=-2.0, hi=2.0):
    return hnp.arrays(np.float64, shape, elements=st.floats(lo, hi, allow_nan=False, width=64))


@st.composite
def problems(draw, batch=None):
    """A random layer, input and target: one sample (batch=False) or a batch of rows."""
    n_in = draw(st.integers(1, 5))
    n_out = draw(st.integers(2, 5))
    is_batch = draw(st.booleans()) if batch is None else batch
    lead = (draw(st.integers(1, 6)),) if is_batch else ()
    W = draw(values((n_out, n_in)))
    b = draw(values((n_out,)))
    x = draw(values(lead + (n_in,)))
    # a target that is a probability distribution per row (one-hot is a special case)
    raw = draw(values(lead + (n_out,), 0.0, 1.0))
    y = (raw + 1e-3) / (raw + 1e-3).sum(axis=-1, keepdims=True)
    return W, b, x, y


# --- the oracle: the same network written for the autograd package ---------------------

def a_softmax(z):
    e = anp.exp(z - anp.max(z, axis=-1, keepdims=True))
    return e / anp.sum(e, axis=-1, keepdims=True)


def a_loss_of_y_hat(y_hat, y, loss):
    per_row = anp.sum((y - y_hat) ** 2, axis=-1) if loss == "squared_error" else -anp.sum(y * anp.log(y_hat), axis=-1)
    return anp.mean(per_row)


def a_loss(W, b, x, y, loss):
    return a_loss_of_y_hat(a_softmax(anp.dot(x, W.T) + b), y, loss)


def oracle(W, b, x, y, loss):
    z1 = x @ W.T + b
    return {
        "loss": a_loss(W, b, x, y, loss),
        "W1": grad(a_loss, 0)(W, b, x, y, loss),
        "b1": grad(a_loss, 1)(W, b, x, y, loss),
        "z1": grad(lambda z: a_loss_of_y_hat(a_softmax(z), y, loss))(z1),
        "y_hat": grad(a_loss_of_y_hat)(bl.softmax(z1), y, loss),
    }


@pytest.mark.parametrize("loss", ["squared_error", "cross_entropy"])
@given(data=problems())
def test_backward_agrees_with_autograd_package(loss, data):
    W, b, x, y = data
    g = bl.backward(W, b, x, y, loss=loss)
    ref = oracle(W, b, x, y, loss)
    assert g.loss == pytest.approx(float(ref["loss"]), rel=ORACLE_RTOL)
    for field in ("y_hat", "z1", "b1", "W1"):
        mine = getattr(g, field)
        assert mine.shape == np.shape(ref[field]), field
        # relative to the largest entry; the floor keeps gradients that are zero up to
        # round-off (a target equal to the prediction) from dividing 1e-17 by 1e-17
        scale = max(np.abs(ref[field]).max(), 1e-6)
        assert np.abs(mine - ref[field]).max() <= ORACLE_RTOL * scale, field


@pytest.mark.parametrize("loss", ["squared_error", "cross_entropy"])
@given(data=problems())
def test_backward_agrees_with_finite_differences(loss, data):
    W, b, x, y = data
    g = bl.backward(W, b, x, y, loss=loss)
    num_W = bl.numerical_gradient(lambda W_: bl.backward(W_, b, x, y, loss=loss).loss, W)
    num_b = bl.numerical_gradient(lambda b_: bl.backward(W, b_, x, y, loss=loss).loss, b)
    # central differences with eps=1e-6 on a loss of size O(1): truncation ~1e-12,
    # round-off ~1e-16/1e-6 = 1e-10 absolute
    for mine, num in ((g.W1, num_W), (g.b1, num_b)):
        np.testing.assert_allclose(mine, num, rtol=1e-9, atol=5e-9)


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
    from autograd import jacobian
    np.testing.assert_allclose(bl.softmax_jacobian(z), jacobian(a_softmax)(z), rtol=1e-9, atol=1e-15)


@given(z=values((3, 4), -5, 5), g=values((3, 4)))
def test_softmax_backward_is_jacobian_transpose_times_gradient(z, g):
    s = bl.softmax(z)
    via_J = np.einsum("nij,ni->nj", bl.softmax_jacobian(z), g)
    np.testing.assert_allclose(bl.softmax_backward(s, g), via_J, rtol=1e-9, atol=1e-15)


@given(data=problems(batch=True))
def test_batch_equals_mean_of_samples(data):
    W, b, X, Y = data
    g = bl.backward(W, b, X, Y)
    per = [bl.backward(W, b, X[i], Y[i]) for i in range(len(X))]
    n = len(X)
    assert g.loss == pytest.approx(np.mean([p.loss for p in per]), rel=1e-12)
    np.testing.assert_allclose(g.W1, sum(p.W1 for p in per) / n, rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(g.b1, sum(p.b1 for p in per) / n, rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(g.z1, np.stack([p.z1 for p in per]) / n, rtol=1e-9, atol=1e-15)
