"""The whole network, forward and backward (chapters "The forward pass" to
"Parameter gradients")."""

from typing import NamedTuple

import numpy as np

from ._checks import as_array
from .activations import log_softmax, softmax, softmax_backward
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
    z1, z2 = forward(W1, b1, x)
    x = np.asarray(x, dtype=float)
    y = as_array("y", y)
    if y.shape != z2.shape:
        raise ValueError(f"y has shape {y.shape}, but the network's output y_hat has shape {z2.shape} "
                         f"(W1 has {np.shape(W1)[0]} rows, one per class)")
    loss_fn, loss_grad = LOSSES[loss]
    if loss == "cross_entropy":
        # log-sum-exp keeps the loss finite even where z2 underflows to 0, and J^T (-y / y_hat)
        # simplifies to y_hat * sum(y) - y (chapter "Cross-entropy"): no division by y_hat.
        n_rows = 1 if y.ndim == 1 else y.shape[0]
        value = float(-(y * log_softmax(z1)).sum() / n_rows)
        with np.errstate(divide="ignore", invalid="ignore"):
            # -y / y_hat, 0 where y is 0; -inf only where y_hat underflowed to 0
            dL_dy_hat = np.where(y != 0, -y / z2, 0.0) / n_rows
        dL_dz1 = (z2 * y.sum(axis=-1, keepdims=True) - y) / n_rows
    else:
        value = loss_fn(y, z2)
        dL_dy_hat = loss_grad(y, z2)
        dL_dz1 = softmax_backward(z2, dL_dy_hat)
    if x.ndim == 1:
        dL_db1 = dL_dz1
        dL_dW1 = np.outer(dL_dz1, x)
    else:
        dL_db1 = dL_dz1.sum(axis=0)
        dL_dW1 = dL_dz1.T @ x
    return Gradients(loss=value, y_hat=dL_dy_hat, z1=dL_dz1, b1=dL_db1, W1=dL_dW1)
