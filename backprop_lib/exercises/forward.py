"""Checkers for the chapter "The forward pass"."""

import numpy as np

from .. import example
from ..layers import linear
from ._feedback import Case, Mistake, check, random_cases


def check_linear(fn):
    """Check fn(W, x, b) -> z = W x + b, on the example and on random shapes."""
    def make(rng):
        n_out, n_in = rng.integers(2, 5, size=2)
        W = rng.normal(size=(n_out, n_in))
        x = rng.normal(size=n_in)
        b = rng.normal(size=n_out)
        return Case((W, x, b), linear(W, x, b), f"a random {n_out}x{n_in} layer")

    cases = [Case((example.W1, example.x, example.b1), linear(example.W1, example.x, example.b1))]
    cases += random_cases(1, 4, make)
    mistakes = [
        Mistake("the bias is missing: z = W x + b.", lambda W, x, b: W @ x),
        Mistake("the bias is subtracted; it is added: z = W x + b.", lambda W, x, b: W @ x - b),
        Mistake("W is used transposed: row i of W holds the weights into output i.",
                lambda W, x, b: W.T @ x if W.shape[0] == W.shape[1] else np.full(W.shape[1], np.nan)),
        Mistake("that is an element-wise product; z needs the matrix-vector product W @ x.",
                lambda W, x, b: (W * x).sum(axis=0) + b if W.shape[0] == W.shape[1] else (W * x) + b[:, None]),
        Mistake("the sign is flipped.", lambda W, x, b: -(W @ x + b)),
    ]
    return check(fn, "check_linear", cases, mistakes)
