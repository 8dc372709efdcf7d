"""The code a reader sees is the code a student would write.

Bookkeeping (every `glue(...)` call, the asserts that guard a claim of the prose) lives in
cells the site removes: tagged `remove-input` (the output still shows) or `remove-cell`
(nothing shows). nbval still runs those cells. `hide-input` does not count: a toggled
cell is one click away, so it is still visible.
"""

import ast
import re

import nbformat
import pytest

from helpers import ROOT, toc_files

REMOVED = {"remove-input", "remove-cell"}
GLUE_CALL = re.compile(r"\bglue\s*\(")
# a MyST notebook's code cell: ```{code-cell} ..., optional :tags: [...], source, ```
MYST_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(?P<body>.*?)^```\s*$", re.M | re.S)
MYST_TAGS = re.compile(r"^:tags:\s*\[(?P<tags>[^\]]*)\]\s*$", re.M)


def toc_pages():
    """Every page of the book that holds code: .ipynb notebooks and MyST (.md) notebooks."""
    pages = []
    for name in toc_files():
        for suffix in (".ipynb", ".md"):
            path = ROOT / f"{name}{suffix}"
            if path.exists():
                pages.append(path)
    return pages


def code_cells(path):
    """(id, source, tags) of every code cell of the page: the cell id, or its number in a .md page."""
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        cells = [c for c in nb.cells if c.cell_type == "code"]
        return [(c.get("id", i), c.source, set(c.metadata.get("tags", []))) for i, c in enumerate(cells)]
    cells = []
    for i, m in enumerate(MYST_CELL.finditer(path.read_text())):
        body = m.group("body")
        tags = MYST_TAGS.search(body)
        names = {t.strip().strip("'\"") for t in tags.group("tags").split(",")} if tags else set()
        cells.append((i, MYST_TAGS.sub("", body), names))
    return cells


def bare_asserts(source):
    """The assert statements a cell runs itself: not those inside a function or a class."""
    try:
        tree = ast.parse(re.sub(r"^\s*[%!].*$", "", source, flags=re.M))
    except SyntaxError:
        return []
    found, todo = [], list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, ast.Assert):
            found.append(node.lineno)
        todo.extend(ast.iter_child_nodes(node))
    return found


def bookkeeping(source):
    """Why a cell is bookkeeping, or '' when it is not."""
    reasons = []
    if GLUE_CALL.search(source):
        reasons.append("calls glue(")
    if bare_asserts(source):
        reasons.append("asserts a claim of the prose")
    return " and ".join(reasons)


PAGES = toc_pages()


def test_the_toc_pages_are_found():
    names = {p.stem for p in PAGES}
    assert len(PAGES) >= 10 and "01_forward_pass" in names and "notes" in names


@pytest.mark.parametrize("path", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_no_visible_code_cell_holds_bookkeeping(path):
    shown = [f"code cell {i} {why} but is not tagged remove-input or remove-cell:\n{source[:300]}"
             for i, source, tags in code_cells(path)
             if not tags & REMOVED and (why := bookkeeping(source))]
    assert not shown, f"{path.relative_to(ROOT)}:\n" + "\n\n".join(shown)


@pytest.mark.parametrize("source, expected", [
    ('glue("a", 1)', "calls glue("),
    ("x = 1\nfor k in range(2):\n    glue(f'k{k}', k)", "calls glue("),
    ("assert 1 + 1 == 2", "asserts a claim of the prose"),
    ("if True:\n    assert x", "asserts a claim of the prose"),
    ("def f(a):\n    assert a > 0\n    return a", ""),
    ("from backprop_lib import glue", ""),
    ("print('glue')", ""),
    ("check_linear(my_linear)", ""),
])
def test_bookkeeping_is_recognised(source, expected):
    assert bookkeeping(source) == expected


def test_a_visible_glue_cell_fails(tmp_path):
    """The check itself can fail: a notebook with a visible glue cell is caught."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('glue("x", 1)'),
                nbformat.v4.new_code_cell('glue("y", 2)', metadata={"tags": ["hide-input"]}),
                nbformat.v4.new_code_cell('glue("z", 3)', metadata={"tags": ["remove-cell"]})]
    path = tmp_path / "page.ipynb"
    nbformat.write(nb, path)
    flagged = [i for i, source, tags in code_cells(path) if not tags & REMOVED and bookkeeping(source)]
    assert len(flagged) == 2 and flagged == [c.id for c in nb.cells[:2]]


def test_myst_pages_are_read(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# t\n\n```{code-cell} ipython3\n:tags: [remove-cell]\n\nglue('a', 1)\n```\n\n"
                    "```{code-cell} ipython3\nglue('b', 2)\n```\n")
    cells = code_cells(page)
    assert [tags for _, _, tags in cells] == [{"remove-cell"}, set()]
    assert [bool(bookkeeping(s)) for _, s, _ in cells] == [True, True]
