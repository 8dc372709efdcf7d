"""Checkers for the chapter "Gradient checking"."""

import numpy as np

from .. import example
from ..gradcheck import numerical_gradient
from ..network import backward
from ._feedback import Case, Mistake, check


def _central(f, a, eps, step=lambda fp, f0, fm, eps: (fp - fm) / (2 * eps)):
    """Finite differences entry by entry; `step` combines f(a + eps), f(a), f(a - eps)."""
    a = np.array(a, dtype=float)
    out = np.zeros_like(a)
    f0 = float(f(a))
    for k in np.ndindex(a.shape):
        plus, minus = a.copy(), a.copy()
        plus[k] += eps
        minus[k] -= eps
        out[k] = step(float(f(plus)), f0, float(f(minus)), eps)
    return out


def _all_at_once(f, a, eps):
    a = np.array(a, dtype=float)
    return np.full(a.shape, (float(f(a + eps)) - float(f(a - eps))) / (2 * eps))


def _row_at_a_time(f, a, eps):
    """The mistake of indexing a matrix with one index: a[i] shifts row i as a whole."""
    a = np.array(a, dtype=float)
    out = np.zeros_like(a)
    for i in range(a.shape[0]):
        plus, minus = a.copy(), a.copy()
        plus[i] += eps
        minus[i] -= eps
        out[i] = (float(f(plus)) - float(f(minus))) / (2 * eps)
    return out


def check_numerical_gradient(fn):
    """Check fn(f, a, eps) -> the central-difference gradient of the scalar f at a.

    Every entry k: (f(a + eps e_k) - f(a - eps e_k)) / (2 eps), an array shaped like a,
    with a unchanged afterwards.
    """
    name = "check_numerical_gradient"

    def loss_of_W1(W):
        return backward(W, example.b1, example.x, example.y).loss

    def cubic(a):
        return float(np.sum(a ** 3) + np.prod(a))

    def wavy(a):
        return float(np.sin(a).sum() + (a ** 2).sum() * a.ravel()[0])

    rng = np.random.default_rng(6)
    cases = [Case((loss_of_W1, example.W1, 1e-3), numerical_gradient(loss_of_W1, example.W1, 1e-3))]
    for f, shape, eps, about in [(cubic, (4,), 0.1, "f(a) = sum(a**3) + prod(a) on a vector"),
                                 (wavy, (3, 2), 0.05, "a wavy f on a 3x2 matrix"),
                                 (cubic, (2, 2), 0.01, "f(a) = sum(a**3) + prod(a) on a 2x2 matrix")]:
        a = rng.normal(size=shape)
        cases.append(Case((f, a, eps), numerical_gradient(f, a, eps), about))

    mistakes = [
        Mistake("that is a one-sided difference (f(a + eps) - f(a)) / eps; the central difference "
                "uses f at a + eps and at a - eps.",
                lambda f, a, eps: _central(f, a, eps, lambda fp, f0, fm, e: (fp - f0) / e)),
        Mistake("that is a one-sided difference (f(a) - f(a - eps)) / eps; the central difference "
                "uses f at a + eps and at a - eps.",
                lambda f, a, eps: _central(f, a, eps, lambda fp, f0, fm, e: (f0 - fm) / e)),
        Mistake("the result is twice too large: the two points are 2 eps apart, so divide by 2 eps.",
                lambda f, a, eps: _central(f, a, eps, lambda fp, f0, fm, e: (fp - fm) / e)),
        Mistake("the difference is divided by 2 and then multiplied by eps: x / 2 * eps is (x / 2) * eps; "
                "write x / (2 * eps).",
                lambda f, a, eps: _central(f, a, eps, lambda fp, f0, fm, e: (fp - fm) / 2 * e)),
        Mistake("the sign is flipped: it is f(a + eps) minus f(a - eps), in that order.",
                lambda f, a, eps: _central(f, a, eps, lambda fp, f0, fm, e: (fm - fp) / (2 * e))),
        Mistake("every entry gets the same number: shift one entry at a time (a + eps e_k), "
                "not the whole array at once.", _all_at_once),
        Mistake("for a matrix, a[i] is a whole row: shift one entry at a time, for example with "
                "k in np.ndindex(a.shape) and a[k].", _row_at_a_time),
        Mistake("the result is flat: return an array shaped like a (one entry per entry of a).",
                lambda f, a, eps: numerical_gradient(f, a, eps).ravel()),
    ]
    in_place = {1: "your function leaves a changed: after shifting an entry by eps, put its old "
                   "value back (or shift a copy of a)."}
    return check(fn, name, cases, mistakes, library=("numerical_gradient",), in_place=in_place)
