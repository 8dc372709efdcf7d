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


def tracks_table(steps, decimals=4):
    """The notes' steps side by side: what the notes wrote, the notes' track (softmax
    rounded to one decimal, the rest computed from it) and the exact track."""
    from .notes import NOTES_WROTE, STEP_NAMES, worked_example

    rounded, exact = worked_example(decimals=1), worked_example()
    rows = [[STEP_NAMES[k], _as_written(NOTES_WROTE[k]), fmt(rounded[k], decimals),
             fmt(exact[k], decimals)] for k in steps]
    return Table(["step", "the notes wrote", "notes' track", "exact"], rows)


def _as_written(value):
    """A transcribed number as the notes wrote it: 0.7 stays 0.7, 2.71 stays 2.71."""
    if np.ndim(value) == 0:
        return repr(float(value))
    inner = ", ".join(_as_written(v) for v in value)
    return f"({inner})" if np.ndim(value) == 1 else f"[{inner}]".replace("(", "[").replace(")", "]")


def substituted(W, x, b, decimals=1, result_decimals=None, name="z_1", latex=True):
    r"""Each entry of the linear layer :math:`z_1 = W_1 x + b_1` written out with the
    numbers substituted, one line per output (chapter "The forward pass"):

    .. math:: z_1^i = \sum_j W_1^{ij} x^j + b_1^i

    substituted(W1, x, b1)[0] is
    ``z_1^{1} = 0.2 \cdot 0.3 + 0.4 \cdot 0.3 + 0.9 \cdot 0.9 + 0.0 = 0.99``.

    The inputs are printed with `decimals` places and the result with `result_decimals`
    (default 2 * decimals: a product of two numbers with d places has 2d places, so the
    sum is then printed exactly). latex=False gives plain text: ``z_1^1 = 0.2·0.3 + ...``.
    The result is computed by `linear`, not by the formatting.
    """
    from .layers import check_layer, linear

    W, x, b = check_layer(W, x, b)
    if x.ndim != 1:
        raise ValueError(f"substituted writes out one sample; x must be a vector, got shape {x.shape}")
    if not isinstance(decimals, (int, np.integer)) or decimals < 0:
        raise ValueError(f"decimals must be a whole number >= 0, got {decimals!r}")
    result_decimals = 2 * decimals if result_decimals is None else result_decimals
    times, index = (r" \cdot ", "^{{{}}}") if latex else ("·", "^{}")

    def term(v):
        # a negative factor gets brackets, as on paper: 0.1·0.3 + (-0.2)·0.3
        s = fmt(v, decimals)
        return f"({s})" if s.startswith("-") else s

    z = linear(W, x, b)
    lines = []
    for i in range(W.shape[0]):
        products = " + ".join(term(W[i, j]) + times + term(x[j]) for j in range(W.shape[1]))
        lines.append(f"{name}{index.format(i + 1)} = {products} + {term(b[i])} = {fmt(z[i], result_decimals)}")
    return lines
