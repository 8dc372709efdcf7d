"""The notes' worked example, step by step, on two tracks (every chapter's tables), and
the hidden-layer example of part "Backprop through depth" computed the same way."""

import numpy as np

from . import example
from ._checks import frozen, whole_number
from .activations import sigmoid, softmax, softmax_jacobian_from_output
from .display import Table, fmt
from .layers import check_layer, linear, linear_backward
from .mlp import check_params
from .network import check_target, loss_backward

STEPS = ("Wx", "z1", "exp_z1", "sum_exp", "z2", "delta_y", "loss",
         "dL_dy_hat", "softmax_jacobian", "dL_dz1", "dL_db1", "dL_dW1")

HIDDEN_STEPS = ("z1", "h", "dsigma", "z2", "y_hat", "loss", "dL_dy_hat", "delta2", "dL_dW2",
                "dL_db2", "dL_dh", "delta1", "dL_dW1", "dL_db1", "dL_dx")


def _default(value, name):
    return getattr(example, name) if value is None else value


def worked_example(decimals=None, *, x=None, W1=None, b1=None, y=None):
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
    from the rounded value, as the notes do. x, W1, b1 and y default to the notes' values;
    any others of fitting shapes give the same steps for them (a worksheet's numbers).
    """
    decimals = whole_number("decimals", decimals, allow_none=True)
    W1, x, b1 = check_layer(_default(W1, "W1"), _default(x, "x"), _default(b1, "b1"))
    if x.ndim != 1:
        raise ValueError(f"the worked example is one sample; x must be a vector, got shape {x.shape}")
    z1 = linear(W1, x, b1)
    y = check_target(_default(y, "y"), z1.shape, f"W1 has {W1.shape[0]} rows, one per class")
    exp_z1 = np.exp(z1)
    z2 = softmax(z1)
    if decimals is not None:
        z2 = np.round(z2, decimals)
    loss, dL_dy_hat, _ = loss_backward(y, z1, z2, "squared_error")
    J = softmax_jacobian_from_output(z2)
    dL_dz1 = J.T @ dL_dy_hat
    dL_dW1, dL_db1, _ = linear_backward(W1, x, dL_dz1)
    steps = {
        "Wx": W1 @ x,
        "z1": z1,
        "exp_z1": exp_z1,
        "sum_exp": exp_z1.sum(),
        "z2": z2,
        "delta_y": y - z2,
        "loss": loss,
        "dL_dy_hat": dL_dy_hat,
        "softmax_jacobian": J,
        "dL_dz1": dL_dz1,
        "dL_db1": dL_db1,  # dz1/db1 is the identity
        "dL_dW1": dL_dW1,
    }
    return {k: frozen(steps[k]) for k in STEPS}


def worked_example_hidden(decimals=None, *, x=None, W1=None, b1=None, W2=None, b2=None, y=None,
                          loss="squared_error"):
    r"""Every step of the hidden-layer example (chapter "A hidden layer"), as a dict keyed
    by HIDDEN_STEPS:

    .. math::
        z_1 = W_1 x + b_1,\quad h = \sigma(z_1),\quad \sigma'(z_1) = h(1 - h),\quad
        z_2 = W_2 h + b_2,\quad \hat y = \mathrm{softmax}(z_2),

        \delta_2 = J^T \frac{\partial L}{\partial \hat y},\quad
        \frac{\partial L}{\partial W_2} = \delta_2 h^T,\quad
        \frac{\partial L}{\partial h} = W_2^T \delta_2,\quad
        \delta_1 = \sigma'(z_1) \odot \frac{\partial L}{\partial h},\quad
        \frac{\partial L}{\partial W_1} = \delta_1 x^T,\quad
        \frac{\partial L}{\partial x} = W_1^T \delta_1

    dL_db2 is delta2 and dL_db1 is delta1. Defaults: the notes' x, W1, b1, y and the
    book's W2, b2. decimals=1 rounds y_hat to one decimal and computes the rest from it,
    as the notes do; decimals=None is exact, and then equals `mlp_backward`.
    """
    decimals = whole_number("decimals", decimals, allow_none=True)
    params, x = check_params([(_default(W1, "W1"), _default(b1, "b1")),
                              (_default(W2, "W2"), _default(b2, "b2"))], _default(x, "x"))
    if x.ndim != 1:
        raise ValueError(f"the worked example is one sample; x must be a vector, got shape {x.shape}")
    (W1, b1), (W2, b2) = params
    z1 = linear(W1, x, b1)
    h = sigmoid(z1)
    z2 = linear(W2, h, b2)
    y_hat = softmax(z2)
    if decimals is not None:
        y_hat = np.round(y_hat, decimals)
    y = check_target(_default(y, "y"), y_hat.shape, f"W2 has {W2.shape[0]} rows, one per class")
    value, dL_dy_hat, delta2 = loss_backward(y, z2, y_hat, loss)
    if decimals is not None and loss == "cross_entropy":
        value = float(-(y * np.log(y_hat, where=y != 0, out=np.zeros_like(y))).sum())
    dL_dW2, dL_db2, dL_dh = linear_backward(W2, h, delta2)
    dsigma = h * (1 - h)
    delta1 = dsigma * dL_dh
    dL_dW1, dL_db1, dL_dx = linear_backward(W1, x, delta1)
    steps = {"z1": z1, "h": h, "dsigma": dsigma, "z2": z2, "y_hat": y_hat, "loss": value,
             "dL_dy_hat": dL_dy_hat, "delta2": delta2, "dL_dW2": dL_dW2, "dL_db2": dL_db2,
             "dL_dh": dL_dh, "delta1": delta1, "dL_dW1": dL_dW1, "dL_db1": dL_db1, "dL_dx": dL_dx}
    return {k: frozen(steps[k]) for k in HIDDEN_STEPS}


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


def tracks_table(steps, decimals=4):
    """The notes' steps side by side: what the notes wrote, the notes' track (softmax
    rounded to one decimal, the rest computed from it) and the exact track."""
    rounded, exact = worked_example(decimals=1), worked_example()
    rows = [[STEP_NAMES[k], as_written(NOTES_WROTE[k]), fmt(rounded[k], decimals),
             fmt(exact[k], decimals)] for k in steps]
    return Table(["step", "the notes wrote", "notes' track", "exact"], rows)


def as_written(value):
    """A transcribed number as the notes wrote it: 0.7 stays 0.7, 2.71 stays 2.71."""
    if np.ndim(value) == 0:
        return repr(float(value))
    inner = ", ".join(as_written(v) for v in value)
    return f"({inner})" if np.ndim(value) == 1 else f"[{inner}]".replace("(", "[").replace(")", "]")
