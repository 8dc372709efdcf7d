"""The tiny autograd engine against two independent references.

Every gradient is compared with the PyPI `autograd` package (reverse mode, the oracle)
to 1e-9 relative, and with central differences (`bl.numerical_gradient`) to 1e-6
relative: with eps = 1e-5 their truncation error is eps^2 f'''/6 ~ 2e-11 |f'''| and
their rounding error ~ 1e-16 |f| / eps ~ 1e-11 |f|; the values below keep |f| and |f'''|
well under 100 (no divisor or log argument below 0.5), so 1e-6 leaves a wide margin
while a wrong local derivative (an error of order 1) still fails by orders of magnitude.
Where a true gradient is 0 (d a^3/da at a = 0) no relative error exists, so errors are
measured against max(largest gradient entry, 1e-3): relative above 1e-3, absolute below.
"""

import autograd.numpy as anp
import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from autograd import grad
from hypothesis import given, settings
from hypothesis import strategies as st

import backprop_lib as bl
from backprop_lib import example
from backprop_lib.autograd import Tensor
from helpers import example_graph, exp, log, mean, network_loss, softmax, total
from helpers import values as arrays

ORACLE_TOL = 1e-9
NUMERIC_TOL = 1e-6
EPS = 1e-5
# composed graphs: their numerical gradients cost more, so half the profile's examples
SLOW = settings(max_examples=max(settings.default.max_examples // 2, 10))


def engine_grads(f, *arrays):
    tensors = [Tensor(a) for a in arrays]
    out = f(*tensors)
    out.backward()
    return [t.grad for t in tensors]


def oracle_grads(f, *arrays):
    return [grad(f, i)(*[np.array(a, dtype=float) for a in arrays]) for i in range(len(arrays))]


def numeric_grads(f, *arrays):
    def with_entry(i):
        return lambda a: f(*arrays[:i], a, *arrays[i + 1:])
    return [bl.numerical_gradient(with_entry(i), arrays[i], eps=EPS) for i in range(len(arrays))]


def error(a, b):
    """Largest difference relative to the larger gradient, or to 1e-3 when both are smaller."""
    return float(np.abs(a - b).max(initial=0.0) / max(np.abs(a).max(initial=0.0), np.abs(b).max(initial=0.0), 1e-3))


def assert_agree(f, *arrays, numeric=True):
    """The engine's gradients of the scalar f(*arrays) match the oracle's and finite differences."""
    mine = engine_grads(f, *arrays)
    for k, (m, o, a) in enumerate(zip(mine, oracle_grads(f, *arrays), arrays)):
        assert m.shape == np.shape(a), f"gradient {k} has shape {m.shape}, its input {np.shape(a)}"
        assert error(m, o) < ORACLE_TOL, f"gradient {k}: engine {m} vs autograd {o}"
    if numeric:
        for k, (m, n) in enumerate(zip(mine, numeric_grads(f, *arrays))):
            assert error(m, n) < NUMERIC_TOL, f"gradient {k}: engine {m} vs numerical {n}"


def weighted(f, seed=0):
    """f's output dotted with fixed random weights: one scalar that tests every output entry."""
    def scalar(*args):
        out = f(*args)
        R = np.random.default_rng(seed).uniform(0.5, 1.5, size=np.shape(out.data if isinstance(out, Tensor) else out))
        return total(out * R)
    return scalar


def floats(lo, hi):
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


SHAPES = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)
PAIRS = hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, min_side=1, max_side=4)

BINARY = {
    "+": (lambda a, b: a + b, -2.0, 2.0),
    "-": (lambda a, b: a - b, -2.0, 2.0),
    "*": (lambda a, b: a * b, -2.0, 2.0),
    "/": (lambda a, b: a / b, 0.5, 2.0),
}


# ---- every operation, broadcasting included -------------------------------------------


@pytest.mark.parametrize("op", BINARY)
@given(data=st.data())
def test_binary_operations_broadcast_like_numpy(op, data):
    f, lo, hi = BINARY[op]
    shapes = data.draw(PAIRS).input_shapes
    a = data.draw(arrays(shapes[0], lo, hi))
    b = data.draw(arrays(shapes[1], lo, hi))
    assert_agree(weighted(f), a, b)


