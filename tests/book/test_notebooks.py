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


def read(path):
    """The notebook; a file that is not one fails with its name."""
    try:
        return nbformat.read(path, as_version=4)
    except Exception as err:
        pytest.fail(f"{path.relative_to(ROOT)} is not a readable notebook ({type(err).__name__}): fix its JSON, "
                    "e.g. `git diff` it, or `git checkout` it and redo the change in Jupyter")


def where(path, nb, cell):
    """A cell as Jupyter shows it: its place among the cells (1-based, the hidden set-up cell
    not counted), its In [n], and its first line."""
    setup = nb.cells[0] if nb.cells and nb.cells[0].source.startswith("# Set-up for Colab") else None
    shown = f", In [{cell.execution_count}]" if cell.get("execution_count") else ""
    if cell is setup:
        return f"{path.relative_to(ROOT)}, the hidden set-up cell above cell 1{shown}"
    cells = [c for c in nb.cells if c is not setup]
    number = next(i for i, c in enumerate(cells, 1) if c is cell)
    first = cell.source.strip().splitlines()[0][:60] if cell.source.strip() else ""
    return f"{path.relative_to(ROOT)}, cell {number}{shown} (starts `{first}`)"


def rerun(path):
    return f"Fix: make notebooks NB={path.relative_to(ROOT)}"


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
    nb = read(path)
    cells = code_cells(nb)
    assert cells, f"{path.name} has no code cell"
    never = [where(path, nb, c) for c in cells if c.execution_count is None]
    assert not never, "never executed: " + "; ".join(never) + ". " + rerun(path)
    # one clean run from the top: 1, 2, 3, ...
    counts = [c.execution_count for c in cells]
    assert counts == list(range(1, len(counts) + 1)), \
        f"{path.relative_to(ROOT)}: not one run from the top (execution counts {counts}). {rerun(path)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_cells_that_show_something_have_stored_outputs(path):
    nb = read(path)
    for cell in code_cells(nb):
        if "nbval-skip" in cell.metadata.get("tags", []):
            continue
        if SHOWS.search(cell.source) or ends_with_expression(cell.source):
            assert cell.outputs, f"{where(path, nb, cell)}: it prints or displays, but no output is stored. {rerun(path)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_outputs_are_clean(path):
    nb = read(path)
    for cell in code_cells(nb):
        for out in cell.outputs:
            assert out.output_type != "error", \
                f"{where(path, nb, cell)}: stored an error ({out.get('ename')}); fix the cell, then {rerun(path)}"
            assert not (out.output_type == "stream" and out.name == "stderr"), \
                (f"{where(path, nb, cell)}: stderr in the stored output: {out.text[:200]!r}; silence the "
                 f"warning in the code (it would show on the site), then {rerun(path)}")
            text = out.get("text", "") + "".join(
                v for k, v in out.get("data", {}).items() if k.startswith(("text/", "application/papermill")))
            m = LEAKS.search(text)
            assert not m, (f"{where(path, nb, cell)}: output holds {m.group(0)!r} (run- or machine-specific); "
                           f"print with explicit formats and no paths, then {rerun(path)}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_every_notebook_imports_backprop_lib_and_has_one_title(path):
    nb = read(path)
    assert any("import backprop_lib" in c.source for c in code_cells(nb)), f"{path.name} does not import backprop_lib"
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    body = re.sub(r"```.*?```", "", markdown, flags=re.S)
    titles = re.findall(r"^# \S.*$", body, flags=re.M)
    assert len(titles) == 1, f"{path.name}: one '# ' title expected, found {titles}"


@pytest.mark.parametrize("path", CHAPTERS, ids=ids(CHAPTERS))
def test_chapter_has_summary_and_exercises(path):
    nb = read(path)
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
