"""The depth part's data and training loop: make_xor, load_digits, train_mlp, predict_mlp,
accuracy_mlp (chapter "What one layer cannot learn")."""

import numpy as np
import pytest

import backprop_lib as bl
from backprop_lib.data import XOR_LABELS, Digits, load_digits, make_xor
from backprop_lib.training import MLPHistory, TrainedMLP, accuracy_mlp, predict_mlp, train_mlp


# ---- make_xor --------------------------------------------------------------------------

def test_make_xor_shapes_range_and_one_hot():
    X, Y = make_xor(80, seed=2)
    assert X.shape == (80, 2) and Y.shape == (80, 2)
    assert np.all((X >= -1) & (X <= 1))
    assert np.array_equal(Y.sum(axis=1), np.ones(80))
    assert set(np.unique(Y)) <= {0.0, 1.0}
    assert len(XOR_LABELS) == 2


def test_make_xor_is_deterministic_per_seed():
    X1, Y1 = make_xor(50, seed=4)
    X2, Y2 = make_xor(50, seed=4)
    X3, _ = make_xor(50, seed=5)
    assert np.array_equal(X1, X2) and np.array_equal(Y1, Y2)
    assert not np.array_equal(X1, X3)


def test_make_xor_labels_follow_the_signs():
    X, Y = make_xor(500, seed=0)
    same_sign = np.sign(X[:, 0]) == np.sign(X[:, 1])
    assert np.array_equal(Y[:, 1] == 1, same_sign)
    # all four quadrants are there, so both classes are, in about equal numbers
    assert 0.4 < Y[:, 1].mean() < 0.6
    # the corners of the truth table: (+, +) and (-, -) one class, (+, -) and (-, +) the other
    for corner, label in [((1, 1), 1), ((-1, -1), 1), ((1, -1), 0), ((-1, 1), 0)]:
        near = np.all(np.sign(X) == corner, axis=1)
        assert near.any() and np.all(Y[near, label] == 1)


def test_no_line_separates_xor():
    """One layer's best on XOR is far from perfect, while the four corners admit no line at all:
    a logistic fit by gradient descent stays near chance."""
    X, Y = make_xor(400, seed=0)
    result = bl.train(np.zeros((2, 2)), np.zeros(2), X, Y, lr=1.0, steps=300, loss="cross_entropy")
    assert bl.accuracy(result.W1, result.b1, X, Y) < 0.75


@pytest.mark.parametrize("kwargs", [dict(n=0), dict(n=-3), dict(n=2.5), dict(n=True), dict(n="10"),
                                    dict(n=10, seed=-1), dict(n=10, seed=1.5), dict(n=10, seed=None)])
def test_make_xor_rejects_bad_input(kwargs):
    with pytest.raises(ValueError, match="must be a whole number"):
        make_xor(**kwargs)


# ---- load_digits -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def digits():
    return load_digits()


def test_load_digits_shapes_scale_and_one_hot(digits):
    assert isinstance(digits, Digits)
    assert digits.X_train.shape == (1437, 64) and digits.Y_train.shape == (1437, 10)
    assert digits.X_test.shape == (360, 64) and digits.Y_test.shape == (360, 10)
    for X in (digits.X_train, digits.X_test):
        assert X.min() == 0.0 and X.max() == 1.0
        # ink counts 0 to 16, divided by 16: every pixel is a multiple of 1/16
        assert np.array_equal(X * 16, np.round(X * 16))
    for Y in (digits.Y_train, digits.Y_test):
        assert np.array_equal(Y.sum(axis=1), np.ones(len(Y)))
    # every digit is in both sets
    assert set(digits.Y_train.argmax(axis=1)) == set(digits.Y_test.argmax(axis=1)) == set(range(10))


def test_load_digits_is_scikit_learns_data_split_without_overlap(digits):
    from sklearn.datasets import load_digits as sklearn_digits

    raw = sklearn_digits()
    X = np.vstack([digits.X_train, digits.X_test]) * 16
    labels = np.concatenate([digits.Y_train.argmax(axis=1), digits.Y_test.argmax(axis=1)])
    # the same images with the same labels, each exactly once
    ours = sorted(map(tuple, np.column_stack([X, labels])))
    theirs = sorted(map(tuple, np.column_stack([raw.data, raw.target])))
    assert ours == theirs


def test_load_digits_split_is_seeded(digits):
    again = load_digits()
    other = load_digits(seed=1)
    assert all(np.array_equal(a, b) for a, b in zip(digits, again))
    assert not np.array_equal(digits.X_test, other.X_test)
    small = load_digits(n_test=100, seed=0)
    assert small.X_test.shape == (100, 64) and small.X_train.shape == (1697, 64)
    # the same permutation: a smaller test set is the start of the larger one
    assert np.array_equal(small.X_test, digits.X_test[:100])


@pytest.mark.parametrize("kwargs, words", [
    (dict(n_test=0), "n_test must be a whole number from 1 to 1796"),
    (dict(n_test=1797), "got 1797"),
    (dict(n_test=0.2), "got 0.2"),
    (dict(seed=-1), "seed must be a whole number >= 0, got -1"),
    (dict(seed="0"), "seed must be"),
])
def test_load_digits_rejects_bad_input(kwargs, words):
    with pytest.raises(ValueError, match=words):
        load_digits(**kwargs)


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
