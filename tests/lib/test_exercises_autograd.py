"""The checker of the chapter "From hand to machine: a tiny autograd": the right answer
passes, the stub is "not attempted", each usual mistake gets its own hint, and no line
gives the answer away."""

import numpy as np
import pytest

import backprop_lib as bl
from backprop_lib import example
from backprop_lib.exercises import NOT_ATTEMPTED, check_mul_backward


def right(a, b, g):
    """dLoss/da for out = a * b, written independently of the engine and the checker."""
    grad = g * b
    while grad.ndim > np.ndim(a):  # axes numpy put in front of a
        grad = grad.sum(axis=0)
    for axis, n in enumerate(np.shape(a)):  # axes where a had length 1
        if n == 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


def stub(a, b, g):
    raise NotImplementedError


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


MISTAKES = {
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
}


def test_right_answer_passes(capsys):
    assert bool(check_mul_backward(right)) is True
    assert capsys.readouterr().out.startswith("Right (check_mul_backward)")


def test_stub_is_not_attempted(capsys):
    assert bool(check_mul_backward(stub)) is False
    assert capsys.readouterr().out.strip() == NOT_ATTEMPTED


@pytest.mark.parametrize("mistake", MISTAKES)
def test_each_mistake_gets_its_hint(mistake, capsys):
    fn, phrase = MISTAKES[mistake]
    assert bool(check_mul_backward(fn)) is False
    out = capsys.readouterr().out
    assert out.count("\n") == 1, out
    assert out.startswith("Not yet (check_mul_backward)") and phrase in out, out


def test_a_raised_error_names_the_input_it_came_from(capsys):
    """Summing axis 0 then reshaping works until a has shape (2, 1): the line says where."""
    check_mul_backward(axis_zero_then_reshape)
    out = capsys.readouterr().out
    assert "raised ValueError on a of shape (2, 1)" in out, out
    assert "the result is shaped like out" not in out, out


@pytest.mark.parametrize("mistake", MISTAKES)
def test_no_hint_gives_the_answer_away(mistake, capsys):
    check_mul_backward(MISTAKES[mistake][0])
    out = capsys.readouterr().out
    dL_dW1 = bl.backward(example.W1, example.b1, example.x, example.y).W1
    for value in list(dL_dW1.ravel()) + list(example.W1.T @ dL_dW1[:, 0] / example.x[0]):
        assert f"{value:.2f}" not in out and f"{value:.3f}" not in out
