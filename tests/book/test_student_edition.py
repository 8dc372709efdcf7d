"""The student edition's parts, without a build: solutions removed from a chapter (and from
every chapter of the book), the exercises' cells for nbgrader, the per-chapter exercise
numbers, the student config and intro. tests/book/test_student_build.py builds the edition."""

import pathlib
import re
import sys

import nbformat
import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tools import assignments, editions, student  # noqa: E402
from tools import notebooks as nbtools  # noqa: E402

SETUP = nbtools.SETUP_MARK + ": install backprop_lib when it is missing (hidden on the site)."


def notebook(*cells):
    """A notebook from ("md" | "code", source[, tags]) tuples."""
    nb = nbformat.v4.new_notebook()
    for kind, source, *tags in cells:
        cell = nbformat.v4.new_markdown_cell(source) if kind == "md" else nbformat.v4.new_code_cell(source)
        if tags:
            cell.metadata["tags"] = tags[0]
        nb.cells.append(cell)
    return nb


EXERCISE = """## Exercises

```{exercise}
:label: ex-double

Write `my_double(v)`, which returns twice its argument, and check it.
```"""
SOLUTION = """````{solution} ex-double
:class: dropdown

Multiply, as {eq}`eq-double` says; the result is {glue:}`double_answer`:

```python
def my_double(v):
    return 2 * v    # the whole answer
```
````"""


def chapter():
    return notebook(
        ("code", SETUP, ["remove-cell", "nbval-skip"]),
        ("md", "# Doubling\n\nThe text shows {glue:}`shown`."),
        ("code", 'glue("shown", 1.0)\nglue("double_answer", 4.0)\nprint("text")', ["remove-input"]),
        ("code", 'answer = 4.0\nglue("only_for_the_solution", answer)', ["remove-cell"]),
        ("md", EXERCISE),
        ("code", "from backprop_lib.exercises import check_double\n\n"
                 "def my_double(v):\n    raise NotImplementedError  # your code here\n\ncheck_double(my_double)"),
        ("md", SOLUTION + "\n\n```{exercise}\n:label: ex-think\n\nWhy?\n```"),
        ("md", "```{solution-start} ex-think\n```\nBecause. {glue:}`only_for_the_solution`"),
        ("code", "print('part of the gated solution')"),
        ("md", "The end of it.\n```{solution-end}\n```\n\nAfter the solution."),
    )


def test_solutions_go_and_the_exercises_stay():
    nb, removed = editions.strip_solutions(chapter(), "test")
    text = "\n".join(c.source for c in nb.cells)
    assert "{solution" not in text and "the whole answer" not in text and "Because." not in text
    assert "part of the gated solution" not in text and "The end of it." not in text
    assert ":label: ex-double" in text and ":label: ex-think" in text and "After the solution." in text
    assert "check_double(my_double)" in text and "raise NotImplementedError" in text
    assert any("the whole answer" in block for block in removed)


def test_cells_that_only_feed_a_solution_go_and_mixed_cells_lose_only_the_solutions_glue():
    original = chapter()
    original.cells[2].outputs = [nbformat.v4.new_output("display_data", {"text/plain": "4.0"},
                                                        metadata={"scrapbook": {"name": "double_answer"}}),
                                 nbformat.v4.new_output("stream", text="text\n")]
    nb, _ = editions.strip_solutions(original, "test")
    sources = [c.source for c in nb.cells if c.cell_type == "code"]
    assert not any("only_for_the_solution" in s for s in sources)           # the whole cell went
    mixed = next(c for c in nb.cells if 'glue("shown"' in c.source)
    assert "double_answer" not in mixed.source and 'print("text")' in mixed.source
    assert [o.output_type for o in mixed.outputs] == ["stream"]


def glue_output(name):
    return nbformat.v4.new_output("display_data", {"text/plain": "1.0"}, metadata={"scrapbook": {"name": name}})


