"""What the student edition and the assignments do to a chapter: shared by
tools/student.py and tools/assignments.py.

- `strip_solutions(nb)`: the chapter without its solutions. Every `{solution}` directive
  (and every `{solution-start}` ... `{solution-end}` stretch, code cells included) goes, and
  so does every code cell that only computes numbers for a solution (a hidden cell whose `glue`
  names, those of its stored outputs included, appear in solutions alone). A cell that feeds a solution and something else is an
  error that names the cell: split it.
- `coding_exercises(nb)`: each exercise whose code a checker grades: its label, the stub
  that raises NotImplementedError, and the `check_NAME(fn)` call.
- `to_assignment(nb, removed)`: the stripped chapter as an nbgrader source notebook: for
  each coding exercise an answer cell (the stub, with the chapter's solution between
  `### BEGIN SOLUTION` and `### END SOLUTION`) and a test cell (the checker call the
  student sees, and a hidden `assert bool(latest_verdict("check_NAME"))` that grades it by
  that check's verdict).
- `solution_code(nb, label)`: the python code of the solution to exercise `label`, as the
  reader sees it (tests/book/test_chapter_solutions.py runs it through its checker).
- `exercise_numbers()`: "2.4" for each exercise label, numbered per chapter as the site
  numbers them (the chapters of _toc.yml's numbered parts, in order).
"""

import ast
import copy
import re
import sys
import textwrap

import nbformat

OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|:{3,})\{(?P<name>[\w:-]+)\}(?P<arg>.*)$")
GLUE_REF = re.compile(r"\{glue(?::\w*)?\}(?:`(?P<role>[^`:]+)[^`]*`|[ \t]+(?P<directive>\S+))")
LABEL = re.compile(r"^\s*:label:\s*(\S+)", re.M)
EXERCISE = re.compile(r"^[ \t]*(`{3,}|:{3,})\{exercise(?:-start)?\}", re.M)
# a fenced block of Python code in Markdown: ```python ... ```
PYTHON_BLOCK = re.compile(r"^[ \t]*```+\s*(?:python|ipython3?|py)\s*\n(.*?)^[ \t]*```+[ \t]*$", re.M | re.S)


class EditionError(ValueError):
    """A chapter the tools cannot turn into its student edition; the message says how to fix it."""


def cell_name(nb, index):
    """A cell as Jupyter shows it: 1-based, the hidden set-up cell not counted."""
    first = nb.cells[0] if nb.cells else None
    setup = first is not None and first.cell_type == "code" and first.source.startswith("# Set-up for Colab")
    return f"cell {index + (0 if setup else 1)}"


def _closing_line(lines, i, opened):
    """The index of the fence that closes the directive `opened` (OPEN's match of lines[i]):
    the same character, at least as many; len(lines) when the text never closes it."""
    char, n = opened.group("fence")[0], len(opened.group("fence"))
    close = re.compile(rf"^[ \t]*{re.escape(char)}{{{n},}}[ \t]*$")
    j = i + 1
    while j < len(lines) and not close.match(lines[j]):
        j += 1
    return j


def _remove_blocks(text, names):
    """(text without the directive blocks named in `names`, the removed blocks)."""
    lines, kept, removed, i = text.split("\n"), [], [], 0
    while i < len(lines):
        m = OPEN.match(lines[i])
        if m and m.group("name") in names:
            j = _closing_line(lines, i, m)
            removed.append("\n".join(lines[i:j + 1]))
            i = j + 1
            continue
        kept.append(lines[i])
        i += 1
    return "\n".join(kept), removed


def _split_gated(text, inside):
    """Cut `{solution-start}` ... `{solution-end}` stretches out of one cell's text.

    `inside` says whether the cell starts within such a stretch; returns
    (kept text, removed text, inside at the end of the cell)."""
    lines, kept, removed, i = text.split("\n"), [], [], 0
    while i < len(lines):
        m = OPEN.match(lines[i])
        name = m.group("name") if m else None
        if name in ("solution-start", "solution-end"):
            j = _closing_line(lines, i, m)
            removed.append("\n".join(lines[i:j + 1]))
            inside = name == "solution-start"
            i = j + 1
            continue
        (removed if inside else kept).append(lines[i])
        i += 1
    return "\n".join(kept), "\n".join(removed), inside


