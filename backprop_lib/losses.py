"""Loss functions and their gradients (chapters "The loss" and "Cross-entropy").

One sample: the loss is a sum over the classes. A batch (2-D, one sample per row):
the mean over the rows of that sum, so each gradient row carries a factor 1/N.
"""

import numpy as np

from ._checks import as_array, n_rows, same_shape
from .activations import log_softmax


def _pair(y, y_hat, check):
    if check:
        y, y_hat = as_array("y", y), as_array("y_hat", y_hat)
        same_shape("y", y, "y_hat", y_hat)
    return y, y_hat


def squared_error(y, y_hat, check=True):
    r"""Squared error, :math:`\mathrm{Loss} = \sum_i (y^i - \hat y^i)^2`; for a batch, the mean over rows.

    The example: y = (0, 1), y_hat = (0.8, 0.2) in the notes gives 0.64 + 0.64 = 1.28.
    """
    y, y_hat = _pair(y, y_hat, check)
    return float(((y - y_hat) ** 2).sum() / n_rows(y))


def squared_error_grad(y, y_hat, check=True):
    r"""Gradient of the squared error with respect to the prediction.

    .. math:: \frac{\partial\,\mathrm{Loss}}{\partial \hat y} = -2 (y - \hat y)

    The minus sign comes from the inner derivative d(y - y_hat)/d y_hat = -1.
    For a batch every row is divided by N (the loss is a mean).
    """
    y, y_hat = _pair(y, y_hat, check)
    return -2.0 * (y - y_hat) / n_rows(y)


def _check_probabilities(y, y_hat):
    if np.any(y_hat < 0):
        raise ValueError(f"y_hat must be probabilities (>= 0) for cross-entropy; got {y_hat.tolist()}")
    if np.any((y_hat == 0) & (y != 0)):
        raise ValueError("cross-entropy is infinite: y_hat is 0 where y is not "
                         f"(y = {y.tolist()}, y_hat = {y_hat.tolist()}); compute it from the "
                         "logits with log_softmax instead")


def cross_entropy(y, y_hat, check=True):
    r"""Cross-entropy, :math:`\mathrm{Loss} = -\sum_i y^i \log \hat y^i`; for a batch, the mean over rows.

    Terms with y^i = 0 contribute 0 (the limit of 0 log 0), whatever y_hat^i is.
    """
    y, y_hat = _pair(y, y_hat, check)
    if check:
        _check_probabilities(y, y_hat)
    log_y_hat = np.log(y_hat, where=y != 0, out=np.zeros_like(y))
    return float(-(y * log_y_hat).sum() / n_rows(y))


def cross_entropy_from_logits(y, z, check=True):
    r"""Cross-entropy of y_hat = softmax(z), computed from the logits (chapter "Batches and stability"):

    .. math:: \mathrm{Loss} = -\sum_i y^i \log \mathrm{softmax}(z)^i

    with log softmax by log-sum-exp, so the loss stays finite even where y_hat underflows to 0.
    """
    y, z = _pair(y, z, check)
    return float(-(y * log_softmax(z, check=False)).sum() / n_rows(y))


def cross_entropy_grad(y, y_hat, check=True):
    r"""Gradient of the cross-entropy with respect to the prediction.

    .. math:: \frac{\partial\,\mathrm{Loss}}{\partial \hat y^i} = -\frac{y^i}{\hat y^i}

    (0 where y^i = 0). For a batch every row is divided by N. Unchecked, a y_hat^i that
    underflowed to 0 where y^i is not 0 gives -inf: the slope there is infinite.
    """
    y, y_hat = _pair(y, y_hat, check)
    if check:
        _check_probabilities(y, y_hat)
    with np.errstate(divide="ignore"):
        minus_y_over_y_hat = np.divide(-y, y_hat, where=y != 0, out=np.zeros_like(y))
    return minus_y_over_y_hat / n_rows(y)


def softmax_cross_entropy_grad(y, y_hat, check=True):
    r"""dLoss/dz for Loss = cross_entropy(y, softmax(z)), from y_hat = softmax(z) (chapter "Cross-entropy"):

    .. math:: \frac{\partial L}{\partial z} = J^T\Big(-\frac{y}{\hat y}\Big)
              = \hat y \sum_k y^k - y = \hat y - y \quad (\textstyle\sum_k y^k = 1)

    The product with the softmax Jacobian simplifies so that nothing is divided by y_hat.
    For a batch every row is divided by N.
    """
    y, y_hat = _pair(y, y_hat, check)
    return (y_hat * y.sum(axis=-1, keepdims=True) - y) / n_rows(y)


#: the losses `backward` and `mlp_backward` know, by name
LOSSES = ("squared_error", "cross_entropy")
