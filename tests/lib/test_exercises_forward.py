"""The checkers of chapters 1-5: a right answer passes, a stub is "not attempted", every
common mistake gets its own hint, an error is one line, and no output gives the answer away."""

import math
import re

import numpy as np
import pytest

import backprop_lib as bl
from backprop_lib import example
from backprop_lib.exercises import (NOT_ATTEMPTED, check_grad_b1, check_grad_W1, check_grad_z1,
                                    check_linear, check_softmax, check_softmax_jacobian,
                                    check_squared_error, check_squared_error_grad)

from checker_runs import run

W1, b1, x, y = example.W1, example.b1, example.x, example.y
z1 = bl.linear(W1, x, b1)
z2 = bl.softmax(z1)
J = bl.softmax_jacobian(z1)
dL_dz2 = bl.squared_error_grad(y, z2)
grads = bl.backward(W1, b1, x, y)


def s(z):
    return bl.softmax(z)


def stable_softmax(z):
    """The softmax written out, for the softmax checker's planted mistakes (bl.softmax itself
    is refused there: it is the exercise's answer)."""
    e = np.exp(z - z.max())
    return e / e.sum()


def naive_softmax(z):
    e = np.exp(z)
    return e / e.sum()


def math_softmax(z):
    e = [math.exp(v) for v in z]
    return np.array(e) / sum(e)


def jacobian_of(s):
    return np.diag(s) - np.outer(s, s)