def glue_refs(text):
    return {m.group("role") or m.group("directive") for m in GLUE_REF.finditer(text)}


def _parse(source):
    """The cell's code as a Python AST (IPython magics and shell lines left out)."""
    try:
        return ast.parse(re.sub(r"^\s*[%!].*$", "", source, flags=re.M))
    except SyntaxError:
        return None


def glued_names(source):
    tree = _parse(source)
    names = set()
    for node in ast.walk(tree) if tree else ():
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if called == "glue" and isinstance(node.args[0].value, str):
                names.add(node.args[0].value)
    return names


def _glue_name(output):
    """The name a stored output was glued under (myst-nb keeps it in the output's metadata), or None."""
    return (output.get("metadata", {}).get("scrapbook", {}) or {}).get("name")


def _stored_names(cell):
    """The names of the values a code cell's stored outputs glue."""
    return {_glue_name(o) for o in cell.get("outputs", [])} - {None}


def _bound_and_used(source):
    """(names the cell binds, names it reads)."""
    tree = _parse(source)
    bound, used = set(), set()
    for node in ast.walk(tree) if tree else ():
        if isinstance(node, ast.Name):
            (bound if isinstance(node.ctx, (ast.Store, ast.Del)) else used).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
    return bound, used


def strip_solutions(nb, name="the notebook"):
    """(a copy of `nb` without its solutions, the text of the removed solutions)."""
    nb = copy.deepcopy(nb)
    removed, cells, inside = [], [], False
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            text, gated, inside = _split_gated(cell.source, inside)
            text, blocks = _remove_blocks(text, {"solution"})
            removed += [gated, *blocks]
            cell.source = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
            if cell.source.strip():
                cells.append(cell)
        elif inside:
            removed.append(cell.source)
        else:
            cells.append(cell)
    if inside:
        raise EditionError(f"{name}: a {{solution-start}} without its {{solution-end}}")
    nb.cells = cells

    # code cells that compute numbers only the solutions show
    kept_text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    solution_only = glue_refs("\n".join(removed)) - glue_refs(kept_text)
    drop = set()
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        named = glued_names(cell.source)
        # and the names its stored outputs carry: those computed in a loop, f"name_{k}"
        glued = named | _stored_names(cell)
        if not glued & solution_only:
            continue
        bookkeeping = {"remove-cell", "remove-input"} & set(cell.metadata.get("tags", []))
        if bookkeeping and not glued - solution_only:
            drop.add(i)  # a cell that only computes a solution's numbers
        elif named & solution_only:
            _unglue(cell, named & solution_only, f"{name}, {cell_name(nb, i)}")
    for i in sorted(drop):
        bound, _ = _bound_and_used(nb.cells[i].source)
        for j in range(i + 1, len(nb.cells)):
            cell = nb.cells[j]
            if j in drop or cell.cell_type != "code":
                continue
            needed = bound & _bound_and_used(cell.source)[1]
            if needed:
                raise EditionError(
                    f"{name}, {cell_name(nb, i)} computes numbers for a solution, and "
                    f"{cell_name(nb, j)} uses its {sorted(needed)}: move what the later cell needs "
                    "into a cell of its own, so that the student edition can leave out the solution's.")
    nb.cells = [c for i, c in enumerate(nb.cells) if i not in drop]
    # and the values stored for a solution, whoever glued them (a name computed in a loop)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        stored = _stored_names(cell)
        if stored & solution_only:
            # the code stays: without myst-nb (Colab) backprop_lib's glue prints these values
            print(f"warning: {name}, {cell_name(nb, i)} glues {sorted(stored & solution_only)} for a solution "
                  "with a computed name; move those glue calls into a cell of their own, so that the student "
                  "edition can leave them out.", file=sys.stderr)
        cell.outputs = [o for o in cell.get("outputs", []) if _glue_name(o) not in solution_only]
    return nb, removed


