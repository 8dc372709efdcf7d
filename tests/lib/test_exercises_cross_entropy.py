"""The checkers of the chapters "Softmax with cross-entropy" and "Batches and numerical
stability": a right answer passes, a stub is "not attempted", every common mistake gets
its own hint, and no output gives the answer away."""

import re

import numpy as np
import pytest

import backprop_lib as bl
from backprop_lib import example
from backprop_lib.exercises import (NOT_ATTEMPTED, check_batch_grad_W1, check_log_softmax,
                                    check_softmax_ce_grad)
from backprop_lib.exercises.batches import BATCH_X, BATCH_Y

from checker_runs import run


def numbers_in(text):
    return {float(v) for v in re.findall(r"-?\d+\.\d+", text)}


def gives_nothing_away(line, answers):
    """No number of the answer appears in the line, at any precision that would help."""
    printed = numbers_in(line)
    for a in answers:
        for v in np.ravel(a):
            for d in (1, 2, 3, 4):
                assert round(float(v), d) not in printed or round(float(v), d) in (0.0, 1.0, -1.0), line


def stub(*args):
    raise NotImplementedError


def returns_none(*args):
    pass


# ---------- check_softmax_ce_grad ----------

z1 = bl.linear(example.W1, example.x, example.b1)
CE_ANSWER = bl.softmax(z1) - example.y


def naive_softmax(z):
    e = np.exp(z)
    return e / e.sum()


CE_MISTAKES = {
    "sign flipped": (lambda y, z: y - bl.softmax(z), "sign is flipped"),
    "y_hat only": (lambda y, z: bl.softmax(z), "y_hat alone"),
    "no softmax": (lambda y, z: z - y, "softmax is missing"),
    "dL/dy_hat only": (lambda y, z: -y / bl.softmax(z), "dLoss/dy_hat"),
    "diagonal Jacobian": (lambda y, z: -(1 - bl.softmax(z)) * y, "diagonal"),
    "naive softmax overflows": (lambda y, z: naive_softmax(z) - y, "overflow"),
    "long way divides by an underflowed y_hat": (
        lambda y, z: bl.softmax_jacobian_from_output(bl.softmax(z)).T @ (-y / bl.softmax(z)),
        "y / y_hat divides by an entry that underflowed to 0"),
    "off by a constant": (lambda y, z: bl.softmax(z) - y + 0.1, "not right on"),
}


def test_ce_reference_passes(capsys):
    ok, lines = run(check_softmax_ce_grad, lambda y, z: bl.softmax(z) - y, capsys)
    assert ok is True
    assert len(lines) == 1 and lines[0].startswith("Right (check_softmax_ce_grad)")


def test_ce_library_chain_passes(capsys):
    """The long way, J^T (-y / y_hat), is right too (away from underflow it equals y_hat - y)."""
    def long_way(y, z):
        y_hat = bl.softmax(z)
        with np.errstate(divide="ignore", invalid="ignore"):
            g = np.where(y != 0, -y / y_hat, 0.0)
        return bl.softmax_jacobian(z).T @ g if np.all(np.isfinite(g)) else y_hat - y
    ok, _ = run(check_softmax_ce_grad, long_way, capsys)
    assert ok is True


@pytest.mark.parametrize("fn", [stub, returns_none])
def test_ce_stub_is_not_attempted(fn, capsys):
    ok, lines = run(check_softmax_ce_grad, fn, capsys)
    assert ok is False and lines == [NOT_ATTEMPTED]


@pytest.mark.parametrize("name", CE_MISTAKES)
def test_ce_mistake_gets_its_hint(name, capsys):
    fn, hint = CE_MISTAKES[name]
    ok, lines = run(check_softmax_ce_grad, fn, capsys)
    assert ok is False
    assert len(lines) == 1 and lines[0].startswith("Not yet (check_softmax_ce_grad)")
    assert hint in lines[0]
    gives_nothing_away(lines[0], [CE_ANSWER])


def test_ce_overflow_warning_does_not_leak(capsys):
    """A naive softmax raises RuntimeWarnings in numpy; the checker keeps its one line."""
    ok, lines = run(check_softmax_ce_grad, lambda y, z: naive_softmax(z) - y, capsys)
    assert ok is False and len(lines) == 1


# ---------- check_batch_grad_W1 ----------

BATCH_ANSWER = bl.backward(example.W1, example.b1, BATCH_X, BATCH_Y, loss="cross_entropy").W1


def loop_sum(d, X):
    total = np.zeros((d.shape[1], X.shape[1]))
    for d_n, x_n in zip(d, X):
        total += np.outer(d_n, x_n)
    return total


def loop_assign(d, X):
    for d_n, x_n in zip(d, X):
        total = np.outer(d_n, x_n)
    return total


BATCH_MISTAKES = {
    "transposed": (lambda d, X: X.T @ d, "transposed"),
    "mean instead of sum": (lambda d, X: d.T @ X / len(X), "extra 1/N"),
    "times N": (lambda d, X: d.T @ X * len(X), "extra factor N"),
    "first sample only": (lambda d, X: np.outer(d[0], X[0]), "only the first sample"),
    "loop assigns": (loop_assign, "only the last sample"),
    "sum then multiply": (lambda d, X: np.outer(d.sum(axis=0), X.sum(axis=0)), "summed before multiplying"),
    "sign": (lambda d, X: -(d.T @ X), "sign is flipped"),
}


