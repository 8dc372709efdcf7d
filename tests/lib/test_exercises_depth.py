"""backprop_lib.exercises.depth: the checkers of part "Backprop through depth",
check_linear_backward, check_sigmoid_backward, check_relu_backward and
check_two_layer_backward, each called as its library counterpart is."""

import numpy as np
import pytest

import backprop_lib as bl
from backprop_lib import example
from backprop_lib.autograd import Tensor
from backprop_lib.exercises import (check_linear_backward, check_relu_backward, check_sigmoid_backward,
                                    check_two_layer_backward)
from backprop_lib.exercises.depth import two_layer_pass

from checker_contract import *  # noqa: F401,F403  (the tests every checker must pass)
from helpers import run

HIDDEN = bl.worked_example_hidden()
PARAMS = [(example.W1, example.b1), (example.W2, example.b2)]
NETWORK = (example.W1, example.b1, example.W2, example.b2, example.x, example.y)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


# ---- written out as a student would ---------------------------------------------------------

def layer_backward(W, x, d):
    """One sample or a batch (one per row): the rows' contributions added up."""
    X, D = np.atleast_2d(x), np.atleast_2d(d)
    return D.T @ X, D.sum(axis=0), (D @ W).reshape(np.shape(x))


def layer_backward_loop(W, x, d):
    if x.ndim == 1:
        return np.outer(d, x), d.copy(), W.T @ d
    dW, db = np.zeros_like(W), np.zeros(W.shape[0])
    for x_n, d_n in zip(x, d):
        dW += np.outer(d_n, x_n)
        db += d_n
    return dW, db, d @ W


def one_sample_only(W, x, d):
    """Right for one sample; on a batch np.outer flattens and W.T @ d fails."""
    return np.outer(d, x), d, W.T @ d


def with_step(dW, db, dx):
    """A linear_backward with one of its three results computed wrong."""
    def fn(W, x, d):
        right = layer_backward(W, x, d)
        return tuple(right[k] if wrong is None else wrong(W, x, d) for k, wrong in enumerate((dW, db, dx)))
    return fn


def two_layer(W1, b1, W2, b2, x, y, lr=None, in_place=False):
    """The chapter's two-layer backward pass; with lr, W2 is updated before delta1 (the slip)."""
    h = sigmoid(W1 @ x + b1)
    z2 = W2 @ h + b2
    y_hat = np.exp(z2 - z2.max()) / np.exp(z2 - z2.max()).sum()
    dL_dy_hat = -2 * (y - y_hat)
    delta2 = y_hat * (dL_dy_hat - y_hat @ dL_dy_hat)
    dL_dW2, dL_db2 = np.outer(delta2, h), delta2
    if lr is not None and in_place:
        W2 -= lr * dL_dW2
    elif lr is not None:
        W2 = W2 - lr * dL_dW2
    delta1 = h * (1 - h) * (W2.T @ delta2)
    return np.outer(delta1, x), delta1, dL_dW2, dL_db2


def two_layer_with_earlier_chapters(W1, b1, W2, b2, x, y):
    """Right, with the library's functions of the earlier chapters (allowed: they are not
    this exercise)."""
    h = bl.sigmoid(bl.linear(W1, x, b1))
    y_hat = bl.softmax(bl.linear(W2, h, b2))
    delta2 = bl.softmax_backward(y_hat, bl.squared_error_grad(y, y_hat))
    delta1 = h * (1 - h) * (W2.T @ delta2)
    return np.outer(delta1, x), delta1, np.outer(delta2, h), delta2


def two_layer_with_the_library_pieces(W1, b1, W2, b2, x, y):
    h = bl.sigmoid(W1 @ x + b1)
    y_hat = bl.softmax(W2 @ h + b2)
    delta2 = bl.softmax_backward(y_hat, bl.squared_error_grad(y, y_hat))
    dL_dW2, dL_db2, dL_dh = bl.linear_backward(W2, h, delta2)
    dL_dW1, dL_db1, _ = bl.linear_backward(W1, x, bl.sigmoid_backward(W1 @ x + b1, dL_dh))
    return dL_dW1, dL_db1, dL_dW2, dL_db2


