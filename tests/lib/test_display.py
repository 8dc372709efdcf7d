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
