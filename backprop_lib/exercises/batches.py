"""Checkers for the chapter "Batches and numerical stability"."""

import numpy as np

from .. import example
from ..activations import log_softmax, softmax
from ..network import backward
from ._feedback import EXP_OVERFLOW, Case, Mistake, Symptom, check, random_cases
from .forward import logit_cases
from .gradients import LINEAR_BACKWARD

#: a batch of three samples whose first row is the worked example
BATCH_X = np.array([example.x, [0.8, 0.1, 0.2], [0.5, 0.6, 0.1]])
BATCH_Y = np.array([example.y, [1.0, 0.0], [0.0, 1.0]])


def _batch_case(W1, b1, X, Y, loss, about):
    g = backward(W1, b1, X, Y, loss=loss)
    return Case((g.z1, X), g.W1, about)


def check_batch_grad_W1(fn):
    r"""Check fn(dL_dZ1, X) -> dLoss/dW1 for a batch, one sample per row.

    .. math:: \frac{\partial L}{\partial W_1} = \sum_n \frac{\partial L}{\partial z_1^{(n)}} x^{(n)T}
              = \Big(\frac{\partial L}{\partial Z_1}\Big)^T X

    dL_dZ1 comes from the mean loss, so its rows already carry the factor 1/N.
    """
    cases = [_batch_case(example.W1, example.b1, BATCH_X, BATCH_Y, "cross_entropy",
                         "a batch of 3 samples starting with the worked example")]

    def make(rng):
        n, n_in, n_out = (int(v) for v in rng.integers(2, 6, size=3))
        W1 = rng.normal(size=(n_out, n_in))
        b1 = rng.normal(size=n_out)
        X = rng.normal(size=(n, n_in))
        Y = np.eye(n_out)[rng.integers(n_out, size=n)]
        loss = ("squared_error", "cross_entropy")[int(rng.integers(2))]
        return _batch_case(W1, b1, X, Y, loss, f"a random batch of {n} samples, {n_in} -> {n_out}")

    cases += random_cases(91, 5, make)
    mistakes = [
        Mistake("the sign is flipped: dL/dW1 adds up (dL/dz1) x^T of every sample, with a plus.",
                lambda d, X: -(d.T @ X)),
        Mistake("there is an extra 1/N: dL/dZ1 of the mean loss already carries it, so the "
                "samples' contributions are summed, not averaged.",
                lambda d, X: d.T @ X / len(X)),
        Mistake("there is an extra factor N: dL/dZ1 of the mean loss already carries the 1/N, "
                "nothing has to be undone.",
                lambda d, X: d.T @ X * len(X)),
        Mistake("only the first sample is used; dL/dW1 adds up the outer products of every row.",
                lambda d, X: np.outer(d[0], X[0])),
        Mistake("only the last sample counts: does a loop assign (=) where it should add (+=)?",
                lambda d, X: np.outer(d[-1], X[-1])),
        Mistake("the rows were summed before multiplying; the sum of the outer products is not "
                "the outer product of the sums.",
                lambda d, X: np.outer(d.sum(axis=0), X.sum(axis=0))),
        Mistake("the result is transposed: dL/dW1 is shaped like W1, (outputs, inputs).",
                lambda d, X: X.T @ d),
    ]
    return check(fn, "check_batch_grad_W1", cases, mistakes, library=LINEAR_BACKWARD)


def check_log_softmax(fn):
    r"""Check fn(z) -> log softmax(z) for one vector z, stable for large logits.

    .. math:: \log \mathrm{softmax}(z)_i = z_i - m - \log \sum_k e^{z_k - m},\quad m = \max_k z_k
    """
    cases = logit_cases(log_softmax, 92, 3, 3.0, [((1000.0, 0.0, -1000.0), "large logits (1000, 0, -1000)"),
                                                  ((-1000.0, -1000.0, -1001.0),
                                                   "very negative logits (-1000, -1000, -1001)")])

    def shift(z):
        return z.max()

    def lse(z):
        return np.log(np.exp(z - shift(z)).sum())

    mistakes = [
        Mistake("that is the softmax itself; return its log.", lambda z: softmax(z)),
        Mistake("the log-sum-exp term is missing: z_i - m is only the first part of the chapter's "
                "equation.",
                lambda z: z - shift(z)),
        Mistake("the log-sum-exp term is added; it is subtracted.",
                lambda z: z - shift(z) + lse(z)),
        Mistake("m = max(z) was subtracted inside the exponent only; subtract it from z_i too "
                "(it cancels exactly that way).",
                lambda z: z - lse(z)),
        Mistake("m = max(z) was subtracted twice; it cancels only when it appears once outside "
                "the log and once inside.",
                lambda z: z - 2 * shift(z) - lse(z)),
    ]
    symptoms = [
        Symptom(f"nan for large logits: np.exp overflows beyond about {EXP_OVERFLOW:.0f} (and underflows to 0 "
                "below about -745, where 0/0 is nan); subtract m = max(z) before exponentiating.",
                lambda out, z: np.any(np.isnan(out)) and np.abs(z).max() > EXP_OVERFLOW),
        Symptom("-inf in some entries: that is log(0) of a softmax entry that underflowed to 0; "
                "never form the softmax: follow the chapter's log-sum-exp equation, which writes "
                "its log straight from the logits.",
                lambda out, z: np.any(np.isneginf(out)) and not np.all(np.isneginf(out))),
        Symptom("every entry is infinite: the sum of exponentials overflowed (or underflowed to 0) "
                "before the log; follow the chapter's log-sum-exp equation, which shifts the logits "
                "by their largest one so that the sum cannot overflow or be 0.",
                lambda out, z: np.all(np.isinf(out))),
    ]
    return check(fn, "check_log_softmax", cases, mistakes, symptoms, library=("log_softmax",))
