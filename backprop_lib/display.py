"""Numbers for the prose: `glue` and explicit formats.

Prose never types a computed number: a chapter glues it, and the text pastes it with
{glue:text}`name` (MyST). Vectors and matrices are glued as already formatted text,
so what the reader sees never depends on numpy's repr.
"""

import numpy as np


class Text(str):
    """A string that displays without quotes, so {glue:}`name` pastes it as is."""

    def __repr__(self):
        return str(self)


def fmt(value, decimals=4):
    """Format a number, vector or matrix with a fixed number of decimals.

    fmt(0.99, 2) -> '0.99'; fmt([0.99, -0.28], 2) -> '(0.99, -0.28)';
    fmt([[1, -1], [-1, 1]], 0) -> '[[1, -1], [-1, 1]]'.
    """
    a = np.asarray(value, dtype=float)
    if a.ndim == 0:
        # round, then "+ 0.0" turns -0.0 into 0.0: a rounded zero never prints as "-0.00"
        return f"{round(float(a), decimals) + 0.0:.{decimals}f}"
    if a.ndim == 1:
        return "(" + ", ".join(fmt(v, decimals) for v in a) + ")"
    if a.ndim == 2:
        return "[" + ", ".join("[" + ", ".join(fmt(v, decimals) for v in row) + "]" for row in a) + "]"
    raise ValueError(f"fmt takes a number, a vector or a matrix; got shape {a.shape}")


def latex(value, decimals=4):
    r"""LaTeX for a number, a column vector or a matrix: 0.99, \begin{pmatrix} ... \end{pmatrix}."""
    a = np.asarray(value, dtype=float)
    if a.ndim == 0:
        return fmt(a, decimals)
    rows = a[:, None] if a.ndim == 1 else a
    if rows.ndim != 2:
        raise ValueError(f"latex takes a number, a vector or a matrix; got shape {a.shape}")
    body = r" \\ ".join(" & ".join(fmt(v, decimals) for v in row) for row in rows)
    return r"\begin{pmatrix} " + body + r" \end{pmatrix}"


def _plain(value):
    """numpy scalars become Python numbers: their repr is the same in numpy 1 and 2."""
    if isinstance(value, np.generic) or (isinstance(value, np.ndarray) and value.ndim == 0):
        return value.item()
    return value


def glue(name, value, decimals=None, display=False):
    """Make `value` available to the prose as {glue:}`name` (myst-nb's glue).

    With `decimals`, the value (a number, vector or matrix) is glued as text formatted by
    `fmt`, e.g. glue("z1", z1, 2) pastes "(0.99, -0.28)". Without, a number is glued as
    a Python number and the prose picks its format: {glue:text}`loss:.4f`.

    Where myst-nb is not installed (Colab, a plain Jupyter), the value is shown
    as a line ``name = value`` instead, so the notebook still runs and reads.
    """
    value = Text(fmt(value, decimals)) if decimals is not None else _plain(value)
    try:
        from myst_nb import glue as myst_glue
    except ImportError:
        print(f"{name} = {value}")
        return
    myst_glue(name, value, display=display)


class Table:
    """A small table that shows as Markdown on the site and as aligned text elsewhere.

    Both forms are stored in the notebook, so nbval compares every number in it.
    """

    def __init__(self, header, rows):
        self.header = list(header)
        self.rows = [[str(c) for c in row] for row in rows]
        if any(len(row) != len(self.header) for row in self.rows):
            raise ValueError(f"every row needs {len(self.header)} cells: {self.rows}")

    def _repr_markdown_(self):
        # a "|" inside a cell (|dL/dz1|) would end the cell: escape it, header included
        cells = [[c.replace("|", "\\|") for c in row] for row in [self.header] + self.rows]
        lines = ["| " + " | ".join(cells[0]) + " |", "|" + " --- |" * len(self.header)]
        lines += ["| " + " | ".join(row) + " |" for row in cells[1:]]
        return "\n".join(lines)

    def __repr__(self):
        widths = [max(len(r[i]) for r in [self.header] + self.rows) for i in range(len(self.header))]
        return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip()
                         for row in [self.header] + self.rows)
