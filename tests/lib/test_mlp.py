"""backprop_lib.mlp, the network of any depth of part "Backprop through depth": mlp_forward
and mlp_backward against the PyPI `autograd` package and finite differences on random
networks (depth 1-4, widths 1-8, each activation, both losses, one sample and batches);
the one-layer case against `backward`; init_params; bad input naming the layer."""

import numpy as np
import pytest
from autograd import grad
from hypothesis import assume, given
from hypothesis import strategies as st

import backprop_lib as bl
from backprop_lib import example
from helpers import ACTIVATIONS as A_ACTIVATIONS
from helpers import each_bad_input, network_loss, values

ACTIVATIONS = tuple(A_ACTIVATIONS)
LOSSES = ("squared_error", "cross_entropy")


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
    got = bl.mlp_backward(params, x, y, activation=activation, loss=loss)
    expected = grad(network_loss)(params, x, y, activation, loss)
    np.testing.assert_allclose(flatten(got.params), flatten(expected), rtol=1e-9, atol=1e-12)
    assert got.loss == pytest.approx(float(network_loss(params, x, y, activation, loss)), rel=1e-12)
    dL_dx = grad(network_loss, 1)(params, x, y, activation, loss)
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


# ---- init_params ---------------------------------------------------------------------------


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
]


@each_bad_input(BAD)
def test_bad_input_raises_a_value_error_naming_the_layer_and_shapes(call, message):
    with pytest.raises(ValueError, match=message):
        call()
