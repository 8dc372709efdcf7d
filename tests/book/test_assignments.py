"""`make assignments` and `make grade`: each chapter's coding exercises as an nbgrader
assignment, and folders of made-up submissions graded into a CSV (one row per student, one
column per exercise, a note that says why each point was lost) and a feedback file per student:
right, wrong, blank, crashing, never-ending, delegating to the library, a folder with two
notebooks, and one that kills its kernel. A time limit per cell stops the never-ending exercise;
the rest of that submission is still graded. A second folder adds to the same CSV."""

import copy
import csv
import os
import pathlib
import re
import subprocess
import sys

import nbformat
import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = pathlib.Path(sys.executable).parent
sys.path.insert(0, str(ROOT))
from tools import editions  # noqa: E402
from tools import notebooks as nbtools  # noqa: E402

# one worker runs these tests (`make test` runs tests in parallel): the nbgrader course, built once for these tests
pytestmark = pytest.mark.xdist_group("assignments")

TIMEOUT = 10  # seconds per cell in the grading test: long enough for a chapter's cells, short for the test


def make(*args, timeout=900, warnings="ignore"):
    """`make ARGS` in the repository; warnings="default" shows Python's warnings as a user sees them."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"}
    return subprocess.run(["make", "--no-print-directory", *args, "READY=", f"BIN={BIN}"], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout,
                          env={**env, **({"PYTHONWARNINGS": warnings} if warnings == "ignore" else {})})


def graded_chapters():
    """{stem: [labels]} of the chapters a checker grades, from the chapters themselves."""
    found = {}
    for path in nbtools.notebooks():
        labels = [ex["label"] for ex in editions.coding_exercises(nbformat.read(path, as_version=4))]
        if labels:
            found[path.stem] = labels
    return found


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    result = make("assignments", f"COURSE={course}")
    assert result.returncode == 0, "make assignments failed:\n" + (result.stdout + result.stderr)[-4000:]
    return course


def answer_cells(nb):
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]


def test_every_chapter_with_a_checker_is_an_assignment(course):
    chapters = graded_chapters()
    assert chapters and sorted(p.name for p in (course / "release").iterdir()) == sorted(chapters)
    for stem, labels in chapters.items():
        source = nbformat.read(course / "source" / stem / f"{stem}.ipynb", as_version=4)
        release = nbformat.read(course / "release" / stem / f"{stem}.ipynb", as_version=4)
        graded = [c.metadata["nbgrader"]["grade_id"] for c in release.cells if c.metadata.get("nbgrader", {}).get("grade")]
        assert graded == labels, f"{stem}: graded cells {graded}, exercises {labels}"
        assert all("### BEGIN SOLUTION" in c.source for c in answer_cells(source)), f"{stem}: a solution is missing"
        text = "\n".join(c.source for c in release.cells)
        assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text and "{solution" not in text, \
            f"{stem}: the students' version holds a solution"
        assert len(answer_cells(release)) == len(labels)
        assert all("raise NotImplementedError" in c.source for c in answer_cells(release))
    assert (course / "gradebook.db").exists() and (course / "nbgrader_config.py").exists()


def submission(release, answers, checks=None):
    """The students' notebook with its answer cells replaced (None keeps the stub), and its
    visible check cells too when `checks` gives them."""
    nb = copy.deepcopy(release)
    for cell, answer in zip(answer_cells(nb), answers):
        if answer is not None:
            cell.source = answer
    for cell, check in zip(check_cells(nb), checks or []):
        cell.source = check
    return nb


def check_cells(nb):
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]


def right_answers(source):
    """The answer cells of the autograder's version: the chapter's solutions."""
    return ["\n".join(line for line in c.source.split("\n") if not re.match(r"\s*### (BEGIN|END) SOLUTION", line))
            for c in answer_cells(source)]


def function_name(answer):
    return re.search(r"^def (\w+)\(", answer, re.M).group(1)


def wrong(answer):
    """The right function under another name, and the asked-for one returning its negative."""
    fn = function_name(answer)
    return (re.sub(rf"^def {fn}\(", f"def _right_{fn}(", answer, flags=re.M)
            + f"\n\n\ndef {fn}(*args):\n    return -np.asarray(_right_{fn}(*args), dtype=float)\n")


def never_ending(answer):
    head = answer.split(f"def {function_name(answer)}(")[0]
    signature = re.search(r"^def .*?:\s*$", answer, re.M).group(0)
    return f"{head}{signature}\n    while True:  # never returns\n        pass\n"


def exercise_names(stem):
    """['Exercise 1.1', ...]: the exercises of the chapter `stem` as the site numbers them."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    numbers = editions.exercise_numbers(toc, lambda f: nbformat.read(ROOT / f"{f}.ipynb", as_version=4)
                                        if (ROOT / f"{f}.ipynb").exists() else None)
    return [f"Exercise {numbers[label]}" for label in graded_chapters()[stem]]


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))


