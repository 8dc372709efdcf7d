"""Softmax, its Jacobian and its backward step (chapters "The forward pass" and
"The softmax Jacobian")."""

import numpy as np

from ._checks import as_array, same_shape


def shifted_exp(z):
    r"""For checked logits z: shifted = z - max_k z_k, e = exp(shifted) and total = sum_k e_k,
    each over the last axis (total keeps that axis, length 1). softmax is e / total and
    log_softmax is shifted - log(total).
    """
    shifted = z - row_max(z)
    e = np.exp(shifted)
    return shifted, e, row_sum(e)


# numpy reduces a short last axis (a batch of 10 classes) one row at a time, which costs
# more than the exp itself; these two go over whole columns instead (benchmarks/README.md)
def row_max(a):
    """max_k a_k over the last axis, keeping it (length 1)."""
    return np.ascontiguousarray(np.moveaxis(a, -1, 0)).max(axis=0)[..., None]


def row_sum(a):
    """sum_k a_k over the last axis, keeping it (length 1)."""
    return np.einsum("...i->...", a)[..., None]


def row_dot(a, b):
    """sum_k a_k b_k over the last axis, keeping it (length 1): the dot product of each row."""
    return np.einsum("...i,...i->...", a, b)[..., None]


def softmax(z):
    r"""Softmax over the last axis: :math:`\mathrm{softmax}(z)^i = e^{z^i} / \sum_k e^{z^k}`.

    Subtracting :math:`\max_k z^k` first changes nothing mathematically (it cancels
    between numerator and denominator) but keeps every exponent <= 0, so nothing
    overflows: softmax((1000, -1000)) is (1, 0), softmax((-1000, -1000)) is (0.5, 0.5).
    """
    _, e, total = shifted_exp(as_array("z", z))
    return e / total


def log_softmax(z):
    r"""Log of the softmax, computed stably with log-sum-exp (chapter "Batches and stability").

    .. math:: \log \mathrm{softmax}(z)^i = z^i - m - \log \sum_k e^{z^k - m},\quad m = \max_k z^k
    """
    shifted, _, total = shifted_exp(as_array("z", z))
    return shifted - np.log(total)


def softmax_jacobian_from_output(s):
    r"""Jacobian of the softmax written with its output s = softmax(z).

    .. math:: J_{ij} = \frac{\partial s^i}{\partial z^j} = s^i(\delta_{ij} - s^j)
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


def softmax_backward(z2, dL_dz2):
    r"""The softmax's backward step: dLoss/dz1 from z2 = softmax(z1) and dLoss/dz2.

    .. math:: \frac{\partial L}{\partial z_1} = J^T \frac{\partial L}{\partial z_2}
              = z_2 \odot \Big(\frac{\partial L}{\partial z_2} - z_2 \cdot \frac{\partial L}{\partial z_2}\Big)

    The right-hand side is J^T g written out with J = diag(z2) - z2 z2^T; it never builds
    the n x n matrix, so a batch costs O(N n) instead of O(N n^2).
    """
    z2 = as_array("z2", z2)
    g = as_array("dL_dz2", dL_dz2)
    same_shape("z2", z2, "dL_dz2", g)
    return z2 * (g - row_dot(z2, g))
