"""`make book-student`: the same site with every solution left out, for instructors who
hand out the exercises. Built once, strictly, into a temporary folder, from the outputs
committed in the notebooks (nbval checks those; test_book's build re-runs every chapter)."""

import os
import pathlib
import re
import subprocess
import sys

import nbformat
import pytest
import yaml

from site_browser import MOBILE, PAGES, Visit, axe_violations, html_path, serve, sideways_overflow

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


def student_config(*options):
    out = subprocess.run([sys.executable, "tools/student_config.py", *options], cwd=ROOT,
                         check=True, capture_output=True, text=True).stdout
    return yaml.safe_load(out)


def test_student_config_hides_solutions_and_what_would_give_them_away():
    full = yaml.safe_load((ROOT / "_config.yml").read_text())
    for options in ((), ("--stored-outputs",)):
        student = student_config(*options)
        config = student["sphinx"]["config"]
        assert config["hide_solutions"] is True and full["sphinx"]["config"]["hide_solutions"] is False
        assert config["html_copy_source"] is False
        assert config["html_theme_options"] == {"use_download_button": False}
        assert "launch_buttons" not in student
        # everything else is the book's own config
        assert student["repository"] == full["repository"] and student["parse"] == full["parse"]
        assert student["sphinx"]["extra_extensions"] == full["sphinx"]["extra_extensions"]
    assert student_config()["execute"] == full["execute"]
    assert student_config("--stored-outputs")["execute"]["execute_notebooks"] == "auto"


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


def test_student_site_links_to_no_notebook_source_and_no_launch_button(student_site):
    code, log, html = student_site
    assert not (html / "_sources").exists(), "the student site ships the notebooks' sources"
    for notebook in CHAPTERS:
        text = (html / notebook.relative_to(ROOT).with_suffix(".html")).read_text()
        assert ".ipynb" not in text, f"{notebook.name}: the student page links to a notebook"
        assert "mybinder.org" not in text and "colab.research.google.com" not in text, \
            f"{notebook.name}: a launch button opens the full notebook"


@pytest.fixture(scope="module")
def student_server(student_site):
    code, log, html = student_site
    if code != 0:
        pytest.fail("make book-student failed:\n" + log[-4000:])
    with serve(html) as base:
        yield base


@pytest.mark.parametrize("page", PAGES)
def test_student_page_is_accessible(page, browser, student_server):
    """axe-core's WCAG 2.0/2.1 A and AA rules on the student site too, on a desktop and a
    phone (where the page may not scroll sideways)."""
    problems = []
    for viewport in ({"width": 1280, "height": 900}, MOBILE):
        context = browser.new_context(viewport=viewport)
        try:
            visit = Visit(context, student_server)
            visit.open(html_path(page))
            where = f"{viewport['width']} px"
            problems += [f"{where}, axe: {v}" for v in axe_violations(visit.page)]
            if viewport is MOBILE:
                problems += [f"{where}: {p}" for p in sideways_overflow(visit.page)]
        finally:
            context.close()
    assert not problems, f"student site, {page}:\n  " + "\n  ".join(problems)
