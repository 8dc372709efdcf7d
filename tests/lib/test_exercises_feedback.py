"""backprop_lib.exercises._feedback, the machinery every checker shares: the verdict a
checker returns, the fixed order of its diagnosis, and the refusal of the library's own
implementation."""

import sys

import numpy as np
import pytest
from IPython.core.interactiveshell import InteractiveShell

import backprop_lib as bl
from backprop_lib.exercises import Verdict, check_linear, latest_verdict
from backprop_lib.exercises._feedback import EXP_OVERFLOW, Case, Mistake, Symptom, check

from helpers import run


def test_verdict_is_true_exactly_when_right(capsys):
    right = check_linear(lambda W, x, b: W @ x + b)
    wrong = check_linear(lambda W, x, b: W @ x)
    assert bool(right) and not bool(wrong)
    assert right == True and wrong == False  # noqa: E712 (the comparison is what is tested)
    assert right != wrong and right == Verdict(True, "")
    lines = capsys.readouterr().out.splitlines()
    assert [right.line, wrong.line] == lines


def test_the_latest_verdict_is_kept_by_the_checkers_name(capsys):
    """What a graded assignment's hidden test reads under the checker's cell: the verdict of
    the call just made, not a new run of the student's function; false before any run."""
    calls = []

    def right(W, x, b):
        calls.append(1)
        return W @ x + b
    assert not latest_verdict("check_no_such_exercise")
    verdict = check_linear(right)
    n = len(calls)
    assert latest_verdict("check_linear") is verdict and bool(verdict) and len(calls) == n
    stub = check_linear(lambda W, x, b: None)
    assert latest_verdict("check_linear") is stub and not stub
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_verdict_shows_nothing_in_jupyter(capsys):
    """A checker cell ends with its printed line: the verdict adds no Out[...] (no stray
    True or False), while a plain Python prompt still shows what it is."""
    verdict = check_linear(lambda W, x, b: W @ x + b)
    shell = InteractiveShell.instance()
    assert shell.display_formatter.format(verdict) == ({}, {})
    assert repr(verdict) == "Verdict(True)"


def square(x):
    return x ** 2


def case(a):
    a = np.asarray(a, dtype=float)
    return Case((a,), a ** 2, f"a = {a.tolist()}")


CASES = [case([1.5, 2.0]), case([3.0]), case([[1.0, 2.0], [-0.5, 4.0]])]
MISTAKES = [Mistake("the square is doubled.", lambda a: 2 * a ** 2),
            Mistake("that is the square root, or the number itself.", np.sqrt, lambda a: a.copy())]
SYMPTOMS = [Symptom("a square is never negative.", lambda out, a: np.any(out < 0))]


@pytest.mark.parametrize("fn, line", [
    (square, "Right (square): correct on the worked example and 2 other inputs."),
    (lambda a: a.tolist() and None, "Not attempted yet: fill in the function above (it must return "
                                    "its result), then run this cell again."),
    (lambda a: (a ** 2)[:1] if a.size > 1 else a ** 2,
     "Not yet (square): the result has shape (1,) on a = [1.5, 2.0]; it should have shape (2,)."),
    (lambda a: -(a ** 2), "Not yet (square): a square is never negative."),
    (lambda a: 2 * a ** 2, "Not yet (square): the square is doubled."),
    # the second way of writing one mistake is named by its hint too
    (lambda a: a.copy(), "Not yet (square): that is the square root, or the number itself."),
    (lambda a: np.round(a ** 2 + 4e-4, 6), "Not yet (square): close but not exact on a = [1.5, 2.0]: "
                                           "compute the result, do not type rounded numbers."),
    (lambda a: a ** 2 / 0, "Not yet (square): the result has nan or inf on a = [1.5, 2.0]; look for "
                           "an overflow or a division by zero."),
    (lambda a: a ** 3, "Not yet (square): not right on a = [1.5, 2.0]; go through the equation "
                       "term by term on that input."),
])


def test_each_step_of_the_fixed_order(fn, line, capsys):
    with np.errstate(divide="ignore"):
        verdict = check(fn, "square", CASES, MISTAKES, SYMPTOMS)
    assert capsys.readouterr().out.splitlines() == [line] and verdict.line == line


def test_symptom_comes_before_a_mistake_and_shape_before_both(capsys):
    """-2 a^2 is negative (a symptom) and the doubled square with a flipped sign; a flat
    result of the doubled square is a shape error first."""
    check(lambda a: -2 * a ** 2, "square", CASES, MISTAKES, SYMPTOMS)
    check(lambda a: np.ravel(2 * a ** 2) if a.ndim > 1 else 2 * a ** 2, "square", CASES[2:], [], SYMPTOMS)
    assert capsys.readouterr().out.splitlines() == [
        "Not yet (square): a square is never negative.",
        "Not yet (square): the result has shape (4,) on a = [[1.0, 2.0], [-0.5, 4.0]]; it should "
        "have shape (2, 2)."]


def test_a_changed_input_is_named_even_when_the_result_is_wrong(capsys):
    def doubles_in_place(a):
        a *= 2
        return a ** 2

    check(doubles_in_place, "square", CASES, MISTAKES)
    assert capsys.readouterr().out.splitlines() == [
        "Not yet (square): your function changes its input a in place (with -= or a[...] = ...), so "
        "the caller's array changes too; compute a new array instead (a = a - ..., not a -= ...)."]


def test_the_overflow_threshold_is_where_exp_overflows():
    with np.errstate(over="raise"):
        np.exp(EXP_OVERFLOW - 1e-9)
        with pytest.raises(FloatingPointError):
            np.exp(EXP_OVERFLOW + 1e-9)


def test_refusal_leaves_the_library_as_it_was(capsys):
    """Watching for the library's functions changes nothing: afterwards they are the same
    objects and no profile hook is left behind."""
    before = (bl.linear, bl.layers.linear, sys.getprofile())
    run(check_linear, lambda W, x, b: bl.linear(W, x, b), capsys)
    assert (bl.linear, bl.layers.linear, sys.getprofile()) == before
