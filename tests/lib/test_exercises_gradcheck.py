"""backprop_lib.exercises.gradcheck: the checker of chapter "Gradient checking",
check_numerical_gradient."""

import numpy as np

import backprop_lib as bl
from backprop_lib import example
from backprop_lib.exercises import check_numerical_gradient

from checker_contract import *  # noqa: F401,F403  (the tests every checker must pass)
from helpers import run_one_line as run


def loss_of_W1(W):
    return bl.backward(W, example.b1, example.x, example.y).loss


def central(f, a, eps):
    grad = np.zeros_like(a, dtype=float)
    for k in np.ndindex(a.shape):
        plus, minus = a.copy(), a.copy()
        plus[k] += eps
        minus[k] -= eps
        grad[k] = (f(plus) - f(minus)) / (2 * eps)
    return grad


def shifting_a(restore):
    """Shifts a itself, one entry at a time, and puts each entry back only if `restore`
    (by arithmetic, which may leave a last-bit difference: that is right too)."""
    def fn(f, a, eps):
        grad = np.zeros_like(a, dtype=float)
        for k in np.ndindex(a.shape):
            a[k] += eps
            f_plus = f(a)
            a[k] -= 2 * eps
            grad[k] = (f_plus - f(a)) / (2 * eps)
            if restore:
                a[k] += eps
        return grad
    return fn


central_in_place = shifting_a(restore=True)
not_restored = shifting_a(restore=False)


def with_step(step):
    def fn(f, a, eps):
        grad = np.zeros_like(a, dtype=float)
        f_a = f(a.copy())
        for k in np.ndindex(a.shape):
            plus, minus = a.copy(), a.copy()
            plus[k] += eps
            minus[k] -= eps
            grad[k] = step(f(plus), f_a, f(minus), eps)
        return grad
    return fn


def all_at_once(f, a, eps):
    return np.full(a.shape, (f(a + eps) - f(a - eps)) / (2 * eps))


def row_at_a_time(f, a, eps):
    grad = np.zeros_like(a, dtype=float)
    for i in range(a.shape[0]):
        plus, minus = a.copy(), a.copy()
        plus[i] += eps
        minus[i] -= eps
        grad[i] = (f(plus) - f(minus)) / (2 * eps)
    return grad


CHECKERS = {
    "check_numerical_gradient": dict(
        checker=check_numerical_gradient, args=(loss_of_W1, example.W1, 1e-3), right=central,
        others=[central_in_place],
        mistakes={
        "one-sided (forward)": (with_step(lambda fp, f0, fm, e: (fp - f0) / e), "one-sided difference (f(a + eps) - f(a))"),
        "one-sided (backward)": (with_step(lambda fp, f0, fm, e: (f0 - fm) / e), "one-sided difference (f(a) - f(a - eps))"),
        "missing factor 2": (with_step(lambda fp, f0, fm, e: (fp - fm) / e), "divide by 2 eps"),
        "/ 2 * eps": (with_step(lambda fp, f0, fm, e: (fp - fm) / 2 * e), "x / 2 * eps is (x / 2) * eps"),
        "sign flipped": (with_step(lambda fp, f0, fm, e: (fm - fp) / (2 * e)), "sign is flipped"),
        "a not restored": (not_restored, "leaves a changed"),
        "all entries at once": (all_at_once, "one entry at a time (a + eps e_k)"),
        "a row at a time": (row_at_a_time, "a[i] is a whole row"),
        "flat result": (lambda f, a, eps: central(f, a, eps).ravel(), "the result is flat"),
        },
        changed="your function leaves a changed",
        library={"numerical_gradient": bl.numerical_gradient}),
}


def test_numerical_gradient_error_is_reported(capsys):
    def broken(f, a, eps):
        return a @ np.ones((7, 7))  # shapes do not fit: raises ValueError
    ok, line = run(check_numerical_gradient, broken, capsys)
    assert ok is False
    assert "raised ValueError" in line
