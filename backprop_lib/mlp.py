"""A network of any depth (part "Backprop through depth").

The parameters are a plain list of pairs, ``params = [(W1, b1), (W2, b2), ...]``, with
W_l of shape (n_l, n_{l-1}). Layer l computes z_l = W_l a_{l-1} + b_l and a_l = f(z_l),
starting from a_0 = x; the hidden layers share one activation f, and the last layer is
the softmax: y_hat = softmax(z_L). delta_l = dL/dz_l is the error of layer l.
"""

from typing import NamedTuple

import numpy as np

from ._checks import as_array, whole_number
from .activations import ACTIVATIONS, softmax
from .layers import linear, linear_backward
from .network import check_loss, check_target, loss_backward


class MLPForward(NamedTuple):
    """The forward pass: z = [z_1, ..., z_L], a = [a_0 = x, ..., a_{L-1}], y_hat = softmax(z_L)."""
    z: list
    a: list
    y_hat: np.ndarray


class MLPGradients(NamedTuple):
    """The loss, [(dL/dW_l, dL/db_l), ...] shaped like params, z = [delta_1, ..., delta_L], and dL/dx."""
    loss: float
    params: list
    z: list
    x: np.ndarray


def init_params(sizes, scheme="he", seed=0, scale=0.01):
    r"""Parameters ``[(W1, b1), ...]`` for layer sizes ``(n_0, n_1, ..., n_L)``, biases 0
    (chapter "Gradient flow through depth"). Each W_l has entries drawn from N(0, s^2):

    - "he": :math:`s^2 = 2 / n_{l-1}` (keeps the size of relu layers' outputs level),
    - "xavier": :math:`s^2 = 2 / (n_{l-1} + n_l)` (for sigmoid and tanh),
    - "normal": s = `scale`,
    - "zeros": every weight 0 (the symmetric start that never breaks symmetry).

    The same seed gives the same parameters.
    """
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(f"sizes needs at least two entries (inputs and outputs), got {sizes}")
    for i, n in enumerate(sizes):
        whole_number(f"sizes[{i}]", n, minimum=1)
    stds = {"he": lambda n_in, n_out: np.sqrt(2.0 / n_in),
            "xavier": lambda n_in, n_out: np.sqrt(2.0 / (n_in + n_out)),
            "normal": lambda n_in, n_out: scale,
            "zeros": lambda n_in, n_out: 0.0}
    if scheme not in stds:
        raise ValueError(f"unknown scheme {scheme!r}; choose one of {list(stds)}")
    if scheme == "normal" and not (np.isscalar(scale) and np.isfinite(scale) and scale > 0):
        raise ValueError(f"the 'normal' scheme needs a scale > 0, got {scale!r}")
    rng = np.random.default_rng(seed)
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        W = rng.normal(0.0, 1.0, size=(n_out, n_in)) * stds[scheme](n_in, n_out)
        params.append((W, np.zeros(n_out)))
    return params


def check_params(params, x):
    """Check every layer's W and b, and that each layer's inputs are the layer before's outputs."""
    if not isinstance(params, (list, tuple)) or len(params) == 0:
        raise ValueError("params must be a non-empty list of (W, b) pairs, one per layer")
    x = as_array("x", x)
    n_in, source = x.shape[-1], f"x has shape {x.shape}"
    checked = []
    for l, pair in enumerate(params, start=1):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise ValueError(f"layer {l}: params[{l - 1}] must be a pair (W{l}, b{l})")
        W, b = as_array(f"W{l}", pair[0], ndims=(2,)), as_array(f"b{l}", pair[1], ndims=(1,))
        if W.shape[1] != n_in:
            raise ValueError(f"layer {l}: W{l} has shape {W.shape}, so it needs {W.shape[1]} inputs, "
                             f"but {source}, which gives {n_in}")
        if b.shape != (W.shape[0],):
            raise ValueError(f"layer {l}: W{l} has shape {W.shape}, so b{l} needs shape ({W.shape[0]},), "
                             f"but b{l} has shape {b.shape}")
        checked.append((W, b))
        n_in, source = W.shape[0], f"W{l} has shape {W.shape}"
    return checked, x


def check_activation(activation):
    """Return (f, f's backward) for a known activation's name, or raise naming the choices."""
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose one of {list(ACTIVATIONS)}")
    return ACTIVATIONS[activation]


def mlp_forward(params, x, activation="sigmoid", check=True):
    r"""The forward pass through L layers (chapter "The backward recursion"):

    .. math:: a_0 = x,\qquad z_l = W_l a_{l-1} + b_l,\qquad a_l = f(z_l)\ (l < L),\qquad
              \hat y = \mathrm{softmax}(z_L)

    It keeps every z_l and a_{l-1}: the backward pass needs them.
    """
    f, _ = check_activation(activation)
    if check:
        params, x = check_params(params, x)
    z, a = [], [x]
    for W, b in params[:-1]:
        z.append(linear(W, a[-1], b, check=False))
        a.append(f(z[-1], check=False))
    W_L, b_L = params[-1]
    z.append(linear(W_L, a[-1], b_L, check=False))
    return MLPForward(z=z, a=a, y_hat=softmax(z[-1], check=False))


def mlp_backward(params, x, y, activation="sigmoid", loss="squared_error"):
    r"""Backpropagation through L layers: the recursion of chapter "The backward recursion".

    .. math::
        \delta_L &= \frac{\partial L}{\partial z_L} = J^T \frac{\partial L}{\partial \hat y}
            \quad(\hat y - y \text{ for cross-entropy})\\
        \frac{\partial L}{\partial W_l} &= \delta_l\, a_{l-1}^T,\qquad
        \frac{\partial L}{\partial b_l} = \delta_l,\qquad
        \frac{\partial L}{\partial a_{l-1}} = W_l^T \delta_l\\
        \delta_{l-1} &= f'(z_{l-1}) \odot \frac{\partial L}{\partial a_{l-1}}

    from l = L down to 1; the last dL/da_0 is dL/dx. Every gradient is computed from the
    weights as they were in the forward pass; none is changed here. For a batch the loss
    is the mean over the rows, as in `backward`, which is the case L = 1.
    """
    check_loss(loss)
    _, f_backward = check_activation(activation)
    params, x = check_params(params, x)
    # every input is checked once, here; the steps below are told not to check again
    fwd = mlp_forward(params, x, activation, check=False)
    for l, z_l in enumerate(fwd.z, start=1):
        as_array(f"z{l}", z_l)  # finite inputs can still overflow
    y = check_target(y, fwd.y_hat.shape, f"the last layer has {params[-1][0].shape[0]} outputs")

    value, _, delta = loss_backward(y, fwd.z[-1], fwd.y_hat, loss)   # delta_L
    grads, deltas = [], []
    for l in reversed(range(len(params))):     # layer l + 1, from the last to the first
        W, _ = params[l]
        deltas.append(delta)
        dL_dW, dL_db, dL_da = linear_backward(W, fwd.a[l], delta, check=False)
        grads.append((dL_dW, dL_db))
        if l > 0:
            # delta of the layer below; f'(z) from z, reusing the stored a = f(z)
            delta = f_backward(fwd.z[l - 1], dL_da, a=fwd.a[l], check=False)
    return MLPGradients(loss=value, params=grads[::-1], z=deltas[::-1], x=dL_da)
