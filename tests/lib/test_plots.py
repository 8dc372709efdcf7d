"""The computational graph and the matrix heatmap of backprop_lib.plots: they draw the
numbers they are given (never typed ones), and refuse input they cannot draw."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import backprop_lib as bl  # noqa: E402
from backprop_lib.plots import draw_decision_regions, draw_digits, draw_per_layer  # noqa: E402
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


# ---- chapters "Gradient flow through depth" and "What one layer cannot learn" ----------


def test_draw_per_layer_draws_one_line_per_curve_against_the_layer_number():
    _, ax = plt.subplots()
    curves = {"a": [1e-3, 1e-2, 1e-1], "b": [1.0, 2.0, 4.0]}
    draw_per_layer(ax, curves, "size")
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["a", "b"]
    assert lines[0].get_xdata().tolist() == [1, 2, 3]
    assert lines[1].get_ydata().tolist() == [1.0, 2.0, 4.0]
    assert ax.get_yscale() == "log"
    # told apart without colour: every line has its own marker and dash
    assert len({(line.get_marker(), line.get_linestyle()) for line in lines}) == 2


def test_draw_per_layer_refuses_more_lines_than_it_has_styles():
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="at most 6 lines, got 7"):
        draw_per_layer(ax, {str(k): [1.0] for k in range(7)}, "size")


def test_draw_decision_regions_shades_by_the_prediction_and_marks_the_true_class():
    X, Y = bl.make_xor(50, seed=0)
    _, ax = plt.subplots()
    # predict "same sign" right of the vertical axis: the border is the line x1 = 0
    draw_decision_regions(ax, lambda P: (P[:, 0] > 0).astype(int), X, Y, bl.data.XOR_LABELS, resolution=21)
    regions = ax.collections[0].get_array().reshape(21, 21)
    assert np.all(regions[:, :10] == 0) and np.all(regions[:, 11:] == 1)
    scatters = [c for c in ax.collections if c.get_label() in bl.data.XOR_LABELS]
    counts = [len(c.get_offsets()) for c in scatters]
    assert counts == [int((Y[:, 0] == 1).sum()), int((Y[:, 1] == 1).sum())]


def test_draw_decision_regions_refuses_other_than_two_features():
    _, ax = plt.subplots()
    X, Y = bl.make_colours(5, seed=0)
    with pytest.raises(ValueError, match=r"two features, but X has shape \(5, 3\)"):
        draw_decision_regions(ax, lambda P: np.zeros(len(P), dtype=int), X, Y, ("a", "b"))


def test_draw_digits_draws_each_image_with_its_title_and_blanks_the_rest():
    fig, axes = plt.subplots(1, 4)
    images = np.linspace(0, 1, 3 * 64).reshape(3, 64)
    draw_digits(axes, images, ["a", "b", "c"])
    assert [ax.get_title() for ax in axes[:3]] == ["a", "b", "c"]
    assert np.array_equal(axes[1].images[0].get_array(), images[1].reshape(8, 8))
    assert not axes[3].axison


def test_draw_digits_refuses_a_title_count_that_does_not_fit():
    _, axes = plt.subplots(1, 2)
    with pytest.raises(ValueError, match="3 images, 2 titles and 2 axes"):
        draw_digits(axes, np.zeros((3, 64)), ["a", "b"])
