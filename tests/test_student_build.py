"""`make book-student`: the same site with every solution left out, for instructors who
hand out the exercises. Built once, strictly, into a temporary folder, from the outputs
committed in the notebooks (nbval checks those; test_book's build re-runs every chapter)."""

import difflib
import os
import pathlib
import re
import subprocess
import sys

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
BIN = pathlib.Path(sys.executable).parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
DIRECTIVE = r"^\s*(?:```+|:::+)\s*\{%s(?:-start)?\}"


def directives(notebook, name):
    """How many {name} directives the chapter's markdown holds."""
    nb = nbformat.read(notebook, as_version=4)
    return sum(len(re.findall(DIRECTIVE % name, c.source, re.M)) for c in nb.cells if c.cell_type == "markdown")


@pytest.fixture(scope="module")
def student_site(tmp_path_factory):
    """Run the Makefile's own recipe, into a temporary folder and with this interpreter's
    tools (READY= leaves the .venv bootstrap out: the tools are already there)."""
    out = tmp_path_factory.mktemp("student")
    result = subprocess.run(["make", "--no-print-directory", "book-student", "READY=", f"BIN={BIN}",
                             f"STUDENT={out}", "STUDENT_OPTIONS=--stored-outputs"],
                            cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"}, timeout=1200)
    return result.returncode, result.stdout + result.stderr, out / "_build" / "html"


def changed_lines(*options):
    student = subprocess.run([sys.executable, "tools/student_config.py", *options], cwd=ROOT,
                             check=True, capture_output=True, text=True).stdout.splitlines()
    full = (ROOT / "_config.yml").read_text().splitlines()
    return [line[0] + " " + line[1:].strip() for line in difflib.unified_diff(full, student, lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_student_config_differs_only_in_hide_solutions():
    assert changed_lines() == ["- hide_solutions: false", "+ hide_solutions: true"]
    assert sorted(changed_lines("--stored-outputs")) == sorted([
        "- hide_solutions: false", "+ hide_solutions: true",
        "- execute_notebooks: force", "+ execute_notebooks: auto"])


def test_student_build_succeeds_strictly(student_site):
    code, log, html = student_site
    assert code == 0, "make book-student failed:\n" + log[-4000:]
    assert (html / "index.html").exists()


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda p: p.stem)
def test_student_chapter_has_exercises_but_no_solutions(student_site, notebook):
    code, log, html = student_site
    page = html / notebook.relative_to(ROOT).with_suffix(".html")
    assert page.exists(), f"no student page for {notebook.name}:\n" + log[-2000:]
    text = page.read_text()
    exercises = directives(notebook, "exercise")
    assert exercises >= 1, f"{notebook.name} has no exercise"
    assert directives(notebook, "solution") >= 1, f"{notebook.name} has no solution to hide"
    assert len(re.findall(r'<div class="exercise[ "]', text)) == exercises
    assert not re.search(r'class="solution[ "]', text), f"{notebook.name}: a solution is on the student site"
    assert "Solution to" not in text
    assert "cell_output" in text, f"{notebook.name}: the student page shows no outputs"