# For every checker: the example's arguments, the right function, and the mistakes, each
# as a wrong function and a phrase its hint must contain.
CHECKERS = {
    "check_linear": dict(
        checker=check_linear, args=(W1, x, b1), right=lambda W, x, b: W @ x + b,
        mistakes={
            "bias forgotten": (lambda W, x, b: W @ x, "bias is missing"),
            "bias subtracted": (lambda W, x, b: W @ x - b, "bias is subtracted"),
            "sign flipped": (lambda W, x, b: -(W @ x + b), "sign is flipped"),
            "wrong shape": (lambda W, x, b: (W @ x + b)[:, None], "should have shape"),
            # these raise a shape error on the example's 2x3 W: the hint still names the mistake
            "W transposed": (lambda W, x, b: W.T @ x + b, "W is used transposed"),
            "x on the left": (lambda W, x, b: x @ W + b, "W is used transposed"),
            "np.dot transposed": (lambda W, x, b: np.dot(W.T, x) + b, "W is used transposed"),
            "element-wise": (lambda W, x, b: W * x + b, "W * x multiplies entry by entry"),
            "element-wise, summed by columns": (lambda W, x, b: np.sum(W * x, axis=0) + b,
                                                "W * x multiplies entry by entry"),
        }),
    "check_softmax": dict(
        checker=check_softmax, args=(z1,), right=lambda z: np.exp(z - z.max()) / np.exp(z - z.max()).sum(),
        mistakes={
            "overflows": (naive_softmax, "overflows for large logits"),
            "overflows in math.exp": (math_softmax, "OverflowError"),
            "not normalised": (lambda z: np.exp(z), "do not sum to 1"),
            "divided by the max": (lambda z: np.exp(z) / np.exp(z).max(), "do not sum to 1"),
            "no exponential": (lambda z: z / z.sum(), "exponential is missing"),
            "sign flipped": (lambda z: np.exp(-z) / np.exp(-z).sum(), "sign is flipped"),
            "wrong shape": (lambda z: stable_softmax(z)[None, :], "should have shape"),
            "non-finite": (lambda z: stable_softmax(z) / 0, "nan or inf"),
            "shifted in the numerator only": (lambda z: np.exp(z - max(z)) / np.exp(z).sum(),
                                              "subtract the same max(z) in the numerator and in the denominator"),
            "shifted in the denominator only": (lambda z: np.exp(z) / np.exp(z - np.max(z)).sum(),
                                                "subtract the same max(z) in the numerator and in the denominator"),
        }),
    "check_squared_error": dict(
        checker=check_squared_error, args=(y, z2), right=lambda y, y_hat: np.sum((y - y_hat) ** 2),
        mistakes={
            "not summed": (lambda y, y_hat: (y - y_hat) ** 2, "one number per class"),
            "mean": (lambda y, y_hat: np.mean((y - y_hat) ** 2), "mean over the classes"),
            "not squared": (lambda y, y_hat: np.sum(y - y_hat), "not squared"),
            "absolute value": (lambda y, y_hat: np.sum(np.abs(y - y_hat)), "not squared"),
            "square of the sum": (lambda y, y_hat: np.sum(y - y_hat) ** 2, "squares the sum"),
            "half": (lambda y, y_hat: 0.5 * np.sum((y - y_hat) ** 2), "factor 1/2"),
            "factor 2": (lambda y, y_hat: 2 * np.sum((y - y_hat) ** 2), "extra factor 2"),
            "norm": (lambda y, y_hat: np.linalg.norm(y - y_hat), "length (norm)"),
            "root of the sum": (lambda y, y_hat: np.sqrt(np.sum((y - y_hat) ** 2)), "length (norm)"),
            "sign flipped": (lambda y, y_hat: -np.sum((y - y_hat) ** 2), "sign is flipped"),
            "non-finite": (lambda y, y_hat: np.sum((y - y_hat) ** 2) / 0, "nan or inf"),
        }),
    "check_squared_error_grad": dict(
        checker=check_squared_error_grad, args=(y, z2), right=lambda y, y_hat: 2 * (y_hat - y),
        mistakes={
            "sign flipped": (lambda y, y_hat: 2 * (y - y_hat), "sign is flipped"),
            "factor 2 missing": (lambda y, y_hat: y_hat - y, "factor 2 is missing"),
            "factor 2 and sign": (lambda y, y_hat: y - y_hat, "factor 2 is missing (the derivative"),
            "mean": (lambda y, y_hat: 2 * (y_hat - y) / len(y), "not a mean"),
            "summed": (lambda y, y_hat: np.sum(2 * (y_hat - y)), "single number"),
            "squared": (lambda y, y_hat: -2 * (y - y_hat) ** 2, "difference is squared"),
            "wrong shape": (lambda y, y_hat: np.tile(2 * (y_hat - y), 2), "should have shape"),
        }),
    "check_softmax_jacobian": dict(
        checker=check_softmax_jacobian, args=(z1,), right=lambda z: jacobian_of(s(z)),
        mistakes={
            "diagonal only": (lambda z: np.diag(s(z) * (1 - s(z))), "only the diagonal"),
            "diagonal as a vector": (lambda z: s(z) * (1 - s(z)), "only the diagonal"),
            "sign flipped": (lambda z: -jacobian_of(s(z)), "sign is flipped"),
            "off-diagonal sign": (lambda z: np.diag(s(z)) + np.outer(s(z), s(z)) - 2 * np.diag(s(z) ** 2),
                                  "off-diagonal entries have the wrong sign"),
            "no s s^T": (lambda z: np.diag(s(z)), "-s^i s^j part is missing"),
            "from z": (lambda z: jacobian_of(z), "built from z itself"),
            "overflows": (lambda z: jacobian_of(naive_softmax(z)), "overflows for large logits"),
            "wrong shape": (lambda z: jacobian_of(s(z))[:, :1], "should have shape"),
        }),
    "check_grad_z1": dict(
        checker=check_grad_z1, args=(J, dL_dz2), right=lambda J, g: J.T @ g,
        mistakes={
            "J instead of J^T": (lambda J, g: J @ g, "needs its transpose"),
            "diagonal only": (lambda J, g: np.diag(J) * g, "only the diagonal"),
            "sign flipped": (lambda J, g: -(J.T @ g), "sign is flipped"),
            "element-wise": (lambda J, g: J * g, "element-wise product"),
            "element-wise by rows": (lambda J, g: J * g[:, None], "element-wise product"),
            "J^T alone": (lambda J, g: J.T, "Jacobian alone"),
            "J alone": (lambda J, g: J, "Jacobian alone"),
            "non-finite": (lambda J, g: J.T @ g / 0, "nan or inf"),
        }),
    "check_grad_b1": dict(
        checker=check_grad_b1, args=(grads.z1,), right=lambda d: d,
        mistakes={
            "sign flipped": (lambda d: -d, "sign is flipped"),
            "bias forgotten": (lambda d: np.zeros_like(d), "bias is forgotten"),
            "dz1/db1 only": (lambda d: np.ones_like(d), "dz1/db1 alone"),
            "identity matrix only": (lambda d: np.eye(len(d)), "identity matrix"),
            "factor 2": (lambda d: 2 * d, "factor 2"),
            "summed": (lambda d: d.sum(), "single number"),
            "a matrix": (lambda d: np.outer(d, d), "is a matrix"),
            "non-finite": (lambda d: d / 0, "nan or inf"),
        }),
    "check_grad_W1": dict(
        checker=check_grad_W1, args=(grads.z1, x), right=lambda d, x: d[:, None] * x[None, :],
        mistakes={
            "transposed": (lambda d, x: np.outer(x, d), "transposed"),
            "sign flipped": (lambda d, x: -np.outer(d, x), "sign is flipped"),
            "x missing": (lambda d, x: np.repeat(d[:, None], len(x), axis=1), "x is missing"),
            "a vector": (lambda d, x: d * x.sum(), "result is a vector"),
            "a number": (lambda d, x: d.sum() * x.sum(), "single number"),
            "factor 2": (lambda d, x: 2 * np.outer(d, x), "factor 2"),
            "non-finite": (lambda d, x: np.outer(d, x) / 0, "nan or inf"),
            "dL/dz1 forgotten": (lambda d, x: np.tile(x, (len(d), 1)), "dz1/dW1 alone"),
            # raises on the example (lengths 2 and 3), returns a number on a square layer
            "matrix product": (lambda d, x: d @ x, "an outer product is needed, not a matrix product"),
        }),
}