def test_a_solution_cell_that_glues_computed_names_goes_and_a_mixed_one_is_reported(capsys):
    loop = 'for k in range(2):\n    glue(f"only_for_the_solution_{k}", k)'
    original = chapter()
    original.cells[3].source = loop
    original.cells[3].outputs = [glue_output(f"only_for_the_solution_{k}") for k in range(2)]
    original.cells[7].source += " {glue:}`only_for_the_solution_0` {glue:}`only_for_the_solution_1`"
    nb, _ = editions.strip_solutions(original, "test")
    assert not any(loop in c.source for c in nb.cells)
    assert capsys.readouterr().err == ""
    # the loop in a cell that glues for the text too: the code stays, the tools report it
    original.cells[3].source = 'glue("shown", 1.0)\n' + loop
    original.cells[3].outputs.insert(0, glue_output("shown"))
    nb, _ = editions.strip_solutions(original, "test")
    mixed = next(c for c in nb.cells if loop in c.source)
    assert [o.metadata["scrapbook"]["name"] for o in mixed.outputs] == ["shown"]
    assert re.search(r"warning: test, cell 3 glues \['only_for_the_solution_0', 'only_for_the_solution_1'\]",
                     capsys.readouterr().err)


def test_a_solution_cell_whose_names_are_used_later_is_an_error_that_names_the_cell():
    nb = chapter()
    nb.cells.append(nbformat.v4.new_code_cell("print(answer)"))
    with pytest.raises(editions.EditionError, match=r"cell 3 computes numbers for a solution, and cell \d+ uses"):
        editions.strip_solutions(nb, "test")


def test_the_coding_exercise_becomes_an_answer_cell_and_a_graded_check():
    nb, removed = editions.strip_solutions(chapter(), "test")
    [ex] = editions.coding_exercises(nb)
    assert (ex["label"], ex["function"], ex["checker"]) == ("ex-double", "my_double", "check_double")
    source, labels = editions.to_assignment(nb, removed, "test")
    assert labels == ["ex-double"]
    graded = [c for c in source.cells if "nbgrader" in c.metadata]
    answer, check = graded
    assert answer.metadata["nbgrader"]["solution"] and not answer.metadata["nbgrader"]["grade"]
    assert answer.source == ("from backprop_lib.exercises import check_double\n\ndef my_double(v):\n"
                             "    ### BEGIN SOLUTION\n    return 2 * v    # the whole answer\n    ### END SOLUTION")
    meta = check.metadata["nbgrader"]
    assert meta["grade"] and meta["points"] == 1 and meta["grade_id"] == "ex-double" and meta["locked"]
    assert check.source.splitlines()[0] == "check_double(my_double)"
    # the hidden test grades by the verdict of the check shown: the checker runs once
    hidden = re.search(r"### BEGIN HIDDEN TESTS\n(.*)\n### END HIDDEN TESTS$", check.source, re.S).group(1)
    assert 'assert bool(latest_verdict("check_double"))' in hidden and "check_double(" not in hidden


def test_a_coding_exercise_without_a_python_solution_is_an_error():
    nb, removed = editions.strip_solutions(chapter(), "test")
    with pytest.raises(editions.EditionError, match="no ```python block that defines my_double"):
        editions.to_assignment(nb, [], "test")


def test_exercises_are_numbered_per_chapter():
    toc = {"defaults": {"numbered": True}, "parts": [
        {"chapters": [{"file": "a"}, {"file": "b"}]},
        {"numbered": False, "chapters": [{"file": "appendix"}]}]}
    two = notebook(("md", "```{exercise}\n:label: ex-b1\nx\n```\n\n:::{exercise}\n:label: ex-b2\ny\n:::"))
    one = notebook(("md", "```{exercise}\n:label: ex-a1\nx\n```"))
    numbers = editions.exercise_numbers(toc, {"a": one, "b": two, "appendix": one}.get)
    assert numbers == {"ex-a1": "1.1", "ex-b1": "2.1", "ex-b2": "2.2"}


