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
        # "+ 0.0" turns -0.0 into 0.0, so a rounded zero never prints as "-0.00"
        return f"{float(a) + 0.0:.{decimals}f}"
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


def glue(name, value, display=False):
    """Make `value` available to the prose as {glue:}`name` (myst-nb's glue).

    Where myst-nb is not installed (Colab, a plain Jupyter), the value is shown
    as a line ``name = value`` instead, so the notebook still runs and reads.
    """
    value = _plain(value)
    try:
        from myst_nb import glue as myst_glue
    except ImportError:
        print(f"{name} = {value}")
        return
    myst_glue(name, value, display=display)