MISTAKES = [(name, mistake) for name, c in CHECKERS.items() for mistake in c["mistakes"]]


def assert_no_answer(line, name):
    """No number of the example's answer is in the line, at 1 to 4 decimals, nor any
    decimal number at all (a hint names a mistake, it never quotes a result)."""
    c = CHECKERS[name]
    answer = np.ravel(np.asarray(c["right"](*c["args"]), dtype=float))
    for v in answer:
        for d in (2, 3, 4):
            assert f"{v:.{d}f}" not in line, (v, line)
    assert not re.search(r"\d\.\d", line), line


@pytest.mark.parametrize("name", CHECKERS)
def test_reference_solution_passes(name, capsys):
    c = CHECKERS[name]
    ok, lines = run(c["checker"], c["right"], capsys)
    assert ok is True
    assert len(lines) == 1 and lines[0].startswith(f"Right ({name}): correct on the worked example")


#: what the library offers for each checker's exercise: handing the work to it is refused
LIBRARY = {
    "check_linear": bl.linear, "check_softmax": bl.softmax,
    "check_squared_error": bl.squared_error, "check_squared_error_grad": bl.squared_error_grad,
    "check_softmax_jacobian": bl.softmax_jacobian,
}


@pytest.mark.parametrize("name", LIBRARY)
@pytest.mark.parametrize("how", ["passed itself", "called in a lambda", "imported by name"])
def test_library_function_is_refused(name, how, capsys):
    """backprop_lib's own function is the checker's answer: passed as it is, called from the
    student's function, or imported into the student's namespace, it is told to write it."""
    library = LIBRARY[name]
    scope = {library.__name__: library}
    fn = {"passed itself": library,
          "called in a lambda": lambda *args: LIBRARY[name](*args),
          "imported by name": eval(f"lambda *args: {library.__name__}(*args)", scope)}[how]
    ok, lines = run(CHECKERS[name]["checker"], fn, capsys)
    assert ok is False
    assert lines == [f"Not yet ({name}): your function hands the work to the library's own "
                     f"bl.{library.__name__}; this exercise asks you to write it yourself."]
    assert scope[library.__name__] is library and getattr(bl, library.__name__) is library


def test_library_refusal_reaches_the_module_and_other_functions(capsys):
    """bl.layers.linear is the same function; bl.forward computes W x + b too."""
    for fn in (lambda W, x, b: bl.layers.linear(W, x, b),
               lambda W, x, b: bl.forward(W, b, x).z1):
        ok, lines = run(check_linear, fn, capsys)
        assert ok is False and "asks you to write it yourself" in lines[0], lines


