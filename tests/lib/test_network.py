"""backprop_lib.network: the notes' one-layer network, forward and backward, on the worked
example, on random shapes and values against finite differences and against an
independent reverse-mode autodiff (the PyPI package `autograd`), at the edges of float
arithmetic, and on bad input."""

import numpy as np
import pytest
from autograd import grad
from hypothesis import given
from hypothesis import strategies as st

import backprop_lib as bl
from backprop_lib import example
from helpers import each_bad_input, loss_of, network_loss, softmax, values

X, Y, W1, B1 = example.x, example.y, example.W1, example.b1
ORACLE_RTOL = 1e-9


# ---- the worked example ------------------------------------------------------------------


def test_forward_on_example():
    fwd = bl.forward(W1, B1, X)
    assert isinstance(fwd, bl.Forward) and fwd._fields == ("z1", "z2")
    np.testing.assert_allclose(fwd.z1, [0.99, -0.28], atol=1e-12)
    np.testing.assert_allclose(fwd.z2, [0.7807, 0.2193], atol=5e-5)


def test_backward_on_example():
    g = bl.backward(W1, B1, X, Y)
    assert isinstance(g, bl.Gradients) and g._fields == ("loss", "y_hat", "z1", "b1", "W1")
    assert g.loss == pytest.approx(1.2191, abs=5e-5)
    np.testing.assert_allclose(g.y_hat, [1.5615, -1.5615], atol=5e-5)
    np.testing.assert_allclose(g.z1, [0.5346, -0.5346], atol=5e-5)
    np.testing.assert_allclose(g.b1, g.z1)
    np.testing.assert_allclose(g.W1, [[0.1604, 0.1604, 0.4811], [-0.1604, -0.1604, -0.4811]], atol=5e-5)
    assert g.W1.shape == W1.shape and g.b1.shape == B1.shape


def test_loss_after_one_gradient_step_is_lower():
    g = bl.backward(W1, B1, X, Y)
    assert bl.backward(W1 - 0.5 * g.W1, B1 - 0.5 * g.b1, X, Y).loss < g.loss


def test_batch_shapes():
    Xb = np.stack([X, 2 * X, -X])
    Yb = np.array([[0.0, 1.0], [1.0, 0.0], [0.0, 1.0]])
    assert bl.linear(W1, Xb, B1).shape == (3, 2)
    assert bl.softmax_jacobian(bl.linear(W1, Xb, B1)).shape == (3, 2, 2)
    g = bl.backward(W1, B1, Xb, Yb)
    assert g.y_hat.shape == g.z1.shape == (3, 2)
    assert g.b1.shape == (2,) and g.W1.shape == (2, 3)
    # the batch loss is the mean over the rows of each row's loss
    rows = [bl.backward(W1, B1, Xb[i], Yb[i]).loss for i in range(3)]
    assert g.loss == pytest.approx(np.mean(rows))


# ---- bad input: a ValueError naming the shapes or values ------------------------------

BAD = [
    ("batch of wrong width", lambda: bl.forward(W1, B1, np.ones((4, 2))), r"\(4, 2\)"),
    ("3-D input", lambda: bl.forward(W1, B1, np.ones((2, 2, 3))), r"shape \(2, 2, 3\)"),
    ("empty batch", lambda: bl.forward(W1, B1, np.ones((0, 3))), r"empty.*\(0, 3\)"),
    ("nan in x", lambda: bl.forward(W1, B1, [0.3, np.nan, 0.9]), r"x has non-finite.*nan"),
    ("inf in W1", lambda: bl.forward(np.where(W1 > 0.8, np.inf, W1), B1, X), r"W has non-finite"),
    ("target too short", lambda: bl.backward(W1, B1, X, [1.0]), r"y has shape \(1,\).*\(2,\)"),
    ("target too long", lambda: bl.backward(W1, B1, X, [0.0, 1.0, 0.0]), r"y has shape \(3,\)"),
    ("batch target rows", lambda: bl.backward(W1, B1, np.ones((4, 3)), np.ones((3, 2))), r"\(3, 2\).*\(4, 2\)"),
    ("unknown loss", lambda: bl.backward(W1, B1, X, Y, loss="hinge"), r"'hinge'.*cross_entropy.*squared_error"),
]


