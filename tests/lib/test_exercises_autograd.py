"""backprop_lib.exercises.autograd: the checker of chapter "From hand to machine: a tiny
autograd", check_mul_backward, on inputs that numpy broadcasts in every way."""

import numpy as np

import backprop_lib as bl
from backprop_lib import example
from backprop_lib.exercises import check_mul_backward

from checker_contract import *  # noqa: F401,F403  (the tests every checker must pass)
from helpers import run

DL_DZ1 = bl.backward(example.W1, example.b1, example.x, example.y).z1
# the checker's worked example: the products W1^ij x^j, each gets dLoss/dz1^i
G = np.broadcast_to(DL_DZ1[:, None], example.W1.shape).copy()


def right(a, b, g):
    """dLoss/da for out = a * b, written independently of the engine and the checker."""
    grad = g * b
    while grad.ndim > np.ndim(a):  # axes numpy put in front of a
        grad = grad.sum(axis=0)
    for axis, n in enumerate(np.shape(a)):  # axes where a had length 1
        if n == 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


def leading_only(a, b, g):
    """Sums the added leading axes but forgets the length-1 ones."""
    grad = g * b
    while grad.ndim > np.ndim(a):
        grad = grad.sum(axis=0)
    return grad


def axis_zero_then_reshape(a, b, g):
    """Always sums over axis 0, then reshapes: raises where a has shape (2, 1)."""
    grad = g * b
    if grad.shape == np.shape(a):
        return grad
    return grad.sum(axis=0).reshape(np.shape(a))


def axis_zero_everywhere(a, b, g):
    """The same without the shortcut: raises already on the worked example."""
    return (g * b).sum(axis=0).reshape(np.shape(a))


def axis_zero_kept(a, b, g):
    """Sums the added leading axes, then axis 0 (kept) where the shapes still differ."""
    grad = leading_only(a, b, g)
    return grad if grad.shape == np.shape(a) else grad.sum(axis=0, keepdims=True)


def engine_mul_backward(a, b, g):
    """The book's engine does the work: refused, it is the exercise's answer."""
    a = bl.autograd.Tensor(a)
    (a * b).backward(g)
    return a.grad


CHECKERS = {
    "check_mul_backward": dict(
        checker=check_mul_backward, args=(example.W1, example.x, G), right=right,
        mistakes={
        "not summed back": (lambda a, b, g: g * b, "sum over those axes"),
        # the hint names the input where it fails: a (1, 4) a, its length-1 axis left unsummed
        "length-1 axes not summed": (leading_only, "a of shape (1, 4)"),
        "always axis 0, then reshape": (axis_zero_then_reshape, "not always over axis 0"),
        "always axis 0, everywhere": (axis_zero_everywhere, "not always over axis 0"),
        "always axis 0, kept": (axis_zero_kept, "not always over axis 0"),
        "g forgotten": (lambda a, b, g: right(a, np.broadcast_to(b, np.shape(g)), np.ones_like(g)), "g is missing"),
        "a instead of b": (lambda a, b, g: right(a, a, g), "is b, not a"),
        "averaged": (lambda a, b, g: right(a, b, g) / (np.size(g) // max(np.size(a), 1)), "averaged"),
        "axis dropped": (lambda a, b, g: np.squeeze(right(a, b, g)), "keepdims=True"),
        "everything summed": (lambda a, b, g: np.sum(g * b), "every axis was summed"),
        "sign flipped": (lambda a, b, g: -right(a, b, g), "sign is flipped"),
        "transposed": (lambda a, b, g: right(a, b, g).T, "transposed"),
        },
        # the hint names no number of the example's gradient, nor of W1^T dL/dz1
        answers=[example.W1.T @ DL_DZ1],
        library={"autograd.Tensor.backward": engine_mul_backward}),
}


def test_a_raised_error_names_the_input_it_came_from(capsys):
    """Summing axis 0 then reshaping works until a has shape (2, 1): the line says where."""
    ok, lines = run(check_mul_backward, axis_zero_then_reshape, capsys)
    assert ok is False
    assert "raised ValueError on a of shape (2, 1)" in lines[0], lines
    assert "the result is shaped like out" not in lines[0], lines