def _unglue(cell, names, where):
    """Take the top-level `glue("NAME", ...)` statements of `names` out of a code cell, and their outputs."""
    tree = _parse(cell.source)
    lines = cell.source.split("\n")
    cut = []
    for node in tree.body if tree else ():
        if isinstance(node, ast.Expr) and glued_names(_segment(cell.source, node)) & names:
            cut.append((node.lineno, node.end_lineno))
    if {n for a, b in cut for n in glued_names("\n".join(lines[a - 1:b]))} != names:
        raise EditionError(f"{where}: glues {sorted(names)} for a solution inside other code; give those "
                           "glue calls their own lines, so that the student edition can leave them out.")
    for a, b in reversed(cut):
        del lines[a - 1:b]
    cell.source = "\n".join(lines).strip("\n")
    cell.outputs = [o for o in cell.get("outputs", []) if _glue_name(o) not in names]


def _stubs(source):
    """Functions the cell defines whose body only raises NotImplementedError: {name: FunctionDef}."""
    tree = _parse(source)
    found = {}
    for node in tree.body if tree else ():
        if isinstance(node, ast.FunctionDef) and len(node.body) == 1 and isinstance(node.body[0], ast.Raise):
            exc = node.body[0].exc
            exc = exc.func if isinstance(exc, ast.Call) else exc
            if isinstance(exc, ast.Name) and exc.id == "NotImplementedError":
                found[node.name] = node
    return found


def _checker_calls(source):
    """[(checker name, function name)] for each top-level `check_NAME(fn)` call of the cell."""
    tree = _parse(source)
    calls = []
    for node in tree.body if tree else ():
        # `check_x(fn)`, or its verdict kept: `verdict = check_x(fn)`
        value = node.value if isinstance(node, (ast.Expr, ast.Assign)) else None
        if (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
                and value.func.id.startswith("check_") and len(value.args) == 1
                and isinstance(value.args[0], ast.Name)):
            calls.append((value.func.id, value.args[0].id))
    return calls


def coding_exercises(nb, name="the notebook"):
    """[{label, function, checker, stub_cell, check_cell}] in the notebook's order."""
    found, label, stubs = [], None, {}
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            for m in EXERCISE.finditer(cell.source):
                lab = LABEL.search(cell.source, m.end())
                label = lab.group(1) if lab else None
            continue
        if cell.cell_type != "code":
            continue
        stubs.update({fn: i for fn in _stubs(cell.source)})
        for checker, fn in _checker_calls(cell.source):
            if fn not in stubs:
                continue  # a checker run on a function that is no exercise (a demonstration)
            if label is None:
                raise EditionError(f"{name}, {cell_name(nb, i)}: {checker}({fn}) follows no labelled exercise")
            found.append({"label": label, "function": fn, "checker": checker,
                          "stub_cell": stubs[fn], "check_cell": i})
    return found


def solution_body(removed, function, name="the notebook"):
    """The body of `function` as the chapter's solution writes it (in a ```python block)."""
    for block in removed:
        for code in PYTHON_BLOCK.findall(block):
            tree = _parse(textwrap.dedent(code))
            for node in tree.body if tree else ():
                if isinstance(node, ast.FunctionDef) and node.name == function:
                    lines = textwrap.dedent(code).split("\n")
                    body = lines[node.body[0].lineno - 1:node.end_lineno]
                    return textwrap.dedent("\n".join(body))
    raise EditionError(f"{name}: the solution of the exercise that asks for {function}() has no "
                       f"```python block that defines {function}(); the autograder's version needs one.")


def solution_code(nb, label):
    """The python code of the solution to exercise `label` as the reader sees it: the ```python
    blocks of its `{solution}` directive (or of its `{solution-start}` ... `{solution-end}`
    stretch), dedented and joined in order; "" when it has none, None when there is no solution."""
    lines = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown").split("\n")
    for i, line in enumerate(lines):
        m = OPEN.match(line)
        if not m or m.group("name") not in ("solution", "solution-start") or m.group("arg").split()[:1] != [label]:
            continue
        if m.group("name") == "solution":
            end = _closing_line(lines, i, m)
        else:
            end = next((j for j in range(i + 1, len(lines))
                        if (o := OPEN.match(lines[j])) and o.group("name") == "solution-end"), len(lines))
        text = "\n".join(lines[i + 1:end])
        return "\n\n".join(textwrap.dedent(code).strip("\n") for code in PYTHON_BLOCK.findall(text))
    return None


