"""backprop_lib on the worked example, its contract, and every bad input it must refuse."""

import numpy as np
import pytest

import backprop_lib as bl
from backprop_lib import example

X, Y, W1, B1 = example.x, example.y, example.W1, example.b1


# --- the example -----------------------------------------------------------------------

def test_example_values_and_labels():
    np.testing.assert_array_equal(X, [0.3, 0.3, 0.9])
    np.testing.assert_array_equal(Y, [0.0, 1.0])
    np.testing.assert_array_equal(W1, [[0.2, 0.4, 0.9], [0.1, -0.2, -0.5]])
    np.testing.assert_array_equal(B1, [0.0, 0.2])
    assert example.INPUT_LABELS == ("green", "yellow", "red")
    assert example.OUTPUT_LABELS == ("exact", "test")


@pytest.mark.parametrize("name", ["x", "y", "W1", "b1"])
def test_example_arrays_are_read_only(name):
    a = getattr(example, name)
    with pytest.raises(ValueError, match="read-only"):
        a[0] = 42.0
    with pytest.raises(ValueError, match="read-only"):
        a += 1.0


def test_worked_example_values_are_read_only():
    w = bl.worked_example()
    with pytest.raises(ValueError, match="read-only"):
        w["z1"][0] = 0.0


# --- every function on the example -----------------------------------------------------

def test_linear_on_example():
    np.testing.assert_allclose(bl.linear(W1, X, B1), [0.99, -0.28], atol=1e-12)


def test_forward_on_example():
    fwd = bl.forward(W1, B1, X)
    assert isinstance(fwd, bl.Forward) and fwd._fields == ("z1", "z2")
    np.testing.assert_allclose(fwd.z1, [0.99, -0.28], atol=1e-12)
    np.testing.assert_allclose(fwd.z2, [0.7807, 0.2193], atol=5e-5)


def test_losses_on_example():
    z2 = bl.softmax(bl.linear(W1, X, B1))
    assert bl.squared_error(Y, z2) == pytest.approx(1.2191, abs=5e-5)
    np.testing.assert_allclose(bl.squared_error_grad(Y, z2), [1.5615, -1.5615], atol=5e-5)
    assert bl.squared_error(Y, [0.8, 0.2]) == pytest.approx(1.28)
    np.testing.assert_allclose(bl.squared_error_grad(Y, [0.8, 0.2]), [1.6, -1.6])
    assert bl.cross_entropy(Y, z2) == pytest.approx(-np.log(z2[1]))
    np.testing.assert_allclose(bl.cross_entropy_grad(Y, z2), [0.0, -1 / z2[1]])


def test_softmax_jacobian_on_example():
    J = bl.softmax_jacobian(bl.linear(W1, X, B1))
    np.testing.assert_allclose(J, 0.1712 * np.array([[1, -1], [-1, 1]]), atol=5e-5)
    np.testing.assert_allclose(bl.softmax_jacobian_from_output([0.8, 0.2]),
                               0.16 * np.array([[1, -1], [-1, 1]]), atol=1e-12)


def test_backward_on_example():
    g = bl.backward(W1, B1, X, Y)
    assert isinstance(g, bl.Gradients) and g._fields == ("loss", "y_hat", "z1", "b1", "W1")
    assert g.loss == pytest.approx(1.2191, abs=5e-5)
    np.testing.assert_allclose(g.y_hat, [1.5615, -1.5615], atol=5e-5)
    np.testing.assert_allclose(g.z1, [0.5346, -0.5346], atol=5e-5)
    np.testing.assert_allclose(g.b1, g.z1)
    np.testing.assert_allclose(g.W1, [[0.1604, 0.1604, 0.4811], [-0.1604, -0.1604, -0.4811]], atol=5e-5)
    assert g.W1.shape == W1.shape and g.b1.shape == B1.shape


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


def test_loss_after_one_gradient_step_is_lower():
    g = bl.backward(W1, B1, X, Y)
    assert bl.backward(W1 - 0.5 * g.W1, B1 - 0.5 * g.b1, X, Y).loss < g.loss


# --- softmax stability and shapes ------------------------------------------------------

@pytest.mark.parametrize("z, expected", [
    ([1000.0, -1000.0], [1.0, 0.0]),
    ([-1000.0, -1000.0], [0.5, 0.5]),
    ([1000.0, 1000.0], [0.5, 0.5]),
    ([[1000.0, -1000.0], [-1000.0, -1000.0]], [[1.0, 0.0], [0.5, 0.5]]),
])
def test_softmax_extreme_logits_are_exact_and_finite(z, expected):
    s = bl.softmax(z)
    assert np.all(np.isfinite(s))
    np.testing.assert_array_equal(s, expected)


def test_log_softmax_extreme_logits():
    np.testing.assert_allclose(bl.log_softmax([1000.0, -1000.0]), [0.0, -2000.0])


def test_batch_shapes():
    Xb = np.stack([X, 2 * X, -X])
    Yb = np.array([[0.0, 1.0], [1.0, 0.0], [0.0, 1.0]])
    assert bl.linear(W1, Xb, B1).shape == (3, 2)
    assert bl.softmax_jacobian(bl.linear(W1, Xb, B1)).shape == (3, 2, 2)
    g = bl.backward(W1, B1, Xb, Yb)
    assert g.y_hat.shape == g.z1.shape == (3, 2)
    assert g.b1.shape == (2,) and g.W1.shape == (2, 3)
    # the batch loss is the mean over the rows of each row's loss
    rows = [bl.backward(W1, B1, Xb[i], Yb[i]).loss for i in range(3)]
    assert g.loss == pytest.approx(np.mean(rows))


