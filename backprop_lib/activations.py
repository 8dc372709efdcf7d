"""Activations and their backward steps.

The softmax, its Jacobian and its backward step (chapters "The forward pass" and "The
softmax Jacobian"); the hidden layers' sigmoid, tanh and relu (chapters "A hidden layer"
and "Gradient flow through depth").

Each ``*_backward(z, dL_da)`` turns dL/da, the gradient of the activation's output
a = f(z), into dL/dz = f'(z) * dL/da, with f' taken at the pre-activation z. Where the
forward pass stored a = f(z) too, ``a=`` passes it in, so f(z) is not computed twice.
"""

import numpy as np

from ._checks import as_array, same_shape
from .rows import row_dot, row_max, row_sum


def _pair(z, dL_da, check, names=("z", "dL_da")):
    if check:
        z, dL_da = as_array(names[0], z), as_array(names[1], dL_da)
        same_shape(names[0], z, names[1], dL_da)
    return z, dL_da


# ---- softmax, the output layer --------------------------------------------------------

def shifted_exp(z):
    r"""For logits z: shifted = z - max_k z_k, e = exp(shifted) and total = sum_k e_k,
    each over the last axis (total keeps that axis, length 1). softmax is e / total and
    log_softmax is shifted - log(total).
    """
    shifted = z - row_max(z)
    e = np.exp(shifted)
    return shifted, e, row_sum(e)


def softmax(z, check=True):
    r"""Softmax over the last axis: :math:`\mathrm{softmax}(z)^i = e^{z^i} / \sum_k e^{z^k}`.

    Subtracting :math:`\max_k z^k` first changes nothing mathematically (it cancels
    between numerator and denominator) but keeps every exponent <= 0, so nothing
    overflows: softmax((1000, -1000)) is (1, 0), softmax((-1000, -1000)) is (0.5, 0.5).
    """
    if check:
        z = as_array("z", z)
    _, e, total = shifted_exp(z)
    return e / total


def log_softmax(z, check=True):
    r"""Log of the softmax, computed stably with log-sum-exp (chapter "Batches and stability").

    .. math:: \log \mathrm{softmax}(z)^i = z^i - m - \log \sum_k e^{z^k - m},\quad m = \max_k z^k
    """
    if check:
        z = as_array("z", z)
    shifted, _, total = shifted_exp(z)
    return shifted - np.log(total)


def softmax_jacobian_from_output(s):
    r"""Jacobian of the softmax written with its output s = softmax(z).

    .. math:: J_{ij} = \frac{\partial s_i}{\partial z_j} = s_i(\delta_{ij} - s_j)
              \quad\text{i.e.}\quad J = \mathrm{diag}(s) - s s^T

    The notes use this form with their rounded s = (0.8, 0.2), which gives
    0.16 [[1, -1], [-1, 1]].
    """
    s = as_array("s", s)
    # diag(s) - s s^T, for one vector or for every row of a batch
    return np.einsum("...i,ij->...ij", s, np.eye(s.shape[-1])) - s[..., :, None] * s[..., None, :]


def softmax_jacobian(z):
    r"""Jacobian of the softmax at the logits z: :math:`J_{ij} = \partial\,\mathrm{softmax}(z)^i / \partial z^j`.

    .. math:: J_{ij} = \begin{cases} s^i (1 - s^i) & i = j \\ -s^i s^j & i \ne j \end{cases},
              \qquad s = \mathrm{softmax}(z)

    Shape (n, n) for one z of length n; (N, n, n) for a batch. J is symmetric, and:
    each row sums to 0, because adding the same number to every logit changes nothing
    (J times (1, ..., 1) is the change of s along that shift, 0); each column sums to 0,
    because the outputs always sum to 1, so no change of a logit can change their sum.
    """
    return softmax_jacobian_from_output(softmax(z))


def softmax_backward(y_hat, dL_dy_hat, check=True):
    r"""The softmax's backward step: dL/dz from y_hat = softmax(z) and dL/dy_hat.

    .. math:: \frac{\partial L}{\partial z} = J^T \frac{\partial L}{\partial \hat y}
              = \hat y \odot \Big(\frac{\partial L}{\partial \hat y} - \hat y \cdot \frac{\partial L}{\partial \hat y}\Big)

    The right-hand side is J^T g written out with J = diag(y_hat) - y_hat y_hat^T (a
    vector-Jacobian product); it never builds the n x n matrix, so a batch costs O(N n)
    instead of O(N n^2). In the notes' one-layer network y_hat is their z2 and z is z1.
    """
    y_hat, g = _pair(y_hat, dL_dy_hat, check, names=("y_hat", "dL_dy_hat"))
    return y_hat * (g - row_dot(y_hat, g))


# ---- the hidden layers' activations (part "Backprop through depth") -----------------

def sigmoid(z, check=True):
    r"""The logistic sigmoid, entry by entry: :math:`\sigma(z) = 1 / (1 + e^{-z})`.

    It squashes any number into (0, 1). For z below about -709, e^{-z} overflows to inf,
    and 1 / (1 + inf) = 0 is then the right value, so that overflow is not reported.
    """
    if check:
        z = as_array("z", z)
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


def sigmoid_backward(z, dL_da, a=None, check=True):
    r"""dL/dz for a = sigmoid(z): :math:`\sigma'(z) = \sigma(z)(1 - \sigma(z))`, so

    .. math:: \frac{\partial L}{\partial z} = \sigma(z)\,(1 - \sigma(z)) \odot \frac{\partial L}{\partial a}

    The derivative is taken at z: with a = sigmoid(z) it is a (1 - a). The classic slip
    writes sigmoid(a) (1 - sigmoid(a)), applying the sigmoid twice.
    """
    z, dL_da = _pair(z, dL_da, check)
    if a is None:
        a = sigmoid(z, check=False)
    return a * (1.0 - a) * dL_da


def tanh(z, check=True):
    r"""The hyperbolic tangent, entry by entry: :math:`\tanh z = (e^z - e^{-z}) / (e^z + e^{-z})`, in (-1, 1)."""
    if check:
        z = as_array("z", z)
    return np.tanh(z)


def tanh_backward(z, dL_da, a=None, check=True):
    r"""dL/dz for a = tanh(z): :math:`\tanh'(z) = 1 - \tanh^2 z`, so

    .. math:: \frac{\partial L}{\partial z} = (1 - \tanh^2 z) \odot \frac{\partial L}{\partial a}
    """
    z, dL_da = _pair(z, dL_da, check)
    if a is None:
        a = np.tanh(z)
    return (1.0 - a * a) * dL_da


def relu(z, check=True):
    r"""The rectified linear unit, entry by entry: :math:`\mathrm{relu}(z) = \max(0, z)`."""
    if check:
        z = as_array("z", z)
    return np.maximum(z, 0.0)


def relu_backward(z, dL_da, a=None, check=True):
    r"""dL/dz for a = relu(z): :math:`\mathrm{relu}'(z) = 1` where z > 0, else 0, so

    .. math:: \frac{\partial L}{\partial z} = [z > 0] \odot \frac{\partial L}{\partial a}

    At z = 0 the relu has a kink and no derivative; the book, like most libraries, takes 0.
    (``a`` is accepted like the other activations' and not needed.)
    """
    z, dL_da = _pair(z, dL_da, check)
    return np.where(z > 0, dL_da, 0.0)


#: the hidden activations `mlp_forward` and `mlp_backward` know, by name: (f, f's backward)
ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_backward),
    "tanh": (tanh, tanh_backward),
    "relu": (relu, relu_backward),
}
