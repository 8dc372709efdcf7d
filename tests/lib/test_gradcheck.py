"""backprop_lib.gradcheck: central differences and the relative error."""

import numpy as np
import pytest

import backprop_lib as bl
from backprop_lib import example
from helpers import each_bad_input

X = example.x


def test_numerical_gradient_leaves_input_unchanged():
    a = np.array([[1.0, 2.0], [3.0, 4.0]])
    before = a.copy()
    g = bl.numerical_gradient(lambda v: (v ** 2).sum(), a)
    np.testing.assert_array_equal(a, before)
    np.testing.assert_allclose(g, 2 * a, rtol=1e-8)
    assert g.shape == a.shape


BAD = [
    ("eps zero", lambda: bl.numerical_gradient(lambda a: a.sum(), X, eps=0), r"eps"),
    ("f not scalar", lambda: bl.numerical_gradient(lambda a: a, X), r"scalar.*\(3,\)"),
]


@each_bad_input(BAD)
def test_bad_input_raises_a_value_error_naming_shapes_or_values(call, message):
    with pytest.raises(ValueError, match=message):
        call()