def test_library_inside_the_library_is_not_refused(capsys):
    """The softmax Jacobian's solution may call bl.softmax (another chapter's function), even
    though bl.softmax_jacobian calls it too."""
    ok, lines = run(check_softmax_jacobian, lambda z: jacobian_of(bl.softmax(z)), capsys)
    assert ok is True, lines


@pytest.mark.parametrize("name, fn", [
    ("check_grad_z1", lambda J, g: g @ J), ("check_grad_b1", lambda d: d.copy()),
    ("check_grad_W1", np.outer)])
def test_other_right_forms_pass(name, fn, capsys):
    """Another way of writing the answer (a numpy function as it is) passes too."""
    ok, lines = run(CHECKERS[name]["checker"], fn, capsys)
    assert ok is True, lines


def stub(*args):
    raise NotImplementedError


def returns_none(*args):
    pass


@pytest.mark.parametrize("fn", [stub, returns_none])
@pytest.mark.parametrize("name", CHECKERS)
def test_stub_is_not_attempted(name, fn, capsys):
    ok, lines = run(CHECKERS[name]["checker"], fn, capsys)
    assert ok is False and lines == [NOT_ATTEMPTED]


@pytest.mark.parametrize("name, mistake", MISTAKES)
def test_mistake_gets_its_hint(name, mistake, capsys):
    c = CHECKERS[name]
    wrong, hint = c["mistakes"][mistake]
    ok, lines = run(c["checker"], wrong, capsys)
    assert ok is False
    assert len(lines) == 1 and lines[0].startswith(f"Not yet ({name}): ")
    assert hint in lines[0]
    assert_no_answer(lines[0], name)


@pytest.mark.parametrize("name", CHECKERS)
def test_example_alone_is_not_enough(name, capsys):
    """A function that returns the example's answer whatever it is given fails on the random inputs."""
    c = CHECKERS[name]
    answer = c["right"](*c["args"])
    ok, lines = run(c["checker"], lambda *args: answer, capsys)
    assert ok is False and len(lines) == 1 and lines[0].startswith(f"Not yet ({name}): ")
    assert_no_answer(lines[0], name)


@pytest.mark.parametrize("name", CHECKERS)
def test_error_is_one_line_with_type_and_message(name, capsys):
    def broken(*args):
        raise ValueError("shapes (2,) and (3,) do not match\n    check the second axis")

    ok, lines = run(CHECKERS[name]["checker"], broken, capsys)
    assert ok is False
    assert lines == [f"Not yet ({name}): your function raised ValueError: "
                     "shapes (2,) and (3,) do not match check the second axis."]


@pytest.mark.parametrize("name", CHECKERS)
def test_not_numbers(name, capsys):
    ok, lines = run(CHECKERS[name]["checker"], lambda *args: "z1", capsys)
    assert ok is False and lines == [f"Not yet ({name}): your function returned str, not numbers."]


@pytest.mark.parametrize("name", CHECKERS)
def test_inputs_are_not_shared(name, capsys):
    """A function that edits its arguments in place changes neither the example nor later
    checks, and is told that it changes its input, even though its result is right."""
    c = CHECKERS[name]

    def vandal(*args):
        out = np.array(c["right"](*args), dtype=float)
        for a in args:
            a *= 0
        return out

    before = [np.array(a) for a in c["args"]]
    ok, lines = run(c["checker"], vandal, capsys)
    assert ok is False
    assert len(lines) == 1 and lines[0].startswith(f"Not yet ({name}): the result is right, but your "
                                                   "function changes its input argument 1 in place")
    for a, b in zip(c["args"], before):
        assert np.array_equal(a, b)


def test_in_place_shift_is_named(capsys):
    """z -= max(z) gives the right softmax but changes the caller's z: the hint names z."""
    def shifts_in_place(z):
        z -= np.max(z)
        e = np.exp(z)
        return e / e.sum()

    ok, lines = run(check_softmax, shifts_in_place, capsys)
    assert ok is False
    assert lines == ["Not yet (check_softmax): the result is right, but your function changes its input z "
                     "in place (with -= or z[...] = ...), so the caller's array changes too; compute a new "
                     "array instead (z = z - ..., not z -= ...)."]


