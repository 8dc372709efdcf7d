"""The notes' network, forward and backward (chapters "The forward pass" to
"Parameter gradients"): one linear layer and a softmax, z1 = W1 x + b1, y_hat = z2 = softmax(z1)."""

from typing import NamedTuple

import numpy as np

from ._checks import as_array
from .activations import softmax, softmax_backward
from .layers import check_layer, linear, linear_backward
from .losses import (LOSSES, cross_entropy_from_logits, cross_entropy_grad, softmax_cross_entropy_grad,
                     squared_error, squared_error_grad)


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
    z1 = linear(W1, x, b1, check=False)
    return Forward(z1=z1, z2=softmax(z1, check=False))


def check_loss(loss):
    """Raise a ValueError naming the choices unless `loss` is a loss the library knows."""
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; choose one of {sorted(LOSSES)}")


def check_target(y, y_hat_shape, hint):
    """Return y as a checked array shaped like the network's output y_hat."""
    y = as_array("y", y)
    if y.shape != y_hat_shape:
        raise ValueError(f"y has shape {y.shape}, but the network's output y_hat has shape {y_hat_shape} ({hint})")
    return y


def loss_backward(y, z, y_hat, loss):
    r"""The loss and the first steps back, for y_hat = softmax(z) with checked arrays:
    returns ``(loss value, dL/dy_hat, dL/dz)``.

    Squared error: :math:`\partial L/\partial \hat y = -2(y - \hat y)`, then the softmax's
    backward step :math:`\partial L/\partial z = J^T\, \partial L/\partial \hat y`.
    Cross-entropy: :math:`\partial L/\partial \hat y = -y/\hat y`, and the product with J
    simplifies to :math:`\partial L/\partial z = \hat y - y` (chapter "Cross-entropy"); its
    value comes from the logits (log-sum-exp), so it stays finite where y_hat underflows.
    """
    if loss == "cross_entropy":
        value = cross_entropy_from_logits(y, z, check=False)
        dL_dy_hat = cross_entropy_grad(y, y_hat, check=False)
        dL_dz = softmax_cross_entropy_grad(y, y_hat, check=False)
    else:
        value = squared_error(y, y_hat, check=False)
        dL_dy_hat = squared_error_grad(y, y_hat, check=False)
        dL_dz = softmax_backward(y_hat, dL_dy_hat, check=False)
    return value, dL_dy_hat, dL_dz


def backward(W1, b1, x, y, loss="squared_error"):
    r"""Backpropagation through the notes' network, the chain rule applied from the loss back
    (chapter "Parameter gradients", its summary equations):

    .. math::
        z_1 &= W_1 x + b_1, \qquad \hat y = z_2 = \mathrm{softmax}(z_1)\\
        \frac{\partial L}{\partial \hat y} &= -2(y - \hat y) \quad\text{(squared error)}\\
        \frac{\partial L}{\partial z_1} &= J^T \frac{\partial L}{\partial \hat y},
            \quad J = \partial z_2 / \partial z_1 \text{ (the softmax Jacobian)}\\
        \frac{\partial L}{\partial b_1} &= \frac{\partial L}{\partial z_1}, \qquad
        \frac{\partial L}{\partial W_1} = \frac{\partial L}{\partial z_1}\, x^T

    `loss` is "squared_error" or "cross_entropy" (then dL/dz1 = y_hat - y). For a batch
    (x of shape (N, n_in), y of shape (N, n_out)) the loss is the mean over the rows; the
    y_hat and z1 gradients are per row, and the parameter gradients sum the rows'
    contributions (each already divided by N). It is `mlp_backward` with one layer.
    """
    check_loss(loss)
    W1, x, b1 = check_layer(W1, x, b1)
    # every input is checked once, here; the steps below are told not to check again
    z1 = as_array("z1", linear(W1, x, b1, check=False))  # finite inputs can still overflow
    y = check_target(y, z1.shape, f"W1 has {W1.shape[0]} rows, one per class")
    y_hat = softmax(z1, check=False)
    value, dL_dy_hat, dL_dz1 = loss_backward(y, z1, y_hat, loss)
    dL_dW1, dL_db1, _ = linear_backward(W1, x, dL_dz1, check=False)
    return Gradients(loss=value, y_hat=dL_dy_hat, z1=dL_dz1, b1=dL_db1, W1=dL_dW1)
