"""`make assignments` and `make grade`: each chapter's coding exercises as an nbgrader
assignment, and a folder of made-up submissions graded into a CSV (one row per student, one
column per exercise): right, wrong, blank, crashing and never-ending ones. A time limit per
cell stops the never-ending exercise; the rest of that submission is still graded."""

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


def make(*args, timeout=900):
    return subprocess.run(["make", "--no-print-directory", *args, "READY=", f"BIN={BIN}"], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"})


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


def submission(release, answers):
    """The students' notebook with its answer cells replaced (None keeps the stub)."""
    nb = copy.deepcopy(release)
    for cell, answer in zip(answer_cells(nb), answers):
        if answer is not None:
            cell.source = answer
    return nb


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


@pytest.fixture(scope="module")
def graded(course, tmp_path_factory):
    """Grade made-up submissions of the first assignment with two or more exercises."""
    stem = next(s for s, labels in graded_chapters().items() if len(labels) >= 2)
    source = nbformat.read(course / "source" / stem / f"{stem}.ipynb", as_version=4)
    release = nbformat.read(course / "release" / stem / f"{stem}.ipynb", as_version=4)
    right = right_answers(source)
    n = len(right)
    students = {
        "right": right,
        "wrong": [wrong(a) for a in right],
        "blank": [None] * n,
        # the first answer cell stops before it defines the function; the others are right
        "crashing": [f"raise RuntimeError('a bug in the student cell')\n{right[0]}", *right[1:]],
        # the first function never returns; the others are right
        "never_ending": [never_ending(right[0]), *right[1:]],
    }
    folder = tmp_path_factory.mktemp("submissions")
    for name, answers in students.items():
        if name == "never_ending":  # a student's folder with one notebook in it works too
            (folder / name).mkdir()
            nbformat.write(submission(release, answers), folder / name / "handed_in.ipynb")
        else:
            nbformat.write(submission(release, answers), folder / f"{name}.ipynb")
    out = folder / "grades.csv"
    result = make("grade", f"COURSE={course}", f"ASSIGNMENT={stem}", f"SUBMISSIONS={folder}",
                  f"TIMEOUT={TIMEOUT}", timeout=900)
    assert result.returncode == 0, "make grade failed:\n" + (result.stdout + result.stderr)[-4000:]
    csv_path = course / "grades" / f"{stem}.csv"
    assert csv_path.exists(), result.stdout[-2000:]
    with open(csv_path, newline="") as f:
        rows = list(csv.reader(f))
    return stem, rows, course


def test_the_csv_has_one_row_per_student_and_one_column_per_exercise(graded):
    stem, rows, course = graded
    labels = graded_chapters()[stem]
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    numbers = editions.exercise_numbers(toc, lambda f: nbformat.read(ROOT / f"{f}.ipynb", as_version=4)
                                        if (ROOT / f"{f}.ipynb").exists() else None)
    assert rows[0] == ["student", *(f"Exercise {numbers[label]} ({label})" for label in labels), "total", "note"]
    assert sorted(r[0] for r in rows[1:]) == ["blank", "crashing", "never_ending", "right", "wrong"]


def test_scores_follow_the_checkers_verdicts(graded):
    stem, rows, course = graded
    n = len(graded_chapters()[stem])
    scores = {r[0]: [int(v) for v in r[1:1 + n]] for r in rows[1:]}
    totals = {r[0]: int(r[1 + n]) for r in rows[1:]}
    notes = {r[0]: r[-1] for r in rows[1:]}
    assert scores["right"] == [1] * n
    assert scores["wrong"] == [0] * n
    assert scores["blank"] == [0] * n
    assert scores["crashing"] == [0] + [1] * (n - 1), "a crashing exercise must not cost the others"
    assert scores["never_ending"] == [0] + [1] * (n - 1), "a never-ending exercise must not cost the others"
    assert totals == {student: sum(s) for student, s in scores.items()}
    assert not any(notes.values()), notes


def test_the_never_ending_exercise_was_stopped_by_the_time_limit(graded):
    stem, rows, course = graded
    nb = nbformat.read(course / "autograded" / "never_ending" / stem / f"{stem}.ipynb", as_version=4)
    errors = [o.ename for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert "CellTimeoutError" in errors or "KeyboardInterrupt" in errors, errors


def test_make_grade_says_how_to_call_it():
    result = make("grade")
    assert result.returncode != 0 and "make grade ASSIGNMENT=" in result.stdout + result.stderr
    result = make("grade", "ASSIGNMENT=no_such_chapter", f"SUBMISSIONS={ROOT}", f"COURSE={ROOT / '_build' / 'nowhere'}")
    assert result.returncode != 0 and "make assignments" in result.stdout + result.stderr