def two_layer_softmax_at_logits(W1, b1, W2, b2, x, y):
    """Chapter "The softmax Jacobian" wrote bl.softmax_backward(z2, ...) with z2 the softmax's
    output; here z2 is the logits, and handing them over is the slip."""
    h = bl.sigmoid(bl.linear(W1, x, b1))
    z2 = bl.linear(W2, h, b2)
    y_hat = bl.softmax(z2)
    delta2 = bl.softmax_backward(z2, bl.squared_error_grad(y, y_hat))
    delta1 = h * (1 - h) * (W2.T @ delta2)
    return np.outer(delta1, x), delta1, np.outer(delta2, h), delta2


def two_layer_dW2_from_z1(W1, b1, W2, b2, x, y):
    z1 = W1 @ x + b1
    h = sigmoid(z1)
    y_hat = bl.softmax(W2 @ h + b2)
    delta2 = bl.softmax_backward(y_hat, -2 * (y - y_hat))
    delta1 = h * (1 - h) * (W2.T @ delta2)
    return np.outer(delta1, x), delta1, np.outer(delta2, z1), delta2


def two_layer_by_the_engine(W1, b1, W2, b2, x, y):
    params = [Tensor(p) for p in (W1, b1, W2, b2)]
    h = 1 / (1 + (-(params[0] @ x + params[1])).exp())
    (((y - (params[2] @ h + params[3]).softmax()) ** 2).sum()).backward()
    return tuple(p.grad for p in params)


