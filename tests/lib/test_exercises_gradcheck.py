"""The checkers of the chapters "Gradient checking" and "Training": a right answer passes,
a stub is "not attempted", and each common mistake gets its own hint, never the answer."""

import numpy as np
import pytest

import backprop_lib as bl
from backprop_lib.exercises import NOT_ATTEMPTED, check_gd_step, check_numerical_gradient

from checker_runs import run_one_line as run


def answer_digits(values):
    """The answer as a student would see it printed: every entry to 3 decimals."""
    return {f"{abs(v):.3f}" for v in np.ravel(values)}


def assert_no_answer(line, *answers):
    for answer in answers:
        for digits in answer_digits(answer):
            assert digits not in line, f"the feedback shows the answer ({digits}): {line}"


# ---- check_numerical_gradient ------------------------------------------------------

def central(f, a, eps):
    grad = np.zeros_like(a, dtype=float)
    for k in np.ndindex(a.shape):
        plus, minus = a.copy(), a.copy()
        plus[k] += eps
        minus[k] -= eps
        grad[k] = (f(plus) - f(minus)) / (2 * eps)
    return grad


def central_in_place(f, a, eps):
    """Right too: shifts a itself and restores it by arithmetic."""
    grad = np.zeros_like(a, dtype=float)
    for k in np.ndindex(a.shape):
        a[k] += eps
        f_plus = f(a)
        a[k] -= 2 * eps
        f_minus = f(a)
        a[k] += eps
        grad[k] = (f_plus - f_minus) / (2 * eps)
    return grad


def stub_gradient(f, a, eps):
    raise NotImplementedError


def with_step(step):
    def fn(f, a, eps):
        grad = np.zeros_like(a, dtype=float)
        f_a = f(a.copy())
        for k in np.ndindex(a.shape):
            plus, minus = a.copy(), a.copy()
            plus[k] += eps
            minus[k] -= eps
            grad[k] = step(f(plus), f_a, f(minus), eps)
        return grad
    return fn


def not_restored(f, a, eps):
    grad = np.zeros_like(a, dtype=float)
    for k in np.ndindex(a.shape):
        a[k] += eps
        f_plus = f(a)
        a[k] -= 2 * eps
        grad[k] = (f_plus - f(a)) / (2 * eps)
    return grad


def all_at_once(f, a, eps):
    return np.full(a.shape, (f(a + eps) - f(a - eps)) / (2 * eps))


def row_at_a_time(f, a, eps):
    grad = np.zeros_like(a, dtype=float)
    for i in range(a.shape[0]):
        plus, minus = a.copy(), a.copy()
        plus[i] += eps
        minus[i] -= eps
        grad[i] = (f(plus) - f(minus)) / (2 * eps)
    return grad


GRADIENT_MISTAKES = {
    "one-sided (forward)": (with_step(lambda fp, f0, fm, e: (fp - f0) / e), "one-sided difference (f(a + eps) - f(a))"),
    "one-sided (backward)": (with_step(lambda fp, f0, fm, e: (f0 - fm) / e), "one-sided difference (f(a) - f(a - eps))"),
    "missing factor 2": (with_step(lambda fp, f0, fm, e: (fp - fm) / e), "divide by 2 eps"),
    "/ 2 * eps": (with_step(lambda fp, f0, fm, e: (fp - fm) / 2 * e), "x / 2 * eps is (x / 2) * eps"),
    "sign flipped": (with_step(lambda fp, f0, fm, e: (fm - fp) / (2 * e)), "sign is flipped"),
    "a not restored": (not_restored, "leaves a changed"),
    "all entries at once": (all_at_once, "one entry at a time (a + eps e_k)"),
    "a row at a time": (row_at_a_time, "a[i] is a whole row"),
    "flat result": (lambda f, a, eps: central(f, a, eps).ravel(), "the result is flat"),
}


def example_gradient():
    f = lambda W: bl.squared_error(bl.example.y, bl.forward(W, bl.example.b1, bl.example.x).z2)
    return bl.numerical_gradient(f, bl.example.W1, 1e-3)