@pytest.fixture(scope="module")
def graded(course, tmp_path_factory):
    """Grade made-up submissions of the first assignment with two or more exercises."""
    stem = next(s for s, labels in graded_chapters().items() if len(labels) >= 2)
    source = nbformat.read(course / "source" / stem / f"{stem}.ipynb", as_version=4)
    release = nbformat.read(course / "release" / stem / f"{stem}.ipynb", as_version=4)
    right = right_answers(source)
    n = len(right)
    fn = function_name(right[0])
    library = fn.removeprefix("my_")
    assert hasattr(__import__("backprop_lib"), library), f"bl.{library}: no library function for {fn}"
    students = {
        "right": right,
        "wrong": [wrong(a) for a in right],
        "blank": [None] * n,
        # the first answer cell stops before it defines the function; the others are right
        "crashing": [f"raise RuntimeError('a bug in the student cell')\n{right[0]}", *right[1:]],
        # the first function never returns; the others are right
        "never_ending": [never_ending(right[0]), *right[1:]],
        # the first function hands the work to the library's own; the others are right
        "delegating": [f"import backprop_lib as bl\n\n\ndef {fn}(*args):\n    return bl.{library}(*args)\n",
                       *right[1:]],
    }
    # the wrong student also edits the visible checks to run the right functions: nbgrader puts
    # the instructor's checks back, and the hidden tests award the points
    checks = {"wrong": [c.source.replace(f"({function_name(a)})", f"(_right_{function_name(a)})")
                        for c, a in zip(check_cells(release), right)]}
    folder = tmp_path_factory.mktemp("submissions")
    for name, answers in students.items():
        nb = submission(release, answers, checks.get(name))
        if name == "never_ending":  # a student's folder with one notebook in it works too
            (folder / name).mkdir()
            nbformat.write(nb, folder / name / "handed_in.ipynb")
        else:
            nbformat.write(nb, folder / f"{name}.ipynb")
    # a student's folder with two notebooks is skipped, and the others are graded
    (folder / "two_notebooks").mkdir()
    for attempt in ("first", "second"):
        nbformat.write(submission(release, right), folder / "two_notebooks" / f"{attempt}.ipynb")
    result = make("grade", f"COURSE={course}", f"ASSIGNMENT={stem}", f"SUBMISSIONS={folder}",
                  f"TIMEOUT={TIMEOUT}", timeout=900, warnings="default")
    assert result.returncode == 0, "make grade failed:\n" + (result.stdout + result.stderr)[-4000:]
    csv_path = course / "grades" / f"{stem}.csv"
    assert csv_path.exists(), result.stdout[-2000:]
    return stem, read_csv(csv_path), course, result


def test_the_csv_has_one_row_per_student_and_one_column_per_exercise(graded):
    stem, rows, course, _ = graded
    labels = graded_chapters()[stem]
    names = exercise_names(stem)
    assert rows[0] == ["student", *(f"{name} ({label})" for name, label in zip(names, labels)), "total", "note"]
    assert [r[0] for r in rows[1:]] == ["blank", "crashing", "delegating", "never_ending", "right",
                                        "two_notebooks", "wrong"]


