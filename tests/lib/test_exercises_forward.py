"""backprop_lib.exercises.forward: the checkers of chapter "The forward pass", check_linear
and check_softmax."""

import math

import numpy as np

import backprop_lib as bl
from backprop_lib import example
from backprop_lib.exercises import check_linear, check_softmax

from checker_contract import *  # noqa: F401,F403  (the tests every checker must pass)
from helpers import run

W1, b1, x, y = example.W1, example.b1, example.x, example.y
z1 = bl.linear(W1, x, b1)


def stable_softmax(z):
    """The softmax written out, for the softmax checker's planted mistakes (bl.softmax itself
    is refused there: it is the exercise's answer)."""
    e = np.exp(z - z.max())
    return e / e.sum()


def naive_softmax(z):
    e = np.exp(z)
    return e / e.sum()


def math_softmax(z):
    e = [math.exp(v) for v in z]
    return np.array(e) / sum(e)


# For every checker: the example's arguments, a right function, the mistakes (each a wrong
# function and a phrase its hint must hold), and what hands the work to the library.
CHECKERS = {
    "check_linear": dict(
        checker=check_linear, args=(W1, x, b1), right=lambda W, x, b: W @ x + b,
        mistakes={
            "bias forgotten": (lambda W, x, b: W @ x, "bias is missing"),
            "bias subtracted": (lambda W, x, b: W @ x - b, "bias is subtracted"),
            "sign flipped": (lambda W, x, b: -(W @ x + b), "sign is flipped"),
            "wrong shape": (lambda W, x, b: (W @ x + b)[:, None], "should have shape"),
            # these raise a shape error on the example's 2x3 W: the hint still names the mistake
            "W transposed": (lambda W, x, b: W.T @ x + b, "W is used transposed"),
            "x on the left": (lambda W, x, b: x @ W + b, "W is used transposed"),
            "np.dot transposed": (lambda W, x, b: np.dot(W.T, x) + b, "W is used transposed"),
            "element-wise": (lambda W, x, b: W * x + b, "W * x multiplies entry by entry"),
            "element-wise, summed by columns": (lambda W, x, b: np.sum(W * x, axis=0) + b,
                                                "W * x multiplies entry by entry"),
        },
        library={"linear": bl.linear, "forward": lambda W, x, b: bl.forward(W, b, x).z1},
        strict=True),
    "check_softmax": dict(
        checker=check_softmax, args=(z1,), right=lambda z: np.exp(z - z.max()) / np.exp(z - z.max()).sum(),
        mistakes={
            "overflows": (naive_softmax, "overflows for large logits"),
            "overflows in math.exp": (math_softmax, "OverflowError"),
            "not normalised": (lambda z: np.exp(z), "do not sum to 1"),
            "divided by the max": (lambda z: np.exp(z) / np.exp(z).max(), "do not sum to 1"),
            "no exponential": (lambda z: z / z.sum(), "exponential is missing"),
            "sign flipped": (lambda z: np.exp(-z) / np.exp(-z).sum(), "sign is flipped"),
            "wrong shape": (lambda z: stable_softmax(z)[None, :], "should have shape"),
            "non-finite": (lambda z: stable_softmax(z) / 0, "nan or inf"),
            "shifted in the numerator only": (lambda z: np.exp(z - max(z)) / np.exp(z).sum(),
                                              "subtract the same max(z) in the numerator and in the denominator"),
            "shifted in the denominator only": (lambda z: np.exp(z) / np.exp(z - np.max(z)).sum(),
                                                "subtract the same max(z) in the numerator and in the denominator"),
        },
        library={"softmax": bl.softmax},
        strict=True),
}


def test_library_refusal_reaches_the_module(capsys):
    """bl.layers.linear is the same function as bl.linear."""
    ok, lines = run(check_linear, lambda W, x, b: bl.layers.linear(W, x, b), capsys)
    assert ok is False and "asks you to write it yourself" in lines[0], lines


def test_in_place_shift_is_named(capsys):
    """z -= max(z) gives the right softmax but changes the caller's z: the hint names z."""
    def shifts_in_place(z):
        z -= np.max(z)
        e = np.exp(z)
        return e / e.sum()

    ok, lines = run(check_softmax, shifts_in_place, capsys)
    assert ok is False
    assert lines == ["Not yet (check_softmax): the result is right, but your function changes its input z "
                     "in place (with -= or z[...] = ...), so the caller's array changes too; compute a new "
                     "array instead (z = z - ..., not z -= ...)."]


def test_restoring_an_input_exactly_enough_is_not_an_edit(capsys):
    """Shifting an entry and shifting it back (a last-bit difference at most) is not reported."""
    def shifts_and_restores(W, x, b):
        x[0] += 1e-6
        x[0] -= 1e-6
        return W @ x + b

    ok, lines = run(check_linear, shifts_and_restores, capsys)
    assert ok is True, lines


def test_raised_shape_error_names_the_mistake(capsys):
    """W.T @ x raises on the example's 2x3 W; the line says so and names the likely cause,
    instead of numpy's message about core dimensions."""
    ok, lines = run(check_linear, lambda W, x, b: W.T @ x + b, capsys)
    assert ok is False
    assert lines[0].startswith("Not yet (check_linear): your function raised ValueError on the worked example; ")
    assert "transposed" in lines[0] and "matmul" not in lines[0]


def test_softmax_checker_tries_large_logits(capsys):
    """A softmax that is right except for large logits fails, with the overflow hint."""
    def careless(z):
        if np.abs(z).max() > 100:
            return np.exp(z) / np.exp(z).sum()
        return stable_softmax(z)

    ok, lines = run(check_softmax, careless, capsys)
    assert ok is False and "(1000, -1000)" in lines[0] and "overflows" in lines[0]
