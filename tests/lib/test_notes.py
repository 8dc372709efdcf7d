"""backprop_lib.notes: the notes' worked example on both tracks, in agreement with the
network's gradients, and the hidden-layer example of part "Backprop through depth"."""

import numpy as np
import pytest

import backprop_lib as bl
from backprop_lib import example
from helpers import each_bad_input

X, Y, W1, B1 = example.x, example.y, example.W1, example.b1


def test_worked_example_values_are_read_only():
    w = bl.worked_example()
    with pytest.raises(ValueError, match="read-only"):
        w["z1"][0] = 0.0


def test_worked_example_tracks():
    rounded, exact = bl.worked_example(decimals=1), bl.worked_example()
    assert list(rounded) == list(bl.STEPS) == list(exact)
    assert rounded["loss"] == pytest.approx(1.28)
    np.testing.assert_allclose(rounded["dL_dz1"], [0.512, -0.512])
    np.testing.assert_allclose(rounded["dL_dW1"], [[0.1536, 0.1536, 0.4608], [-0.1536, -0.1536, -0.4608]])
    assert exact["loss"] == pytest.approx(1.2191, abs=5e-5)
    # the steps before the softmax are the same on both tracks
    for k in ("Wx", "z1", "exp_z1", "sum_exp"):
        np.testing.assert_array_equal(rounded[k], exact[k])


def test_worked_example_agrees_with_backward():
    w, g = bl.worked_example(), bl.backward(W1, B1, X, Y)
    assert w["loss"] == pytest.approx(g.loss, rel=1e-12)
    for key, field in [("dL_dy_hat", "y_hat"), ("dL_dz1", "z1"), ("dL_db1", "b1"), ("dL_dW1", "W1")]:
        np.testing.assert_allclose(w[key], getattr(g, field), rtol=1e-12)


BAD = [
    ("decimals negative", lambda: bl.worked_example(decimals=-1), r"decimals"),
]


@each_bad_input(BAD)
def test_bad_input_raises_a_value_error_naming_shapes_or_values(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_hidden_example_steps_are_the_networks():
    steps = bl.worked_example_hidden()
    params = [(example.W1, example.b1), (example.W2, example.b2)]
    g = bl.mlp_backward(params, example.x, example.y)
    assert steps["loss"] == g.loss
    for key, value in [("dL_dW1", g.params[0][0]), ("dL_db1", g.params[0][1]), ("dL_dW2", g.params[1][0]),
                       ("dL_db2", g.params[1][1]), ("delta1", g.z[0]), ("delta2", g.z[1]), ("dL_dx", g.x)]:
        np.testing.assert_allclose(steps[key], value, rtol=1e-14, atol=1e-17)
    ce = bl.worked_example_hidden(loss="cross_entropy")
    assert ce["loss"] == pytest.approx(bl.mlp_backward(params, example.x, example.y, loss="cross_entropy").loss)
    rounded = bl.worked_example_hidden(decimals=1)
    assert set(np.round(rounded["y_hat"], 1)) == set(rounded["y_hat"])
    with pytest.raises(ValueError, match="read-only"):
        example.W2[0, 0] = 1.0
