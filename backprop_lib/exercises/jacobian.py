"""Checkers for the chapter "The softmax Jacobian": the Jacobian and dLoss/dz1 = J^T dLoss/dz2."""

import numpy as np

from .. import example
from ..activations import softmax, softmax_jacobian
from ..layers import linear
from ..losses import squared_error_grad
from ._feedback import Case, Mistake, Symptom, check, random_cases
from .forward import SOFTMAX_OVERFLOWS, logit_cases, overflowed


def check_softmax_jacobian(fn):
    r"""Check fn(z) -> J with J_ij = d s^i / d z^j = s^i (delta_ij - s^j), s = softmax(z)."""
    cases = logit_cases(softmax_jacobian, 5, 4, 1.5, [((1000.0, -1000.0, 0.0), "large logits (1000, -1000, 0)")],
                        shortest=3)

    def s(z):
        return softmax(z)

    mistakes = [
        Mistake("only the diagonal s^i (1 - s^i) is there; the off-diagonal entries "
                "-s^i s^j are missing: every output depends on every logit.",
                lambda z: np.diag(s(z) * (1 - s(z)))),
        Mistake("that is only the diagonal s^i (1 - s^i), as a vector; J is an n x n matrix "
                "whose off-diagonal entries are -s^i s^j.", lambda z: s(z) * (1 - s(z))),
        Mistake("the sign is flipped in every entry: a probability rises with its own logit, so "
                "the diagonal is positive, and the -s^i s^j part is negative.",
                lambda z: -softmax_jacobian(z)),
        Mistake("the off-diagonal entries have the wrong sign: d s^i / d z^j is -s^i s^j for i != j.",
                lambda z: np.diag(s(z) * (1 - s(z))) + np.outer(s(z), s(z)) - np.diag(s(z) ** 2)),
        Mistake("the -s^i s^j part is missing: it belongs in every entry, on the diagonal too "
                "(each s^i also sits in the shared denominator).", lambda z: np.diag(s(z))),
        Mistake("J is built from z itself; build it from the probabilities s = softmax(z).",
                lambda z: np.diag(z) - np.outer(z, z)),
    ]
    symptoms = [Symptom(SOFTMAX_OVERFLOWS, overflowed)]
    return check(fn, "check_softmax_jacobian", cases, mistakes, symptoms,
                 library=("softmax_jacobian", "softmax_jacobian_from_output"))


def check_grad_z1(fn):
    r"""Check fn(J, dL_dz2) -> dL/dz1 = J^T dL/dz2, where J_ij = d z2_i / d z1_j.

    The softmax's J is symmetric, so J and J^T give the same answer on the example;
    the random J are not symmetric (and some are not square), which tells them apart.
    """
    z1 = linear(example.W1, example.x, example.b1)
    J = softmax_jacobian(z1)
    g = squared_error_grad(example.y, softmax(z1))
    cases = [Case((J, g), J.T @ g)]

    def make_square(rng):
        n = int(rng.integers(2, 5))
        J, g = rng.normal(size=(n, n)), rng.normal(size=n)
        return Case((J, g), J.T @ g, f"a random, not symmetric {n}x{n} J")

    def make_wide(rng):
        n_out, n_in = int(rng.integers(2, 4)), int(rng.integers(4, 6))
        J, g = rng.normal(size=(n_out, n_in)), rng.normal(size=n_out)
        return Case((J, g), J.T @ g, f"a random {n_out}x{n_in} J (z2 of length {n_out}, z1 of length {n_in})")

    cases += random_cases(6, 3, make_square) + random_cases(7, 2, make_wide)
    mistakes = [
        Mistake("J is used where the chain rule needs its transpose: entry j of dL/dz1 sums "
                "J_ij dL/dz2_i over i, a column of J (the same only when J is symmetric).",
                lambda J, g: J @ g),
        Mistake("only the diagonal of J is used: every z2_i depends on every z1_j, so sum "
                "J_ij dL/dz2_i over all i.", lambda J, g: np.diag(J) * g),
        Mistake("the sign is flipped: the chain rule multiplies, it adds no minus sign.",
                lambda J, g: -(J.T @ g)),
        Mistake("that is an element-wise product, a matrix; dL/dz1 is the vector J^T dL/dz2, "
                "a matrix-vector product.", lambda J, g: J * g, lambda J, g: J * g[:, None]),
        Mistake("that is the (transposed) Jacobian alone, a matrix; multiply it by dL/dz2.",
                lambda J, g: J.T),
        Mistake("that is the Jacobian alone, a matrix; multiply its transpose by dL/dz2.",
                lambda J, g: J),
    ]
    return check(fn, "check_grad_z1", cases, mistakes)
