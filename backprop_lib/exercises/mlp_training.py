"""Checker for the chapter "What one layer cannot learn": one gradient-descent step on
every layer of a network."""

import numpy as np

from .. import example
from ..mlp import init_params, mlp_backward
from ._feedback import NOT_ATTEMPTED, Case, Mistake, check, not_attempted, quietly, random_cases, say


def _step(params, grads, lr):
    return [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]


def _flat(params):
    """Every number of a list of (W, b) pairs in one vector: W1, b1, W2, b2, ..."""
    return np.concatenate([np.ravel(np.asarray(a, dtype=float)) for pair in params for a in pair])


def _copies(pairs):
    return [tuple(np.array(a, dtype=float) for a in pair) for pair in pairs]


def _describe(out):
    if isinstance(out, (list, tuple)):
        return f"a {type(out).__name__} of {len(out)} item(s)"
    if isinstance(out, np.ndarray):
        return f"an array of shape {out.shape}"
    return f"a {type(out).__name__}"


def _is_pairs(out, n):
    return isinstance(out, (list, tuple)) and len(out) == n and \
        all(isinstance(pair, (list, tuple)) and len(pair) == 2 for pair in out)


def _first_look(fn, case):
    """What is wrong before any number is compared on one case, or None; or NOT_ATTEMPTED.

    Wrong before the numbers: fn changes the arrays it was given, or returns something that
    is not one (W, b) pair per layer. Errors, None and text are left to `check`.
    """
    params, grads, lr = case.args
    params_copy, grads_copy = _copies(params), _copies(grads)
    try:
        out = quietly(fn, params_copy, grads_copy, lr)
    except NotImplementedError:
        return NOT_ATTEMPTED
    except Exception:  # reported by check(), with the student's own error message
        return None
    if out is None or isinstance(out, str):
        return None
    if not (np.allclose(_flat(params_copy), _flat(params)) and np.allclose(_flat(grads_copy), _flat(grads))):
        return ("your function changes the arrays it was given (an in-place update such as "
                "W -= ...); build new arrays, W - lr * dW, and return them.")
    wanted = f"return a list with one pair (W, b) per layer, like params ({len(params)} pairs on {case.about})"
    if not isinstance(out, (list, tuple)) or len(out) != len(params):
        return f"{wanted}; your function returned {_describe(out)}."
    for l, pair in enumerate(out):
        if not (isinstance(pair, (list, tuple)) and len(pair) == 2):
            return f"{wanted}; item {l} of your list is {_describe(pair)}, not a pair (W, b)."
    return None


def _flattened(f):
    """f with its list of pairs turned into one vector, so `check` compares every number;
    anything else is passed on as it is, for `check` to name."""
    def step(params, grads, lr):
        out = f(_copies(params), _copies(grads), lr)
        return _flat(out) if _is_pairs(out, len(params)) else out
    return step


def check_mlp_step(fn):
    """Check fn(params, grads, lr) -> [(W1 - lr dW1, b1 - lr db1), (W2 - lr dW2, ...), ...]:
    one gradient-descent step on every layer, leaving the given arrays alone."""
    name = "check_mlp_step"
    params = [(example.W1, example.b1), (example.W2, example.b2)]
    grads = mlp_backward(params, example.x, example.y).params

    def make(rng):
        sizes = [int(n) for n in rng.integers(1, 6, size=rng.integers(3, 5))]
        # lr = 1 would hide a missing learning rate, so it is never drawn
        lr = float(rng.choice([0.05, 0.1, 0.3, 2.0]))
        net = init_params(sizes, "normal", seed=int(rng.integers(1000)), scale=0.5)
        net = [(W, rng.normal(size=b.shape)) for W, b in net]
        g = [(rng.normal(size=W.shape), rng.normal(size=b.shape)) for W, b in net]
        shape = "-".join(map(str, sizes))
        return Case((net, g, lr), _flat(_step(net, g, lr)), f"a random {shape} network with lr = {lr}")

    cases = [Case((params, grads, 0.5), _flat(_step(params, grads, 0.5)),
                  "the hidden-layer example with lr = 0.5")]
    cases += random_cases(13, 4, make)

    for case in cases:
        problem = _first_look(fn, case)
        if problem == NOT_ATTEMPTED:
            return not_attempted(name)
        if problem:
            return say(False, name, problem)

    mistakes = [
        Mistake("the step goes uphill: that is gradient ascent. Subtract lr times the gradient.",
                lambda p, g, lr: [(W + lr * dW, b + lr * db) for (W, b), (dW, db) in zip(p, g)]),
        Mistake("the learning rate is missing: the step is the gradient times lr.",
                lambda p, g, lr: _step(p, g, 1.0)),
        Mistake("the biases do not move: b_l steps against its own gradient too.",
                lambda p, g, lr: [(W - lr * dW, b) for (W, b), (dW, db) in zip(p, g)]),
        Mistake("only the last layer moves: every layer steps, the first ones too.",
                lambda p, g, lr: p[:-1] + _step(p[-1:], g[-1:], lr)),
        Mistake("only the first layer moves: every layer steps, the last ones too.",
                lambda p, g, lr: _step(p[:1], g[:1], lr) + p[1:]),
        Mistake("the gradients are paired with the wrong layers: grads[l] belongs to params[l], "
                "in the same order (mlp_backward returns them first layer first).",
                lambda p, g, lr: _step(p, g[::-1], lr)),
        Mistake("each pair must stay (W, b): the weights first, then the bias.",
                lambda p, g, lr: [(b - lr * db, W - lr * dW) for (W, b), (dW, db) in zip(p, g)]),
        Mistake("that is only the change, -lr dW; add it to the parameters.",
                lambda p, g, lr: [(-lr * dW, -lr * db) for (dW, db) in g]),
        Mistake("your function returns the parameters as they were. In a loop, W = W - lr * dW makes "
                "a new array and gives it the name W, but the list still holds the old one: put the "
                "new pairs in a new list and return that.", lambda p, g, lr: p),
    ]
    flat_mistakes = [Mistake(m.hint, *[_flattened(w) for w in m.wrong]) for m in mistakes]
    return check(_flattened(fn), name, cases, flat_mistakes, rtol=1e-9, atol=1e-12)
