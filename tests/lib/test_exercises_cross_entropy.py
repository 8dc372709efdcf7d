"""backprop_lib.exercises.cross_entropy: the checker of chapter "Softmax with cross-entropy",
check_softmax_ce_grad, on the example, random targets, and logits that overflow or underflow."""

import numpy as np

import backprop_lib as bl
from backprop_lib import example
from backprop_lib.exercises import check_softmax_ce_grad

from checker_contract import *  # noqa: F401,F403  (the tests every checker must pass)
from helpers import run

z1 = bl.linear(example.W1, example.x, example.b1)


def naive_softmax(z):
    e = np.exp(z)
    return e / e.sum()


def long_way(y, z):
    """J^T (-y / y_hat), right too (away from underflow it equals y_hat - y)."""
    y_hat = bl.softmax(z)
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.where(y != 0, -y / y_hat, 0.0)
    return bl.softmax_jacobian(z).T @ g if np.all(np.isfinite(g)) else y_hat - y


CHECKERS = {
    "check_softmax_ce_grad": dict(
        checker=check_softmax_ce_grad, args=(example.y, z1), right=lambda y, z: bl.softmax(z) - y,
        others=[long_way],
        mistakes={
        "sign flipped": (lambda y, z: y - bl.softmax(z), "sign is flipped"),
        "y_hat only": (lambda y, z: bl.softmax(z), "y_hat alone"),
        "no softmax": (lambda y, z: z - y, "softmax is missing"),
        "dL/dy_hat only": (lambda y, z: -y / bl.softmax(z), "dLoss/dy_hat"),
        "diagonal Jacobian": (lambda y, z: -(1 - bl.softmax(z)) * y, "diagonal"),
        "naive softmax overflows": (lambda y, z: naive_softmax(z) - y, "overflow"),
        "long way divides by an underflowed y_hat": (
            lambda y, z: bl.softmax_jacobian_from_output(bl.softmax(z)).T @ (-y / bl.softmax(z)),
            "y / y_hat divides by an entry that underflowed to 0"),
        "off by a constant": (lambda y, z: bl.softmax(z) - y + 0.1, "not right on"),
        },
        library={
            "softmax_cross_entropy_grad": lambda y, z: bl.softmax_cross_entropy_grad(y, bl.softmax(z)),
            "backward": lambda y, z: bl.backward(np.eye(len(z)), np.zeros(len(z)), z, y, loss="cross_entropy").z1,
        }),
}


def test_ce_overflow_warning_does_not_leak(capsys):
    """A naive softmax raises RuntimeWarnings in numpy; the checker keeps its one line."""
    ok, lines = run(check_softmax_ce_grad, lambda y, z: naive_softmax(z) - y, capsys)
    assert ok is False and len(lines) == 1


def test_ce_long_way_passes_until_y_hat_underflows(capsys):
    """The long way is right wherever no entry of y_hat is 0: it fails on the case where
    one underflows, and there the hint names the division, not an overflow."""
    def long_way(y, z):
        y_hat = bl.softmax(z)
        return bl.softmax_jacobian_from_output(y_hat).T @ (-y / y_hat)
    ok, lines = run(check_softmax_ce_grad, long_way, capsys)
    assert ok is False
    assert "overflows beyond" not in lines[0]
    assert "simplify with the chapter's result" in lines[0]


def test_checkers_are_exported():
    for name in ("check_softmax_ce_grad", "check_batch_grad_W1", "check_log_softmax"):
        assert name in bl.exercises.__all__
