"""backprop_lib.exercises.training: the checker of chapter "Training", check_gd_step."""

import numpy as np

import backprop_lib as bl
from backprop_lib.exercises import check_gd_step

from checker_contract import *  # noqa: F401,F403  (the tests every checker must pass)

del test_library_function_is_refused  # noqa: F821  (the library has no function for one step)

GRADS = bl.backward(bl.example.W1, bl.example.b1, bl.example.x, bl.example.y)


def gd_step(W, dW, lr):
    return W - lr * dW


def in_place(W, dW, lr):
    W -= lr * dW
    return W


def changes_dW(W, dW, lr):
    dW *= lr
    return W - dW


CHECKERS = {
    "check_gd_step": dict(
        checker=check_gd_step, args=(bl.example.W1, GRADS.W1, 0.5), right=gd_step,
        mistakes={
        "gradient ascent": (lambda W, dW, lr: W + lr * dW, "gradient ascent"),
        "learning rate missing": (lambda W, dW, lr: W - dW, "learning rate is missing"),
        "divided by lr": (lambda W, dW, lr: W - dW / lr, "divided by the learning rate"),
        "only the change": (lambda W, dW, lr: -lr * dW, "only the change"),
        "W and dW swapped": (lambda W, dW, lr: dW - lr * W, "swapped"),
        "W unchanged": (lambda W, dW, lr: W.copy(), "unchanged"),
        "in-place update": (in_place, "changes the W it was given"),
        "changes dW": (changes_dW, "changes the dW it was given"),
        },
        changed="your function changes the W it was given"),
}


def test_gd_step_mistakes_differ_from_right():
    """Every planted mistake really is wrong on the checker's first input (lr = 0.5)."""
    right = gd_step(bl.example.W1, GRADS.W1, 0.5)
    for name, (fn, _) in CHECKERS["check_gd_step"]["mistakes"].items():
        W, dW = np.array(bl.example.W1), np.array(GRADS.W1)
        out = fn(W, dW, 0.5)
        changed_input = not (np.array_equal(W, bl.example.W1) and np.array_equal(dW, GRADS.W1))
        assert changed_input or not np.allclose(out, right), name
