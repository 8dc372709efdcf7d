"""The computational graph and the matrix heatmap of backprop_lib.plots: they draw the
numbers they are given (never typed ones), and refuse input they cannot draw."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import backprop_lib as bl  # noqa: E402
from helpers import example_graph  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def graph_values(w):
    ex = bl.example
    return {"x": ex.x, "W1": ex.W1, "b1": ex.b1, "z1": w["z1"], "z2": w["z2"],
            "y_hat": w["z2"], "y": ex.y, "loss": w["loss"]}


def texts(ax):
    return "\n".join(t.get_text() for t in ax.texts)


def test_graph_shows_the_values_and_gradients_it_is_given():
    w = bl.worked_example()
    grads = {"loss": 1.0, "y_hat": w["dL_dy_hat"], "z2": w["dL_dy_hat"], "z1": w["dL_dz1"],
             "b1": w["dL_db1"], "W1": w["dL_dW1"]}
    shown = texts(bl.plots.draw_graph(graph_values(w), grads))
    for value in [w["loss"], *w["z1"], *w["z2"], *w["dL_dy_hat"], *w["dL_dz1"], *np.ravel(w["dL_dW1"])]:
        assert bl.fmt(value, 4) in shown
    assert "?" not in shown


def test_graph_follows_the_example_when_it_changes():
    # other numbers in, other numbers drawn: nothing in the figure is typed
    w = bl.worked_example(decimals=1)
    shown = texts(bl.plots.draw_graph(graph_values(w), {"y_hat": w["dL_dy_hat"]}, decimals=2))
    assert bl.fmt(w["loss"], 2) in shown and bl.fmt(w["dL_dy_hat"][0], 2) in shown


def test_graph_marks_gradients_not_computed_yet_and_leaves_out_the_rest():
    w = bl.worked_example()
    ax = bl.plots.draw_graph(graph_values(w), {"loss": 1.0, "y_hat": w["dL_dy_hat"], "z1": None})
    shown = texts(ax)
    assert shown.count("?") == 1
    assert r"\partial W_1" not in shown and r"\partial b_1" not in shown


def test_graph_refuses_missing_values_and_unknown_gradients():
    w = bl.worked_example()
    values = graph_values(w)
    del values["z1"]
    with pytest.raises(ValueError, match="z1"):
        bl.plots.draw_graph(values, {})
    with pytest.raises(ValueError, match="x"):
        bl.plots.draw_graph(graph_values(w), {"x": np.zeros(3)})


def test_matrix_writes_every_entry_on_a_symmetric_colour_scale():
    J = bl.worked_example()["softmax_jacobian"]
    fig, ax = plt.subplots()
    image = bl.plots.draw_matrix(J, ax)
    assert sorted(t.get_text() for t in ax.texts) == sorted(bl.fmt(v, 4) for v in np.ravel(J))
    low, high = image.get_clim()
    assert low == -high == -np.abs(J).max()


def test_matrix_keeps_a_given_scale_and_refuses_a_vector():
    fig, ax = plt.subplots()
    image = bl.plots.draw_matrix([[0.1, -0.1], [0.0, 0.05]], ax, vmax=0.5)
    assert image.get_clim() == (-0.5, 0.5)
    with pytest.raises(ValueError, match="shape"):
        bl.plots.draw_matrix([0.1, 0.2])


def test_graph_figure_numbers_every_node_in_backward_order():
    loss, z1, z2, W1, b1 = example_graph()
    fig, ax = plt.subplots()
    bl.plots.draw_tensor_graph(loss, ax=ax)
    texts = [t.get_text() for t in ax.texts]
    n = len(loss.topological_order())
    assert sorted(int(t) for t in texts if t.isdigit()) == list(range(1, n + 1))
    assert {"W1", "b1", "softmax"} <= set(texts)
    plt.close(fig)


# ---- the hidden-layer example's graph (part "Backprop through depth") --------------------

def hidden_values(w):
    ex = bl.example
    return {"x": ex.x, "W1": ex.W1, "b1": ex.b1, "z1": w["z1"], "h": w["h"], "W2": ex.W2, "b2": ex.b2,
            "z2": w["z2"], "y_hat": w["y_hat"], "y": ex.y, "loss": w["loss"]}


def hidden_gradients(w):
    return {"loss": 1.0, "y_hat": w["dL_dy_hat"], "z2": w["delta2"], "W2": w["dL_dW2"], "b2": w["dL_db2"],
            "h": w["dL_dh"], "z1": w["delta1"], "W1": w["dL_dW1"], "b1": w["dL_db1"]}


def test_hidden_graph_shows_every_value_and_gradient_it_is_given():
    w = bl.worked_example_hidden()
    shown = texts(bl.plots.draw_hidden_graph(hidden_values(w), hidden_gradients(w)))
    for step in ("z1", "h", "z2", "y_hat", "loss", "dL_dy_hat", "delta2", "dL_dW2", "dL_dh", "delta1", "dL_dW1"):
        for v in np.ravel(w[step]):
            assert bl.fmt(v, 4) in shown, (step, v)
    # the layers' errors carry their names
    assert r"\delta_1 = \partial L / \partial z_1" in shown and r"\delta_2 = \partial L / \partial z_2" in shown
    assert "?" not in shown


def test_hidden_graph_follows_other_numbers():
    # another target, other numbers drawn: nothing in the figure is typed
    w = bl.worked_example_hidden(y=[1.0, 0.0])
    shown = texts(bl.plots.draw_hidden_graph({**hidden_values(w), "y": [1.0, 0.0]}, hidden_gradients(w), decimals=3))
    assert bl.fmt(w["loss"], 3) in shown and bl.fmt(w["delta1"][1], 3) in shown


def test_hidden_graph_marks_gradients_not_computed_yet_and_leaves_out_the_rest():
    w = bl.worked_example_hidden()
    shown = texts(bl.plots.draw_hidden_graph(hidden_values(w), {"loss": 1.0, "y_hat": w["dL_dy_hat"], "W2": None,
                                                         "z1": None}))
    assert shown.count("?") == 2
    assert r"\partial W_1" not in shown and r"\partial b_2" not in shown and r"\partial h" not in shown


def test_hidden_graph_refuses_missing_values_and_unknown_gradients():
    w = bl.worked_example_hidden()
    incomplete = hidden_values(w)
    del incomplete["h"]
    with pytest.raises(ValueError, match="h"):
        bl.plots.draw_hidden_graph(incomplete, {})
    with pytest.raises(ValueError, match="x"):
        bl.plots.draw_hidden_graph(hidden_values(w), {"x": np.zeros(3)})
