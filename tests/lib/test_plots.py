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
