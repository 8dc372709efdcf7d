"""Edge cases of bl.backward's single pass (softmax once, element-wise steps in place):
the inputs stay untouched, underflow gives -inf or 0 as before (never nan or -0.0),
and bad input is still a ValueError."""

import numpy as np
import pytest

import backprop_lib as bl
from backprop_lib import example


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
