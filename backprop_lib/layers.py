"""The linear layer, forward and backward (chapters "The forward pass", "Parameter
gradients" and "A hidden layer")."""

import numpy as np

from ._checks import as_array, whole_number
from .display import fmt


def check_layer(W, x, b):
    """Check that W (n_out, n_in), x (n_in,) or (N, n_in) and b (n_out,) fit together."""
    W = as_array("W", W, ndims=(2,))
    x = as_array("x", x)
    b = as_array("b", b, ndims=(1,))
    n_out, n_in = W.shape
    if x.shape[-1] != n_in:
        raise ValueError(
            f"W has shape {W.shape}, so x needs {n_in} features, but x has shape {x.shape}"
            + (" (a batch has one sample per row)" if x.ndim == 2 else ""))
    if b.shape != (n_out,):
        raise ValueError(f"W has shape {W.shape}, so b needs shape ({n_out},), but b has shape {b.shape}")
    return W, x, b


def linear(W, x, b, check=True):
    r"""The linear layer, equation :math:`z_1 = W_1 x + b_1`.

    .. math:: z^i = \sum_j W^{ij} x^j + b^i

    For a batch ``x`` of shape (N, n_in), one sample per row, every row is mapped
    at once: :math:`Z = X W^T + b`, shape (N, n_out).

    Derivatives (chapter "Parameter gradients"): dz/db = identity, dz^m/dW^{ij} = delta_mi x^j
    (an (n_out, n_out, n_in) array), dz/dx = W. So, with g = dL/dz, the three rules of the
    layer are dL/dW = g x^T, dL/db = g and dL/dx = W^T g: `linear_backward`.
    """
    if check:
        W, x, b = check_layer(W, x, b)
    # x @ W.T is W x for one sample and X W^T for a batch: one expression for both.
    return x @ W.T + b


def linear_backward(W, x, dL_dz, check=True):
    r"""The linear layer's backward step: for z = W x + b and delta = dL/dz,

    .. math:: \frac{\partial L}{\partial W} = \delta\, x^T,\qquad
              \frac{\partial L}{\partial b} = \delta,\qquad
              \frac{\partial L}{\partial x} = W^T \delta

    Returns ``(dL_dW, dL_db, dL_dx)``, shaped like W, b and x. For a batch (one sample per
    row) dL_dW and dL_db sum the rows' contributions, :math:`\Delta^T X` and
    :math:`\sum_n \delta_n`; dL_dx is per row, :math:`\Delta W`.
    """
    if check:
        W, x = as_array("W", W, ndims=(2,)), as_array("x", x)
        dL_dz = as_array("dL_dz", dL_dz)
        n_out, n_in = W.shape
        if x.shape[-1] != n_in or dL_dz.shape != x.shape[:-1] + (n_out,):
            raise ValueError(f"W has shape {W.shape}, so x needs shape (..., {n_in}) and dL_dz shape "
                             f"(..., {n_out}) with the same rows; got x {x.shape} and dL_dz {dL_dz.shape}")
    if x.ndim == 1:
        return np.outer(dL_dz, x), dL_dz, W.T @ dL_dz
    return dL_dz.T @ x, dL_dz.sum(axis=0), dL_dz @ W


def substituted(W, x, b, decimals=1, result_decimals=None, name="z_1", latex=True):
    r"""Each entry of the linear layer :math:`z_1 = W_1 x + b_1` written out with the
    numbers substituted, one line per output (chapter "The forward pass"):

    .. math:: z_1^i = \sum_j W_1^{ij} x^j + b_1^i

    substituted(W1, x, b1)[0] is
    ``z_1^{1} = 0.2 \cdot 0.3 + 0.4 \cdot 0.3 + 0.9 \cdot 0.9 + 0.0 = 0.99``.

    The inputs are printed with `decimals` places and the result with `result_decimals`
    (default 2 * decimals: a product of two numbers with d places has 2d places, so the
    sum is then printed exactly). latex=False gives plain text: ``z_1^1 = 0.2·0.3 + ...``.
    The result is computed by `linear`, not by the formatting.
    """
    W, x, b = check_layer(W, x, b)
    if x.ndim != 1:
        raise ValueError(f"substituted writes out one sample; x must be a vector, got shape {x.shape}")
    decimals = whole_number("decimals", decimals)
    result_decimals = 2 * decimals if result_decimals is None else result_decimals
    times, index = (r" \cdot ", "^{{{}}}") if latex else ("·", "^{}")

    def term(v):
        # a negative factor gets brackets, as on paper: 0.1·0.3 + (-0.2)·0.3
        s = fmt(v, decimals)
        return f"({s})" if s.startswith("-") else s

    z = linear(W, x, b)
    lines = []
    for i in range(W.shape[0]):
        products = " + ".join(term(W[i, j]) + times + term(x[j]) for j in range(W.shape[1]))
        lines.append(f"{name}{index.format(i + 1)} = {products} + {term(b[i])} = {fmt(z[i], result_decimals)}")
    return lines
