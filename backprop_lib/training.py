"""Gradient descent with the gradients of `backward` (chapter "Training"), and with those of
`mlp_backward` for a network of any depth (chapter "What one layer cannot learn")."""

import numbers
from typing import NamedTuple

import numpy as np

from ._checks import as_array
from .layers import check_layer
from .mlp import check_activation, check_params, mlp_backward, mlp_forward
from .network import backward, check_loss, forward


class History(NamedTuple):
    """What happened during training.

    loss[t] is the loss of the batch used in step t, before that step's update;
    W1[t] and b1[t] are the parameters after t steps (W1[0], b1[0] are the start).
    """
    loss: np.ndarray
    W1: np.ndarray
    b1: np.ndarray


class Trained(NamedTuple):
    """The parameters after the last step, and the history of the run."""
    W1: np.ndarray
    b1: np.ndarray
    history: History


def _whole(name, value, low):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
        raise ValueError(f"{name} must be a whole number >= {low}, got {value!r}")
    return int(value)


def train(W1, b1, X, Y, lr, steps, batch_size=None, seed=0, loss="squared_error"):
    r"""Gradient descent from (W1, b1): `steps` updates, each on one batch of rows of (X, Y).

    .. math:: W_1 \leftarrow W_1 - \eta \frac{\partial L}{\partial W_1},\qquad
              b_1 \leftarrow b_1 - \eta \frac{\partial L}{\partial b_1}

    with learning rate :math:`\eta` = lr and the gradients of ``backward`` on the batch
    (the loss of a batch is the mean over its rows). X is one sample (a vector) or a data
    set (N, n_in) with one sample per row; Y matches it. batch_size=None uses all rows in
    every step (plain gradient descent); a whole number uses mini-batches: the rows are
    shuffled (with `seed`) and taken batch_size at a time, reshuffled after each pass.
    W1 and b1 are not changed; the result holds new arrays.
    """
    W1, X, b1 = check_layer(W1, X, b1)
    Y = as_array("Y", Y)
    if Y.shape != X.shape[:-1] + (W1.shape[0],):
        raise ValueError(f"X has shape {X.shape} and W1 has shape {W1.shape}, so Y needs shape "
                         f"{X.shape[:-1] + (W1.shape[0],)}, but Y has shape {Y.shape}")
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real) or not (0 < lr < np.inf):
        raise ValueError(f"lr must be a positive finite number, got {lr!r}")
    steps = _whole("steps", steps, 0)
    seed = _whole("seed", seed, 0)
    n_rows = 1 if X.ndim == 1 else X.shape[0]
    if batch_size is not None:
        batch_size = _whole("batch_size", batch_size, 1)
        if X.ndim == 1 or batch_size > n_rows:
            raise ValueError(f"batch_size is {batch_size}, but X (shape {X.shape}) has {n_rows} "
                             "sample(s); use batch_size=None for all of them")
    rng = np.random.default_rng(seed)
    order = np.empty(0, dtype=int)
    losses = np.empty(steps)
    W1s = np.empty((steps + 1,) + W1.shape)
    b1s = np.empty((steps + 1,) + b1.shape)
    W1s[0], b1s[0] = W1, b1
    for t in range(steps):
        if batch_size is None:
            Xb, Yb = X, Y
        else:
            if len(order) < batch_size:
                # a fresh shuffle once the current pass has too few rows left for a batch
                order = rng.permutation(n_rows)
            rows, order = order[:batch_size], order[batch_size:]
            Xb, Yb = X[rows], Y[rows]
        grads = backward(W1, b1, Xb, Yb, loss=loss)
        losses[t] = grads.loss
        W1 = W1 - lr * grads.W1
        b1 = b1 - lr * grads.b1
        W1s[t + 1], b1s[t + 1] = W1, b1
    return Trained(W1=W1, b1=b1, history=History(loss=losses, W1=W1s, b1=b1s))


def predict(W1, b1, X):
    """The predicted class of each sample: the index of the largest entry of y_hat."""
    return np.argmax(forward(W1, b1, X).z2, axis=-1)


def accuracy(W1, b1, X, Y):
    r"""The fraction of samples whose predicted class is the class of Y:

    .. math:: \frac{1}{N} \sum_n [\arg\max_i \hat y_{n,i} = \arg\max_i Y_{n,i}]

    For one sample (vectors x, y) it is 1.0 or 0.0.
    """
    predicted = predict(W1, b1, X)
    Y = as_array("Y", Y)
    if Y.shape[:-1] != predicted.shape or Y.shape[-1] != np.shape(W1)[0]:
        raise ValueError(f"Y has shape {Y.shape}, but X (shape {np.shape(X)}) and W1 "
                         f"(shape {np.shape(W1)}) give predictions of shape "
                         f"{predicted.shape + (np.shape(W1)[0],)}")
    return float(np.mean(predicted == np.argmax(Y, axis=-1)))


