"""The figures of the chapters "Gradient flow through depth" and "What one layer cannot learn":
draw_per_layer, draw_decision_regions and draw_digits draw what they are given and refuse
input they cannot draw."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import backprop_lib as bl  # noqa: E402
from backprop_lib.plots import draw_decision_regions, draw_digits, draw_per_layer  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


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
