"""backprop_lib.exercises.loss: the checkers of chapters "The loss" and "The chain rule",
check_squared_error and check_squared_error_grad."""

import numpy as np

import backprop_lib as bl
from backprop_lib import example
from backprop_lib.exercises import check_squared_error, check_squared_error_grad

from checker_contract import *  # noqa: F401,F403  (the tests every checker must pass)
from helpers import run

y = example.y
z2 = bl.softmax(bl.linear(example.W1, example.x, example.b1))


CHECKERS = {
    "check_squared_error": dict(
        checker=check_squared_error, args=(y, z2), right=lambda y, y_hat: np.sum((y - y_hat) ** 2),
        mistakes={
            "not summed": (lambda y, y_hat: (y - y_hat) ** 2, "one number per class"),
            "mean": (lambda y, y_hat: np.mean((y - y_hat) ** 2), "mean over the classes"),
            "not squared": (lambda y, y_hat: np.sum(y - y_hat), "not squared"),
            "absolute value": (lambda y, y_hat: np.sum(np.abs(y - y_hat)), "not squared"),
            "square of the sum": (lambda y, y_hat: np.sum(y - y_hat) ** 2, "squares the sum"),
            "half": (lambda y, y_hat: 0.5 * np.sum((y - y_hat) ** 2), "factor 1/2"),
            "factor 2": (lambda y, y_hat: 2 * np.sum((y - y_hat) ** 2), "extra factor 2"),
            "norm": (lambda y, y_hat: np.linalg.norm(y - y_hat), "length (norm)"),
            "root of the sum": (lambda y, y_hat: np.sqrt(np.sum((y - y_hat) ** 2)), "length (norm)"),
            "sign flipped": (lambda y, y_hat: -np.sum((y - y_hat) ** 2), "sign is flipped"),
            "non-finite": (lambda y, y_hat: np.sum((y - y_hat) ** 2) / 0, "nan or inf"),
        },
        library={"squared_error": bl.squared_error},
        strict=True),
    "check_squared_error_grad": dict(
        checker=check_squared_error_grad, args=(y, z2), right=lambda y, y_hat: 2 * (y_hat - y),
        mistakes={
            "sign flipped": (lambda y, y_hat: 2 * (y - y_hat), "sign is flipped"),
            "factor 2 missing": (lambda y, y_hat: y_hat - y, "factor 2 is missing"),
            "factor 2 and sign": (lambda y, y_hat: y - y_hat, "factor 2 is missing (the derivative"),
            "mean": (lambda y, y_hat: 2 * (y_hat - y) / len(y), "not a mean"),
            "summed": (lambda y, y_hat: np.sum(2 * (y_hat - y)), "single number"),
            "squared": (lambda y, y_hat: -2 * (y - y_hat) ** 2, "difference is squared"),
            "wrong shape": (lambda y, y_hat: np.tile(2 * (y_hat - y), 2), "should have shape"),
        },
        library={"squared_error_grad": bl.squared_error_grad},
        strict=True),
}


def test_typed_rounded_numbers_are_told_to_compute(capsys):
    """The example's gradient typed in at 4 decimals is close, and told so, not "not right"."""
    typed = np.round(bl.squared_error_grad(y, z2), 4)
    ok, lines = run(check_squared_error_grad, lambda y, y_hat: typed.copy(), capsys)
    assert ok is False
    assert lines == ["Not yet (check_squared_error_grad): close but not exact on the worked example: "
                     "compute the result, do not type rounded numbers."]
