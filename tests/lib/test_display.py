"""glue without myst-nb (Colab, Binder, a plain Jupyter): a plain line, never an error;
with myst-nb: myst-nb's glue, so the book can paste the value."""

import sys
import types

import numpy as np

import backprop_lib as bl


def test_glue_without_myst_nb_prints_a_plain_line(capsys, monkeypatch):
    # None in sys.modules makes `import myst_nb` raise ImportError, as where it is not installed
    monkeypatch.setitem(sys.modules, "myst_nb", None)
    w = bl.worked_example()
    bl.glue("loss_exact", w["loss"])
    bl.glue("z1_exact", w["z1"], 4)
    bl.glue("J_notes", bl.worked_example(decimals=1)["softmax_jacobian"], 2)
    assert capsys.readouterr().out.splitlines() == [
        f"loss_exact = {float(w['loss'])!r}",
        "z1_exact = (0.9900, -0.2800)",
        "J_notes = [[0.16, -0.16], [-0.16, 0.16]]",
    ]


def test_glue_with_myst_nb_hands_the_value_to_it(capsys, monkeypatch):
    calls = []
    fake = types.ModuleType("myst_nb")
    fake.glue = lambda name, value, display=True: calls.append((name, value, display))
    monkeypatch.setitem(sys.modules, "myst_nb", fake)
    bl.glue("loss", np.float64(1.5))
    bl.glue("z1", np.array([0.99, -0.28]), 2)
    assert capsys.readouterr().out == ""
    assert calls == [("loss", 1.5, False), ("z1", "(0.99, -0.28)", False)]
    assert type(calls[0][1]) is float


def test_glue_converts_numpy_scalars(capsys, monkeypatch):
    import builtins
    real_import = builtins.__import__

    def no_myst(name, *args, **kwargs):
        if name.startswith("myst_nb"):
            raise ImportError("no myst_nb here")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_myst)
    bl.glue("loss", np.float64(1.5))
    bl.glue("z1", np.array([0.99, -0.28]), 2)
    assert capsys.readouterr().out == "loss = 1.5\nz1 = (0.99, -0.28)\n"


def test_fmt_and_latex():
    assert bl.fmt(0.99, 2) == "0.99"
    assert bl.fmt(-0.0001, 2) == "0.00"
    assert bl.fmt([0.99, -0.28], 2) == "(0.99, -0.28)"
    assert bl.fmt([[1, -1], [-1, 1]], 0) == "[[1, -1], [-1, 1]]"
    assert bl.latex([1, 2], 0) == r"\begin{pmatrix} 1 \\ 2 \end{pmatrix}"
