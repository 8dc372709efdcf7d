"""backprop_lib.exercises.jacobian: the checkers of chapter "The softmax Jacobian",
check_softmax_jacobian and check_grad_z1."""

import numpy as np
import pytest

import backprop_lib as bl
from backprop_lib import example
from backprop_lib.exercises import check_grad_z1, check_softmax_jacobian

from checker_contract import *  # noqa: F401,F403  (the tests every checker must pass)
from helpers import run

z1 = bl.linear(example.W1, example.x, example.b1)
J = bl.softmax_jacobian(z1)
dL_dz2 = bl.squared_error_grad(example.y, bl.softmax(z1))


def s(z):
    return bl.softmax(z)


def naive_softmax(z):
    e = np.exp(z)
    return e / e.sum()


def jacobian_of(s):
    return np.diag(s) - np.outer(s, s)


CHECKERS = {
    "check_softmax_jacobian": dict(
        checker=check_softmax_jacobian, args=(z1,), right=lambda z: jacobian_of(s(z)),
        mistakes={
            "diagonal only": (lambda z: np.diag(s(z) * (1 - s(z))), "only the diagonal"),
            "diagonal as a vector": (lambda z: s(z) * (1 - s(z)), "only the diagonal"),
            "sign flipped": (lambda z: -jacobian_of(s(z)), "sign is flipped"),
            "off-diagonal sign": (lambda z: np.diag(s(z)) + np.outer(s(z), s(z)) - 2 * np.diag(s(z) ** 2),
                                  "off-diagonal entries have the wrong sign"),
            "no s s^T": (lambda z: np.diag(s(z)), "-s^i s^j part is missing"),
            "from z": (lambda z: jacobian_of(z), "built from z itself"),
            "overflows": (lambda z: jacobian_of(naive_softmax(z)), "overflows for large logits"),
            "wrong shape": (lambda z: jacobian_of(s(z))[:, :1], "should have shape"),
        },
        library={"softmax_jacobian": bl.softmax_jacobian},
        strict=True),
    "check_grad_z1": dict(
        checker=check_grad_z1, args=(J, dL_dz2), right=lambda J, g: J.T @ g,
        mistakes={
            "J instead of J^T": (lambda J, g: J @ g, "needs its transpose"),
            "diagonal only": (lambda J, g: np.diag(J) * g, "only the diagonal"),
            "sign flipped": (lambda J, g: -(J.T @ g), "sign is flipped"),
            "element-wise": (lambda J, g: J * g, "element-wise product"),
            "element-wise by rows": (lambda J, g: J * g[:, None], "element-wise product"),
            "J^T alone": (lambda J, g: J.T, "Jacobian alone"),
            "J alone": (lambda J, g: J, "Jacobian alone"),
            "non-finite": (lambda J, g: J.T @ g / 0, "nan or inf"),
        },
        others=[lambda J, g: g @ J],
        strict=True),
}


def test_library_inside_the_library_is_not_refused(capsys):
    """The softmax Jacobian's solution may call bl.softmax (another chapter's function), even
    though bl.softmax_jacobian calls it too."""
    ok, lines = run(check_softmax_jacobian, lambda z: jacobian_of(bl.softmax(z)), capsys)
    assert ok is True, lines


def test_grad_z1_needs_a_non_symmetric_J():
    """On the example J is symmetric, so J and J^T agree: only the random J tell them apart."""
    assert np.allclose(J, J.T)
    assert np.allclose(J @ dL_dz2, J.T @ dL_dz2)


@pytest.mark.parametrize("mistake", ["diagonal only", "sign flipped", "no s s^T"])
def test_softmax_jacobian_hints_do_not_give_the_matrix_formula(mistake, capsys):
    wrong, _ = CHECKERS["check_softmax_jacobian"]["mistakes"][mistake]
    ok, lines = run(check_softmax_jacobian, wrong, capsys)
    assert ok is False and "diag(s)" not in lines[0] and "s s^T" not in lines[0]