@pytest.mark.parametrize("op", BINARY)
@given(data=st.data())
def test_numbers_and_arrays_on_either_side(op, data):
    """A Tensor meets a plain number or a numpy array, on the left and on the right."""
    f, lo, hi = BINARY[op]
    shape = data.draw(SHAPES)
    a = data.draw(arrays(shape, lo, hi))
    number = data.draw(floats(lo, hi))
    array = data.draw(arrays(shape[-1:], lo, hi))
    for const in (number, array):
        for g in (lambda t: f(t, const), lambda t: f(const, t)):
            result = g(Tensor(a))
            assert isinstance(result, Tensor)
            np.testing.assert_allclose(result.data, g(a), rtol=1e-15)
            assert_agree(weighted(g), a)


@given(data=st.data(), p=st.sampled_from([2, 3, -1, 0.5, 1.5, -2.5]))
def test_power_with_a_number(data, p):
    # integer powers take any base; the others need a positive one
    lo = -2.0 if p in (2, 3) else 0.5
    a = data.draw(arrays(data.draw(SHAPES), lo, 2.0))
    assert_agree(weighted(lambda t: t ** p), a)


@given(data=st.data())
def test_matmul_of_vectors_and_matrices(data):
    m, k, n = data.draw(st.tuples(*[st.integers(1, 4)] * 3))
    left = data.draw(st.sampled_from([(m, k), (k,)]))
    right = data.draw(st.sampled_from([(k, n), (k,)]))
    A, B = data.draw(arrays(left)), data.draw(arrays(right))
    f = weighted(lambda a, b: a @ b)
    assert_agree(f, A, B)
    # a plain array on either side of @
    assert_agree(weighted(lambda b: A @ b), B)
    assert_agree(weighted(lambda a: a @ B), A)


@given(data=st.data())
def test_transpose_negation_and_reductions(data):
    shape = data.draw(SHAPES)
    a = data.draw(arrays(shape))
    axis = data.draw(st.sampled_from([None] + list(range(-len(shape), len(shape)))))
    keepdims = data.draw(st.booleans())
    for f in (lambda t: t.T, lambda t: -t,
              lambda t: total(t, axis, keepdims), lambda t: mean(t, axis, keepdims)):
        assert_agree(weighted(f), a)
    assert_agree(total, a)
    assert_agree(mean, a)


@given(data=st.data())
def test_exp_log_softmax(data):
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=2, max_side=4))
    assert_agree(weighted(exp), data.draw(arrays(shape)))
    assert_agree(weighted(log), data.draw(arrays(shape, 0.5, 3.0)))
    assert_agree(weighted(softmax), data.draw(arrays(shape)))


def test_softmax_is_stable():
    s = Tensor([1000.0, -1000.0]).softmax()
    assert np.allclose(s.data, [1.0, 0.0])
    s.backward(np.array([1.0, 0.0]))
    assert np.all(np.isfinite(s.parents[0].grad))


def test_a_seed_gradient_is_a_vector_jacobian_product():
    a = np.array([[0.3, -1.2, 0.5], [2.0, 0.1, -0.4]])
    R = np.array([[1.0, 2.0, -1.0], [0.5, 0.0, 3.0]])
    t = Tensor(a)
    t.softmax().backward(R)
    np.testing.assert_allclose(t.grad, oracle_grads(lambda z: anp.sum(softmax(z) * R), a)[0], rtol=1e-12)


# ---- composed graphs ---------------------------------------------------------------------


def one_hot(rng, rows, n_out):
    return np.eye(n_out)[rng.integers(0, n_out, size=rows)]


@pytest.mark.parametrize("loss", ["squared_error", "cross_entropy"])
@SLOW
@given(seed=st.integers(0, 2**32 - 1), n_in=st.integers(1, 5), n_out=st.integers(2, 4),
       rows=st.one_of(st.none(), st.integers(1, 6)))


