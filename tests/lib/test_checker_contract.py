"""The checker contract (checker_contract.py) itself, on a made-up checker whose arguments are
all plain numbers, not arrays: the loss of one class, (y - p)^2, for a target y and a
probability p. The book has no such checker yet; an instructor's exercise may."""

import numpy as np

import backprop_lib as bl
from backprop_lib import example
from backprop_lib.activations import softmax
from backprop_lib.exercises._feedback import Case, Mistake, Symptom, check, random_cases
from backprop_lib.layers import linear

from checker_contract import *  # noqa: F401,F403  (the tests every checker must pass)
from helpers import run

# the worked example as plain numbers: the target and the prediction of the right class
P = float(softmax(linear(example.W1, example.x, example.b1))[1])
Y = float(example.y[1])


def check_class_loss(fn):
    """Check fn(y, p) -> (y - p)^2 for plain numbers y and p."""
    cases = [Case((Y, P), (Y - P) ** 2)]

    def make(rng):
        y, p = float(rng.integers(2)), float(rng.uniform(-0.5, 1.5))
        return Case((y, p), (y - p) ** 2, "a random y and p")

    cases += random_cases(11, 4, make)
    mistakes = [
        Mistake("the difference is not squared.", lambda y, p: y - p, lambda y, p: p - y),
        Mistake("there is an extra factor 1/2.", lambda y, p: 0.5 * (y - p) ** 2),
        Mistake("there is an extra factor 2.", lambda y, p: 2 * (y - p) ** 2),
    ]
    symptoms = [Symptom("the sign is flipped: a square is never negative.", lambda out, y, p: out < 0)]
    return check(fn, "check_class_loss", cases, mistakes, symptoms, library=("squared_error",))


CHECKERS = {
    "check_class_loss": dict(
        checker=check_class_loss, args=(Y, P), right=lambda y, p: (y - p) ** 2,
        others=[lambda y, p: (p - y) ** 2, lambda y, p: y * y - 2 * y * p + p * p],
        mistakes={
            "not squared": (lambda y, p: y - p, "not squared"),
            "half": (lambda y, p: 0.5 * (y - p) ** 2, "factor 1/2"),
            "factor 2": (lambda y, p: 2 * (y - p) ** 2, "factor 2"),
            "sign flipped": (lambda y, p: -((y - p) ** 2), "sign is flipped"),
        },
        # the library's loss of one-entry vectors: refused
        library={"squared_error": lambda y, p: bl.squared_error(np.array([y]), np.array([p]))},
        strict=True),
}


def test_the_arguments_are_plain_numbers():
    """What this file is for: no argument of the made-up checker is an array."""
    assert not any(isinstance(a, np.ndarray) for a in CHECKERS["check_class_loss"]["args"])


def test_a_function_that_rebinds_its_numbers_is_still_checked_on_its_result(capsys):
    """Zeroing its own names after a wrong result changes nothing for the caller: still wrong."""
    def wrong_and_zeroing(y, p):
        out = y - p
        y *= 0
        p *= 0
        return out

    ok, lines = run(check_class_loss, wrong_and_zeroing, capsys)
    assert ok is False and lines == ["Not yet (check_class_loss): the difference is not squared."]