@pytest.mark.parametrize("fn", [central, central_in_place])
def test_numerical_gradient_right(fn, capsys):
    ok, line = run(check_numerical_gradient, fn, capsys)
    assert ok is True
    assert line.startswith("Right (check_numerical_gradient)")


@pytest.mark.parametrize("fn", [bl.numerical_gradient, lambda f, a, eps: bl.numerical_gradient(f, a, eps)])
def test_numerical_gradient_library_is_refused(fn, capsys):
    ok, line = run(check_numerical_gradient, fn, capsys)
    assert ok is False
    assert line == ("Not yet (check_numerical_gradient): your function hands the work to the library's "
                    "own bl.numerical_gradient; this exercise asks you to write it yourself.")


@pytest.mark.parametrize("fn", [stub_gradient, lambda f, a, eps: None])
def test_numerical_gradient_stub(fn, capsys):
    ok, line = run(check_numerical_gradient, fn, capsys)
    assert ok is False
    assert line == NOT_ATTEMPTED


@pytest.mark.parametrize("name", GRADIENT_MISTAKES)
def test_numerical_gradient_mistakes(name, capsys):
    fn, hint = GRADIENT_MISTAKES[name]
    ok, line = run(check_numerical_gradient, fn, capsys)
    assert ok is False
    assert line.startswith("Not yet (check_numerical_gradient)")
    assert hint in line, f"{name}: {line}"
    assert_no_answer(line, example_gradient())


def test_numerical_gradient_error_is_reported(capsys):
    def broken(f, a, eps):
        return a @ np.ones((7, 7))  # shapes do not fit: raises ValueError
    ok, line = run(check_numerical_gradient, broken, capsys)
    assert ok is False
    assert "raised ValueError" in line


# ---- check_gd_step -----------------------------------------------------------------

def gd_step(W, dW, lr):
    return W - lr * dW


def stub_step(W, dW, lr):
    raise NotImplementedError


def in_place(W, dW, lr):
    W -= lr * dW
    return W


def changes_dW(W, dW, lr):
    dW *= lr
    return W - dW


STEP_MISTAKES = {
    "gradient ascent": (lambda W, dW, lr: W + lr * dW, "gradient ascent"),
    "learning rate missing": (lambda W, dW, lr: W - dW, "learning rate is missing"),
    "divided by lr": (lambda W, dW, lr: W - dW / lr, "divided by the learning rate"),
    "only the change": (lambda W, dW, lr: -lr * dW, "only the change"),
    "W and dW swapped": (lambda W, dW, lr: dW - lr * W, "swapped"),
    "W unchanged": (lambda W, dW, lr: W.copy(), "unchanged"),
    "in-place update": (in_place, "changes the W it was given"),
    "changes dW": (changes_dW, "changes the dW it was given"),
}


def test_gd_step_right(capsys):
    ok, line = run(check_gd_step, gd_step, capsys)
    assert ok is True
    assert line.startswith("Right (check_gd_step)")


def test_gd_step_stub(capsys):
    ok, line = run(check_gd_step, stub_step, capsys)
    assert ok is False
    assert line == NOT_ATTEMPTED


@pytest.mark.parametrize("name", STEP_MISTAKES)
def test_gd_step_mistakes(name, capsys):
    fn, hint = STEP_MISTAKES[name]
    ok, line = run(check_gd_step, fn, capsys)
    assert ok is False
    assert line.startswith("Not yet (check_gd_step)")
    assert hint in line, f"{name}: {line}"
    grads = bl.backward(bl.example.W1, bl.example.b1, bl.example.x, bl.example.y)
    assert_no_answer(line, bl.example.W1 - 0.5 * grads.W1)


def test_gd_step_mistakes_differ_from_right():
    """Every planted mistake really is wrong on the checker's first input (lr = 0.5)."""
    grads = bl.backward(bl.example.W1, bl.example.b1, bl.example.x, bl.example.y)
    right = gd_step(bl.example.W1, grads.W1, 0.5)
    for name, (fn, _) in STEP_MISTAKES.items():
        W, dW = np.array(bl.example.W1), np.array(grads.W1)
        out = fn(W, dW, 0.5)
        changed_input = not (np.array_equal(W, bl.example.W1) and np.array_equal(dW, grads.W1))
        assert changed_input or not np.allclose(out, right), name