@pytest.mark.parametrize("fn", [lambda d, X: d.T @ X, loop_sum])
def test_batch_reference_passes(fn, capsys):
    ok, lines = run(check_batch_grad_W1, fn, capsys)
    assert ok is True
    assert len(lines) == 1 and lines[0].startswith("Right (check_batch_grad_W1)")


def test_batch_first_case_is_the_example():
    assert np.array_equal(BATCH_X[0], example.x) and np.array_equal(BATCH_Y[0], example.y)
    assert BATCH_ANSWER.shape == example.W1.shape


@pytest.mark.parametrize("fn", [stub, returns_none])
def test_batch_stub_is_not_attempted(fn, capsys):
    ok, lines = run(check_batch_grad_W1, fn, capsys)
    assert ok is False and lines == [NOT_ATTEMPTED]


@pytest.mark.parametrize("name", BATCH_MISTAKES)
def test_batch_mistake_gets_its_hint(name, capsys):
    fn, hint = BATCH_MISTAKES[name]
    ok, lines = run(check_batch_grad_W1, fn, capsys)
    assert ok is False
    assert len(lines) == 1 and lines[0].startswith("Not yet (check_batch_grad_W1)")
    assert hint in lines[0]
    gives_nothing_away(lines[0], [BATCH_ANSWER])


# ---------- check_log_softmax ----------

LOG_SOFTMAX_ANSWER = bl.log_softmax(z1)


def lse_unshifted(z):
    return z - np.log(np.exp(z).sum())


LOG_SOFTMAX_MISTAKES = {
    "log of naive softmax": (lambda z: np.log(naive_softmax(z)), "nan for large logits"),
    "log of stable softmax": (lambda z: np.log(bl.softmax(z)), "underflowed to 0"),
    "no max shift": (lse_unshifted, "every entry is infinite"),
    "softmax, not its log": (lambda z: bl.softmax(z), "softmax itself"),
    "no log-sum-exp": (lambda z: z - z.max(), "log-sum-exp term is missing"),
    "log-sum-exp added": (lambda z: z - z.max() + np.log(np.exp(z - z.max()).sum()), "is added"),
    "shift inside only": (lambda z: z - np.log(np.exp(z - z.max()).sum()), "inside the exponent only"),
    "shift twice": (lambda z: z - 2 * z.max() - np.log(np.exp(z - z.max()).sum()), "subtracted twice"),
}


@pytest.mark.parametrize("fn", [
    lambda z: z - z.max() - np.log(np.exp(z - z.max()).sum()),
    lambda z: z - (z.max() + np.log(np.exp(z - z.max()).sum())),
])
def test_log_softmax_reference_passes(fn, capsys):
    ok, lines = run(check_log_softmax, fn, capsys)
    assert ok is True
    assert len(lines) == 1 and lines[0].startswith("Right (check_log_softmax)")


@pytest.mark.parametrize("fn", [stub, returns_none])
def test_log_softmax_stub_is_not_attempted(fn, capsys):
    ok, lines = run(check_log_softmax, fn, capsys)
    assert ok is False and lines == [NOT_ATTEMPTED]


@pytest.mark.parametrize("name", LOG_SOFTMAX_MISTAKES)
def test_log_softmax_mistake_gets_its_hint(name, capsys):
    fn, hint = LOG_SOFTMAX_MISTAKES[name]
    ok, lines = run(check_log_softmax, fn, capsys)
    assert ok is False
    assert len(lines) == 1 and lines[0].startswith("Not yet (check_log_softmax)")
    assert hint in lines[0]
    gives_nothing_away(lines[0], [LOG_SOFTMAX_ANSWER])


@pytest.mark.parametrize("name", ["log of stable softmax", "no max shift", "no log-sum-exp"])
def test_log_softmax_hint_points_to_the_chapter_not_the_formula(name, capsys):
    """The hint names the chapter's equation by what it does; writing the formula out
    (or how to shift and add back) would hand over the answer."""
    fn, _ = LOG_SOFTMAX_MISTAKES[name]
    ok, lines = run(check_log_softmax, fn, capsys)
    assert ok is False
    assert "the chapter's" in lines[0]
    for formula in ("log sum exp(z - m)", "log sum_k exp", "add m back", "z - m - log"):
        assert formula not in lines[0], lines[0]


def test_ce_long_way_passes_until_y_hat_underflows(capsys):
    """The long way is right wherever no entry of y_hat is 0: it fails on the case where
    one underflows, and there the hint names the division, not an overflow."""
    def long_way(y, z):
        y_hat = bl.softmax(z)
        return bl.softmax_jacobian_from_output(y_hat).T @ (-y / y_hat)
    ok, lines = run(check_softmax_ce_grad, long_way, capsys)
    assert ok is False
    assert "overflows beyond" not in lines[0]
    assert "simplify with the chapter's result" in lines[0]


@pytest.mark.parametrize("checker, fn", [
    (check_log_softmax, lambda z: bl.log_softmax(z)),
    (check_softmax_ce_grad, lambda y, z: bl.softmax_cross_entropy_grad(y, bl.softmax(z))),
    (check_softmax_ce_grad, lambda y, z: bl.backward(np.eye(len(z)), np.zeros(len(z)), z, y,
                                                     loss="cross_entropy").z1),
])
def test_library_function_is_refused(checker, fn, capsys):
    ok, lines = run(checker, fn, capsys)
    assert ok is False and lines[0].endswith("this exercise asks you to write it yourself."), lines


def test_checkers_are_exported():
    for name in ("check_softmax_ce_grad", "check_batch_grad_W1", "check_log_softmax"):
        assert name in bl.exercises.__all__
