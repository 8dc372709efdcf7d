"""The whole network, forward and backward (chapters "The forward pass" to
"Parameter gradients")."""

from typing import NamedTuple

import numpy as np

from ._checks import as_array
from .activations import row_dot, row_max, row_sum, softmax
from .layers import check_layer
from .losses import LOSSES


class Forward(NamedTuple):
    """The forward pass: logits z1 = W1 x + b1 and probabilities z2 = softmax(z1) = y_hat."""
    z1: np.ndarray
    z2: np.ndarray


class Gradients(NamedTuple):
    """The loss value and dLoss/d(quantity) for each quantity, shaped like it."""
    loss: float
    y_hat: np.ndarray
    z1: np.ndarray
    b1: np.ndarray
    W1: np.ndarray


def forward(W1, b1, x):
    r"""Forward pass: :math:`z_1 = W_1 x + b_1`, :math:`z_2 = \mathrm{softmax}(z_1)`, and y_hat = z2.

    For a batch x (N, n_in), z1 and z2 are (N, n_out), one row per sample.
    """
    W1, x, b1 = check_layer(W1, x, b1)
    z1 = x @ W1.T + b1
    return Forward(z1=z1, z2=softmax(z1))


def backward(W1, b1, x, y, loss="squared_error"):
    r"""Backpropagation through the network, the chain rule applied from the loss back:

    .. math::
        \frac{\partial L}{\partial \hat y} &= \text{the loss's gradient}
            \quad(-2(y - \hat y) \text{ for squared error})\\
        \frac{\partial L}{\partial z_1} &= J^T \frac{\partial L}{\partial \hat y},
            \quad J = \partial z_2 / \partial z_1 \text{ (softmax Jacobian; } \hat y = z_2)\\
        \frac{\partial L}{\partial b_1} &= \frac{\partial L}{\partial z_1}
            \quad(\partial z_1/\partial b_1 = I)\\
        \frac{\partial L}{\partial W_1} &= \frac{\partial L}{\partial z_1}\, x^T
            \quad\text{(an outer product, shaped like } W_1)

    `loss` is "squared_error" or "cross_entropy". For a batch (x of shape (N, n_in),
    y of shape (N, n_out)) the loss is the mean over the rows; the y_hat and z1
    gradients are per row, and the parameter gradients sum the rows' contributions
    (each already divided by N).
    """
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; choose one of {sorted(LOSSES)}")
    W1, x, b1 = check_layer(W1, x, b1)
    y = as_array("y", y)
    z1 = x @ W1.T
    z1 += b1
    as_array("z", z1)  # finite inputs can still overflow here
    if y.shape != z1.shape:
        raise ValueError(f"y has shape {y.shape}, but the network's output y_hat has shape {z1.shape} "
                         f"(W1 has {W1.shape[0]} rows, one per class)")
    # Below: the formulas of losses.py and activations.py on arrays already checked, so a
    # batch pays for one exp and no re-checks. The in-place steps (-=, *=, /=) reuse memory:
    # every new batch-sized array costs page faults (benchmarks/README.md, "Gradients").
    z1 -= row_max(z1)          # shifted logits: softmax(z1) is unchanged, nothing overflows
    z2 = np.exp(z1)
    total = row_sum(z2)
    z2 /= total                # y_hat = softmax(z1)
    n_rows = 1 if y.ndim == 1 else y.shape[0]
    if loss == "cross_entropy":
        # log-sum-exp keeps the loss finite even where z2 underflows to 0, and J^T (-y / y_hat)
        # simplifies to y_hat * sum(y) - y (chapter "Cross-entropy"): no division by y_hat.
        z1 -= np.log(total)    # log y_hat
        value = float(-np.vdot(y, z1) / n_rows)
        # -y / y_hat, 0 where y is 0; -inf only where y_hat underflowed to 0 and y is not 0
        with np.errstate(divide="ignore", invalid="ignore"):
            dL_dy_hat = y / z2
        dL_dy_hat /= -n_rows
        dL_dy_hat += 0.0       # turns the -0.0 of 0 / -N (where y is 0) into 0.0
        if not z2.all():       # 0 / 0 where y_hat underflowed and y is 0: that term is 0
            dL_dy_hat[(y == 0) & (z2 == 0)] = 0.0
        dL_dz1 = z2 * row_sum(y)
        dL_dz1 -= y
        dL_dz1 /= n_rows
    else:
        dL_dy_hat = y - z2                                       # delta_y
        value = float(np.vdot(dL_dy_hat, dL_dy_hat) / n_rows)    # squared_error(y, z2)
        dL_dy_hat *= -2.0
        dL_dy_hat /= n_rows                                      # squared_error_grad(y, z2)
        dL_dz1 = dL_dy_hat - row_dot(z2, dL_dy_hat)
        dL_dz1 *= z2                                             # softmax_backward(z2, dL_dy_hat)
    if x.ndim == 1:
        dL_db1 = dL_dz1
        dL_dW1 = np.outer(dL_dz1, x)
    else:
        dL_db1 = np.einsum("ij->j", dL_dz1)  # the sum over the rows
        dL_dW1 = dL_dz1.T @ x
    return Gradients(loss=value, y_hat=dL_dy_hat, z1=dL_dz1, b1=dL_db1, W1=dL_dW1)