def steps_until_right(history, X, Y):
    """The first t such that the parameters after t steps classify every sample of (X, Y)
    right (accuracy 1.0); None when that never happens during the run."""
    if not isinstance(history, History):
        raise ValueError(f"history must be the History of a train() run, got {type(history).__name__}")
    for t, (W1, b1) in enumerate(zip(history.W1, history.b1)):
        if accuracy(W1, b1, X, Y) == 1.0:
            return t
    return None


# ---- a network of any depth (chapter "What one layer cannot learn") ---------------------

class MLPHistory(NamedTuple):
    """What happened during `train_mlp`.

    loss[t] is the loss of the mini-batch used in step t, before that step's update;
    params[e] is the list of (W_l, b_l) after e epochs (params[0] is the start).
    """
    loss: np.ndarray
    params: list


class TrainedMLP(NamedTuple):
    """The parameters after the last epoch, and the history of the run."""
    params: list
    history: MLPHistory


def _check_labels(params, X, Y):
    """X and Y as checked arrays: a data set (N, n_0) and one-hot targets (N, n_L)."""
    params, X = check_params(params, X)
    if X.ndim != 2:
        raise ValueError(f"X must be a data set with one sample per row (2-D), got shape {X.shape}")
    Y = as_array("Y", Y, ndims=(2,))
    n_out = params[-1][0].shape[0]
    if Y.shape != (X.shape[0], n_out):
        raise ValueError(f"X has shape {X.shape} and the last layer has {n_out} outputs, so Y needs "
                         f"shape {(X.shape[0], n_out)}, but Y has shape {Y.shape}")
    return params, X, Y


def train_mlp(params, X, Y, lr, epochs, batch_size, activation="sigmoid", loss="squared_error", seed=0):
    r"""Mini-batch gradient descent on every layer of a network ``[(W1, b1), (W2, b2), ...]``.

    Each epoch shuffles the rows of (X, Y) (with `seed`) and cuts them into mini-batches
    of batch_size rows (the last one may be smaller). For each mini-batch B, `mlp_backward`
    gives the gradients of the batch's mean loss :math:`L_B`, and then every layer steps:

    .. math:: W_l \leftarrow W_l - \eta \frac{\partial L_B}{\partial W_l},\qquad
              b_l \leftarrow b_l - \eta \frac{\partial L_B}{\partial b_l},\qquad l = 1, \dots, L

    with learning rate :math:`\eta` = lr. All gradients of a step are computed before any
    layer changes. X holds one sample per row, Y the one-hot targets; the hidden layers use
    `activation`. The params given are not changed; the result holds new arrays.
    """
    check_loss(loss)
    check_activation(activation)
    params, X, Y = _check_labels(params, X, Y)
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real) or not (0 < lr < np.inf):
        raise ValueError(f"lr must be a positive finite number, got {lr!r}")
    epochs = _whole("epochs", epochs, 0)
    batch_size = _whole("batch_size", batch_size, 1)
    seed = _whole("seed", seed, 0)
    n_rows = X.shape[0]
    if batch_size > n_rows:
        raise ValueError(f"batch_size is {batch_size}, but X (shape {X.shape}) has only {n_rows} samples")
    rng = np.random.default_rng(seed)
    losses, kept = [], [params]
    for _ in range(epochs):
        order = rng.permutation(n_rows)
        for start in range(0, n_rows, batch_size):
            rows = order[start:start + batch_size]
            grads = mlp_backward(params, X[rows], Y[rows], activation, loss)
            losses.append(grads.loss)
            params = [(W - lr * dL_dW, b - lr * dL_db)
                      for (W, b), (dL_dW, dL_db) in zip(params, grads.params)]
        kept.append(params)
    return TrainedMLP(params=params, history=MLPHistory(loss=np.array(losses), params=kept))


def predict_mlp(params, X, activation="sigmoid"):
    """The predicted class of each sample: the index of the largest entry of y_hat."""
    return np.argmax(mlp_forward(params, X, activation).y_hat, axis=-1)


def accuracy_mlp(params, X, Y, activation="sigmoid"):
    r"""The fraction of samples (rows of X) whose predicted class is the class of Y:

    .. math:: \frac{1}{N} \sum_n [\arg\max_i \hat y_{n,i} = \arg\max_i Y_{n,i}]
    """
    check_activation(activation)
    params, X, Y = _check_labels(params, X, Y)
    return float(np.mean(predict_mlp(params, X, activation) == np.argmax(Y, axis=-1)))
