"""Checkers for the chapter "Parameter gradients": dLoss/db1 and dLoss/dW1 from dLoss/dz1."""

import numpy as np

from .. import example
from ..network import backward
from ._feedback import Case, Mistake, check, random_cases

#: the library functions that compute a linear layer's gradients: a checked function must not call them
LINEAR_BACKWARD = ("linear_backward", "backward", "mlp_backward")


def check_grad_b1(fn):
    r"""Check fn(dL_dz1) -> dL/db1 = dL/dz1 (dz1/db1 is the identity), shaped like b1."""
    g = backward(example.W1, example.b1, example.x, example.y)
    cases = [Case((g.z1,), g.b1)]

    def make(rng):
        n = int(rng.integers(2, 6))
        d = rng.normal(size=n)
        return Case((d,), d.copy(), f"a random dL/dz1 of length {n}")

    cases += random_cases(8, 4, make)
    mistakes = [
        Mistake("the sign is flipped: dz1/db1 is the identity, with no minus sign.", lambda d: -d),
        Mistake("that is dz1/db1 alone; the chain rule multiplies it by dL/dz1.",
                lambda d: np.ones_like(d)),
        Mistake("the result is a matrix; dL/db1 is a vector shaped like b1.", lambda d: np.outer(d, d)),
        Mistake("that is the identity matrix dz1/db1 alone; the chain rule multiplies it by dL/dz1.",
                lambda d: np.eye(len(d))),
        Mistake("the bias is forgotten: b1 does get a gradient, because it shifts z1.",
                lambda d: np.zeros_like(d)),
        Mistake("a factor 2 came in; dz1/db1 is the identity, so it adds no factor.",
                lambda d: 2 * d),
        Mistake("the gradient is a single number; dL/db1 has one entry per bias, shaped like b1 "
                "(do not sum).", lambda d: d.sum()),
    ]
    return check(fn, "check_grad_b1", cases, mistakes, library=LINEAR_BACKWARD)


def check_grad_W1(fn):
    r"""Check fn(dL_dz1, x) -> dL/dW1 = dL/dz1 x^T, the outer product, shaped like W1."""
    g = backward(example.W1, example.b1, example.x, example.y)
    cases = [Case((g.z1, example.x), g.W1)]

    def make(rng, n_out, n_in):
        d, x = rng.normal(size=n_out), rng.normal(size=n_in)
        return Case((d, x), np.outer(d, x), f"a random {n_out}x{n_in} layer")

    rng = np.random.default_rng(9)
    cases += [make(rng, n_out, n_in) for n_out, n_in in [(3, 2), (4, 4), (2, 5), (3, 3)]]
    mistakes = [
        Mistake("the result is transposed: dL/dW1 is shaped like W1, with entry (i, j) = "
                "dL/dz1_i x_j.", lambda d, x: np.outer(x, d)),
        Mistake("the sign is flipped: dz1_i/dW1_ij is +x_j.", lambda d, x: -np.outer(d, x)),
        Mistake("x is missing: dz1_i / dW1_ij = x_j, so entry (i, j) is dL/dz1_i x_j.",
                lambda d, x: np.repeat(d[:, None], len(x), axis=1)),
        Mistake("the result is a vector; dL/dW1 has one entry per weight, shaped like W1.",
                lambda d, x: d, lambda d, x: x),
        Mistake("the result is a single number; dL/dW1 has one entry per weight, shaped like W1.",
                lambda d, x: np.sum(d) * np.sum(x)),
        Mistake("that is dz1/dW1 alone (x in every row); the chain rule multiplies it by dL/dz1.",
                lambda d, x: np.tile(x, (len(d), 1))),
        Mistake("dL_dz1 @ x is a dot product: it needs two vectors of the same length and gives "
                "one number. dL/dW1 pairs every entry of dL/dz1 with every entry of x: an outer "
                "product is needed, not a matrix product.",
                lambda d, x: d @ x),
        Mistake("a factor 2 came in; dz1_i/dW1_ij is x_j, with no factor.",
                lambda d, x: 2 * np.outer(d, x)),
    ]
    return check(fn, "check_grad_W1", cases, mistakes, library=LINEAR_BACKWARD)