def test_scores_follow_the_checkers_verdicts(graded):
    stem, rows, course, _ = graded
    n = len(graded_chapters()[stem])
    scores = {r[0]: [int(v) for v in r[1:1 + n]] for r in rows[1:]}
    totals = {r[0]: int(r[1 + n]) for r in rows[1:]}
    assert scores["right"] == [1] * n
    assert scores["wrong"] == [0] * n, "editing the visible checks must not earn a point"
    assert scores["blank"] == [0] * n
    assert scores["crashing"] == [0] + [1] * (n - 1), "a crashing exercise must not cost the others"
    assert scores["never_ending"] == [0] + [1] * (n - 1), "a never-ending exercise must not cost the others"
    assert scores["delegating"] == [0] + [1] * (n - 1), "handing the work to the library earns nothing"
    assert scores["two_notebooks"] == [0] * n
    assert totals == {student: sum(s) for student, s in scores.items()}


def test_the_note_says_why_each_point_was_lost(graded):
    """The note holds, for each exercise that scored 0, the checker's line, the time-out or
    the error that stopped its cell: what the graded notebook shows."""
    stem, rows, course, _ = graded
    names = exercise_names(stem)
    notes = {r[0]: r[-1] for r in rows[1:]}
    assert notes["right"] == ""
    assert re.fullmatch("; ".join(rf"{name}: Not yet \(check_\w+\): .+" for name in names), notes["wrong"]), \
        notes["wrong"]
    assert notes["blank"] == "; ".join(f"{name}: Not attempted yet: fill in the function above (it must return "
                                       "its result), then run this cell again." for name in names)
    assert notes["crashing"] == f"{names[0]}: RuntimeError: a bug in the student cell"
    assert notes["never_ending"] == f"{names[0]}: timed out after {TIMEOUT} s"
    first = editions.coding_exercises(nbformat.read(ROOT / "chapters" / f"{stem}.ipynb", as_version=4))[0]
    library = first["function"].removeprefix("my_")
    assert notes["delegating"] == (f"{names[0]}: Not yet ({first['checker']}): your function hands the work to "
                                   f"the library's own bl.{library}; this exercise asks you to write it yourself.")


def test_each_student_gets_a_feedback_file(graded):
    stem, rows, course, _ = graded
    labels, names = graded_chapters()[stem], exercise_names(stem)
    n = len(labels)
    folder = course / "grades" / stem
    assert sorted(p.name for p in folder.glob("*.txt")) == sorted(f"{r[0]}.txt" for r in rows[1:])
    right = (folder / "right.txt").read_text().splitlines()
    assert right[0] == f"{stem}, right: {n} of {n}"
    assert [line.split(". Right (")[0] for line in right[1:]] == [
        f"{name} ({label}): 1 of 1" for name, label in zip(names, labels)]
    never_ending = (folder / "never_ending.txt").read_text()
    assert f"{names[0]} ({labels[0]}): 0 of 1. timed out after {TIMEOUT} s\n" in never_ending
    assert (folder / "two_notebooks.txt").read_text().splitlines()[1].startswith(
        "not graded: the folder two_notebooks/ holds 2 notebooks (first.ipynb, second.ipynb)")


def test_each_checker_runs_once_in_a_graded_notebook(graded):
    """The hidden test grades by the verdict of the check the student sees: the checker's one
    line is printed once, so the student's function ran once (and paid the time limit once)."""
    stem, rows, course, _ = graded
    for student in ("right", "wrong"):
        nb = nbformat.read(course / "autograded" / student / stem / f"{stem}.ipynb", as_version=4)
        for cell in check_cells(nb):
            printed = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
            lines = re.findall(r"^(?:Right|Not yet) \(check_\w+\): .*$", printed, re.M)
            assert len(lines) == 1, (student, cell.metadata.nbgrader.grade_id, printed)


