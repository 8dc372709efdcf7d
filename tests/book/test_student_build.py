"""`make book-student`: the student edition, built once, strictly, into _build/test-student
(the `student_build` fixture of tests/conftest.py, which starts it when the tests are collected),
from the outputs committed in the notebooks (nbval checks those; test_book's build re-runs
every chapter). No page holds or links to a solution; every chapter's notebook can be
downloaded without its solutions and with its checkers; the students' intro; the book's
repository, which holds the solutions, named nowhere."""

import html
import json
import re
import sys

import nbformat
import pytest

from helpers import ROOT
from site_browser import MOBILE, PAGES, Visit, axe_violations, html_path, serve, sideways_overflow

sys.path.insert(0, str(ROOT))
from tools import editions  # noqa: E402
from tools import notebooks as nbtools  # noqa: E402

CHAPTERS = [p for p in nbtools.notebooks() if p.parent.name == "chapters"]
DIRECTIVE = r"^\s*(?:```+|:::+)\s*\{%s(?:-start)?\}"


def directives(notebook, name):
    """How many {name} directives the chapter's markdown holds."""
    nb = nbformat.read(notebook, as_version=4)
    return sum(len(re.findall(DIRECTIVE % name, c.source, re.M)) for c in nb.cells if c.cell_type == "markdown")


@pytest.fixture(scope="session")
def student_site(student_build):
    code, log, out = student_build
    assert code == 0, "make book-student failed:\n" + log[-4000:]
    return out / "_build" / "html"


def page(site, notebook):
    path = site / notebook.relative_to(ROOT).with_suffix(".html")
    assert path.exists(), f"no student page for {notebook.name}"
    return html.unescape(path.read_text())


def test_student_build_succeeds_strictly(student_site):
    assert (student_site / "index.html").exists()


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda p: p.stem)
def test_student_chapter_has_exercises_but_no_solutions(student_site, notebook):
    text = page(student_site, notebook)
    exercises = directives(notebook, "exercise")
    assert exercises >= 1, f"{notebook.name} has no exercise"
    assert directives(notebook, "solution") >= 1, f"{notebook.name} has no solution to hide"
    assert len(re.findall(r'<div class="exercise[ "]', text)) == exercises
    assert not re.search(r'class="solution[ "]', text), f"{notebook.name}: a solution is on the student site"
    assert "Solution to" not in text and "BEGIN SOLUTION" not in text
    assert "cell_output" in text, f"{notebook.name}: the student page shows no outputs"


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda p: p.stem)
def test_each_chapter_notebook_downloads_without_solutions_and_with_its_checkers(student_site, notebook):
    relative = notebook.relative_to(ROOT).as_posix()
    assert re.search(rf'href="(\.\./)*_sources/{re.escape(relative)}"', page(student_site, notebook)), \
        f"{notebook.name}: the student page has no download of its notebook"
    downloaded = student_site / "_sources" / relative
    nb = nbformat.read(downloaded, as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    assert not re.search(r"\{solution|BEGIN SOLUTION|BEGIN HIDDEN TESTS", text), f"{notebook.name}: holds a solution"
    full = nbformat.read(notebook, as_version=4)
    checks = [ex["checker"] for ex in editions.coding_exercises(full)]
    for check in checks:
        assert f"{check}(" in text, f"{notebook.name}: the student notebook lost {check}"
    graded = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert len(graded) == len(checks), f"{notebook.name}: {graded} graded cells for checkers {checks}"
    # the set-up cell installs from the student repository, or (none configured) the book's
    repo = nbtools.repository("student_repository")
    assert (repo["url"] or nbtools.repository_url()) in nb.cells[0].source


def test_the_student_site_names_no_repository_that_holds_solutions(student_build, student_site):
    code, log, out = student_build
    own = nbtools.repository_url().split("://", 1)[-1].lower()
    student = nbtools.repository("student_repository")["url"]
    for path in [*student_site.rglob("*"), *(out / "src").rglob("*")]:
        if path.is_file() and path.suffix in (".html", ".ipynb", ".md", ".txt", ".js", ".toml", ".yml"):
            text = html.unescape(path.read_text(errors="replace")).lower()
            if path.suffix == ".ipynb" and not student:
                # with no student repository, the set-up cell installs backprop_lib from the book's
                nb = nbformat.reads(path.read_text(), as_version=4)
                text = html.unescape("\n".join(c.source for c in nb.cells[1:])).lower()
            assert own not in text, f"{path.relative_to(out)} names the book's repository {own}"
            if not student:
                assert not re.search(r"mybinder\.org/v2|colab\.research\.google\.com/github", text), \
                    f"{path.relative_to(student_site)}: a launch button, but no student repository is configured"


def test_launch_buttons_open_the_student_repository_when_there_is_one(student_site):
    student = nbtools.repository("student_repository")
    text = page(student_site, CHAPTERS[0])
    if student["url"]:
        owner_name = student["url"].split("github.com/", 1)[-1]
        colab = (f"colab.research.google.com/github/{owner_name}/blob/{student['branch']}/"
                 f"{CHAPTERS[0].relative_to(ROOT).as_posix()}")
        assert colab in text, "the Colab button does not open the student repository's notebook"
    else:
        assert "btn-launch" not in text and "launch-buttons" not in text


def test_the_students_intro(student_site):
    text = page(student_site, ROOT / "intro.md")
    assert "How to use this book" in text and "download button" in text
    assert "open a solution" not in text and "solutions" in text  # "this edition has no solutions"
    # the launch buttons (a rocket) are there only with a student repository
    assert ("rocket" in text) == bool(nbtools.repository("student_repository")["url"])


def test_the_sources_to_push_hold_no_solution_tests_or_tools(student_build, student_site):
    code, log, out = student_build
    src = out / "src"
    for gone in ("tests", "tools", "student", "Makefile", ".github"):
        assert not (src / gone).exists(), f"the student sources hold {gone}"
    for needed in ("_config.yml", "_toc.yml", "pyproject.toml", "README.md", "backprop_lib", "binder"):
        assert (src / needed).exists(), f"the student sources lack {needed}: Binder or pip would fail"
    for path in src.rglob("*.ipynb"):
        text = json.dumps(json.loads(path.read_text()))
        assert "BEGIN SOLUTION" not in text and "{solution" not in text, f"{path.relative_to(src)} holds a solution"


@pytest.fixture(scope="module")
def student_server(student_site):
    with serve(student_site) as base:
        yield base


@pytest.mark.parametrize("page", PAGES)
def test_student_page_is_accessible(page, browser, student_server):
    """axe-core's WCAG 2.0/2.1 A and AA rules on the student site too, at a phone's width
    (where more equations scroll in their boxes; the book's own pages are checked on a
    desktop in test_site_browser, so every page is checked at both widths), and the page
    may not scroll sideways there."""
    context = browser.new_context(viewport=MOBILE)
    try:
        visit = Visit(context, student_server)
        visit.open(html_path(page))
        problems = [f"axe: {v}" for v in axe_violations(visit.page)]
        problems += sideways_overflow(visit.page)
        problems += [f"failed requests: {visit.failed}"] if visit.failed else []
    finally:
        context.close()
    assert not problems, f"student site, {page}, {MOBILE['width']} px:\n  " + "\n  ".join(problems)