CHECKERS = {
    "check_linear_backward": dict(
        checker=check_linear_backward, args=(example.W2, HIDDEN["h"], HIDDEN["delta2"]), right=layer_backward,
        others=[layer_backward_loop],
        mistakes={
            "W instead of W^T": (with_step(None, None, lambda W, x, d: d @ W.T), "needs its transpose"),
            "W instead of W^T, one sample": (lambda W, x, d: (np.outer(d, x), d, W @ d), "needs its transpose"),
            "batch: the one-sample W^T kept": (
                with_step(None, None, lambda W, x, d: d @ W.T if x.ndim == 2 else W.T @ d),
                "the transpose of W cancels"),
            "outer product the wrong way round": (with_step(lambda W, x, d: np.outer(x, d), None, None),
                                                  "outer product is the wrong way round"),
            "batch: rows not summed in dL_dW": (
                with_step(lambda W, x, d: np.einsum("ni,nj->nij", np.atleast_2d(d), np.atleast_2d(x)), None, None),
                "add them up over the rows"),
            "batch: rows not summed in dL_db": (with_step(None, lambda W, x, d: d, None), "adds up the rows of delta"),
            "batch: dL_db summed along each row": (
                with_step(None, lambda W, x, d: d.sum(axis=1) if d.ndim == 2 else d, None), "(axis=1)"),
            "batch: one-sample formulas": (one_sample_only, "one-sample formulas break"),
            "batch: rows averaged": (
                with_step(lambda W, x, d: np.atleast_2d(d).T @ np.atleast_2d(x) / len(np.atleast_2d(x)),
                          lambda W, x, d: np.atleast_2d(d).mean(axis=0), None), "averaged"),
            "batch: dL_dx summed": (with_step(None, None, lambda W, x, d: (np.atleast_2d(d) @ W).sum(axis=0)),
                                    "one row per sample"),
            "dL_db summed": (with_step(None, lambda W, x, d: np.sum(d), None), "one entry per output"),
            "another order": (lambda W, x, d: layer_backward(W, x, d)[::-1], "in the order (dL_dW, dL_db, dL_dx)"),
            "sign flipped": (lambda W, x, d: tuple(-g for g in layer_backward(W, x, d)), "sign is flipped"),
            "one result only": (lambda W, x, d: layer_backward(W, x, d)[0], "return the 3 results"),
        },
        library={"linear_backward": bl.linear_backward}),
    "check_sigmoid_backward": dict(
        checker=check_sigmoid_backward, args=(HIDDEN["z1"], HIDDEN["dL_dh"]),
        right=lambda z, g: sigmoid(z) * (1 - sigmoid(z)) * g,
        others=[lambda z, g: g * bl.sigmoid(z) * (1 - bl.sigmoid(z))],
        mistakes={
            "sigmoid applied to the activation again": (
                lambda z, g: sigmoid(sigmoid(z)) * (1 - sigmoid(sigmoid(z))) * g, "applied to the activation again"),
            "z where the activation belongs": (lambda z, g: z * (1 - z) * g, "treats z as the activation"),
            "f' dropped": (lambda z, g: g.copy(), "derivative is missing"),
            "the activation itself": (lambda z, g: sigmoid(z) * g, "the activation sigmoid(z) itself"),
            "f' alone": (lambda z, g: sigmoid(z) * (1 - sigmoid(z)), "multiply it by dL_da"),
            "tanh's derivative": (lambda z, g: (1 - sigmoid(z) ** 2) * g, "derivative of tanh"),
            "the diagonal matrix, one sample only": (
                lambda z, g: np.diag(sigmoid(z) * (1 - sigmoid(z))).T @ g, "np.diag does not build it"),
            "sign flipped": (lambda z, g: -sigmoid(z) * (1 - sigmoid(z)) * g, "sign is flipped"),
            "overflows for large z": (lambda z, g: np.exp(-z) / (1 + np.exp(-z)) ** 2 * g, "exp(-z) overflows"),
        },
        library={"sigmoid_backward": bl.sigmoid_backward}),
    "check_relu_backward": dict(
        checker=check_relu_backward, args=(HIDDEN["z1"], HIDDEN["dL_dh"]), right=lambda z, g: g * (z > 0),
        others=[lambda z, g: np.where(z > 0, g, 0.0)],
        mistakes={
            "relu'(0) = 1": (lambda z, g: g * (z >= 0), "relu'(0) = 0"),
            "step from dL_da's sign": (lambda z, g: np.maximum(g, 0.0), "sign of dL_da"),
            "f' dropped": (lambda z, g: g.copy(), "derivative is missing"),
            "the activation itself": (lambda z, g: np.maximum(z, 0.0) * g, "the activation relu(z) itself"),
            "f' alone": (lambda z, g: 1.0 * (z > 0), "multiply it by dL_da"),
            "step reversed": (lambda z, g: g * (z < 0), "the step is reversed"),
            "sign flipped": (lambda z, g: -g * (z > 0), "sign is flipped"),
        },
        library={"relu_backward": bl.relu_backward}),
    "check_two_layer_backward": dict(
        checker=check_two_layer_backward, args=NETWORK, right=two_layer,
        others=[two_layer_with_earlier_chapters],
        mistakes={
            "f' missing": (lambda *a: two_layer_pass(*a, dsigma=lambda z1, h: 1.0), "derivative is missing"),
            "transpose missing": (lambda *a: two_layer_pass(*a, back=lambda W2, d: W2 @ d), "transpose of W2"),
            "W2 updated before delta1": (lambda *a: two_layer(*a, lr=0.5), "W2 was updated before delta1"),
            "W2 updated before delta1, small step": (lambda *a: two_layer(*a, lr=0.01), "W2 was updated"),
            "W2 updated in place": (lambda *a: two_layer(*a, lr=0.1, in_place=True), "changes W2"),
            "f' taken at h": (lambda *a: two_layer_pass(*a, dsigma=lambda z1, h: sigmoid(h) * (1 - sigmoid(h))),
                              "taken at h, not at z1"),
            "softmax skipped": (lambda *a: two_layer_pass(*a, delta2_of=lambda y_hat, g: g), "skips the softmax"),
            "softmax_backward given the logits": (two_layer_softmax_at_logits, "not the logits z2"),
            "dL_dW2 from z1": (two_layer_dW2_from_z1, "not its pre-activation z1"),
            "cross-entropy's delta": (lambda *a: two_layer_pass(*a, delta2_of=lambda y_hat, g: g / 2),
                                      "cross-entropy's"),
            "outer product the wrong way round": (lambda *a: two_layer_pass(*a, outer=lambda d, v: np.outer(v, d)),
                                                  "wrong way round"),
            "second layer first": (lambda *a: two_layer(*a)[2:] + two_layer(*a)[:2], "the first layer's first"),
            "sign flipped": (lambda *a: tuple(-g for g in two_layer(*a)), "sign is flipped"),
        },
        changed="your function changes W1",
        library={"mlp_backward": lambda *a: tuple(g for pair in bl.mlp_backward(
                     [a[0:2], a[2:4]], a[4], a[5]).params for g in pair),
                 "linear_backward": two_layer_with_the_library_pieces,
                 "autograd.Tensor.backward": two_layer_by_the_engine}),
}


