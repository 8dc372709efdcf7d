"""The solutions the chapters print: each runs as printed and does what the chapter says.

Every coding exercise of every chapter (a stub and its `check_NAME(fn)` call, found by
tools/editions.py's `coding_exercises`, as the student edition and `make assignments` find
them) is tried twice on its own checker, after the chapter's imports: the python code of its
solution as the reader sees it, and the answer cell `make assignments` writes from that
solution into the nbgrader source (the autograder's version). Both must get "Right": a wrong
solution would be printed in the book and graded as the model answer. A deliberately broken
copy of every solution fails, so these tests can fail.

Then the solutions that no checker grades: they run as printed and print what the chapter says.
"""

import ast
import contextlib
import copy
import functools
import io
import re

import nbformat
import numpy as np
import pytest

import backprop_lib as bl
from backprop_lib import exercises
from backprop_lib.autograd import Tensor
from helpers import ROOT
from tools import editions
from tools import notebooks as nbtools


@functools.lru_cache(maxsize=None)
def notebook(path):
    return nbformat.read(path, as_version=4)


def chapter(stem):
    return notebook(ROOT / "chapters" / f"{stem}.ipynb")


def solution_code(label, stem="10_autograd"):
    """The python code of the chapter's solution to exercise `label`, as the reader sees it."""
    code = editions.solution_code(chapter(stem), label)
    assert code, f"{stem}: the solution to {label} has no ```python block"
    return code


# ---- every coding exercise: its solution passes its own checker ------------------------------