def test_numerical_gradient_leaves_input_unchanged():
    a = np.array([[1.0, 2.0], [3.0, 4.0]])
    before = a.copy()
    g = bl.numerical_gradient(lambda v: (v ** 2).sum(), a)
    np.testing.assert_array_equal(a, before)
    np.testing.assert_allclose(g, 2 * a, rtol=1e-8)
    assert g.shape == a.shape


def test_glue_converts_numpy_scalars(capsys, monkeypatch):
    import builtins
    real_import = builtins.__import__

    def no_myst(name, *args, **kwargs):
        if name.startswith("myst_nb"):
            raise ImportError("no myst_nb here")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_myst)
    bl.glue("loss", np.float64(1.5))
    bl.glue("z1", np.array([0.99, -0.28]), 2)
    assert capsys.readouterr().out == "loss = 1.5\nz1 = (0.99, -0.28)\n"


def test_fmt_and_latex():
    assert bl.fmt(0.99, 2) == "0.99"
    assert bl.fmt(-0.0001, 2) == "0.00"
    assert bl.fmt([0.99, -0.28], 2) == "(0.99, -0.28)"
    assert bl.fmt([[1, -1], [-1, 1]], 0) == "[[1, -1], [-1, 1]]"
    assert bl.latex([1, 2], 0) == r"\begin{pmatrix} 1 \\ 2 \end{pmatrix}"


# --- bad input: ValueError naming the shapes or values ---------------------------------

BAD = [
    ("W/x mismatch", lambda: bl.linear(W1, [1.0, 2.0], B1), r"\(2, 3\).*3 features.*\(2,\)"),
    ("W/b mismatch", lambda: bl.linear(W1, X, [0.0, 0.0, 0.0]), r"b needs shape \(2,\).*\(3,\)"),
    ("W not 2-D", lambda: bl.linear([1.0, 2.0], X, B1), r"W must be .*shape \(2,\)"),
    ("batch of wrong width", lambda: bl.forward(W1, B1, np.ones((4, 2))), r"\(4, 2\)"),
    ("3-D input", lambda: bl.forward(W1, B1, np.ones((2, 2, 3))), r"shape \(2, 2, 3\)"),
    ("empty batch", lambda: bl.forward(W1, B1, np.ones((0, 3))), r"empty.*\(0, 3\)"),
    ("nan in x", lambda: bl.forward(W1, B1, [0.3, np.nan, 0.9]), r"x has non-finite.*nan"),
    ("inf in W1", lambda: bl.forward(np.where(W1 > 0.8, np.inf, W1), B1, X), r"W has non-finite"),
    ("nan in logits", lambda: bl.softmax([np.nan, 1.0]), r"z has non-finite"),
    ("target too short", lambda: bl.backward(W1, B1, X, [1.0]), r"y has shape \(1,\).*\(2,\)"),
    ("target too long", lambda: bl.backward(W1, B1, X, [0.0, 1.0, 0.0]), r"y has shape \(3,\)"),
    ("batch target rows", lambda: bl.backward(W1, B1, np.ones((4, 3)), np.ones((3, 2))), r"\(3, 2\).*\(4, 2\)"),
    ("unknown loss", lambda: bl.backward(W1, B1, X, Y, loss="hinge"), r"'hinge'.*cross_entropy.*squared_error"),
    ("loss shapes", lambda: bl.squared_error([0.0, 1.0], [0.5, 0.3, 0.2]), r"\(2,\).*\(3,\)"),
    ("loss grad shapes", lambda: bl.squared_error_grad([[0.0, 1.0]], [0.5, 0.5]), r"\(1, 2\).*\(2,\)"),
    ("ce of a zero", lambda: bl.cross_entropy([0.0, 1.0], [1.0, 0.0]), r"infinite"),
    ("ce negative", lambda: bl.cross_entropy_grad([0.0, 1.0], [1.5, -0.5]), r"-0.5"),
    ("jacobian of text", lambda: bl.softmax_jacobian("abc"), r"z must be numbers"),
    ("eps zero", lambda: bl.numerical_gradient(lambda a: a.sum(), X, eps=0), r"eps"),
    ("f not scalar", lambda: bl.numerical_gradient(lambda a: a, X), r"scalar.*\(3,\)"),
    ("decimals negative", lambda: bl.worked_example(decimals=-1), r"decimals"),
    ("softmax_backward shapes", lambda: bl.softmax_backward([0.5, 0.5], [1.0, 2.0, 3.0]), r"\(2,\).*\(3,\)"),
]


@pytest.mark.parametrize("call, message", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_input_raises_value_error_with_a_useful_message(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_no_silent_broadcast_between_target_and_prediction():
    # (2,) against (1, 2) would broadcast in numpy; the library refuses
    with pytest.raises(ValueError):
        bl.squared_error(np.array([[0.0, 1.0]]), np.array([0.5, 0.5]))


def test_version_is_named_once_for_the_notebooks():
    import pathlib
    import re
    pyproject = (pathlib.Path(__file__).resolve().parent.parent / "pyproject.toml").read_text()
    assert bl.__version__ == re.search(r'^version = "([^"]+)"', pyproject, re.M).group(1)