def test_the_mistakes_reference_is_the_library():
    """The checker's list of mistakes builds on its own two-layer pass: without a slip it is
    mlp_backward's."""
    expected = [g for pair in bl.mlp_backward(PARAMS, example.x, example.y).params for g in pair]
    for mine, theirs in zip(two_layer_pass(*NETWORK), expected):
        np.testing.assert_allclose(mine, theirs, rtol=1e-12, atol=1e-15)


def test_relu_checker_tries_z_equal_to_zero(capsys):
    """A relu' that is right except at z = 0 fails there, and is told the book's convention."""
    ok, lines = run(check_relu_backward, lambda z, g: np.where(z >= 0, g, 0.0), capsys)
    assert ok is False and "relu'(0) = 0" in lines[0], lines


def test_one_sample_formulas_fail_on_a_batch_and_say_so(capsys):
    """np.outer and W.T @ d are right for one sample; on a batch the line names the batch."""
    ok, lines = run(check_linear_backward, one_sample_only, capsys)
    assert ok is False and "batch" in lines[0], lines


def test_a_transposed_result_names_which_one(capsys):
    ok, lines = run(check_linear_backward, lambda W, x, d: (layer_backward(W, x, d)[0].T,
                                                            *layer_backward(W, x, d)[1:]), capsys)
    assert ok is False and lines[0].startswith("Not yet (check_linear_backward): "), lines
    assert "dL_dW" in lines[0] or "wrong way round" in lines[0], lines


@pytest.mark.parametrize("lr", [0.5, -3.0, 1e-3])
def test_an_update_before_delta1_is_found_for_any_learning_rate(lr, capsys):
    ok, lines = run(check_two_layer_backward, lambda *a: two_layer(*a, lr=lr), capsys)
    assert ok is False and "W2 was updated before delta1" in lines[0], lines


def test_a_batch_with_the_one_sample_transpose_is_not_told_to_transpose(capsys):
    """Right for one sample, dL_dz @ W.T for a batch: the student wrote W.T, so the line
    explains the batch's row form instead of asking for a transpose."""
    def fn(W, x, d):
        if x.ndim == 1:
            return np.outer(d, x), d, W.T @ d
        return d.T @ x, d.sum(axis=0), d @ W.T
    ok, lines = run(check_linear_backward, fn, capsys)
    assert ok is False and "(A B)^T" in lines[0] and "needs its transpose" not in lines[0], lines


def test_the_literal_diagonal_form_is_named_on_a_batch(capsys):
    """diag(sigmoid'(z))^T dL_da, the activation rule as written, is right for one sample; the
    line names the batch it breaks on and the matrix."""
    def fn(z, g):
        a = bl.sigmoid(z)
        return np.diag(a * (1 - a)).T @ g
    ok, lines = run(check_sigmoid_backward, fn, capsys)
    assert ok is False and "np.diag" in lines[0] and "batch" in lines[0], lines


def test_the_softmax_backward_of_the_logits_is_named_not_the_first_layer(capsys):
    """Without its own hint this slip read "dL_dW1 is not right", a layer away from it."""
    ok, lines = run(check_two_layer_backward, two_layer_softmax_at_logits, capsys)
    assert ok is False and "y_hat, not the logits z2" in lines[0] and "dL_dW1" not in lines[0], lines


def test_the_example_is_the_hidden_layer_example():
    assert np.allclose(CHECKERS["check_sigmoid_backward"]["right"](HIDDEN["z1"], HIDDEN["dL_dh"]), HIDDEN["delta1"])
    assert np.allclose(two_layer(*NETWORK)[0], HIDDEN["dL_dW1"])


def test_checkers_are_exported():
    for name in ("check_linear_backward", "check_sigmoid_backward", "check_relu_backward",
                 "check_two_layer_backward"):
        assert name in bl.exercises.__all__
