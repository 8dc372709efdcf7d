"""The committed notebooks: executed top to bottom, outputs stored, nothing machine-specific.

nbval compares stored outputs with fresh ones; it can only do that for cells that were
executed and whose outputs were committed. These tests make sure nbval cannot pass by
checking nothing.
"""

import ast
import re

import nbformat
import pytest

import backprop_lib as bl

from helpers import CHAPTERS, NOTEBOOKS, ROOT, toc_files

LEAKS = re.compile(r"np\.float64\(|at 0x[0-9a-f]{6,}|/tmp/|/root/|/home/|/work/|Traceback \(most recent")
SHOWS = re.compile(r"\b(print|display|glue|plt\.show|check_\w+)\s*\(")


def ids(paths):
    return [str(p.relative_to(ROOT)) for p in paths]


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]


def ends_with_expression(source):
    """True when IPython would display the cell's last line (an expression without ';')."""
    try:
        tree = ast.parse(re.sub(r"^\s*[%!].*$", "", source, flags=re.M))
    except SyntaxError:
        return False
    return bool(tree.body) and isinstance(tree.body[-1], ast.Expr) and not source.rstrip().endswith(";")


def test_there_are_chapters_and_every_notebook_is_in_the_toc():
    listed = set(toc_files())
    assert len(CHAPTERS) >= 5
    for p in NOTEBOOKS:
        assert str(p.relative_to(ROOT).with_suffix("")) in listed, f"{p.name} is not in _toc.yml"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_every_code_cell_was_executed_in_order(path):
    nb = nbformat.read(path, as_version=4)
    counts = [c.execution_count for c in code_cells(nb)]
    assert counts, f"{path.name} has no code cell"
    assert None not in counts, f"{path.name}: {counts.count(None)} code cell(s) never executed"
    # one clean run from the top: 1, 2, 3, ...
    assert counts == list(range(1, len(counts) + 1)), f"{path.name}: execution counts {counts}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_cells_that_show_something_have_stored_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(code_cells(nb)):
        if "nbval-skip" in cell.metadata.get("tags", []):
            continue
        if SHOWS.search(cell.source) or ends_with_expression(cell.source):
            assert cell.outputs, f"{path.name}, code cell {i}: it prints or displays, but no output is stored"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_outputs_are_clean(path):
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(code_cells(nb)):
        for out in cell.outputs:
            assert out.output_type != "error", f"{path.name}, code cell {i}: stored an error"
            assert not (out.output_type == "stream" and out.name == "stderr"), \
                f"{path.name}, code cell {i}: stderr in the stored output: {out.text[:200]!r}"
            text = out.get("text", "") + "".join(
                v for k, v in out.get("data", {}).items() if k.startswith(("text/", "application/papermill")))
            m = LEAKS.search(text)
            assert not m, f"{path.name}, code cell {i}: output holds {m.group(0)!r} (run- or machine-specific)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_every_notebook_imports_backprop_lib_and_has_one_title(path):
    nb = nbformat.read(path, as_version=4)
    assert any("import backprop_lib" in c.source for c in code_cells(nb)), f"{path.name} does not import backprop_lib"
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    body = re.sub(r"```.*?```", "", markdown, flags=re.S)
    titles = re.findall(r"^# \S.*$", body, flags=re.M)
    assert len(titles) == 1, f"{path.name}: one '# ' title expected, found {titles}"


@pytest.mark.parametrize("path", CHAPTERS, ids=ids(CHAPTERS))
def test_chapter_has_summary_and_exercises(path):
    nb = nbformat.read(path, as_version=4)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert re.search(r"^## Summary", markdown, flags=re.M), f"{path.name} has no '## Summary'"
    assert re.search(r"^## Exercises", markdown, flags=re.M), f"{path.name} has no '## Exercises'"
    exercises = re.findall(r"^[`:]{3,}\{exercise\}", markdown, flags=re.M)
    solutions = re.findall(r"^[`:]{3,}\{solution(?:-start)?\}", markdown, flags=re.M)
    assert len(exercises) >= 2, f"{path.name}: {len(exercises)} exercise(s), at least 2 expected"
    assert len(solutions) >= len(exercises), f"{path.name}: an exercise without a solution"
    # a checker of backprop_lib.exercises, called on the student's function (the set-up
    # cell's subprocess.check_call is not one)
    checkers = set(bl.exercises.__all__)
    called = {name for c in code_cells(nb) for name in re.findall(r"\b(check_\w+)\(", c.source)}
    assert called & checkers, f"{path.name}: no coding exercise with a checker of backprop_lib.exercises"
