"""backprop_lib.exercises.batches: the checkers of chapter "Batches and numerical stability",
check_batch_grad_W1 and check_log_softmax."""

import numpy as np
import pytest

import backprop_lib as bl
from backprop_lib import example
from backprop_lib.exercises import check_batch_grad_W1, check_log_softmax
from backprop_lib.exercises.batches import BATCH_X, BATCH_Y

from checker_contract import *  # noqa: F401,F403  (the tests every checker must pass)
from helpers import run

z1 = bl.linear(example.W1, example.x, example.b1)
BATCH_DZ1 = bl.backward(example.W1, example.b1, BATCH_X, BATCH_Y, loss="cross_entropy").z1


def naive_softmax(z):
    e = np.exp(z)
    return e / e.sum()


def loop_sum(d, X):
    total = np.zeros((d.shape[1], X.shape[1]))
    for d_n, x_n in zip(d, X):
        total += np.outer(d_n, x_n)
    return total


def loop_assign(d, X):
    for d_n, x_n in zip(d, X):
        total = np.outer(d_n, x_n)
    return total


def lse_unshifted(z):
    return z - np.log(np.exp(z).sum())


CHECKERS = {
    "check_batch_grad_W1": dict(
        checker=check_batch_grad_W1, args=(BATCH_DZ1, BATCH_X), right=lambda d, X: d.T @ X,
        others=[loop_sum],
        mistakes={
        "transposed": (lambda d, X: X.T @ d, "transposed"),
        "mean instead of sum": (lambda d, X: d.T @ X / len(X), "extra 1/N"),
        "times N": (lambda d, X: d.T @ X * len(X), "extra factor N"),
        "first sample only": (lambda d, X: np.outer(d[0], X[0]), "only the first sample"),
        "loop assigns": (loop_assign, "only the last sample"),
        "sum then multiply": (lambda d, X: np.outer(d.sum(axis=0), X.sum(axis=0)), "summed before multiplying"),
        "sign": (lambda d, X: -(d.T @ X), "sign is flipped"),
        },
        library={"linear_backward": lambda d, X: bl.linear_backward(np.zeros((d.shape[1], X.shape[1])), X, d)[0]}),
    "check_log_softmax": dict(
        checker=check_log_softmax, args=(z1,), right=lambda z: z - z.max() - np.log(np.exp(z - z.max()).sum()),
        others=[lambda z: z - (z.max() + np.log(np.exp(z - z.max()).sum()))],
        mistakes={
        "log of naive softmax": (lambda z: np.log(naive_softmax(z)), "nan for large logits"),
        "log of stable softmax": (lambda z: np.log(bl.softmax(z)), "underflowed to 0"),
        "no max shift": (lse_unshifted, "every entry is infinite"),
        "softmax, not its log": (lambda z: bl.softmax(z), "softmax itself"),
        "no log-sum-exp": (lambda z: z - z.max(), "log-sum-exp term is missing"),
        "log-sum-exp added": (lambda z: z - z.max() + np.log(np.exp(z - z.max()).sum()), "is added"),
        "shift inside only": (lambda z: z - np.log(np.exp(z - z.max()).sum()), "inside the exponent only"),
        "shift twice": (lambda z: z - 2 * z.max() - np.log(np.exp(z - z.max()).sum()), "subtracted twice"),
        },
        library={"log_softmax": bl.log_softmax}),
}


def test_batch_first_case_is_the_example():
    assert np.array_equal(BATCH_X[0], example.x) and np.array_equal(BATCH_Y[0], example.y)
    assert CHECKERS["check_batch_grad_W1"]["right"](BATCH_DZ1, BATCH_X).shape == example.W1.shape


@pytest.mark.parametrize("name", ["log of stable softmax", "no max shift", "no log-sum-exp"])
def test_log_softmax_hint_points_to_the_chapter_not_the_formula(name, capsys):
    """The hint names the chapter's equation by what it does; writing the formula out
    (or how to shift and add back) would hand over the answer."""
    fn, _ = CHECKERS["check_log_softmax"]["mistakes"][name]
    ok, lines = run(check_log_softmax, fn, capsys)
    assert ok is False
    assert "the chapter's" in lines[0]
    for formula in ("log sum exp(z - m)", "log sum_k exp", "add m back", "z - m - log"):
        assert formula not in lines[0], lines[0]
