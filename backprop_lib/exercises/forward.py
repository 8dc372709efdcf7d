"""Checkers for the chapter "The forward pass": the linear layer and the softmax."""

import numpy as np

from .. import example
from ..activations import softmax
from ..layers import linear
from ._feedback import EXP_OVERFLOW, Case, Mistake, Symptom, check, random_cases

#: the library functions that compute z = W x + b, and those that compute a softmax: the
#: exercises ask for them, so a checked function must not call them
LINEAR = ("linear", "forward", "mlp_forward")
SOFTMAX = ("softmax", "log_softmax", "forward", "autograd.Tensor.softmax")


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
    # on a square W the shapes of W.T @ x and W * x fit, so those mistakes give numbers that
    # name them; on the example's 2x3 W they raise a shape error
    rng = np.random.default_rng(11)
    W, x, b = rng.normal(size=(3, 3)), rng.normal(size=3), rng.normal(size=3)
    cases.append(Case((W, x, b), linear(W, x, b), "a random 3x3 layer"))
    transposed = ("the shapes suggest W is used transposed (W.T, or x on the left of W): row i of W "
                  "holds the weights into output i, so W stands on the left as it is.")
    element_wise = ("W * x multiplies entry by entry (each row of W by x), which gives a matrix; "
                    "z needs the matrix-vector product, written with @.")
    mistakes = [
        Mistake("the bias is missing: z = W x + b.", lambda W, x, b: W @ x),
        Mistake("the bias is subtracted; it is added: z = W x + b.", lambda W, x, b: W @ x - b),
        Mistake(transposed, lambda W, x, b: W.T @ x + b, lambda W, x, b: W.T @ x),
        Mistake(element_wise, lambda W, x, b: W * x + b, lambda W, x, b: W * x,
                lambda W, x, b: (W * x).sum(axis=0) + b, lambda W, x, b: (W * x).sum() + b),
        Mistake("the sign is flipped.", lambda W, x, b: -(W @ x + b)),
    ]
    return check(fn, "check_linear", cases, mistakes, library=LINEAR)


SOFTMAX_OVERFLOWS = ("your softmax overflows for large logits such as (1000, -1000): exp(1000) is inf "
                     "(and exp(-1000) is 0, so 0/0 is nan). Subtract max(z) from every z_i before "
                     "exp; it cancels between numerator and denominator.")


def overflowed(out, z):
    """The symptom of a softmax computed without the max shift: nan or inf for large logits."""
    return not np.all(np.isfinite(out)) and np.abs(z).max() > EXP_OVERFLOW


def logit_cases(answer, seed, count, scale, extremes, shortest=2):
    """Cases for a function of logits z: the worked example's z1, `count` random logit
    vectors (lengths `shortest` to 5, entries of size about `scale`), then the `extremes`
    (pairs of logits and what they are); each with `answer(z)`."""
    z1 = linear(example.W1, example.x, example.b1)

    def make(rng):
        n = int(rng.integers(shortest, 6))
        z = rng.normal(scale=scale, size=n)
        return Case((z,), answer(z), f"random logits of length {n}")

    extremes = [(np.array(z, dtype=float), about) for z, about in extremes]
    return ([Case((z1,), answer(z1))] + random_cases(seed, count, make)
            + [Case((z,), answer(z), about) for z, about in extremes])


def check_softmax(fn):
    r"""Check fn(z) -> softmax(z) = exp(z_i) / sum_k exp(z_k), also for large logits."""
    cases = logit_cases(softmax, 2, 4, 2.0, [((1000.0, -1000.0), "large logits (1000, -1000)"),
                                             ((-1000.0, -1000.0, -1001.0),
                                              "very negative logits (-1000, -1000, -1001)")])

    def exp(z):
        return np.exp(z - z.max())

    mistakes = [
        Mistake("only one of numerator and denominator is shifted: subtract the same max(z) in the "
                "numerator and in the denominator, so that it cancels.",
                lambda z: np.exp(z - np.max(z)) / np.exp(z).sum(),
                lambda z: np.exp(z) / np.exp(z - np.max(z)).sum()),
        Mistake("the probabilities do not sum to 1: divide every exp(z_i) by the sum of all exp(z_k).",
                np.exp, exp, lambda z: np.exp(z) / np.exp(z).max(), lambda z: exp(z) / exp(z).max(),
                lambda z: np.exp(z) / np.exp(z).mean(), lambda z: exp(z) / exp(z).mean()),
        Mistake("the exponential is missing: softmax divides exp(z_i) by the sum of exp(z_k), "
                "not z_i by the sum of z_k.", lambda z: z / z.sum()),
        Mistake("the sign is flipped: softmax uses exp(z_i), not exp(-z_i); the largest logit "
                "must get the largest probability.", lambda z: exp(-z) / exp(-z).sum()),
    ]
    symptoms = [Symptom(SOFTMAX_OVERFLOWS, overflowed)]
    return check(fn, "check_softmax", cases, mistakes, symptoms, library=SOFTMAX)
