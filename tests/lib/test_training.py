"""backprop_lib.training: the training loop, accuracy and prediction."""

import numpy as np
import pytest

import backprop_lib as bl
from backprop_lib.data import make_colours
from backprop_lib.training import History, accuracy, predict, steps_until_right, train


# ---- train, accuracy -----------------------------------------------------------------

def test_train_keeps_history_and_leaves_inputs_alone():
    X, Y = make_colours(60, seed=0)
    W1, b1 = np.array(bl.example.W1), np.array(bl.example.b1)
    result = train(W1, b1, X, Y, lr=0.5, steps=7, batch_size=10, seed=0)
    assert np.array_equal(W1, bl.example.W1) and np.array_equal(b1, bl.example.b1)
    h = result.history
    assert isinstance(h, History)
    assert h.loss.shape == (7,) and h.W1.shape == (8, 2, 3) and h.b1.shape == (8, 2)
    assert np.array_equal(h.W1[0], W1) and np.array_equal(h.W1[-1], result.W1)
    assert np.array_equal(h.b1[-1], result.b1)


def test_train_step_is_gradient_descent():
    """One full-batch step is W1 - lr dLoss/dW1, b1 - lr dLoss/db1 (backward on all rows)."""
    X, Y = make_colours(30, seed=4)
    g = bl.backward(bl.example.W1, bl.example.b1, X, Y)
    result = train(bl.example.W1, bl.example.b1, X, Y, lr=0.3, steps=1)
    np.testing.assert_allclose(result.W1, bl.example.W1 - 0.3 * g.W1)
    np.testing.assert_allclose(result.b1, bl.example.b1 - 0.3 * g.b1)
    assert result.history.loss[0] == pytest.approx(g.loss)


def test_minibatches_are_seeded_and_cover_every_row():
    X, Y = make_colours(40, seed=5)
    a = train(bl.example.W1, bl.example.b1, X, Y, lr=1.0, steps=8, batch_size=10, seed=3)
    b = train(bl.example.W1, bl.example.b1, X, Y, lr=1.0, steps=8, batch_size=10, seed=3)
    c = train(bl.example.W1, bl.example.b1, X, Y, lr=1.0, steps=8, batch_size=10, seed=4)
    assert np.array_equal(a.W1, b.W1)
    assert not np.array_equal(a.W1, c.W1)
    # one epoch of 4 batches of 10 uses every row once: the mean of the batch losses is the
    # full loss only if no update happened in between, so check with lr tiny
    d = train(bl.example.W1, bl.example.b1, X, Y, lr=1e-12, steps=4, batch_size=10, seed=3)
    full = bl.backward(bl.example.W1, bl.example.b1, X, Y).loss
    assert d.history.loss.mean() == pytest.approx(full, rel=1e-9)


def test_small_steps_lower_the_loss_on_the_example():
    result = train(bl.example.W1, bl.example.b1, bl.example.x, bl.example.y, lr=0.05, steps=30)
    assert np.all(np.diff(result.history.loss) < 0)


@pytest.mark.parametrize("kwargs", [dict(lr=0), dict(lr=-1), dict(lr=float("nan")), dict(lr="0.1"),
                                    dict(steps=-1), dict(steps=2.5), dict(batch_size=0),
                                    dict(batch_size=61), dict(seed=-2)])
def test_train_rejects_bad_settings(kwargs):
    X, Y = make_colours(60, seed=0)
    settings = dict(lr=0.1, steps=3, batch_size=None, seed=0) | kwargs
    with pytest.raises(ValueError):
        train(bl.example.W1, bl.example.b1, X, Y, **settings)


def test_train_rejects_shapes_that_do_not_fit():
    X, Y = make_colours(20, seed=0)
    with pytest.raises(ValueError, match="Y needs shape"):
        train(bl.example.W1, bl.example.b1, X, Y[:10], lr=0.1, steps=1)
    with pytest.raises(ValueError):
        train(bl.example.W1, bl.example.b1, X[:, :2], Y, lr=0.1, steps=1)
    with pytest.raises(ValueError, match="batch_size"):
        train(bl.example.W1, bl.example.b1, bl.example.x, bl.example.y, lr=0.1, steps=1, batch_size=1)


def test_accuracy_and_predict():
    X = np.array([[0.0, 0.0, 1.0], [1.0, 1.0, 0.0]])
    W1 = np.array([[0.5, 0.5, -1.0], [-0.5, -0.5, 1.0]])   # "test" when red beats green and yellow
    b1 = np.zeros(2)
    assert predict(W1, b1, X).tolist() == [1, 0]
    assert accuracy(W1, b1, X, np.array([[0.0, 1.0], [1.0, 0.0]])) == 1.0
    assert accuracy(W1, b1, X, np.array([[0.0, 1.0], [0.0, 1.0]])) == 0.5
    assert accuracy(bl.example.W1, bl.example.b1, bl.example.x, bl.example.y) == 0.0
    with pytest.raises(ValueError):
        accuracy(W1, b1, X, np.array([[0.0, 1.0]]))


def test_steps_until_right_rejects_other_input():
    with pytest.raises(ValueError):
        steps_until_right({"W1": []}, bl.example.x, bl.example.y)