def test_the_never_ending_exercise_was_stopped_by_the_time_limit(graded):
    stem, rows, course, _ = graded
    nb = nbformat.read(course / "autograded" / "never_ending" / stem / f"{stem}.ipynb", as_version=4)
    errors = [o.ename for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert "CellTimeoutError" in errors or "KeyboardInterrupt" in errors, errors


def test_grading_says_what_it_skipped_and_no_database_warning(graded):
    stem, rows, course, result = graded
    printed = result.stdout + result.stderr
    assert re.search(r"^two_notebooks: 0 of \d+; not graded: the folder two_notebooks/ holds 2 notebooks",
                     printed, re.M), printed[-3000:]
    assert "SAWarning" not in printed and "not in session" not in printed, printed[-3000:]


@pytest.fixture(scope="module")
def graded_again(graded, tmp_path_factory):
    """A second folder for the same assignment: a student whose code kills the kernel, and the
    wrong student handing in right answers."""
    stem, first_rows, course, _ = graded
    source = nbformat.read(course / "source" / stem / f"{stem}.ipynb", as_version=4)
    release = nbformat.read(course / "release" / stem / f"{stem}.ipynb", as_version=4)
    right = right_answers(source)
    killing = f"import os\n\n\ndef {function_name(right[0])}(*args):\n    os._exit(1)\n"
    folder = tmp_path_factory.mktemp("more_submissions")
    nbformat.write(submission(release, [killing, *right[1:]]), folder / "kernel_killer.ipynb")
    nbformat.write(submission(release, right), folder / "wrong.ipynb")
    result = make("grade", f"COURSE={course}", f"ASSIGNMENT={stem}", f"SUBMISSIONS={folder}",
                  f"TIMEOUT={TIMEOUT}", timeout=900)
    assert result.returncode == 0, "make grade failed:\n" + (result.stdout + result.stderr)[-4000:]
    return stem, first_rows, read_csv(course / "grades" / f"{stem}.csv"), course, result


def test_a_second_folder_adds_to_the_csv_and_replaces_a_student_graded_again(graded_again):
    stem, first, rows, course, _ = graded_again
    n = len(graded_chapters()[stem])
    assert rows[0] == first[0]
    assert [r[0] for r in rows[1:]] == sorted([r[0] for r in first[1:]] + ["kernel_killer"])
    before, after = {r[0]: r for r in first[1:]}, {r[0]: r for r in rows[1:]}
    assert after["wrong"][1:] == ["1"] * n + [str(n), ""], "the student graded again has a new row"
    assert all(after[s] == row for s, row in before.items() if s != "wrong"), "the others' rows are kept"
    assert (course / "autograded" / "right" / stem / f"{stem}.ipynb").exists()


def test_a_notebook_that_kills_its_kernel_has_its_log_and_the_cell_named(graded_again):
    stem, first, rows, course, result = graded_again
    names = exercise_names(stem)
    row = next(r for r in rows if r[0] == "kernel_killer")
    note = row[-1]
    assert re.fullmatch(rf"not graded: the kernel died in cell \d+, the (check|answer) of {names[0]}; "
                        rf"nbgrader's log: {stem}/kernel_killer.log beside this CSV", note), note
    log = (course / "grades" / stem / "kernel_killer.log").read_text()
    assert log.startswith("[INFO] ") and "DeadKernelError" in log, log[:3000]
    assert "kernel_killer: 0 of" in result.stdout


def test_make_grade_says_how_to_call_it():
    result = make("grade")
    assert result.returncode != 0 and "make grade ASSIGNMENT=" in result.stdout + result.stderr
    result = make("grade", "ASSIGNMENT=no_such_chapter", f"SUBMISSIONS={ROOT}", f"COURSE={ROOT / '_build' / 'nowhere'}")
    assert result.returncode != 0 and "make assignments" in result.stdout + result.stderr


def test_an_unknown_assignment_is_named_with_the_valid_ones(course):
    """A typo in the name, with the course built: no advice to build it again."""
    result = make("grade", "ASSIGNMENT=2_loss", f"SUBMISSIONS={ROOT}", f"COURSE={course}")
    printed = result.stdout + result.stderr
    assert result.returncode != 0 and "no assignment '2_loss'" in printed, printed
    assert ", ".join(sorted(graded_chapters())) in printed and "make assignments" not in printed, printed