def _nbgrader(grade_id, *, solution, grade, points=None):
    meta = {"grade": grade, "grade_id": grade_id, "locked": not solution, "schema_version": 3,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return meta


def _segment(source, node):
    lines = source.split("\n")
    return "\n".join(lines[node.lineno - 1:node.end_lineno])


def to_assignment(nb, removed, name="the notebook"):
    """The stripped chapter as an nbgrader source notebook (see the module's docstring)."""
    nb = copy.deepcopy(nb)
    exercises = coding_exercises(nb, name)
    replace = {}
    for ex in exercises:
        label, fn, checker = ex["label"], ex["function"], ex["checker"]
        body = solution_body(removed, fn, name)
        stub_cell = nb.cells[ex["stub_cell"]]
        tree = _parse(stub_cell.source)
        before, answer, after = [], None, []
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name == fn:
                answer = node
            else:
                (before if answer is None else after).append(_segment(stub_cell.source, node))
        signature = _segment(stub_cell.source, answer).split("\n")[: answer.body[0].lineno - answer.lineno]
        indent = " " * answer.body[0].col_offset
        answer_source = "\n".join(
            before + ([""] if before else []) + signature
            + [f"{indent}### BEGIN SOLUTION", textwrap.indent(body, indent), f"{indent}### END SOLUTION"])
        answer_cell = nbformat.v4.new_code_cell(answer_source)
        answer_cell.id = f"{label}-answer"[-64:]  # stable ids: a rebuild writes the same files
        answer_cell.metadata = {**copy.deepcopy(stub_cell.metadata),
                                "nbgrader": _nbgrader(f"{label}-answer", solution=True, grade=False)}

        # what the student sees under the answer: the chapter's checking code as it is
        check_cell = nb.cells[ex["check_cell"]]
        if ex["check_cell"] == ex["stub_cell"]:
            if not _checker_calls("\n".join(after)):
                raise EditionError(f"{name}, {cell_name(nb, ex['stub_cell'])}: {checker}({fn}) must come "
                                   f"after {fn}() in its cell")
            shown = "\n".join(after)
        else:
            shown = check_cell.source.strip("\n")
        # the hidden test grades by the verdict of the check just shown, so the checker runs
        # once: a slow function does not pay the time limit twice, and its line prints once.
        # nbgrader puts this cell back as it is here before it grades, so the check shown is
        # the instructor's, whatever the student did to it.
        test_source = "\n".join(
            [shown, "### BEGIN HIDDEN TESTS",
             "from backprop_lib.exercises import latest_verdict",
             f"assert bool(latest_verdict(\"{checker}\")), \"{label}: the checker's verdict is 'not right yet'\"",
             "### END HIDDEN TESTS"])
        test_cell = nbformat.v4.new_code_cell(test_source)
        test_cell.id = f"{label}-check"[-64:]
        test_cell.metadata = {**{k: v for k, v in check_cell.metadata.items() if k != "nbgrader"},
                              "nbgrader": _nbgrader(label, solution=False, grade=True, points=1)}
        test_cell.outputs = copy.deepcopy(check_cell.get("outputs", []))
        replace.setdefault(ex["stub_cell"], []).append(answer_cell)
        replace.setdefault(ex["check_cell"], []).append(test_cell)
    cells = []
    for i, cell in enumerate(nb.cells):
        cells.extend(replace.get(i, [cell]))
    nb.cells = cells
    return nb, [ex["label"] for ex in exercises]


def exercise_numbers(toc, read):
    """{label: "chapter.n"} for every exercise of the numbered parts of `toc` (a parsed _toc.yml).

    `read(file)` returns the notebook of a toc file, or None for a page that is not one."""
    numbers, chapter = {}, 0
    defaults = toc.get("defaults", {}) or {}
    for part in toc.get("parts", []):
        numbered = part.get("numbered", defaults.get("numbered", False))
        for entry in part.get("chapters", []):
            if not numbered:
                continue
            chapter += 1
            nb = read(entry["file"])
            if nb is None:
                continue
            n = 0
            for cell in nb.cells:
                if cell.cell_type != "markdown":
                    continue
                for m in EXERCISE.finditer(cell.source):
                    n += 1
                    lab = LABEL.search(cell.source, m.end())
                    if lab:
                        numbers[lab.group(1)] = f"{chapter}.{n}"
    return numbers