def test_softmax_regression_matches_oracle_numerical_and_backward(loss, seed, n_in, n_out, rows):
    """One sample (rows None) or a batch, both losses; also equal to bl.backward's formulas."""
    rng = np.random.default_rng(seed)
    shape = (n_in,) if rows is None else (rows, n_in)
    x = rng.uniform(-1, 1, size=shape)
    y = one_hot(rng, 1 if rows is None else rows, n_out).reshape(shape[:-1] + (n_out,))
    if loss == "squared_error":  # soft targets too: any y works for the squared error
        y = rng.uniform(0, 1, size=y.shape)
    W1, b1 = rng.uniform(-1, 1, size=(n_out, n_in)), rng.uniform(-1, 1, size=n_out)
    def f(W1, b1):
        return network_loss([(W1, b1)], x, y, loss=loss)

    assert_agree(f, W1, b1)
    hand = bl.backward(W1, b1, x, y, loss=loss)
    dW1, db1 = engine_grads(f, W1, b1)
    assert bl.relative_error(dW1, hand.W1) < 1e-12
    assert bl.relative_error(db1, hand.b1) < 1e-12


@pytest.mark.parametrize("loss", ["squared_error", "cross_entropy"])
@SLOW
@given(seed=st.integers(0, 2**32 - 1), rows=st.integers(1, 5), n_in=st.integers(1, 4),
       n_hidden=st.integers(1, 4), n_out=st.integers(2, 3))


def test_two_layer_network(loss, seed, rows, n_in, n_hidden, n_out):
    """x -> sigmoid(x W1^T + b1) -> softmax(h W2^T + b2), the sigmoid written 1 / (1 + e^-z)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, size=(rows, n_in))
    y = one_hot(rng, rows, n_out)

    def f(W1, b1, W2, b2):  # the sigmoid written 1 / (1 + e^-z), as an engine user would
        return network_loss([(W1, b1), (W2, b2)], x, y, "sigmoid", loss)

    params = [rng.uniform(-1, 1, size=s) for s in [(n_hidden, n_in), (n_hidden,), (n_out, n_hidden), (n_out,)]]
    assert_agree(f, *params)


def test_a_tensor_used_twice_adds_both_paths():
    # f = a * a + a: df/da = 2a + 1, the sum over the two uses of a
    a = np.array([0.5, -1.5, 2.0])
    t = Tensor(a)
    (t * t + t).sum().backward()
    np.testing.assert_allclose(t.grad, 2 * a + 1, rtol=1e-15)


def test_a_long_chain_does_not_hit_the_recursion_limit():
    """A loss summed over many samples in a loop is a chain far deeper than Python's stack."""
    import sys
    n = 3 * sys.getrecursionlimit()
    w = Tensor([0.5, -0.25])
    loss = Tensor(0.0)
    for k in range(n):
        loss = loss + (w * float(k % 3)).sum()
    loss.backward()
    # dLoss/dw = the sum of the factors k % 3 = 0, 1, 2, 0, 1, 2, ... for each entry
    expected = float(sum(k % 3 for k in range(n)))
    np.testing.assert_array_equal(w.grad, [expected, expected])
    order = loss.topological_order()
    assert order[-1] is loss and len(order) == 4 * n + 2


def test_topological_order_lists_parents_first_and_each_tensor_once():
    a, b = Tensor([1.0, 2.0]), Tensor([3.0, 4.0])
    c = a * b
    d = (c + a) * c - b
    order = d.topological_order()
    assert len(order) == len(set(map(id, order)))
    for i, node in enumerate(order):
        assert all(order.index(p) < i for p in node.parents)
    assert order[:3] == [a, b, c]  # depth first, the first parent first


def test_backward_twice_gives_the_same_gradients():
    t = Tensor([0.2, -0.7])
    out = (t.exp() * t).sum()
    out.backward()
    first = t.grad.copy()
    out.backward()
    np.testing.assert_array_equal(t.grad, first)


# ---- the worked example --------------------------------------------------------------


