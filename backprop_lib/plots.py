"""Figures shared by the chapters (matplotlib, deterministic)."""

import numpy as np

from . import example
from .display import fmt

INPUT_COLOURS = ("#3b9c4a", "#e3b62b", "#d2483c")  # green, yellow, red
OUTPUT_COLOUR = "#2f5fa8"


def draw_network(ax=None, x=None, z=None, W=None, b=None, decimals=2):
    """Draw the 3 -> 2 network of the notes: inputs (green, yellow, red), the weights on
    the edges, the biases, and the outputs (exact, test) after the softmax.

    x and z, when given, are written in the input and output nodes (z may be z1 or z2);
    W and b default to the example's W1 and b1.
    """
    import matplotlib.pyplot as plt

    W = example.W1 if W is None else np.asarray(W)
    b = example.b1 if b is None else np.asarray(b)
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 3.6))
    ins = [(0.0, 2.0 - i) for i in range(3)]
    outs = [(3.0, 1.5 - i) for i in range(2)]
    for j, (xi, yi) in enumerate(ins):
        for i, (xo, yo) in enumerate(outs):
            ax.plot([xi, xo], [yi, yo], color="0.6", lw=1, zorder=1)
            # each weight sits a third of the way along its edge, where edges do not cross
            t = 0.28
            ax.text(xi + t * (xo - xi), yi + t * (yo - yi), f"{W[i, j]:.1f}", fontsize=8,
                    ha="center", va="center", bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none"))
    for j, ((xi, yi), name) in enumerate(zip(ins, example.INPUT_LABELS)):
        ax.add_patch(plt.Circle((xi, yi), 0.28, color=INPUT_COLOURS[j], zorder=2))
        label = name if x is None else f"{name}\n{fmt(x[j], decimals)}"
        ax.text(xi - 0.4, yi, label, ha="right", va="center", fontsize=10)
        ax.text(xi, yi, f"$x_{j + 1}$", ha="center", va="center", color="white", fontsize=10, zorder=3)
    for i, ((xo, yo), name) in enumerate(zip(outs, example.OUTPUT_LABELS)):
        ax.add_patch(plt.Circle((xo, yo), 0.3, color=OUTPUT_COLOUR, zorder=2))
        ax.text(xo, yo, f"$z^{i + 1}$", ha="center", va="center", color="white", fontsize=10, zorder=3)
        label = f"b = {b[i]:.1f}\n{name}" if z is None else f"b = {b[i]:.1f}\n{name}: {fmt(z[i], decimals)}"
        ax.text(xo + 0.45, yo, label, ha="left", va="center", fontsize=10)
    ax.text(3.0, 2.3, "softmax", ha="center", fontsize=10, style="italic")
    ax.set_xlim(-1.8, 4.8)
    ax.set_ylim(-0.6, 2.6)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax
