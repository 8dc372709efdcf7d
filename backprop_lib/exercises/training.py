"""Checkers for the chapter "Training"."""

from .. import example
from ..network import backward
from ._feedback import Case, Mistake, check, random_cases


def check_gd_step(fn):
    """Check fn(W, dW, lr) -> the new W after one gradient-descent step, W - lr dW,
    without changing the W it was given."""
    name = "check_gd_step"
    grads = backward(example.W1, example.b1, example.x, example.y)

    def make(rng):
        shape = tuple(int(n) for n in rng.integers(1, 5, size=rng.integers(1, 3)))
        # lr = 1 would hide a missing learning rate, so it is never drawn
        lr = float(rng.choice([0.01, 0.05, 0.2, 0.5, 3.0]))
        W, dW = rng.normal(size=shape), rng.normal(size=shape)
        return Case((W, dW, lr), W - lr * dW, f"a random {'x'.join(map(str, shape))} W with lr = {lr}")

    cases = [Case((example.W1, grads.W1, 0.5), example.W1 - 0.5 * grads.W1),
             Case((example.b1, grads.b1, 0.1), example.b1 - 0.1 * grads.b1, "the example's b1")]
    cases += random_cases(7, 4, make)

    mistakes = [
        Mistake("the step goes uphill: that is gradient ascent. The gradient points to where the "
                "loss grows, so subtract it.", lambda W, dW, lr: W + lr * dW),
        Mistake("the learning rate is missing: the step is the gradient times lr.",
                lambda W, dW, lr: W - dW),
        Mistake("the gradient is divided by the learning rate; multiply it.",
                lambda W, dW, lr: W - dW / lr),
        Mistake("that is only the change, -lr dW; add it to W.", lambda W, dW, lr: -lr * dW),
        Mistake("W and dW are swapped: the step moves W against its gradient dW.",
                lambda W, dW, lr: dW - lr * W),
        Mistake("W comes back unchanged: subtract the step from it.", lambda W, dW, lr: W),
    ]
    in_place = {k: f"your function changes the {what} it was given (an in-place update such as -=); "
                   "return a new array and leave the input as it was." for k, what in enumerate(["W", "dW"])}
    return check(fn, name, cases, mistakes, rtol=1e-9, atol=1e-12, in_place=in_place)
