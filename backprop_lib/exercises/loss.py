"""Checkers for the chapter "The loss": the squared error and its gradient."""

import numpy as np

from .. import example
from ..activations import softmax
from ..layers import linear
from ..losses import squared_error, squared_error_grad
from ._feedback import Case, Mistake, Symptom, check, random_cases


def _cases(seed, loss):
    """The worked example (y, y_hat = softmax(z1)), then random targets and predictions.

    The random y_hat are not probabilities: with both vectors summing to 1, sum(y - y_hat)
    is 0 and a few mistakes would look alike.
    """
    y_hat = softmax(linear(example.W1, example.x, example.b1))
    cases = [Case((example.y, y_hat), loss(example.y, y_hat))]

    def make(rng):
        n = int(rng.integers(2, 6))
        y = np.eye(n)[rng.integers(n)]
        y_hat = rng.uniform(-0.5, 1.5, size=n)
        return Case((y, y_hat), loss(y, y_hat), f"a random y and y_hat of length {n}")

    return cases + random_cases(seed, 4, make)


def check_squared_error(fn):
    r"""Check fn(y, y_hat) -> Loss = sum_i (y_i - y_hat_i)^2, one number."""
    mistakes = [
        Mistake("you return one number per class; the loss is their sum, a single number.",
                lambda y, y_hat: (y - y_hat) ** 2),
        Mistake("that is the mean over the classes; this book's loss is the sum: "
                "Loss = sum_i (y_i - y_hat_i)^2.", lambda y, y_hat: ((y - y_hat) ** 2).mean()),
        Mistake("the differences are not squared: square each y_i - y_hat_i, then sum.",
                lambda y, y_hat: (y - y_hat).sum()),
        Mistake("the differences are not squared: |y_i - y_hat_i| is not (y_i - y_hat_i)^2.",
                lambda y, y_hat: np.abs(y - y_hat).sum()),
        Mistake("that squares the sum; square each difference first, then sum.",
                lambda y, y_hat: (y - y_hat).sum() ** 2),
        Mistake("there is an extra factor 1/2; this book's loss has none.",
                lambda y, y_hat: 0.5 * ((y - y_hat) ** 2).sum()),
        Mistake("there is an extra factor 2; the loss has none (the 2 appears in its gradient, "
                "when the square is differentiated).", lambda y, y_hat: 2 * ((y - y_hat) ** 2).sum()),
        Mistake("that is the length (norm) of y - y_hat, the square root of the sum of squares; "
                "the loss is the sum of squares itself, with no root.",
                lambda y, y_hat: np.sqrt(((y - y_hat) ** 2).sum())),
    ]
    symptoms = [
        Symptom("the sign is flipped: a sum of squares is never negative.",
                lambda out, y, y_hat: out.ndim == 0 and out < 0),
    ]
    return check(fn, "check_squared_error", _cases(3, squared_error), mistakes, symptoms,
                 library=("squared_error",))


def check_squared_error_grad(fn):
    r"""Check fn(y, y_hat) -> dLoss/dy_hat = -2 (y - y_hat), shaped like y_hat."""
    mistakes = [
        Mistake("the sign is flipped: the inner derivative d(y_i - y_hat_i)/d y_hat_i is -1.",
                lambda y, y_hat: 2 * (y - y_hat)),
        Mistake("a factor 2 is missing: the derivative of u^2 is 2u.",
                lambda y, y_hat: -(y - y_hat)),
        Mistake("a factor 2 is missing (the derivative of u^2 is 2u), and the sign is flipped "
                "(the inner derivative d(y_i - y_hat_i)/d y_hat_i is -1).",
                lambda y, y_hat: y - y_hat),
        Mistake("that is divided by the number of classes; the loss is a sum over the classes, "
                "not a mean.", lambda y, y_hat: -2 * (y - y_hat) / len(y)),
        Mistake("the gradient is a single number; it has one entry per class, shaped like y_hat "
                "(do not sum over the classes).", lambda y, y_hat: (-2 * (y - y_hat)).sum()),
        Mistake("the difference is squared: differentiating u^2 leaves 2u, not u^2.",
                lambda y, y_hat: -2 * (y - y_hat) ** 2),
    ]
    return check(fn, "check_squared_error_grad", _cases(4, squared_error_grad), mistakes,
                 library=("squared_error_grad",))
