"""backprop_lib.training: the training loops (one layer, and any depth), accuracy and prediction."""

import numpy as np
import pytest

import backprop_lib as bl
from backprop_lib.data import make_colours, make_xor
from backprop_lib.training import (History, MLPHistory, TrainedMLP, accuracy, accuracy_mlp, predict, predict_mlp,
                                   steps_until_right, train, train_mlp)


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


# ---- train_mlp, predict_mlp, accuracy_mlp ----------------------------------------------

def small_problem(n=40):
    X, Y = make_xor(n, seed=1)
    return bl.init_params((2, 5, 2), "xavier", seed=3), X, Y


def test_train_mlp_keeps_history_and_leaves_params_alone():
    params, X, Y = small_problem()
    before = [(W.copy(), b.copy()) for W, b in params]
    result = train_mlp(params, X, Y, lr=0.5, epochs=3, batch_size=16, activation="tanh")
    for (W, b), (W0, b0) in zip(params, before):
        assert np.array_equal(W, W0) and np.array_equal(b, b0)
    assert isinstance(result, TrainedMLP) and isinstance(result.history, MLPHistory)
    # 40 rows in batches of 16: 16, 16, 8, so 3 steps per epoch
    assert result.history.loss.shape == (9,)
    assert len(result.history.params) == 4
    assert all(np.array_equal(a, b) for (a, _), (b, _) in zip(result.history.params[0], params))
    assert all(np.array_equal(a, b) for (a, _), (b, _) in zip(result.history.params[-1], result.params))
    for (W, b), (W0, b0) in zip(result.params, params):
        assert W.shape == W0.shape and b.shape == b0.shape


def test_train_mlp_full_batch_step_is_gradient_descent_on_every_layer():
    params, X, Y = small_problem()
    g = bl.mlp_backward(params, X, Y, "sigmoid", "cross_entropy")
    result = train_mlp(params, X, Y, lr=0.3, epochs=1, batch_size=len(X), loss="cross_entropy")
    for (W, b), (dW, db), (W1, b1) in zip(params, g.params, result.params):
        np.testing.assert_allclose(W1, W - 0.3 * dW, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(b1, b - 0.3 * db, rtol=1e-12, atol=1e-15)
    assert result.history.loss[0] == pytest.approx(g.loss)


def test_train_mlp_epoch_uses_every_row_once():
    """With a tiny learning rate nothing moves, so an epoch's batch losses, weighted by the
    batch sizes, average to the loss on all rows: every row was used exactly once."""
    params, X, Y = small_problem(40)
    result = train_mlp(params, X, Y, lr=1e-12, epochs=1, batch_size=16, activation="relu")
    full = bl.mlp_backward(params, X, Y, "relu").loss
    weights = np.array([16, 16, 8])
    assert np.average(result.history.loss, weights=weights) == pytest.approx(full, rel=1e-9)


def test_train_mlp_is_seeded():
    params, X, Y = small_problem()
    a = train_mlp(params, X, Y, lr=0.5, epochs=2, batch_size=8, seed=3)
    b = train_mlp(params, X, Y, lr=0.5, epochs=2, batch_size=8, seed=3)
    c = train_mlp(params, X, Y, lr=0.5, epochs=2, batch_size=8, seed=4)
    assert np.array_equal(a.params[0][0], b.params[0][0])
    assert not np.array_equal(a.params[0][0], c.params[0][0])


def test_train_mlp_learns_xor():
    X, Y = make_xor(200, seed=0)
    params = bl.init_params((2, 8, 2), "xavier", seed=0)
    result = train_mlp(params, X, Y, lr=0.5, epochs=100, batch_size=20, activation="tanh", loss="cross_entropy")
    assert accuracy_mlp(params, X, Y, "tanh") < 0.75
    assert accuracy_mlp(result.params, X, Y, "tanh") > 0.95
    assert result.history.loss[-10:].mean() < result.history.loss[:10].mean() / 3


def test_zero_epochs_change_nothing():
    params, X, Y = small_problem()
    result = train_mlp(params, X, Y, lr=0.5, epochs=0, batch_size=8)
    assert result.history.loss.shape == (0,) and len(result.history.params) == 1
    assert all(np.array_equal(a, b) for (a, _), (b, _) in zip(result.params, params))


@pytest.mark.parametrize("kwargs, words", [
    (dict(lr=0), "lr must be a positive finite number, got 0"),
    (dict(lr=float("inf")), "lr must be"),
    (dict(lr="0.1"), "lr must be"),
    (dict(epochs=-1), "epochs must be a whole number >= 0, got -1"),
    (dict(epochs=1.5), "epochs must be"),
    (dict(batch_size=0), "batch_size must be a whole number >= 1, got 0"),
    (dict(batch_size=41), "batch_size is 41, but X \\(shape \\(40, 2\\)\\) has only 40 samples"),
    (dict(seed=-1), "seed must be"),
    (dict(activation="softplus"), "unknown activation 'softplus'"),
    (dict(loss="hinge"), "unknown loss 'hinge'"),
])
def test_train_mlp_rejects_bad_settings(kwargs, words):
    params, X, Y = small_problem()
    settings = dict(lr=0.1, epochs=1, batch_size=8) | kwargs
    with pytest.raises(ValueError, match=words):
        train_mlp(params, X, Y, **settings)


def test_train_mlp_rejects_shapes_that_do_not_fit():
    params, X, Y = small_problem()
    with pytest.raises(ValueError, match=r"Y needs shape \(40, 2\), but Y has shape \(39, 2\)"):
        train_mlp(params, X, Y[:-1], lr=0.1, epochs=1, batch_size=8)
    with pytest.raises(ValueError, match=r"X must be a data set .* got shape \(2,\)"):
        train_mlp(params, X[0], Y[0], lr=0.1, epochs=1, batch_size=1)
    with pytest.raises(ValueError, match="layer 1: W1 has shape"):
        train_mlp(params, np.ones((40, 3)), Y, lr=0.1, epochs=1, batch_size=8)


def test_predict_and_accuracy_mlp():
    # a hand-made XOR network: hidden relu units x1 + x2 and -x1 - x2 see "same sign" corners
    W1 = np.array([[1.0, 1.0], [-1.0, -1.0], [1.0, -1.0], [-1.0, 1.0]])
    W2 = np.array([[0.0, 0.0, 1.0, 1.0], [1.0, 1.0, 0.0, 0.0]])
    params = [(W1, np.zeros(4)), (W2, np.zeros(2))]
    X = np.array([[0.5, 0.5], [-0.5, -0.5], [0.5, -0.5], [-0.5, 0.5]])
    assert predict_mlp(params, X, "relu").tolist() == [1, 1, 0, 0]
    Y = np.array([[0.0, 1.0], [0.0, 1.0], [1.0, 0.0], [1.0, 0.0]])
    assert accuracy_mlp(params, X, Y, "relu") == 1.0
    assert accuracy_mlp(params, X, Y[::-1], "relu") == 0.0
    with pytest.raises(ValueError, match=r"Y needs shape \(4, 2\)"):
        accuracy_mlp(params, X, Y[:3], "relu")
    with pytest.raises(ValueError, match="unknown activation"):
        accuracy_mlp(params, X, Y, "step")