@pytest.mark.parametrize("path", nbtools.notebooks(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_notebook_of_the_book_has_a_student_version(path):
    nb, removed = assignments.stripped(path)
    text = "\n".join(c.source for c in nb.cells)
    assert not re.search(r"\{solution(-start|-end)?\}", text), f"{path.name}: a solution is left"
    solutions = editions.glue_refs("\n".join(removed)) - editions.glue_refs(text)
    glued = set().union(*(editions.glued_names(c.source) for c in nb.cells if c.cell_type == "code"))
    assert not glued & solutions, f"{path.name}: still computes {glued & solutions} for a solution"
    full = nbformat.read(path, as_version=4)
    assert len(editions.coding_exercises(nb)) == len(editions.coding_exercises(full))
    if editions.coding_exercises(nb):
        source, labels = editions.to_assignment(nb, removed, path.name)
        assert labels


@pytest.mark.parametrize("path", nbtools.notebooks(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_cell_glues_for_a_solution_and_for_the_text(path, capsys):
    # the tools cannot take a glue call with a computed name (in a loop) out of a cell that
    # also glues for the text: on Colab the student's notebook would print the solution's values
    assignments.stripped(path)
    reported = capsys.readouterr().err
    assert not reported, f"{path.name}: the student edition's tools report\n{reported}"


def test_every_chapter_exercise_gets_a_number_with_its_chapter():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    numbers = editions.exercise_numbers(toc, lambda f: nbformat.read(ROOT / f"{f}.ipynb", as_version=4)
                                        if (ROOT / f"{f}.ipynb").exists() else None)
    chapters = [p for p in nbtools.notebooks() if p.parent.name == "chapters"]
    for path in chapters:
        labels = re.findall(r"^[`:]{3,}\{exercise\}\s*\n:label:\s*(\S+)",
                            "\n".join(c.source for c in nbformat.read(path, as_version=4).cells), re.M)
        assert labels and all(re.fullmatch(r"\d+\.\d+", numbers.get(label, "")) for label in labels), \
            f"{path.name}: exercises without a chapter number; is its part of _toc.yml numbered?"
        assert numbers[labels[0]].endswith(".1"), f"{path.name}: its first exercise is {numbers[labels[0]]}"


def config_with(student_url):
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config["student_repository"] = {"url": student_url, "branch": "spring"}
    return config


def test_student_config_without_a_student_repository_links_to_no_repository(monkeypatch):
    monkeypatch.setattr(nbtools, "config", lambda: config_with(""))
    full = yaml.safe_load((ROOT / "_config.yml").read_text())
    config = student.student_config()
    assert config["sphinx"]["config"]["hide_solutions"] is True
    assert "launch_buttons" not in config and config["repository"]["url"] == ""
    assert config["html"]["use_repository_button"] is False
    assert "student_repository" not in config
    # the download button and the sources stay: the notebooks there are the students'
    assert "html_copy_source" not in config["sphinx"]["config"]
    assert config["parse"] == full["parse"] and config["execute"] == full["execute"]
    assert student.student_config(stored_outputs=True)["execute"]["execute_notebooks"] == "auto"
    intro = student.student_intro()
    assert "open a solution" not in intro and "rocket" not in intro and "{repo}" not in intro


def test_student_config_with_a_student_repository_launches_from_it(monkeypatch):
    url = "https://github.com/some-course/backprop-exercises"
    monkeypatch.setattr(nbtools, "config", lambda: config_with(url))
    config = student.student_config()
    assert config["repository"] == {"url": url, "path_to_book": "", "branch": "spring"}
    assert config["launch_buttons"] == yaml.safe_load((ROOT / "_config.yml").read_text())["launch_buttons"]
    assert f"git+{url}@spring" in nbtools.setup_source(assignments.student_repository())
    intro = student.student_intro()
    assert "launch button" in intro and "{repo}`/`" in intro


def test_the_intro_has_a_section_for_each_edition():
    text = (ROOT / "intro.md").read_text()
    assert student.FULL_ONLY.search(text), "intro.md lost its <!-- edition: full --> markers"
    intro = student.student_intro()
    assert "How to use this book" in intro and "How to read this book" not in intro


def test_a_checker_in_its_own_cell_whose_verdict_is_kept_is_graded_too():
    nb = chapter()
    stub = next(i for i, c in enumerate(nb.cells) if "def my_double" in c.source)
    nb.cells[stub].source = "def my_double(v):\n    raise NotImplementedError  # your code here"
    nb.cells.insert(stub + 1, nbformat.v4.new_code_cell(
        "from backprop_lib.exercises import check_double\n\nverdict = check_double(my_double)\nverdict"))
    stripped, removed = editions.strip_solutions(nb, "test")
    source, labels = editions.to_assignment(stripped, removed, "test")
    answer, check = [c for c in source.cells if "nbgrader" in c.metadata]
    assert answer.source.startswith("def my_double(v):\n    ### BEGIN SOLUTION")
    assert check.source.startswith("from backprop_lib.exercises import check_double\n\nverdict = check_double(my_double)")
    assert 'assert bool(latest_verdict("check_double"))' in check.source
