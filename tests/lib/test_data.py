"""backprop_lib.data: the seeded colours data set of the chapter "Training"."""

import numpy as np
import pytest

from backprop_lib.data import RULE, make_colours


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
