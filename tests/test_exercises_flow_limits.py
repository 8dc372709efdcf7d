"""The checkers of the chapters "Gradient flow through depth" (check_dead_units) and "What one
layer cannot learn" (check_mlp_step): a right answer passes, a stub is "not attempted", and
each common mistake gets its own hint, never the answer."""

import numpy as np
import pytest

import backprop_lib as bl
from backprop_lib.exercises import NOT_ATTEMPTED, check_dead_units, check_mlp_step

from checker_runs import run_one_line as run


# ---- check_dead_units ----------------------------------------------------------------

def dead_units(Z):
    return np.all(Z <= 0, axis=0)


def dead_units_from_relu(Z):
    """Right too: a unit is dead when relu gives 0 for every sample."""
    return [bool(np.all(np.maximum(column, 0) == 0)) for column in Z.T]


def dead_stub(Z):
    raise NotImplementedError


DEAD_MISTAKES = {
    "z = 0 counted alive": (lambda Z: np.all(Z < 0, axis=0), "exactly 0 is dead too"),
    "any instead of all": (lambda Z: np.any(Z <= 0, axis=0), "Use all, not any"),
    "alive instead of dead": (lambda Z: np.any(Z > 0, axis=0), "units that are alive"),
    "per sample": (lambda Z: np.all(Z <= 0, axis=1), "one entry per unit"),
    "a count": (lambda Z: int(np.sum(np.all(Z <= 0, axis=0))), "how many units are dead"),
    "one sample": (lambda Z: Z[0] <= 0, "one sample only"),
    "a fraction": (lambda Z: np.mean(Z <= 0, axis=0), "not a number between them"),
}


@pytest.mark.parametrize("fn", [dead_units, dead_units_from_relu])
def test_dead_units_right(fn, capsys):
    ok, line = run(check_dead_units, fn, capsys)
    assert ok is True
    assert line.startswith("Right (check_dead_units)")


def test_dead_units_stub(capsys):
    ok, line = run(check_dead_units, dead_stub, capsys)
    assert ok is False and line == NOT_ATTEMPTED


@pytest.mark.parametrize("name", DEAD_MISTAKES)
def test_dead_units_mistakes(name, capsys):
    fn, hint = DEAD_MISTAKES[name]
    ok, line = run(check_dead_units, fn, capsys)
    assert ok is False
    assert line.startswith("Not yet (check_dead_units)")
    assert hint in line, f"{name}: {line}"
    # the answer is a True/False per unit: the feedback prints no such list
    assert "[" not in line and "array" not in line and "True, " not in line and "False, " not in line


def test_dead_units_worked_example_has_a_dead_unit_with_z_exactly_zero():
    """The first input is the example's layer on four colours: unit 2 is dead and touches 0,
    so the z < 0 mistake shows on it."""
    X = np.array([bl.example.x, [0.2, 0.5, 0.6], [1.0, 0.0, 0.8], [0.0, 1.0, 0.0]])
    Z = X @ bl.example.W1.T + bl.example.b1
    assert dead_units(Z).tolist() == [False, True]
    assert np.any(Z[:, 1] == 0)


# ---- check_mlp_step ------------------------------------------------------------------

def mlp_step(params, grads, lr):
    return [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]


def mlp_step_loop(params, grads, lr):
    """Right too: a loop over the layers, a tuple of tuples."""
    new = []
    for l in range(len(params)):
        W, b = params[l]
        dW, db = grads[l]
        new.append((W - lr * dW, b - lr * db))
    return tuple(new)


def step_stub(params, grads, lr):
    raise NotImplementedError


def in_place(params, grads, lr):
    for (W, b), (dW, db) in zip(params, grads):
        W -= lr * dW
        b -= lr * db
    return params


STEP_MISTAKES = {
    "ascent": (lambda p, g, lr: [(W + lr * dW, b + lr * db) for (W, b), (dW, db) in zip(p, g)], "uphill"),
    "lr missing": (lambda p, g, lr: mlp_step(p, g, 1.0), "learning rate is missing"),
    "bias left alone": (lambda p, g, lr: [(W - lr * dW, b) for (W, b), (dW, db) in zip(p, g)],
                        "biases do not move"),
    "last layer only": (lambda p, g, lr: p[:-1] + mlp_step(p[-1:], g[-1:], lr), "only the last layer"),
    "first layer only": (lambda p, g, lr: mlp_step(p[:1], g[:1], lr) + p[1:], "only the first layer"),
    "grads reversed": (lambda p, g, lr: mlp_step(p, g[::-1], lr), "paired with the wrong layers"),
    "pair swapped": (lambda p, g, lr: [(b - lr * db, W - lr * dW) for (W, b), (dW, db) in zip(p, g)],
                     "the weights first"),
    "only the change": (lambda p, g, lr: [(-lr * dW, -lr * db) for dW, db in g], "only the change"),
    "in place": (in_place, "changes the arrays it was given"),
    "weights only": (lambda p, g, lr: [W - lr * dW for (W, b), (dW, db) in zip(p, g)],
                     "not a pair (W, b)"),
    "one layer": (lambda p, g, lr: mlp_step(p[:1], g[:1], lr), "here 2 pairs"),
    "an array": (lambda p, g, lr: np.zeros(3), "an array of shape (3,)"),
    "rounded": (lambda p, g, lr: [(np.round(W, 3), np.round(b, 3)) for W, b in mlp_step(p, g, lr)],
                "do not type rounded numbers"),
}


@pytest.mark.parametrize("fn", [mlp_step, mlp_step_loop])
def test_mlp_step_right(fn, capsys):
    ok, line = run(check_mlp_step, fn, capsys)
    assert ok is True
    assert line.startswith("Right (check_mlp_step)")


def test_mlp_step_stub(capsys):
    ok, line = run(check_mlp_step, step_stub, capsys)
    assert ok is False and line == NOT_ATTEMPTED


def example_step():
    params = [(bl.example.W1, bl.example.b1), (bl.example.W2, bl.example.b2)]
    grads = bl.mlp_backward(params, bl.example.x, bl.example.y).params
    return mlp_step(params, grads, 0.5)


@pytest.mark.parametrize("name", STEP_MISTAKES)
def test_mlp_step_mistakes(name, capsys):
    fn, hint = STEP_MISTAKES[name]
    ok, line = run(check_mlp_step, fn, capsys)
    assert ok is False
    assert line.startswith("Not yet (check_mlp_step)")
    assert hint in line, f"{name}: {line}"
    for W, b in example_step():
        for value in np.ravel([*np.ravel(W), *b]):
            assert f"{abs(value):.3f}" not in line, f"the feedback shows the answer: {line}"


def test_mlp_step_leaves_the_callers_example_alone(capsys):
    """The checker hands copies to the student's function: an in-place step changes nothing here."""
    before = [a.copy() for a in (bl.example.W1, bl.example.b1, bl.example.W2, bl.example.b2)]
    run(check_mlp_step, in_place, capsys)
    after = (bl.example.W1, bl.example.b1, bl.example.W2, bl.example.b2)
    assert all(np.array_equal(a, b) for a, b in zip(before, after))
