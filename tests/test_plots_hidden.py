"""The hidden-layer example's computational graph (backprop_lib.plots.draw_hidden_graph):
it draws the numbers it is given, never typed ones, and refuses input it cannot draw."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import backprop_lib as bl  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def values(w):
    ex = bl.example
    return {"x": ex.x, "W1": ex.W1, "b1": ex.b1, "z1": w["z1"], "h": w["h"], "W2": ex.W2, "b2": ex.b2,
            "z2": w["z2"], "y_hat": w["y_hat"], "y": ex.y, "loss": w["loss"]}


def gradients(w):
    return {"loss": 1.0, "y_hat": w["dL_dy_hat"], "z2": w["delta2"], "W2": w["dL_dW2"], "b2": w["dL_db2"],
            "h": w["dL_dh"], "z1": w["delta1"], "W1": w["dL_dW1"], "b1": w["dL_db1"]}


def texts(ax):
    return "\n".join(t.get_text() for t in ax.texts)


def test_shows_every_value_and_gradient_it_is_given():
    w = bl.worked_example_hidden()
    shown = texts(bl.plots.draw_hidden_graph(values(w), gradients(w)))
    for step in ("z1", "h", "z2", "y_hat", "loss", "dL_dy_hat", "delta2", "dL_dW2", "dL_dh", "delta1", "dL_dW1"):
        for v in np.ravel(w[step]):
            assert bl.fmt(v, 4) in shown, (step, v)
    # the layers' errors carry their names
    assert r"\delta_1 = \partial L / \partial z_1" in shown and r"\delta_2 = \partial L / \partial z_2" in shown
    assert "?" not in shown


def test_follows_other_numbers():
    # another target, other numbers drawn: nothing in the figure is typed
    w = bl.worked_example_hidden(y=[1.0, 0.0])
    shown = texts(bl.plots.draw_hidden_graph({**values(w), "y": [1.0, 0.0]}, gradients(w), decimals=3))
    assert bl.fmt(w["loss"], 3) in shown and bl.fmt(w["delta1"][1], 3) in shown


def test_marks_gradients_not_computed_yet_and_leaves_out_the_rest():
    w = bl.worked_example_hidden()
    shown = texts(bl.plots.draw_hidden_graph(values(w), {"loss": 1.0, "y_hat": w["dL_dy_hat"], "W2": None,
                                                         "z1": None}))
    assert shown.count("?") == 2
    assert r"\partial W_1" not in shown and r"\partial b_2" not in shown and r"\partial h" not in shown


def test_refuses_missing_values_and_unknown_gradients():
    w = bl.worked_example_hidden()
    incomplete = values(w)
    del incomplete["h"]
    with pytest.raises(ValueError, match="h"):
        bl.plots.draw_hidden_graph(incomplete, {})
    with pytest.raises(ValueError, match="x"):
        bl.plots.draw_hidden_graph(values(w), {"x": np.zeros(3)})
