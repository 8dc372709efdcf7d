"""backprop_lib.rows: reductions over the last axis, one result per row, as numpy's own."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from backprop_lib.rows import row_dot, row_max, row_sum
from helpers import values

SHAPES = st.sampled_from([(1,), (4,), (3, 1), (5, 7), (2, 3, 4)])


@given(data=st.data())
def test_each_reduction_is_numpys_with_the_axis_kept(data):
    shape = data.draw(SHAPES)
    a, b = data.draw(values(shape)), data.draw(values(shape))
    np.testing.assert_array_equal(row_max(a), a.max(axis=-1, keepdims=True))
    np.testing.assert_allclose(row_sum(a), a.sum(axis=-1, keepdims=True), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(row_dot(a, b), (a * b).sum(axis=-1, keepdims=True), rtol=1e-13, atol=1e-14)
    # the kept axis broadcasts against the rows: a - row_max(a) is a's shape
    assert (a - row_max(a)).shape == a.shape
