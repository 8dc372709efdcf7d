"""What the tests share: the repository's places, the table of contents, the numbers a
notebook shows, the reference network for the `autograd` oracle, random arrays, and
running an exercise checker.

tests/lib holds one test file per module of backprop_lib (and of backprop_lib.exercises);
tests/book the tests of the book as a whole: notebooks, the notes' numbers, the build,
the site, Binder, the student edition, the launch buttons.
"""

import ast
import importlib.util
import json
import pathlib
import re
import sys
import warnings

import autograd.numpy as anp
import numpy as np
import pytest
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from backprop_lib import example
from backprop_lib.autograd import Tensor
from backprop_lib.exercises import Verdict, latest_verdict

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tools.notebooks import toc_files  # noqa: E402, F401  (every document of _toc.yml, root first)

CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
NOTEBOOKS = sorted(p for d in ("chapters", "appendix") for p in (ROOT / d).glob("*.ipynb"))


# ---- the book ------------------------------------------------------------------------------


def shown_text(notebook):
    """Everything a notebook shows: stored text outputs (plain, markdown, HTML, LaTeX) and glued values."""
    nb = json.loads(pathlib.Path(notebook).read_text())
    parts = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            parts.append("".join(out.get("text", "")))
            for mime, value in out.get("data", {}).items():
                if mime.startswith(("text/", "application/papermill.record/text")):
                    parts.append(value if isinstance(value, str) else "".join(value))
    return "\n".join(parts)


def glued(notebook):
    """name -> value for every number glued in a committed notebook (text where it is not one)."""
    nb = json.loads(pathlib.Path(notebook).read_text())
    values = {}
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            text = out.get("data", {}).get("application/papermill.record/text/plain")
            if out.get("output_type") == "display_data" and name and text is not None:
                text = text if isinstance(text, str) else "".join(text)
                try:
                    values[name] = ast.literal_eval(text)
                except (ValueError, SyntaxError):
                    values[name] = text  # figures and formatted text
    assert values, f"{pathlib.Path(notebook).name} glued nothing: is the notebook executed?"
    return values


# ---- random arrays ---------------------------------------------------------------------------


def values(shape, lo=-2.0, hi=2.0):
    """A hypothesis strategy: float arrays of `shape`, entries in [lo, hi], no nan or inf."""
    return hnp.arrays(np.float64, shape, elements=st.floats(lo, hi, allow_nan=False, allow_infinity=False))


# ---- the reference network: one definition for the autograd package and for the Tensor ------
# Each operation takes an autograd.numpy array (traced by the autograd package, the oracle)
# or a backprop_lib Tensor (the book's engine), so one network serves both.


def exp(a):
    return a.exp() if isinstance(a, Tensor) else anp.exp(a)


def log(a):
    return a.log() if isinstance(a, Tensor) else anp.log(a)


def total(a, axis=None, keepdims=False):
    return a.sum(axis=axis, keepdims=keepdims) if isinstance(a, Tensor) else anp.sum(a, axis=axis, keepdims=keepdims)


def mean(a, axis=None, keepdims=False):
    return a.mean(axis=axis, keepdims=keepdims) if isinstance(a, Tensor) else anp.mean(a, axis=axis, keepdims=keepdims)


def softmax(a):
    if isinstance(a, Tensor):
        return a.softmax()
    e = anp.exp(a - anp.max(a, axis=-1, keepdims=True))
    return e / anp.sum(e, axis=-1, keepdims=True)


ACTIVATIONS = {
    "sigmoid": lambda z: 1.0 / (1.0 + exp(-z)),
    "tanh": lambda z: z.tanh() if isinstance(z, Tensor) else anp.tanh(z),
    "relu": lambda z: z.relu() if isinstance(z, Tensor) else anp.maximum(z, 0.0),
}


def loss_of(y, y_hat, loss):
    """The loss summed over the classes, averaged over the rows of a batch."""
    rows = 1 if np.ndim(y) == 1 else np.shape(y)[0]
    if loss == "squared_error":
        return total((y - y_hat) ** 2) / rows
    return -total(y * log(y_hat)) / rows


def network_loss(params, x, y, activation="sigmoid", loss="squared_error"):
    """The book's network: z_l = a_{l-1} W_l^T + b_l, a_l = f(z_l) below the last layer,
    y_hat = softmax(z_L), then the loss. params = [(W1, b1), ...]; one pair is the notes' network."""
    a = x
    for l, (W, b) in enumerate(params):
        z = a @ W.T + b
        a = z if l == len(params) - 1 else ACTIVATIONS[activation](z)
    return loss_of(y, softmax(a), loss)


def example_graph(decimals=None):
    """The notes' graph; with decimals=1 the softmax output is rounded, as the notes do."""
    W1, b1 = Tensor(example.W1, "W1"), Tensor(example.b1, "b1")
    z1 = W1 @ example.x + b1
    z2 = z1.softmax()
    if decimals is not None:
        z2.data = np.round(z2.data, decimals)
    loss = ((example.y - z2) ** 2).sum()
    loss.backward()
    return loss, z1, z2, W1, b1


# ---- running an exercise checker ---------------------------------------------------------------


def run(checker, fn, capsys):
    """Run a checker with warnings turned into errors (a student sees no numpy warning);
    return (its verdict as a bool, the lines it printed). Nothing may go to stderr, and the
    verdict holds the line the checker printed and is kept as the checker's latest (a graded
    assignment's hidden test reads it rather than run the checker again)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        verdict = checker(fn)
    out = capsys.readouterr()
    assert out.err == ""
    assert isinstance(verdict, Verdict) and out.out.endswith(verdict.line + "\n"), (verdict, out.out)
    assert latest_verdict(checker.__name__) is verdict, f"{checker.__name__} did not keep its verdict"
    return bool(verdict), out.out.strip().splitlines()


def run_one_line(checker, fn, capsys):
    """Like `run`, for a checker that must print exactly one line: (result, that line)."""
    ok, lines = run(checker, fn, capsys)
    assert len(lines) == 1, lines
    return ok, lines[0]


TRIVIAL = {0.0, 1.0}  # digits any line may hold (a "1.0" says nothing about an answer)


def assert_no_answer(line, *answers, decimals_allowed=True):
    """The line gives none of the answers (arrays, or tuples of arrays) away: no entry of
    them, rounded to 1 to 4 decimals (sign left out), is a number in the line, unless it is
    0 or 1. With decimals_allowed=False the line may hold no decimal number at all (a hint
    names a mistake, it never quotes a result)."""
    printed = {abs(float(v)) for v in re.findall(r"\d+\.\d+", line)}
    assert decimals_allowed or not printed, f"the line holds a decimal number: {line}"
    parts = [part for answer in answers for part in (answer if isinstance(answer, tuple) else (answer,))]
    for part in parts:
        for v in np.ravel(np.asarray(part, dtype=float)):
            for d in (1, 2, 3, 4):
                shown = abs(round(float(v), d))
                assert shown in TRIVIAL or shown not in printed, f"the line shows the answer {v:.{d}f}: {line}"


def each_bad_input(table):
    """Parametrize a test over rows (name, call, message): `call()` must raise a ValueError
    whose message matches `message`."""
    return pytest.mark.parametrize("call, message", [row[1:] for row in table], ids=[row[0] for row in table])


def load_tool(name):
    """A script of tools/ as a module, under a name no package can shadow."""
    spec = importlib.util.spec_from_file_location(f"tools_{name}", ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
