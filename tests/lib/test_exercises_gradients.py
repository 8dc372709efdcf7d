"""backprop_lib.exercises.gradients: the checkers of chapter "Parameter gradients",
check_grad_b1 and check_grad_W1."""

import numpy as np
import pytest

import backprop_lib as bl
from backprop_lib import example
from backprop_lib.exercises import check_grad_b1, check_grad_W1

from checker_contract import *  # noqa: F401,F403  (the tests every checker must pass)
from helpers import run

x = example.x
grads = bl.backward(example.W1, example.b1, x, example.y)


def through_linear_backward(d, x):
    """dL/dW1 and dL/db1 from the library's linear layer (its W does not matter for them)."""
    return bl.linear_backward(np.zeros((len(d), len(x))), x, d)


CHECKERS = {
    "check_grad_b1": dict(
        checker=check_grad_b1, args=(grads.z1,), right=lambda d: d,
        mistakes={
            "sign flipped": (lambda d: -d, "sign is flipped"),
            "bias forgotten": (lambda d: np.zeros_like(d), "bias is forgotten"),
            "dz1/db1 only": (lambda d: np.ones_like(d), "dz1/db1 alone"),
            "identity matrix only": (lambda d: np.eye(len(d)), "identity matrix"),
            "factor 2": (lambda d: 2 * d, "factor 2"),
            "summed": (lambda d: d.sum(), "single number"),
            "a matrix": (lambda d: np.outer(d, d), "is a matrix"),
            "non-finite": (lambda d: d / 0, "nan or inf"),
        },
        others=[lambda d: d.copy()],
        library={"linear_backward": lambda d: through_linear_backward(d, d)[1]},
        strict=True),
    "check_grad_W1": dict(
        checker=check_grad_W1, args=(grads.z1, x), right=lambda d, x: d[:, None] * x[None, :],
        mistakes={
            "transposed": (lambda d, x: np.outer(x, d), "transposed"),
            "sign flipped": (lambda d, x: -np.outer(d, x), "sign is flipped"),
            "x missing": (lambda d, x: np.repeat(d[:, None], len(x), axis=1), "x is missing"),
            "a vector": (lambda d, x: d * x.sum(), "result is a vector"),
            "a number": (lambda d, x: d.sum() * x.sum(), "single number"),
            "factor 2": (lambda d, x: 2 * np.outer(d, x), "factor 2"),
            "non-finite": (lambda d, x: np.outer(d, x) / 0, "nan or inf"),
            "dL/dz1 forgotten": (lambda d, x: np.tile(x, (len(d), 1)), "dz1/dW1 alone"),
            # raises on the example (lengths 2 and 3), returns a number on a square layer
            "matrix product": (lambda d, x: d @ x, "an outer product is needed, not a matrix product"),
        },
        others=[np.outer],
        library={"linear_backward": lambda d, x: through_linear_backward(d, x)[0]},
        strict=True),
}


def test_shape_error_of_a_matrix_product_is_plain(capsys):
    """dL_dz1 @ x raises numpy's gufunc error on the example; the line explains it instead."""
    ok, lines = run(check_grad_W1, lambda d, x: d @ x, capsys)
    assert ok is False
    assert lines[0].startswith("Not yet (check_grad_W1): your function raised ValueError on the worked example; ")
    assert "matmul" not in lines[0] and "signature" not in lines[0]


@pytest.mark.parametrize("shape_hint", [lambda d, x: d * x.sum(), lambda d, x: d.sum() * x.sum()])
def test_grad_W1_shape_hints_do_not_give_the_formula(shape_hint, capsys):
    ok, lines = run(check_grad_W1, shape_hint, capsys)
    assert ok is False and "one entry per weight" in lines[0] and "outer product" not in lines[0]