def test_restoring_an_input_exactly_enough_is_not_an_edit(capsys):
    """Shifting an entry and shifting it back (a last-bit difference at most) is not reported."""
    def shifts_and_restores(W, x, b):
        x[0] += 1e-6
        x[0] -= 1e-6
        return W @ x + b

    ok, lines = run(check_linear, shifts_and_restores, capsys)
    assert ok is True, lines


def test_raised_shape_error_names_the_mistake(capsys):
    """W.T @ x raises on the example's 2x3 W; the line says so and names the likely cause,
    instead of numpy's message about core dimensions."""
    ok, lines = run(check_linear, lambda W, x, b: W.T @ x + b, capsys)
    assert ok is False
    assert lines[0].startswith("Not yet (check_linear): your function raised ValueError on the worked example; ")
    assert "transposed" in lines[0] and "matmul" not in lines[0]


def test_grad_z1_needs_a_non_symmetric_J():
    """On the example J is symmetric, so J and J^T agree: only the random J tell them apart."""
    assert np.allclose(J, J.T)
    assert np.allclose(J @ dL_dz2, J.T @ dL_dz2)


def test_softmax_checker_tries_large_logits(capsys):
    """A softmax that is right except for large logits fails, with the overflow hint."""
    def careless(z):
        if np.abs(z).max() > 100:
            return np.exp(z) / np.exp(z).sum()
        return stable_softmax(z)

    ok, lines = run(check_softmax, careless, capsys)
    assert ok is False and "(1000, -1000)" in lines[0] and "overflows" in lines[0]


def test_shape_error_of_a_matrix_product_is_plain(capsys):
    """dL_dz1 @ x raises numpy's gufunc error on the example; the line explains it instead."""
    ok, lines = run(check_grad_W1, lambda d, x: d @ x, capsys)
    assert ok is False
    assert lines[0].startswith("Not yet (check_grad_W1): your function raised ValueError on the worked example; ")
    assert "matmul" not in lines[0] and "signature" not in lines[0]


@pytest.mark.parametrize("shape_hint", [lambda d, x: d * x.sum(), lambda d, x: d.sum() * x.sum()])
def test_grad_W1_shape_hints_do_not_give_the_formula(shape_hint, capsys):
    ok, lines = run(check_grad_W1, shape_hint, capsys)
    assert ok is False and "one entry per weight" in lines[0] and "outer product" not in lines[0]


@pytest.mark.parametrize("mistake", ["diagonal only", "sign flipped", "no s s^T"])
def test_softmax_jacobian_hints_do_not_give_the_matrix_formula(mistake, capsys):
    wrong, _ = CHECKERS["check_softmax_jacobian"]["mistakes"][mistake]
    ok, lines = run(check_softmax_jacobian, wrong, capsys)
    assert ok is False and "diag(s)" not in lines[0] and "s s^T" not in lines[0]


def test_typed_rounded_numbers_are_told_to_compute(capsys):
    """The example's gradient typed in at 4 decimals is close, and told so, not "not right"."""
    typed = np.round(bl.squared_error_grad(y, z2), 4)
    ok, lines = run(check_squared_error_grad, lambda y, y_hat: typed.copy(), capsys)
    assert ok is False
    assert lines == ["Not yet (check_squared_error_grad): close but not exact on the worked example: "
                     "compute the result, do not type rounded numbers."]


@pytest.mark.parametrize("name", CHECKERS)
def test_rounded_results_are_close_but_not_exact(name, capsys):
    """Any checker: the right result rounded to 3 decimals gets the "close" hint on the first
    input where rounding matters; a result off by much more does not."""
    c = CHECKERS[name]
    ok, lines = run(c["checker"], lambda *args: np.round(c["right"](*args), 3), capsys)
    assert ok is False and "close but not exact" in lines[0]
    assert_no_answer(lines[0], name)
    ok, lines = run(c["checker"], lambda *args: np.asarray(c["right"](*args)) + 0.01, capsys)
    assert ok is False and "close but not exact" not in lines[0]