def chapter_imports(nb):
    """The chapter's imports, as a reader has run them: every top-level import statement of
    its code cells (the hidden Colab set-up cell left out), in order."""
    found = []
    for cell in nb.cells:
        if cell.cell_type != "code" or cell.source.startswith(nbtools.SETUP_MARK):
            continue
        try:
            tree = ast.parse(re.sub(r"^\s*[%!].*$", "", cell.source, flags=re.M))
        except SyntaxError:
            continue
        found += [ast.unparse(node) for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    return "\n".join(found)


def checker_line(nb, exercise, code, what):
    """Run the chapter's imports and `code`, then the exercise's checker on the function the
    code defines; return the checker's line. An AssertionError that names the exercise and
    `what` ran when the code raises, defines no such function, or is not right."""
    label, function, checker = exercise["label"], exercise["function"], exercise["checker"]
    namespace = {"__name__": "__main__"}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(chapter_imports(nb), namespace)
        try:
            exec(compile(code, f"<{what} of {label}>", "exec"), namespace)
        except Exception as err:
            raise AssertionError(f"{label}: {what} raised {type(err).__name__}: {err}") from err
        assert callable(namespace.get(function)), f"{label}: {what} defines no {function}()"
        # the checker as the chapter imports it, else backprop_lib's
        verdict = (namespace.get(checker) or getattr(exercises, checker))(namespace[function])
    line = getattr(verdict, "line", str(verdict))
    assert bool(verdict) and line.startswith(f"Right ({checker}): "), \
        f"{label}: {what} does not pass {checker}: {line}"
    assert line in printed.getvalue()
    return line


def assignment_answer(nb, label):
    """The answer cell `make assignments` writes for exercise `label`: the stub's cell with the
    body of the solution's function between ### BEGIN SOLUTION and ### END SOLUTION."""
    stripped, removed = editions.strip_solutions(nb)
    source, _ = editions.to_assignment(stripped, removed)
    return next(c.source for c in source.cells if c.get("id") == f"{label}-answer"[-64:])


def coding_exercises():
    return [(path, exercise) for path in nbtools.notebooks()
            for exercise in editions.coding_exercises(notebook(path), path.name)]


EXERCISES = coding_exercises()
IDS = [f"{path.stem}::{exercise['label']}" for path, exercise in EXERCISES]


def test_every_checker_a_chapter_calls_belongs_to_an_exercise_found_here():
    """A checker call these tests do not find (written in a form `coding_exercises` does not
    recognise, such as `print(check_x(my_x))`) would leave its solution unchecked, and its
    exercise out of the assignments: see CONTRIBUTING.md, "Adding an exercise to a chapter"."""
    assert len(EXERCISES) >= 10, "the chapters' coding exercises were not found"
    checkers = {name for name in exercises.__all__ if name.startswith("check_")}
    found = {exercise["checker"] for _, exercise in EXERCISES}
    for path in nbtools.notebooks():
        for cell in notebook(path).cells:
            if cell.cell_type == "code" and not cell.source.startswith(nbtools.SETUP_MARK):
                called = set(re.findall(r"\b(check_\w+)\(", cell.source)) & checkers
                assert called <= found, (f"{path.name}: {sorted(called - found)} is called, but no coding "
                                         "exercise with it is found: a stub `def my_x(...): raise "
                                         "NotImplementedError`, then `check_x(my_x)` on a line of its own")


@pytest.mark.parametrize("path, exercise", EXERCISES, ids=IDS)
def test_solution_and_its_graded_answer_pass_the_checker(path, exercise):
    nb = notebook(path)
    code = editions.solution_code(nb, exercise["label"])
    assert code, f"{path.name}: the solution to {exercise['label']} has no ```python block"
    checker_line(nb, exercise, code, "the solution")
    checker_line(nb, exercise, assignment_answer(nb, exercise["label"]), "the nbgrader answer")


# ---- and a wrong solution fails ----------------------------------------------------------------

def with_solution(nb, label, code):
    """A copy of the notebook whose solution to `label` shows `code` in its first ```python block."""
    nb = copy.deepcopy(nb)
    opening = re.compile(r"^[ \t]*[`:]{3,}\{solution(?:-start)?\}[ \t]+" + re.escape(label) + r"[ \t]*$", re.M)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and opening.search(cell.source):
            start = opening.search(cell.source).end()
            head, tail = cell.source[:start], cell.source[start:]
            tail, n = re.subn(r"```python\n.*?^[ \t]*```", lambda m: f"```python\n{code}\n```", tail,
                              count=1, flags=re.S | re.M)
            assert n == 1, f"the solution to {label} has no ```python block in its first cell"
            cell.source = head + tail
            return nb
    raise AssertionError(f"no solution to {label}")


class _OffByOne(ast.NodeTransformer):
    """Every `return X` of the function (not of functions inside it) returns X + 1 instead."""

    def visit_Return(self, node):
        if node.value is not None:
            node.value = ast.Call(ast.Name("_off", ast.Load()), [node.value], [])
        return node

    def visit_FunctionDef(self, node):
        return node  # a function inside the solution's function: its returns are its own

    visit_Lambda = visit_AsyncFunctionDef = visit_FunctionDef


OFF = ast.parse("def _off(v):\n"
                "    if isinstance(v, (tuple, list)):\n"
                "        return type(v)(_off(part) for part in v)\n"
                "    return np.asarray(v, dtype=float) + 1.0\n").body[0]


def off_by_one(code, function):
    """The solution's code with its function broken: each result it returns is off by one
    (a helper inside the function, so the nbgrader answer, its body, carries the slip too)."""
    tree = ast.parse(code)
    target = next(node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == function)
    target.body = [copy.deepcopy(OFF), *[_OffByOne().visit(statement) for statement in target.body]]
    return ast.unparse(ast.fix_missing_locations(tree))


@pytest.mark.parametrize("path, exercise", EXERCISES, ids=IDS)
def test_a_wrong_solution_fails_its_checker(path, exercise):
    label, function = exercise["label"], exercise["function"]
    broken = off_by_one(editions.solution_code(notebook(path), label), function)
    nb = with_solution(notebook(path), label, broken)
    assert editions.solution_code(nb, label) == broken
    with pytest.raises(AssertionError, match=rf"{label}: the solution does not pass {exercise['checker']}: Not yet"):
        checker_line(nb, exercise, broken, "the solution")
    answer = assignment_answer(nb, label)
    assert "_off(" in answer
    with pytest.raises(AssertionError, match=rf"{label}: the nbgrader answer does not pass"):
        checker_line(nb, exercise, answer, "the nbgrader answer")


LOSS = {"label": "ex-loss-code", "function": "my_squared_error", "checker": "check_squared_error"}


@pytest.mark.parametrize("code, message", [
    # the mean over the classes: its own checker rejects it, with its hint
    ("def my_squared_error(y, y_hat):\n    return float(np.mean((y - y_hat) ** 2))",
     r"the solution does not pass check_squared_error: Not yet \(check_squared_error\): that is the mean"),
    ("def my_squared_error(y, y_hat):\n    return float(np.sum((y - y_hat) ** 2)", r"the solution raised SyntaxError"),
    ("def squared_error(y, y_hat):\n    return float(np.sum((y - y_hat) ** 2))", r"the solution defines no my_squared_error"),
    ("def my_squared_error(y, y_hat):\n    raise NotImplementedError", r"Not attempted yet"),
], ids=["mean", "syntax error", "another name", "the stub"])
def test_a_wrong_solution_of_the_loss_chapter_is_named(code, message):
    nb = chapter("02_loss")
    assert any(ex["label"] == LOSS["label"] and ex["checker"] == LOSS["checker"] for ex in editions.coding_exercises(nb))
    nb = with_solution(nb, LOSS["label"], code)
    with pytest.raises(AssertionError, match=message):
        checker_line(nb, LOSS, editions.solution_code(nb, LOSS["label"]), "the solution")


# ---- chapter "A tiny autograd": solutions that print --------------------------------------------

@pytest.mark.parametrize("label, printed", [("ex-autograd-relu", "[0. 1.]"), ("ex-autograd-twice", "7.0")])
def test_chapter_solutions_run_as_given(label, printed, capsys):
    namespace = {"np": np, "Tensor": Tensor}
    exec(solution_code(label), namespace)
    assert capsys.readouterr().out.strip() == printed
    if label == "ex-autograd-relu":  # the student's relu agrees with the engine's
        a, b = Tensor([-2.0, 0.5, 3.0]), Tensor([-2.0, 0.5, 3.0])
        weights = np.array([1.0, 2.0, 3.0])
        (namespace["my_relu"](a) * weights).sum().backward()
        (b.relu() * weights).sum().backward()
        np.testing.assert_array_equal(a.grad, [0.0, 2.0, 3.0])
        np.testing.assert_array_equal(a.grad, b.grad)


# ---- chapters "Gradient flow through depth" and "What one layer cannot learn" -----------------

def test_dead_unit_prediction_solution_prints_what_it_says(capsys):
    """ex-gf-predict-dead: the first unit's largest z on the colour cube is below 0 (dead),
    the second's above 0, reached at pure green."""
    exec(solution_code("ex-gf-predict-dead", "13_gradient_flow"), {"np": np, "bl": bl})
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines == ["largest z on the cube: -0.05", "largest z on the cube: 0.10"]


def test_tanh_variance_solution_is_well_below_one(capsys):
    """ex-gf-tanh: E[tanh'(z)^2] for standard normal z is well below 1."""
    exec(solution_code("ex-gf-tanh", "13_gradient_flow"), {"np": np, "bl": bl})
    value = float(capsys.readouterr().out)
    assert 0.3 < value < 0.6


def xor_namespace():
    X_xor, Y_xor = bl.make_xor(400, seed=0)   # the chapter's XOR data (tests/book/test_digits.py)
    return {"np": np, "bl": bl, "X_xor": X_xor, "Y_xor": Y_xor}


def test_xor_by_hand_solution_gets_every_point_right(capsys):
    exec(solution_code("ex-ol-xor-by-hand", "14_one_layer_limits"), xor_namespace())
    assert capsys.readouterr().out.strip() == "1.0"


def test_xor_from_zeros_solution_stays_near_chance_with_equal_rows(capsys):
    """ex-ol-zeros: eight sigmoid units started at zeros stay copies of one unit (eight equal
    rows of W1), and one unit cannot do XOR: the accuracy stays near chance."""
    namespace = xor_namespace()
    exec(solution_code("ex-ol-zeros", "14_one_layer_limits"), namespace)
    accuracy = float(capsys.readouterr().out.split()[0])
    assert accuracy < 0.6
    W1 = namespace["stuck"].params[0][0]
    assert W1.shape == (8, 2) and np.abs(W1 - W1[0]).max() < 1e-12 and np.abs(W1).max() > 0
