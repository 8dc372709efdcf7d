"""backprop_lib.exercises.mlp_training: the checker of chapter "What one layer cannot learn",
check_mlp_step.

Its function takes and returns lists of (W, b) pairs, not arrays, so the shared checker
contract (written for array arguments) is spelled out here for this shape: a right answer
passes, the stub and None are "not attempted", each mistake gets its own hint that shows no
number of the answer, an error is one line, text is not numbers, an in-place step is named,
a wrong number of pairs is named, rounded numbers are "close but not exact"."""

import numpy as np
import pytest

import backprop_lib as bl
from backprop_lib.exercises import NOT_ATTEMPTED, check_mlp_step
from helpers import assert_no_answer, run

NAME = "check_mlp_step"
PARAMS = [(bl.example.W1, bl.example.b1), (bl.example.W2, bl.example.b2)]
GRADS = bl.mlp_backward(PARAMS, bl.example.x, bl.example.y).params


def mlp_step(params, grads, lr):
    return [(W - lr * dL_dW, b - lr * dL_db) for (W, b), (dL_dW, dL_db) in zip(params, grads)]


def mlp_step_loop(params, grads, lr):
    """Right too: a loop over the layers, a tuple of tuples."""
    new = []
    for l in range(len(params)):
        W, b = params[l]
        dW, db = grads[l]
        new.append((W - lr * dW, b - lr * db))
    return tuple(new)


def in_place(params, grads, lr):
    for (W, b), (dW, db) in zip(params, grads):
        W -= lr * dW
        b -= lr * db
    return params


def stub(params, grads, lr):
    raise NotImplementedError


def returns_none(params, grads, lr):
    pass


ANSWER = [a for pair in mlp_step(PARAMS, GRADS, 0.5) for a in pair]

MISTAKES = {
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
    "weights only": (lambda p, g, lr: [W - lr * dW for (W, b), (dW, db) in zip(p, g)], "not a pair (W, b)"),
    "one layer": (lambda p, g, lr: mlp_step(p[:1], g[:1], lr), "2 pairs on the hidden-layer example"),
    "an array": (lambda p, g, lr: np.zeros(3), "returned an array of shape (3,)"),
    "the example's answer": (lambda p, g, lr: mlp_step(PARAMS, GRADS, 0.5), "on a random"),
}


@pytest.mark.parametrize("fn", [mlp_step, mlp_step_loop])
def test_right_answers_pass(fn, capsys):
    ok, lines = run(check_mlp_step, fn, capsys)
    assert ok is True and lines == [f"Right ({NAME}): correct on the worked example and 4 other inputs."]


@pytest.mark.parametrize("fn", [stub, returns_none])
def test_stub_is_not_attempted(fn, capsys):
    ok, lines = run(check_mlp_step, fn, capsys)
    assert ok is False and lines == [NOT_ATTEMPTED]


@pytest.mark.parametrize("mistake", MISTAKES)
def test_mistake_gets_its_hint(mistake, capsys):
    wrong, hint = MISTAKES[mistake]
    ok, lines = run(check_mlp_step, wrong, capsys)
    assert ok is False
    assert len(lines) == 1 and lines[0].startswith(f"Not yet ({NAME}): "), lines
    assert hint in lines[0], lines[0]
    assert_no_answer(lines[0], *ANSWER)


def test_error_is_one_line_with_type_and_message(capsys):
    def broken(params, grads, lr):
        raise ValueError("shapes (2,) and (3,) do not match\n    check the second axis")

    ok, lines = run(check_mlp_step, broken, capsys)
    assert ok is False
    assert lines == [f"Not yet ({NAME}): your function raised ValueError: "
                     "shapes (2,) and (3,) do not match check the second axis."]


def test_not_numbers(capsys):
    ok, lines = run(check_mlp_step, lambda params, grads, lr: "W1", capsys)
    assert ok is False and lines == [f"Not yet ({NAME}): your function returned str, not numbers."]


def test_rounded_results_are_close_but_not_exact(capsys):
    def rounded(params, grads, lr):
        return [(np.round(W, 3), np.round(b, 3)) for W, b in mlp_step(params, grads, lr)]

    ok, lines = run(check_mlp_step, rounded, capsys)
    assert ok is False and "close but not exact" in lines[0], lines
    assert_no_answer(lines[0], *ANSWER)


def test_the_callers_arrays_are_left_alone(capsys):
    """The checker hands copies to the student's function: an in-place step changes nothing here."""
    before = [np.array(a) for pair in PARAMS for a in pair]
    run(check_mlp_step, in_place, capsys)
    assert all(np.array_equal(a, b) for a, b in zip(before, (a for pair in PARAMS for a in pair)))


def test_every_mistake_is_wrong_on_the_worked_example():
    right = np.concatenate([np.ravel(a) for a in ANSWER])
    for name, (fn, _) in MISTAKES.items():
        params = [(np.array(W), np.array(b)) for W, b in PARAMS]
        try:
            out = fn(params, [(np.array(W), np.array(b)) for W, b in GRADS], 0.5)
        except ValueError:
            continue  # W and a gradient of another layer do not fit: wrong in its shape
        try:
            flat = np.concatenate([np.ravel(a) for pair in out for a in pair])
        except (TypeError, ValueError):
            continue  # not a list of pairs: wrong in its shape
        changed = not all(np.array_equal(a, b) for (a, _), (b, _) in zip(params, PARAMS))
        assert changed or name == "the example's answer" or flat.shape != right.shape \
            or not np.allclose(flat, right), name
