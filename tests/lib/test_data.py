"""backprop_lib.data: the seeded colours data set of the chapter "Training", XOR and the
handwritten digits of the chapter "What one layer cannot learn"."""

import numpy as np
import pytest

import backprop_lib as bl
from backprop_lib.data import RULE, XOR_LABELS, Digits, load_digits, make_colours, make_xor


def test_make_colours_shapes_and_one_hot():
    X, Y = make_colours(50, seed=3)
    assert X.shape == (50, 3) and Y.shape == (50, 2)
    assert np.all((X >= 0) & (X <= 1))
    assert np.array_equal(Y.sum(axis=1), np.ones(50))
    assert set(np.unique(Y)) <= {0.0, 1.0}


def test_make_colours_is_deterministic_per_seed():
    X1, Y1 = make_colours(100, seed=7)
    X2, Y2 = make_colours(100, seed=7)
    X3, _ = make_colours(100, seed=8)
    assert np.array_equal(X1, X2) and np.array_equal(Y1, Y2)
    assert not np.array_equal(X1, X3)


def test_make_colours_follows_the_rule_without_noise():
    X, Y = make_colours(500, seed=1, noise=0)
    assert np.array_equal(Y[:, 1] == 1, X @ RULE > 0)
    X, Y = make_colours(2000, seed=1)
    agree = np.mean((Y[:, 1] == 1) == (X @ RULE > 0))
    assert 0.9 < agree < 1.0  # the default noise flips a few labels, not many


def test_make_colours_classes_are_balanced():
    _, Y = make_colours(4000, seed=2)
    assert abs(Y[:, 1].mean() - 0.5) < 0.03


@pytest.mark.parametrize("kwargs", [dict(n=0), dict(n=-3), dict(n=2.5), dict(n="10"), dict(n=True),
                                    dict(n=10, seed=-1), dict(n=10, seed=1.5),
                                    dict(n=10, noise=-0.1), dict(n=10, noise=float("nan")),
                                    dict(n=10, noise=float("inf"))])
def test_make_colours_rejects_bad_input(kwargs):
    with pytest.raises(ValueError):
        make_colours(**kwargs)


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