@pytest.mark.parametrize("decimals", [None, 1])
def test_example_gradients_equal_the_hand_derived_ones(decimals):
    """Exact track: equal to bl.backward and bl.worked_example(); notes' track: worked_example(1)."""
    loss, z1, z2, W1, b1 = example_graph(decimals)
    w = bl.worked_example(decimals)
    assert loss.data == pytest.approx(w["loss"], rel=1e-14)
    np.testing.assert_allclose(z2.grad, w["dL_dy_hat"], rtol=1e-14)
    np.testing.assert_allclose(z1.grad, w["dL_dz1"], rtol=1e-14)
    np.testing.assert_allclose(b1.grad, w["dL_db1"], rtol=1e-14)
    np.testing.assert_allclose(W1.grad, w["dL_dW1"], rtol=1e-14)
    if decimals is None:
        hand = bl.backward(example.W1, example.b1, example.x, example.y)
        for mine, theirs in [(W1.grad, hand.W1), (b1.grad, hand.b1), (z1.grad, hand.z1), (z2.grad, hand.y_hat)]:
            np.testing.assert_allclose(mine, theirs, rtol=1e-14)
    else:  # what the notes print, at their precision: 0.512 (1, -1) and the softmax 0.8, 0.2
        np.testing.assert_allclose(b1.grad, bl.NOTES_WROTE["dL_db1"], atol=5e-4)
        np.testing.assert_allclose(z2.data, bl.NOTES_WROTE["z2"], atol=1e-12)


def test_backward_visits_the_example_in_the_order_of_the_hand_derivation():
    loss, z1, z2, W1, b1 = example_graph()
    order = list(reversed(loss.topological_order()))
    # Loss, then dLoss/dy_hat, then dLoss/dz1 through the softmax, then the parameters
    assert order[0] is loss
    assert order.index(z2) < order.index(z1) < order.index(b1)
    assert order.index(z1) < order.index(W1)
    for i, node in enumerate(order):  # a node runs only after every node it feeds into
        assert all(order.index(p) > i for p in node.parents)


# ---- bad use ------------------------------------------------------------------------------


def test_grad_is_none_before_backward():
    a, b = Tensor([1.0, 2.0]), Tensor(3.0)
    out = (a * b).sum()
    assert a.grad is None and b.grad is None and out.grad is None
    out.backward()
    assert a.grad.shape == (2,) and b.grad.shape == ()


def test_backward_of_a_non_scalar_needs_a_seed():
    out = Tensor([[1.0, 2.0]]) * 2
    with pytest.raises(ValueError, match=r"\(1, 2\)"):
        out.backward()
    with pytest.raises(ValueError, match=r"\(2,\).*\(1, 2\)"):
        out.backward(np.ones(2))


@pytest.mark.parametrize("make, shapes", [
    (lambda: Tensor(np.ones((2, 3))) @ Tensor(np.ones(2)), r"\(2, 3\) @ \(2,\)"),
    (lambda: Tensor(np.ones((2, 3))) @ np.ones((2, 3)), r"\(2, 3\) @ \(2, 3\)"),
    (lambda: np.ones((4, 3)) @ Tensor(np.ones(2)), r"\(4, 3\) @ \(2,\)"),
    (lambda: Tensor(np.ones((2, 2, 2))) @ Tensor(np.ones((2, 2))), r"\(2, 2, 2\) @ \(2, 2\)"),
    (lambda: Tensor(np.ones((2, 3))) + Tensor(np.ones(2)), r"\(2, 3\) and \(2,\)"),
    (lambda: np.ones(4) * Tensor(np.ones(3)), r"\(4,\) and \(3,\)"),
    (lambda: Tensor(np.ones(3)) - np.ones((2, 2)), r"\(3,\) and \(2, 2\)"),
    (lambda: Tensor(np.ones(3)) / np.ones(2), r"\(3,\) and \(2,\)"),
    (lambda: Tensor(np.ones(3)) ** np.ones(2), r"\(3,\) and \(2,\)"),
])


def test_shapes_that_do_not_fit_raise(make, shapes):
    with pytest.raises(ValueError, match=shapes):
        make()


@pytest.mark.parametrize("make", [
    lambda: Tensor("three"),
    lambda: Tensor([1.0, np.nan]),
    lambda: Tensor([1.0, 2.0]) + [1.0, np.inf],
    lambda: Tensor([1.0, 0.0]).log(),
    lambda: Tensor(2.0).softmax(),
])


def test_bad_values_raise(make):
    with pytest.raises(ValueError):
        make()
