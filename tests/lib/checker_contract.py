"""What every exercise checker must do, as tests that each tests/lib/test_exercises_*.py file
takes in with `from checker_contract import *`, run over the file's own table CHECKERS:

    CHECKERS = {"check_x": dict(
        checker=check_x,            # the checker
        args=(...),                 # the worked example's arguments
        right=lambda ...: ...,      # a right answer, written independently of the library
        mistakes={"name": (wrong function, a phrase its hint must hold), ...},
        others=[...],               # other right ways of writing it (optional)
        library={"x": fn, ...},     # functions that hand the work to the library's bl.x:
                                    # refused (bl.x itself where it takes the same arguments)
        changed="...",              # how the line for a changed input starts (optional)
        answers=[...],              # more numbers no line may show (optional)
        strict=True,                # no decimal number at all in a hint (optional)
    )}

A right answer passes with one line; the stub is "not attempted"; each mistake gets its own
hint in one line that gives no answer away; the example's answer alone fails; an error is
one line with its type and message; text is not numbers; an input changed in place is
named even when the result is right (a checker whose arguments are all plain numbers has no
input to change: there such a function passes); rounded numbers are "close but not exact"; and the
library's own function is refused, however it is reached.
"""

import functools
import numbers

import numpy as np
import pytest

import backprop_lib as bl
from backprop_lib.exercises import NOT_ATTEMPTED
from helpers import assert_no_answer, run

__all__ = ["pytest_generate_tests", "test_right_answers_pass", "test_stub_is_not_attempted",
           "test_mistake_gets_its_hint", "test_example_alone_is_not_enough",
           "test_error_is_one_line_with_type_and_message", "test_not_numbers",
           "test_a_changed_input_is_named", "test_rounded_results_are_close_but_not_exact",
           "test_library_function_is_refused"]

CHANGED = "the result is right, but your function changes its input argument {index} in place"


def pytest_generate_tests(metafunc):
    """Each contract test runs for every checker of the file's CHECKERS (every mistake, every
    right form, every library function)."""
    if metafunc.function.__module__ != __name__:
        return  # a test of the file itself
    table = metafunc.module.CHECKERS
    params = {
        "name": list(table),
        "name, mistake": [(n, m) for n, c in table.items() for m in c["mistakes"]],
        "name, right": [(n, r) for n, c in table.items() for r in [c["right"], *c.get("others", [])]],
        "name, library": [(n, f) for n, c in table.items() for f in c.get("library", {}).items()],
    }
    for argnames, values in params.items():
        if set(argnames.split(", ")) == set(metafunc.fixturenames) & {"name", "mistake", "right", "library"}:
            metafunc.parametrize(argnames, values)


def each(f, result):
    """f applied to a result, or to each of the results a function returns together."""
    return tuple(f(r) for r in result) if isinstance(result, tuple) else f(result)


def spec(request, name):
    return request.module.CHECKERS[name]


def answers(c):
    return [c["right"](*c["args"]), *c.get("answers", [])]


def test_right_answers_pass(request, name, right, capsys):
    ok, lines = run(spec(request, name)["checker"], right, capsys)
    assert ok is True, lines
    assert len(lines) == 1 and lines[0].startswith(f"Right ({name}): correct on the worked example")


def stub(*args):
    raise NotImplementedError


def returns_none(*args):
    pass


@pytest.mark.parametrize("fn", [stub, returns_none])
def test_stub_is_not_attempted(request, name, fn, capsys):
    ok, lines = run(spec(request, name)["checker"], fn, capsys)
    assert ok is False and lines == [NOT_ATTEMPTED]


def test_mistake_gets_its_hint(request, name, mistake, capsys):
    c = spec(request, name)
    wrong, hint = c["mistakes"][mistake]
    ok, lines = run(c["checker"], wrong, capsys)
    assert ok is False
    assert len(lines) == 1 and lines[0].startswith(f"Not yet ({name}): "), lines
    assert hint in lines[0], lines[0]
    assert_no_answer(lines[0], *answers(c), decimals_allowed=not c.get("strict"))