@each_bad_input(BAD)
def test_bad_input_raises_a_value_error_naming_shapes_or_values(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ---- random networks -----------------------------------------------------------------------


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


def oracle(W, b, x, y, loss):
    """The notes' network (one layer of the reference network) through the autograd package."""
    def of_params(W, b):
        return network_loss([(W, b)], x, y, loss=loss)

    z1 = x @ W.T + b
    return {
        "loss": of_params(W, b),
        "W1": grad(of_params, 0)(W, b),
        "b1": grad(of_params, 1)(W, b),
        "z1": grad(lambda z: loss_of(y, softmax(z), loss))(z1),
        "y_hat": grad(lambda y_hat: loss_of(y, y_hat, loss))(bl.softmax(z1)),
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


# ---- the edges of float arithmetic --------------------------------------------------------


@pytest.mark.parametrize("loss", ["squared_error", "cross_entropy"])
@pytest.mark.parametrize("batch", [False, True])
def test_inputs_are_left_unchanged(loss, batch):
    rng = np.random.default_rng(3)
    W1, b1 = rng.normal(size=(4, 3)), rng.normal(size=4)
    x = rng.normal(size=(5, 3)) if batch else rng.normal(size=3)
    y = np.eye(4)[rng.integers(0, 4, size=5)] if batch else np.eye(4)[1]
    before = [a.copy() for a in (W1, b1, x, y)]
    g = bl.backward(W1, b1, x, y, loss=loss)
    for a, b in zip((W1, b1, x, y), before):
        np.testing.assert_array_equal(a, b)
    for out in (g.y_hat, g.z1, g.W1):
        assert not any(np.shares_memory(out, a) for a in (W1, b1, x, y))


def test_cross_entropy_where_the_softmax_underflows():
    # logits (1000, -1000): y_hat = (1, 0) in float64
    W1 = np.array([[1000.0], [-1000.0]])
    b1 = np.zeros(2)
    x = np.array([[1.0], [1.0]])
    y = np.array([[0.0, 1.0],    # the true class underflowed: an infinite slope, a finite loss
                  [1.0, 0.0]])   # y is 0 where y_hat is 0: that term is 0, not 0/0
    g = bl.backward(W1, b1, x, y, loss="cross_entropy")
    assert g.loss == pytest.approx(1000.0)      # (2000 + 0) / 2, from log-sum-exp
    assert g.y_hat[0, 1] == -np.inf
    assert g.y_hat[1, 1] == 0.0 and not np.signbit(g.y_hat[1, 1])
    assert g.y_hat[0, 0] == 0.0 and not np.signbit(g.y_hat[0, 0])
    assert np.all(np.isfinite(g.z1)) and np.all(np.isfinite(g.W1))
    np.testing.assert_allclose(g.z1, [[0.5, -0.5], [0.0, 0.0]])


def test_zero_gradients_of_the_example_are_plus_zero():
    g = bl.backward(example.W1, example.b1, example.x, example.y, loss="cross_entropy")
    assert g.y_hat[0] == 0.0 and not np.signbit(g.y_hat[0])


@pytest.mark.filterwarnings("ignore:overflow encountered")
@pytest.mark.parametrize("args, names", [
    ((np.full((2, 3), 1e308), example.b1, example.x * 10, example.y), "z"),   # x W^T overflows
    ((example.W1, example.b1, [0.3, np.nan, 0.9], example.y), "x"),
    ((example.W1, example.b1, example.x, [0.0, 1.0, 0.0]), r"\(3,\).*\(2,\)"),
    ((example.W1, [0.0, 0.2, 0.1], example.x, example.y), r"\(3,\)"),
])


def test_bad_input_is_still_a_value_error(args, names):
    with pytest.raises(ValueError, match=names):
        bl.backward(*args)
