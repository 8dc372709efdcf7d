"""The layer API of part "Backprop through depth": activations and their backward steps,
linear_backward, init_params, mlp_forward and mlp_backward, against the PyPI `autograd`
package and finite differences on random networks; the one-layer case against `backward`;
the hidden-layer example; bad input."""

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import elementwise_grad, grad
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import backprop_lib as bl
from backprop_lib import example
from test_properties import a_loss_of_y_hat, a_softmax

ACTIVATIONS = ("sigmoid", "tanh", "relu")
LOSSES = ("squared_error", "cross_entropy")
A_ACTIVATIONS = {"sigmoid": lambda z: 1 / (1 + anp.exp(-z)), "tanh": anp.tanh,
                 "relu": lambda z: anp.maximum(z, 0.0)}


def values(shape, lo=-2.0, hi=2.0):
    return hnp.arrays(np.float64, shape, elements=st.floats(lo, hi, allow_nan=False, width=64))


@st.composite
def networks(draw):
    """A random network (depth 1-4, widths 1-8), input (one sample or a batch) and target."""
    sizes = draw(st.lists(st.integers(1, 8), min_size=2, max_size=5))
    sizes[-1] = max(sizes[-1], 2)  # the softmax needs two classes at least
    params = [(draw(values((n_out, n_in))), draw(values((n_out,))))
              for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    lead = (draw(st.integers(1, 5)),) if draw(st.booleans()) else ()
    x = draw(values(lead + (sizes[0],)))
    raw = draw(values(lead + (sizes[-1],), 0.0, 1.0)) + 1e-3
    y = raw / raw.sum(axis=-1, keepdims=True)
    return params, x, y, draw(st.sampled_from(ACTIVATIONS)), draw(st.sampled_from(LOSSES))


def a_mlp_loss(flat, shapes, x, y, activation, loss):
    """The same network written for the autograd package, over one flat parameter vector."""
    a, start = x, 0
    for l, (w_shape, b_shape) in enumerate(shapes):
        W = anp.reshape(flat[start:start + np.prod(w_shape)], w_shape)
        start += int(np.prod(w_shape))
        b = flat[start:start + b_shape[0]]
        start += b_shape[0]
        z = anp.dot(a, W.T) + b
        a = z if l == len(shapes) - 1 else A_ACTIVATIONS[activation](z)
    return a_loss_of_y_hat(a_softmax(a), y, loss)


def flatten(params):
    return np.concatenate([np.concatenate([W.ravel(), b]) for W, b in params])


def away_from_kinks(params, x, activation):
    """relu has no derivative at 0; finite differences across the kink disagree with both."""
    if activation != "relu":
        return True
    return all(np.abs(z).min() > 1e-4 for z in bl.mlp_forward(params, x, "relu").z[:-1])


@given(networks())
def test_mlp_backward_agrees_with_the_autograd_package(net):
    params, x, y, activation, loss = net
    assume(away_from_kinks(params, x, activation))
    shapes = [(W.shape, b.shape) for W, b in params]
    got = bl.mlp_backward(params, x, y, activation=activation, loss=loss)
    expected = grad(a_mlp_loss)(flatten(params), shapes, x, y, activation, loss)
    np.testing.assert_allclose(flatten(got.params), expected, rtol=1e-9, atol=1e-12)
    assert got.loss == pytest.approx(float(a_mlp_loss(flatten(params), shapes, x, y, activation, loss)),
                                     rel=1e-12)
    dL_dx = grad(lambda x_: a_mlp_loss(flatten(params), shapes, x_, y, activation, loss))(x)
    np.testing.assert_allclose(got.x, dL_dx, rtol=1e-9, atol=1e-12)


@given(networks())
def test_mlp_backward_agrees_with_finite_differences(net):
    params, x, y, activation, loss = net
    assume(away_from_kinks(params, x, activation))
    got = bl.mlp_backward(params, x, y, activation=activation, loss=loss)
    for l, (W, b) in enumerate(params):
        def loss_with(W_, b_):
            changed = params[:l] + [(W_, b_)] + params[l + 1:]
            return bl.mlp_backward(changed, x, y, activation=activation, loss=loss).loss
        np.testing.assert_allclose(got.params[l][0], bl.numerical_gradient(lambda W_: loss_with(W_, b), W),
                                   rtol=1e-5, atol=1e-7)
        np.testing.assert_allclose(got.params[l][1], bl.numerical_gradient(lambda b_: loss_with(W, b_), b),
                                   rtol=1e-5, atol=1e-7)


@given(networks())
def test_deltas_are_the_gradients_of_the_pre_activations(net):
    params, x, y, activation, loss = net
    got = bl.mlp_backward(params, x, y, activation=activation, loss=loss)
    fwd = bl.mlp_forward(params, x, activation)
    assert len(got.z) == len(fwd.z) == len(params) and len(fwd.a) == len(params)
    for delta, z, (dW, db), (W, b), a in zip(got.z, fwd.z, got.params, params, fwd.a):
        assert delta.shape == z.shape and dW.shape == W.shape and db.shape == b.shape
        np.testing.assert_allclose(dW, np.einsum("ni,nj->ij", np.atleast_2d(delta), np.atleast_2d(a)), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("batch", [False, True])
def test_one_layer_is_backward(loss, batch):
    rng = np.random.default_rng(1)
    W1, b1 = rng.normal(size=(3, 4)), rng.normal(size=3)
    x = rng.normal(size=(6, 4) if batch else 4)
    y = np.eye(3)[rng.integers(0, 3, size=6)] if batch else np.eye(3)[2]
    one = bl.backward(W1, b1, x, y, loss=loss)
    mlp = bl.mlp_backward([(W1, b1)], x, y, loss=loss)
    assert mlp.loss == one.loss
    np.testing.assert_array_equal(mlp.params[0][0], one.W1)
    np.testing.assert_array_equal(mlp.params[0][1], one.b1)
    np.testing.assert_array_equal(mlp.z[0], one.z1)
    np.testing.assert_allclose(mlp.x, (one.z1 @ W1), rtol=1e-12)


# ---- the pieces -------------------------------------------------------------------------

@pytest.mark.parametrize("name", ACTIVATIONS)
@given(z=values((3, 4), -30.0, 30.0), g=values((3, 4)))
def test_activation_backward_is_the_derivative_at_z(name, z, g):
    f, f_backward = bl.activations.ACTIVATIONS[name]
    np.testing.assert_allclose(f(z), A_ACTIVATIONS[name](z), rtol=1e-14, atol=1e-300)
    assume(name != "relu" or np.abs(z).min() > 0)
    # a (1 - a) loses relative precision where 1 - a is tiny, not absolute precision
    np.testing.assert_allclose(f_backward(z, g), g * elementwise_grad(A_ACTIVATIONS[name])(z),
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


@given(W=values((3, 4)), x=values((5, 4)), g=values((5, 3)))
def test_linear_backward_is_the_transpose_of_linear(W, x, g):
    dW, db, dx = bl.linear_backward(W, x, g)
    np.testing.assert_allclose(dW, sum(np.outer(g[n], x[n]) for n in range(5)), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(db, g.sum(axis=0), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(dx, np.stack([W.T @ g[n] for n in range(5)]), rtol=1e-12, atol=1e-14)
    one = bl.linear_backward(W, x[0], g[0])
    np.testing.assert_allclose(one[0], np.outer(g[0], x[0]), rtol=1e-12, atol=1e-14)
    assert one[1].shape == (3,) and one[2].shape == (4,)


@pytest.mark.parametrize("scheme, var", [("he", lambda i, o: 2 / i), ("xavier", lambda i, o: 2 / (i + o)),
                                         ("normal", lambda i, o: 0.1 ** 2)])
def test_init_params_draws_the_variance_of_its_scheme(scheme, var):
    params = bl.init_params([400, 300, 200], scheme=scheme, seed=3, scale=0.1)
    for (W, b), (n_in, n_out) in zip(params, [(400, 300), (300, 200)]):
        assert W.shape == (n_out, n_in) and np.all(b == 0)
        assert W.var() == pytest.approx(var(n_in, n_out), rel=0.02)
    again = bl.init_params([400, 300, 200], scheme=scheme, seed=3, scale=0.1)
    assert all(np.array_equal(W, W2) for (W, _), (W2, _) in zip(params, again))
    assert not np.array_equal(params[0][0], bl.init_params([400, 300, 200], scheme=scheme, seed=4, scale=0.1)[0][0])
    assert all(np.all(W == 0) for W, _ in bl.init_params([3, 2, 2], scheme="zeros"))


# ---- the hidden-layer example -----------------------------------------------------------

def test_hidden_example_steps_are_the_networks():
    steps = bl.worked_example_hidden()
    params = [(example.W1, example.b1), (example.W2, example.b2)]
    g = bl.mlp_backward(params, example.x, example.y)
    assert steps["loss"] == g.loss
    for key, value in [("dL_dW1", g.params[0][0]), ("dL_db1", g.params[0][1]), ("dL_dW2", g.params[1][0]),
                       ("dL_db2", g.params[1][1]), ("delta1", g.z[0]), ("delta2", g.z[1]), ("dL_dx", g.x)]:
        np.testing.assert_allclose(steps[key], value, rtol=1e-14, atol=1e-17)
    ce = bl.worked_example_hidden(loss="cross_entropy")
    assert ce["loss"] == pytest.approx(bl.mlp_backward(params, example.x, example.y, loss="cross_entropy").loss)
    rounded = bl.worked_example_hidden(decimals=1)
    assert set(np.round(rounded["y_hat"], 1)) == set(rounded["y_hat"])
    with pytest.raises(ValueError, match="read-only"):
        example.W2[0, 0] = 1.0


# ---- bad input --------------------------------------------------------------------------

GOOD = [(example.W1, example.b1), (example.W2, example.b2)]

BAD = [
    ("shapes do not chain", lambda: bl.mlp_backward([(example.W1, example.b1), (np.ones((2, 3)), example.b2)],
                                                     example.x, example.y), r"layer 2.*W2.*\(2, 3\).*\(2, 3\)"),
    ("x does not fit layer 1", lambda: bl.mlp_forward(GOOD, [1.0, 2.0]), r"layer 1.*W1.*\(2, 3\).*\(2,\)"),
    ("bias of the wrong length", lambda: bl.mlp_backward([(example.W1, example.b1), (example.W2, [0.0])],
                                                          example.x, example.y), r"layer 2.*b2.*\(2,\).*\(1,\)"),
    ("unknown activation", lambda: bl.mlp_backward(GOOD, example.x, example.y, activation="swish"),
     r"'swish'.*sigmoid.*tanh.*relu"),
    ("unknown loss", lambda: bl.mlp_backward(GOOD, example.x, example.y, loss="hinge"), r"'hinge'"),
    ("target of the wrong length", lambda: bl.mlp_backward(GOOD, example.x, [0.0, 1.0, 0.0]), r"\(3,\).*\(2,\)"),
    ("nan in a weight", lambda: bl.mlp_backward([(example.W1, example.b1), ([[np.nan, 0], [0, 0]], example.b2)],
                                                 example.x, example.y), r"W2.*nan"),
    ("no layers", lambda: bl.mlp_forward([], example.x), r"non-empty list"),
    ("not a pair", lambda: bl.mlp_forward([(example.W1,)], example.x), r"layer 1.*pair"),
    ("one size", lambda: bl.init_params([3]), r"two entries"),
    ("size zero", lambda: bl.init_params([3, 0]), r"sizes\[1\].*0"),
    ("unknown scheme", lambda: bl.init_params([3, 2], scheme="orthogonal"), r"'orthogonal'.*he.*xavier"),
    ("normal without a scale", lambda: bl.init_params([3, 2], scheme="normal", scale=0), r"scale"),
    ("linear_backward shapes", lambda: bl.linear_backward(example.W1, example.x, [1.0, 2.0, 3.0]),
     r"\(2, 3\).*\(3,\)"),
    ("linear_backward rows", lambda: bl.linear_backward(example.W1, np.ones((4, 3)), np.ones((5, 2))),
     r"\(4, 3\).*\(5, 2\)"),
    ("activation backward shapes", lambda: bl.sigmoid_backward([0.0, 1.0], [1.0]), r"\(2,\).*\(1,\)"),
    ("relu of text", lambda: bl.relu("three"), r"numbers"),
]


@pytest.mark.parametrize("call, message", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_input_raises_a_value_error_naming_the_layer_and_shapes(call, message):
    with pytest.raises(ValueError, match=message):
        call()