def test_example_alone_is_not_enough(request, name, capsys):
    """A function that returns the example's answer whatever it is given fails on the random inputs."""
    c = spec(request, name)
    answer = c["right"](*c["args"])
    ok, lines = run(c["checker"], lambda *args: answer, capsys)
    assert ok is False and len(lines) == 1 and lines[0].startswith(f"Not yet ({name}): ")
    assert_no_answer(lines[0], *answers(c), decimals_allowed=not c.get("strict"))


def test_error_is_one_line_with_type_and_message(request, name, capsys):
    def broken(*args):
        raise ValueError("shapes (2,) and (3,) do not match\n    check the second axis")

    ok, lines = run(spec(request, name)["checker"], broken, capsys)
    assert ok is False
    assert lines == [f"Not yet ({name}): your function raised ValueError: "
                     "shapes (2,) and (3,) do not match check the second axis."]


def test_not_numbers(request, name, capsys):
    ok, lines = run(spec(request, name)["checker"], lambda *args: "z1", capsys)
    assert ok is False and lines == [f"Not yet ({name}): your function returned str, not numbers."]


def test_a_changed_input_is_named(request, name, capsys):
    """A function that edits its array arguments in place changes neither the example nor
    later checks, and is told that it changes its input, even though its result is right.

    A checker whose arguments are all plain numbers has no input a function can change for
    its caller (`a *= 0` on a number only rebinds the function's own name): there the same
    function, which zeroes its arguments after computing a right result, must pass."""
    c = spec(request, name)

    def vandal(*args):
        out = each(np.array, c["right"](*args))
        for a in args:
            if isinstance(a, (np.ndarray, numbers.Number)):
                a *= 0  # in place for an array; for a plain number, only the local name
        return out

    before = [np.array(a) if isinstance(a, np.ndarray) else a for a in c["args"]]
    ok, lines = run(c["checker"], vandal, capsys)
    arrays = [k for k, a in enumerate(c["args"]) if isinstance(a, np.ndarray)]
    if arrays:
        assert ok is False
        expected = c.get("changed", CHANGED.format(index=arrays[0] + 1))
        assert len(lines) == 1 and lines[0].startswith(f"Not yet ({name}): {expected}"), lines
    else:
        assert ok is True and len(lines) == 1 and lines[0].startswith(f"Right ({name}): "), lines
    for a, b in zip(c["args"], before):
        assert np.array_equal(a, b) if isinstance(a, np.ndarray) else a == b


def test_rounded_results_are_close_but_not_exact(request, name, capsys):
    """The right result rounded to 3 decimals gets the "close" hint on the first input where
    rounding matters; a result off by much more does not."""
    c = spec(request, name)
    ok, lines = run(c["checker"], lambda *args: each(lambda r: np.round(r, 3), c["right"](*args)), capsys)
    assert ok is False and "close but not exact" in lines[0], lines
    assert_no_answer(lines[0], *answers(c), decimals_allowed=not c.get("strict"))
    ok, lines = run(c["checker"], lambda *args: each(lambda r: np.asarray(r) + 0.01, c["right"](*args)), capsys)
    assert ok is False and "close but not exact" not in lines[0]


@pytest.mark.parametrize("how", ["as it is", "called in a function", "imported by name"])
def test_library_function_is_refused(request, name, library, how, capsys):
    """A function that hands the work to backprop_lib's own implementation, passed as it is,
    called from the student's function, or imported into the student's namespace, is told
    to write it."""
    refused, delegates = library
    target = functools.reduce(getattr, refused.split("."), bl)
    fn = {"as it is": delegates,
          "called in a function": lambda *args: delegates(*args),
          # a `from backprop_lib import x` in the student's notebook
          "imported by name": eval(f"lambda *args: {refused}(*args)", {refused: target})
          if delegates is target else delegates}[how]
    ok, lines = run(spec(request, name)["checker"], fn, capsys)
    assert ok is False
    assert lines == [f"Not yet ({name}): your function hands the work to the library's own "
                     f"bl.{refused}; this exercise asks you to write it yourself."]
    assert functools.reduce(getattr, refused.split("."), bl) is target  # the library is as it was
