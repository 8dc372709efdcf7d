"""Data sets: a small synthetic one in the spirit of the notes' example (chapter "Training"),
XOR, which one layer cannot learn, and scikit-learn's handwritten digits (chapter "What one
layer cannot learn")."""

import numbers
from typing import NamedTuple

import numpy as np


def make_colours(n, seed=0, noise=0.05):
    r"""n samples of three colour features (green, yellow, red) and two classes (exact, test).

    Each feature is drawn uniformly from [0, 1]. A sample belongs to class "test" when its
    red is larger than the mean of its green and yellow, up to some noise:

    .. math:: \text{test} \iff x_\text{red} - \tfrac12 (x_\text{green} + x_\text{yellow}) + \epsilon > 0,
              \qquad \epsilon \sim \mathcal N(0, \text{noise}^2)

    and to class "exact" otherwise. The notes' x = (0.3, 0.3, 0.9) is a clear "test".
    Because of the noise, samples near the boundary sometimes get the other label, so no
    model classifies every sample right; noise=0 gives the rule without exceptions.

    Returns (X, Y): X of shape (n, 3), one sample per row, columns as in
    ``example.INPUT_LABELS``; Y of shape (n, 2), one-hot, columns as in
    ``example.OUTPUT_LABELS``. The same n, seed and noise always give the same data.
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"n must be a whole number >= 1, got {n!r}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a whole number >= 0, got {seed!r}")
    if isinstance(noise, bool) or not isinstance(noise, numbers.Real) or not (0 <= noise < np.inf):
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    rng = np.random.default_rng(seed)
    X = rng.uniform(0.0, 1.0, size=(int(n), 3))
    green, yellow, red = X.T
    score = red - 0.5 * (green + yellow) + noise * rng.normal(size=int(n))
    is_test = score > 0
    Y = np.stack([~is_test, is_test], axis=1).astype(float)
    return X, Y


#: the rule behind make_colours as weights on (green, yellow, red): "test" when RULE @ x > 0
RULE = np.array([-0.5, -0.5, 1.0])
RULE.flags.writeable = False


# ---- chapter "What one layer cannot learn" --------------------------------------------

def make_xor(n, seed=0):
    r"""n points of the XOR problem: X uniform in the square [-1, 1]^2, two classes.

    A point belongs to class 1 ("same sign") when its two coordinates have the same sign and
    to class 0 ("opposite signs") otherwise:

    .. math:: \text{class 1} \iff x_1 x_2 > 0

    so the classes sit in opposite corners, like the truth table of exclusive-or, and no
    straight line separates them.

    Returns (X, Y): X of shape (n, 2), one point per row; Y of shape (n, 2), one-hot, column
    0 for "opposite signs" and column 1 for "same sign". The same n and seed always give the
    same data.
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"n must be a whole number >= 1, got {n!r}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a whole number >= 0, got {seed!r}")
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, size=(int(n), 2))
    same_sign = X[:, 0] * X[:, 1] > 0
    Y = np.stack([~same_sign, same_sign], axis=1).astype(float)
    return X, Y


#: the names of make_xor's classes, in the order of Y's columns
XOR_LABELS = ("opposite signs", "same sign")


class Digits(NamedTuple):
    """Handwritten digits split into a training and a test set (see load_digits).

    X_*: one image per row, its 8 x 8 pixels row by row (64 columns), scaled to [0, 1];
    Y_*: one-hot, 10 columns, column k for the digit k.
    """
    X_train: np.ndarray
    Y_train: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray


def load_digits(n_test=360, seed=0):
    r"""scikit-learn's 1797 handwritten digits, split at random into a test set of n_test
    images and a training set of the rest.

    Each image has 8 x 8 pixels; a pixel counts the ink in a 4 x 4 block of a 32 x 32
    black-and-white scan, from 0 to 16. The pixels are divided by 16, so every input lies
    in [0, 1]; the labels 0..9 become
    one-hot rows. The data ship inside scikit-learn (``sklearn.datasets.load_digits``):
    nothing is downloaded. The split is a permutation drawn with `seed`: the same n_test
    and seed always give the same two sets, and no image is in both.
    """
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a whole number >= 0, got {seed!r}")
    try:
        from sklearn.datasets import load_digits as sklearn_digits
    except ImportError:
        raise ImportError("load_digits needs scikit-learn, which ships the digits: "
                          "pip install scikit-learn") from None
    digits = sklearn_digits()
    n = len(digits.target)
    if isinstance(n_test, bool) or not isinstance(n_test, numbers.Integral) or not 1 <= n_test < n:
        raise ValueError(f"n_test must be a whole number from 1 to {n - 1} (there are {n} images, "
                         f"and the training set needs at least one), got {n_test!r}")
    X = digits.data / 16.0
    Y = np.eye(10)[digits.target]
    order = np.random.default_rng(seed).permutation(n)
    test, train = order[:n_test], order[n_test:]
    return Digits(X_train=X[train], Y_train=Y[train], X_test=X[test], Y_test=Y[test])
