"""Loss functions and their gradients (chapters "The loss" and "Cross-entropy").

One sample: the loss is a sum over the classes. A batch (2-D, one sample per row):
the mean over the rows of that sum, so each gradient row carries a factor 1/N.
"""

import numpy as np

from ._checks import as_array, same_shape


def _pair(y, y_hat):
    y = as_array("y", y)
    y_hat = as_array("y_hat", y_hat)
    same_shape("y", y, "y_hat", y_hat)
    return y, y_hat


def _rows(a):
    """How many samples `a` holds: 1 for a vector, N for a batch."""
    return 1 if a.ndim == 1 else a.shape[0]


def squared_error(y, y_hat):
    r"""Squared error, :math:`\mathrm{Loss} = \sum_i (y^i - \hat y^i)^2`; for a batch, the mean over rows.

    The example: y = (0, 1), y_hat = (0.8, 0.2) in the notes gives 0.64 + 0.64 = 1.28.
    """
    y, y_hat = _pair(y, y_hat)
    return float(((y - y_hat) ** 2).sum() / _rows(y))


def squared_error_grad(y, y_hat):
    r"""Gradient of the squared error with respect to the prediction.

    .. math:: \frac{\partial\,\mathrm{Loss}}{\partial \hat y} = -2 (y - \hat y)

    The minus sign comes from the inner derivative d(y - y_hat)/d y_hat = -1.
    For a batch every row is divided by N (the loss is a mean).
    """
    y, y_hat = _pair(y, y_hat)
    return -2.0 * (y - y_hat) / _rows(y)


def _check_probabilities(y, y_hat):
    if np.any(y_hat < 0):
        raise ValueError(f"y_hat must be probabilities (>= 0) for cross-entropy; got {y_hat.tolist()}")
    if np.any((y_hat == 0) & (y != 0)):
        raise ValueError("cross-entropy is infinite: y_hat is 0 where y is not "
                         f"(y = {y.tolist()}, y_hat = {y_hat.tolist()}); compute it from the "
                         "logits with log_softmax instead")


def cross_entropy(y, y_hat):
    r"""Cross-entropy, :math:`\mathrm{Loss} = -\sum_i y^i \log \hat y^i`; for a batch, the mean over rows.

    Terms with y_i = 0 contribute 0 (the limit of 0 log 0), whatever y_hat_i is.
    """
    y, y_hat = _pair(y, y_hat)
    _check_probabilities(y, y_hat)
    terms = np.zeros_like(y)
    np.multiply(y, np.log(y_hat, where=y != 0, out=np.zeros_like(y)), where=y != 0, out=terms)
    return float(-terms.sum() / _rows(y))


def cross_entropy_grad(y, y_hat):
    r"""Gradient of the cross-entropy with respect to the prediction.

    .. math:: \frac{\partial\,\mathrm{Loss}}{\partial \hat y^i} = -\frac{y^i}{\hat y^i}

    (0 where y_i = 0). For a batch every row is divided by N.
    """
    y, y_hat = _pair(y, y_hat)
    _check_probabilities(y, y_hat)
    grad = np.zeros_like(y)
    np.divide(-y, y_hat, where=y != 0, out=grad)
    return grad / _rows(y)


#: the losses `backward` knows, by name: (loss, dLoss/dy_hat)
LOSSES = {
    "squared_error": (squared_error, squared_error_grad),
    "cross_entropy": (cross_entropy, cross_entropy_grad),
}
