"""Checkers for the chapter "Softmax with cross-entropy"."""

import numpy as np

from .. import example
from ..activations import softmax
from ..layers import linear
from ._feedback import EXP_OVERFLOW, Case, Mistake, Symptom, check, random_cases


def check_softmax_ce_grad(fn):
    r"""Check fn(y, z1) -> dLoss/dz1 for y_hat = softmax(z1) and Loss = -sum(y log y_hat).

    The answer is :math:`\hat y - y` (for a y that sums to 1); it is tried on the worked
    example, on random one-hot and soft targets, and on logits large enough to overflow
    a softmax computed without the max shift, and on logits so far apart that an entry of
    y_hat underflows to 0 (where dividing by y_hat, the long way, breaks).
    """
    z1 = linear(example.W1, example.x, example.b1)
    cases = [Case((example.y, z1), softmax(z1) - example.y)]

    def one_hot(rng):
        n = int(rng.integers(2, 6))
        y = np.eye(n)[rng.integers(n)]
        z = rng.normal(scale=2.0, size=n)
        return Case((y, z), softmax(z) - y, f"a random {n}-class one-hot target")

    def soft(rng):
        n = int(rng.integers(2, 6))
        y = rng.dirichlet(np.ones(n))
        z = rng.normal(scale=2.0, size=n)
        return Case((y, z), softmax(z) - y, f"a random {n}-class soft target (y sums to 1, not one-hot)")

    cases += random_cases(81, 3, one_hot) + random_cases(82, 2, soft)
    # nothing overflows here, but e^-800 underflows to 0: a softmax-free y_hat - y is fine,
    # while the long way J^T (-y / y_hat) divides 0 by that 0
    far = np.array([2.0, -800.0, 0.0])
    y_far = np.array([0.0, 0.0, 1.0])
    cases.append(Case((y_far, far), softmax(far) - y_far, "logits far apart (2, -800, 0)"))
    big = np.array([1000.0, -1000.0, 500.0])
    y_big = np.array([0.0, 0.0, 1.0])
    cases.append(Case((y_big, big), softmax(big) - y_big, "large logits (1000, -1000, 500)"))

    mistakes = [
        Mistake("the sign is flipped: the gradient is y_hat - y, not y - y_hat.",
                lambda y, z: y - softmax(z)),
        Mistake("that is y_hat alone; the target y still has to be subtracted.",
                lambda y, z: softmax(z)),
        Mistake("the softmax is missing: y_hat = softmax(z1), not z1 itself.",
                lambda y, z: z - y),
        Mistake("that is dLoss/dy_hat = -y / y_hat; it still has to go back through the softmax "
                "(its Jacobian turns it into something much simpler).",
                lambda y, z: -y / softmax(z)),
        Mistake("only the diagonal of the softmax Jacobian was used; the off-diagonal terms "
                "-y_hat_i y_hat_j matter too.",
                lambda y, z: softmax(z) * (1 - softmax(z)) * (-y / softmax(z))),
    ]
    symptoms = [
        Symptom("nan or inf on logits far apart: y / y_hat divides by an entry "
                "that underflowed to 0; simplify with the chapter's result first, so that nothing "
                "is divided by y_hat.",
                lambda out, y, z: not np.all(np.isfinite(out)) and np.max(z) < EXP_OVERFLOW
                and np.any(softmax(z) == 0)),
        Symptom(f"nan or inf for large logits: np.exp overflows beyond about {EXP_OVERFLOW:.0f}; subtract "
                "max(z1) before exponentiating (or use bl.softmax, which does).",
                lambda out, y, z: not np.all(np.isfinite(out)) and np.abs(z).max() > EXP_OVERFLOW),
    ]
    # the library's own y_hat - y, and its network gradients (which give it for W1 = I, b1 = 0)
    library = ("softmax_cross_entropy_grad", "backward", "mlp_backward")
    return check(fn, "check_softmax_ce_grad", cases, mistakes, symptoms, library=library)
