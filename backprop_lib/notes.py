"""The notes' worked example, step by step, on two tracks (every chapter's tables)."""

import numpy as np

from . import example
from .activations import softmax, softmax_jacobian_from_output
from .layers import linear
from .losses import squared_error, squared_error_grad

STEPS = ("Wx", "z1", "exp_z1", "sum_exp", "z2", "delta_y", "loss",
         "dL_dy_hat", "softmax_jacobian", "dL_dz1", "dL_db1", "dL_dW1")


def _frozen(v):
    if np.ndim(v) == 0:
        return float(v)
    a = np.array(v, dtype=float)
    a.flags.writeable = False
    return a


def worked_example(decimals=None):
    r"""Every step of the notes' example, in order, as a dict keyed by STEPS.

    .. math::
        Wx = W_1 x,\quad z_1 = W_1 x + b_1,\quad z_2 = \hat y = \mathrm{softmax}(z_1),\quad
        \Delta y = y - \hat y,\quad L = \sum_i (\Delta y^i)^2,

        \frac{\partial L}{\partial \hat y} = -2\Delta y,\quad J = \mathrm{diag}(z_2) - z_2 z_2^T,\quad
        \frac{\partial L}{\partial z_1} = J^T \frac{\partial L}{\partial \hat y}
        = \frac{\partial L}{\partial b_1},\quad
        \frac{\partial L}{\partial W_1} = \frac{\partial L}{\partial z_1} x^T

    decimals=None is the exact track. decimals=1 is the notes' track: the softmax
    output is rounded to one decimal, (0.8, 0.2), and everything after it is computed
    from the rounded value, as the notes do.
    """
    if decimals is not None and (not isinstance(decimals, (int, np.integer)) or decimals < 0):
        raise ValueError(f"decimals must be None or a whole number >= 0, got {decimals!r}")
    x, y, W1, b1 = example.x, example.y, example.W1, example.b1
    exp_z1 = np.exp(linear(W1, x, b1))
    z2 = softmax(linear(W1, x, b1))
    if decimals is not None:
        z2 = np.round(z2, decimals)
    dL_dy_hat = squared_error_grad(y, z2)
    J = softmax_jacobian_from_output(z2)
    dL_dz1 = J.T @ dL_dy_hat
    steps = {
        "Wx": W1 @ x,
        "z1": linear(W1, x, b1),
        "exp_z1": exp_z1,
        "sum_exp": exp_z1.sum(),
        "z2": z2,
        "delta_y": y - z2,
        "loss": squared_error(y, z2),
        "dL_dy_hat": dL_dy_hat,
        "softmax_jacobian": J,
        "dL_dz1": dL_dz1,
        "dL_db1": dL_dz1,  # dz1/db1 is the identity
        "dL_dW1": np.outer(dL_dz1, x),
    }
    return {k: _frozen(steps[k]) for k in STEPS}


#: What the handwritten notes wrote at each step, slips included (see the appendix's
#: errata). Transcribed, not computed: the book sets it beside the computed values.
NOTES_WROTE = {
    "Wx": (0.99, -0.48),
    "z1": (0.99, -0.28),
    "exp_z1": (2.71, 0.7),
    "sum_exp": 3.41,
    "z2": (0.8, 0.2),
    "delta_y": (-0.8, 0.8),
    "loss": 1.28,
    "dL_dy_hat": (1.6, -1.6),
    "softmax_jacobian": ((0.16, -0.16), (-0.16, 0.16)),
    "dL_dz1": (0.512, -0.512),
    "dL_db1": (0.512, -0.512),
    "dL_dW1": ((0.15, 0.15, 0.45), (-0.15, -0.15, -0.45)),
}

#: How the book names each step, in tables and prose.
STEP_NAMES = {
    "Wx": "W1 x",
    "z1": "z1 = W1 x + b1",
    "exp_z1": "exp(z1)",
    "sum_exp": "sum exp(z1)",
    "z2": "z2 = y_hat = softmax(z1)",
    "delta_y": "delta y = y - y_hat",
    "loss": "Loss",
    "dL_dy_hat": "dLoss/dy_hat = -2 (y - y_hat)",
    "softmax_jacobian": "J = dz2/dz1",
    "dL_dz1": "dLoss/dz1 = J^T dLoss/dz2",
    "dL_db1": "dLoss/db1",
    "dL_dW1": "dLoss/dW1",
}
