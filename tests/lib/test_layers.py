"""backprop_lib.layers: the linear layer, forward and backward, and `substituted`, the layer
written out with the numbers substituted (chapter "The forward pass")."""

import re

import numpy as np
import pytest
from hypothesis import given

import backprop_lib as bl
from backprop_lib import example
from helpers import each_bad_input, values


def test_linear_on_example():
    np.testing.assert_allclose(bl.linear(example.W1, example.x, example.b1), [0.99, -0.28], atol=1e-12)


@given(W=values((3, 4)), x=values((5, 4)), g=values((5, 3)))
def test_linear_backward_is_the_transpose_of_linear(W, x, g):
    dW, db, dx = bl.linear_backward(W, x, g)
    np.testing.assert_allclose(dW, sum(np.outer(g[n], x[n]) for n in range(5)), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(db, g.sum(axis=0), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(dx, np.stack([W.T @ g[n] for n in range(5)]), rtol=1e-12, atol=1e-14)
    one = bl.linear_backward(W, x[0], g[0])
    np.testing.assert_allclose(one[0], np.outer(g[0], x[0]), rtol=1e-12, atol=1e-14)
    assert one[1].shape == (3,) and one[2].shape == (4,)


BAD = [
    ("W/x mismatch", lambda: bl.linear(example.W1, [1.0, 2.0], example.b1), r"\(2, 3\).*3 features.*\(2,\)"),
    ("W/b mismatch", lambda: bl.linear(example.W1, example.x, [0.0, 0.0, 0.0]), r"b needs shape \(2,\).*\(3,\)"),
    ("linear_backward shapes", lambda: bl.linear_backward(example.W1, example.x, [1.0, 2.0, 3.0]),
     r"\(2, 3\).*\(3,\)"),
    ("linear_backward rows", lambda: bl.linear_backward(example.W1, np.ones((4, 3)), np.ones((5, 2))),
     r"\(4, 3\).*\(5, 2\)"),
    ("W not 2-D", lambda: bl.linear([1.0, 2.0], example.x, example.b1), r"W must be .*shape \(2,\)"),
]


@each_bad_input(BAD)
def test_bad_input_raises_a_value_error_naming_shapes_or_values(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ---- substituted ----------------------------------------------------------------------


def evaluate(line):
    """Read a plain-text line back: 'z_1^1 = a·b + (c)·d + e = r' -> (value of the sum, r)."""
    _, expression, result = line.split(" = ")
    total = 0.0
    for term in expression.split(" + "):
        factors = [float(f.strip("()")) for f in term.split("·")]
        total += np.prod(factors)
    return total, float(result)


def test_the_example_reads_as_in_the_notes():
    lines = bl.substituted(example.W1, example.x, example.b1, decimals=1, latex=False)
    assert lines[0] == "z_1^1 = 0.2·0.3 + 0.4·0.3 + 0.9·0.9 + 0.0 = 0.99"
    assert lines[1] == "z_1^2 = 0.1·0.3 + (-0.2)·0.3 + (-0.5)·0.9 + 0.2 = -0.28"


def test_latex_form_uses_cdot_and_superscripts():
    line = bl.substituted(example.W1, example.x, example.b1)[0]
    assert line.startswith("z_1^{1} = 0.2 \\cdot 0.3 + ")
    assert "·" not in line


@pytest.mark.parametrize("seed", range(20))
def test_every_line_adds_up_to_the_linear_layer(seed):
    # one-decimal inputs: the products have two decimals, so the printed sum must be exact
    rng = np.random.default_rng(seed)
    n_out, n_in = rng.integers(1, 5, size=2)
    W = np.round(rng.uniform(-1, 1, size=(n_out, n_in)), 1)
    x = np.round(rng.uniform(-1, 1, size=n_in), 1)
    b = np.round(rng.uniform(-1, 1, size=n_out), 1)
    lines = bl.substituted(W, x, b, decimals=1, latex=False)
    z = bl.linear(W, x, b)
    assert len(lines) == n_out
    for i, line in enumerate(lines):
        total, result = evaluate(line)
        assert re.match(rf"z_1\^{i + 1} = ", line)
        assert total == pytest.approx(z[i], abs=1e-9)
        assert result == pytest.approx(z[i], abs=1e-9)


def test_the_result_is_computed_not_copied():
    b = np.array([1.0, -1.0])
    lines = bl.substituted(example.W1, example.x, b, latex=False)
    assert lines[0].endswith("= 1.99") and lines[1].endswith("= -1.48")


@pytest.mark.parametrize("W, x, b, words", [
    (example.W1, [0.3, 0.3], example.b1, "(2,)"),
    (example.W1, example.x, [0.0, 0.2, 0.0], "(3,)"),
    (example.W1, [[0.3, 0.3, 0.9]], example.b1, "(1, 3)"),
])


def test_bad_shapes_raise_value_error_naming_them(W, x, b, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        bl.substituted(W, x, b)


def test_bad_decimals_raise_value_error():
    with pytest.raises(ValueError, match="decimals"):
        bl.substituted(example.W1, example.x, example.b1, decimals=-1)
