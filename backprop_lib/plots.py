"""Figures shared by the chapters (matplotlib, deterministic)."""

import numpy as np

from . import example
from .display import fmt

INPUT_COLOURS = ("#3b9c4a", "#e3b62b", "#d2483c")  # green, yellow, red
OUTPUT_COLOUR = "#2f5fa8"


def draw_network(ax=None, x=None, z=None, W=None, b=None, decimals=2, y_hat=None):
    r"""Draw the 3 -> 2 network of the notes in three columns: the inputs $x^j$ (green,
    yellow, red), the logits $z_1^i = \sum_j W_1^{ij} x^j + b_1^i$ with the weights on the
    edges and the biases beside them, and, after the softmax, the probabilities
    $\hat y^i$ of the classes exact and test (chapter "The forward pass").

    x, z and y_hat, when given, are written beside the inputs, the logits z1 and the
    probabilities y_hat, with `decimals` places; W and b default to the example's W1 and b1.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    W = example.W1 if W is None else np.asarray(W)
    b = example.b1 if b is None else np.asarray(b)
    if ax is None:
        _, ax = plt.subplots(figsize=(8.0, 3.0))
    ins = [(0.0, 2.0 - i) for i in range(3)]
    logits = [(3.0, 1.5 - i) for i in range(2)]
    outs = [(6.6, 1.5 - i) for i in range(2)]
    for j, (xi, yi) in enumerate(ins):
        for i, (xo, yo) in enumerate(logits):
            ax.plot([xi, xo], [yi, yo], color="0.6", lw=1, zorder=1)
            # each weight sits a third of the way along its edge, where edges do not cross
            t = 0.28
            ax.text(xi + t * (xo - xi), yi + t * (yo - yi), f"{W[i, j]:.1f}", fontsize=8,
                    ha="center", va="center", bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none"))
    for j, ((xi, yi), name) in enumerate(zip(ins, example.INPUT_LABELS)):
        ax.add_patch(plt.Circle((xi, yi), 0.28, color=INPUT_COLOURS[j], zorder=2))
        label = name if x is None else f"{name}\n{fmt(x[j], decimals)}"
        ax.text(xi - 0.4, yi, label, ha="right", va="center", fontsize=10)
        ax.text(xi, yi, f"$x^{j + 1}$", ha="center", va="center", color="white", fontsize=10, zorder=3)
    # the softmax mixes both logits into each probability: one box, not one edge per pair
    box_x, box_w = 4.2, 1.25
    ax.add_patch(FancyBboxPatch((box_x, 0.15), box_w, 1.7, boxstyle="round,pad=0.05",
                                fc="#eef2f8", ec="0.45", lw=1, zorder=1))
    ax.text(box_x + box_w / 2, 1.0, "softmax", ha="center", va="center", fontsize=10, style="italic")
    arrow = dict(arrowstyle="-|>", color="0.45", lw=1.1)
    for i, ((xl, yl), (xo, yo)) in enumerate(zip(logits, outs)):
        ax.add_patch(plt.Circle((xl, yl), 0.3, color="#7a93c2", zorder=2))
        ax.text(xl, yl, f"$z_1^{i + 1}$", ha="center", va="center", color="white", fontsize=10, zorder=3)
        bias = f"$b_1^{i + 1}$ = {b[i]:.1f}"
        label = bias if z is None else f"{bias}\n{fmt(z[i], decimals)}"
        ax.text(xl, yl + 0.36 if i == 0 else yl - 0.36, label, ha="center",
                va="bottom" if i == 0 else "top", fontsize=9)
        ax.annotate("", xy=(box_x - 0.05, yl), xytext=(xl + 0.3, yl), arrowprops=arrow)
        ax.annotate("", xy=(xo - 0.3, yo), xytext=(box_x + box_w + 0.05, yo), arrowprops=arrow)
        ax.add_patch(plt.Circle((xo, yo), 0.3, color=OUTPUT_COLOUR, zorder=2))
        ax.text(xo, yo, rf"$\hat y^{i + 1}$", ha="center", va="center", color="white", fontsize=10, zorder=3)
        name = example.OUTPUT_LABELS[i]
        ax.text(xo + 0.42, yo, name if y_hat is None else f"{name}\n{fmt(y_hat[i], decimals)}",
                ha="left", va="center", fontsize=10)
    for cx, text in [(0.0, "inputs $x$"), (3.0, "logits $z_1$"), (6.6, r"probabilities $\hat y$")]:
        ax.text(cx, 2.55, text, ha="center", va="bottom", fontsize=10)
    ax.set_xlim(-1.8, 8.2)
    ax.set_ylim(-0.45, 2.85)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def _column_text(value, decimals):
    """A number, vector or matrix as text for a figure: a vector as a column (one entry a
    line, as in the notes), a matrix one row a line."""
    a = np.asarray(value, dtype=float)
    if a.ndim == 0:
        return fmt(a, decimals)
    rows = a[:, None] if a.ndim == 1 else a
    return "\n".join("  ".join(fmt(v, decimals) for v in row) for row in rows)


def draw_graph(values, grads, ax=None, decimals=4, input_decimals=None, fontsize=10):
    r"""Draw the example's computational graph (chapter "The chain rule"), top to bottom:

    x, W1, b1 -> z1 = W1 x + b1 -> z2 = softmax(z1) -> y_hat = z2 -> Loss = sum_i (y_i - y_hat_i)^2 <- y

    Forward values sit in the nodes; the backward gradient dLoss/d(node) is written in red
    beside the edge that leaves each node, and the seed dLoss/dLoss = 1 on a red arrow into
    Loss. The forward pass runs down the page, the backward pass up.

    values: a mapping from the node names "x", "W1", "b1", "z1", "z2", "y_hat", "y",
    "loss" to their values. grads: a mapping from "loss", "y_hat", "z2", "z1", "b1", "W1"
    to dLoss/d(node); a node left out gets no label, a node mapped to None gets "?"
    (a gradient not computed yet). Values and gradients are printed with `decimals`
    places; the given numbers x, W1, b1 and y with `input_decimals` (default: `decimals`).
    """
    import matplotlib.pyplot as plt

    input_decimals = decimals if input_decimals is None else input_decimals
    needed = ("x", "W1", "b1", "z1", "z2", "y_hat", "y", "loss")
    missing = [k for k in needed if k not in values]
    if missing:
        raise ValueError(f"draw_graph needs a value for every node; missing {missing}")
    symbols = {"loss": "L", "y_hat": r"\hat y", "z2": "z_2", "z1": "z_1", "b1": "b_1", "W1": "W_1"}
    unknown = sorted(set(grads) - set(symbols))
    if unknown:
        raise ValueError(f"draw_graph has no edge for the gradients of {unknown}; it knows {sorted(symbols)}")
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 7.6))
    # node: (x, y, title); z2 and y_hat are one value under two names, so two nodes
    nodes = {
        "W1": (-2.4, 9.0, "$W_1$"), "x": (0.0, 9.0, "$x$"), "b1": (2.4, 9.0, "$b_1$"),
        "z1": (0.0, 6.9, "$z_1 = W_1 x + b_1$"), "z2": (0.0, 4.9, r"$z_2 = \mathrm{softmax}(z_1)$"),
        "y_hat": (0.0, 2.9, r"$\hat y = z_2$"), "y": (2.6, 2.9, "$y$ (target)"),
        "loss": (0.0, 0.9, "$L$ (Loss)"),
    }
    boxes = {}
    for name, (cx, cy, title) in nodes.items():
        colour = "#fbe3c8" if name in ("W1", "b1") else ("#e8e8e8" if name in ("x", "y") else "#dbe6f6")
        places = input_decimals if name in ("x", "W1", "b1", "y") else decimals
        boxes[name] = ax.text(cx, cy, f"{title}\n{_column_text(values[name], places)}", ha="center",
                              va="center", fontsize=fontsize, zorder=3,
                              bbox=dict(boxstyle="round,pad=0.4", fc=colour, ec="0.35"))

    def label(at, name, ha):
        grad = grads[name]
        text = "?" if grad is None else _column_text(grad, decimals)
        ax.text(at[0], at[1], r"$\partial L / \partial " + symbols[name] + "$ =\n" + text, ha=ha,
                va="center", multialignment="center", fontsize=fontsize - 1, color="#b0302a", zorder=4)

    # edge: from, to, where the arrow leaves and enters (box fractions), where the gradient
    # label goes (data coordinates, None: no label) and which side of it is anchored there
    down, top = (0.5, 0), (0.5, 1)
    edges = [("W1", "z1", down, (0.1, 1), (-1.8, 7.8), "right"), ("x", "z1", down, top, None, None),
             ("b1", "z1", down, (0.9, 1), (2.0, 7.7), "left"),
             ("z1", "z2", down, top, (-0.3, 5.9), "right"), ("z2", "y_hat", down, top, (-0.3, 3.9), "right"),
             ("y_hat", "loss", down, top, (-0.3, 1.9), "right"), ("y", "loss", down, (1, 0.5), None, None)]
    for a, b, leave, enter, at, ha in edges:
        # the arrow joins the two boxes; shrink clears the boxes' padding
        ax.annotate("", xy=enter, xycoords=boxes[b], xytext=leave, textcoords=boxes[a], zorder=2,
                    arrowprops=dict(arrowstyle="-|>", color="0.45", lw=1.2, shrinkA=7, shrinkB=7))
        if at is not None and a in grads:
            label(at, a, ha)
    if "loss" in grads:
        # the seed: backward starts at the loss, with dLoss/dLoss = 1
        ax.annotate("", xy=(0.5, 0), xycoords=boxes["loss"], xytext=(0, -30), textcoords="offset points",
                    zorder=2, arrowprops=dict(arrowstyle="-|>", color="#b0302a", lw=1.2, shrinkB=7))
        label((0.3, -0.2), "loss", "left")
    ax.set_xlim(-4.6, 4.2)
    ax.set_ylim(-0.7, 9.8)
    ax.axis("off")
    return ax


def draw_matrix(M, ax=None, decimals=4, row_labels=None, col_labels=None, title=None, vmax=None):
    """A heatmap of a small matrix with each entry written in its cell (chapters "The softmax
    Jacobian" and "Parameter gradients"). Colours are symmetric around 0 (blue negative,
    red positive), so a sign shows at a glance; vmax fixes the scale, e.g. to compare two
    matrices side by side. Returns the image, for a colour bar.
    """
    import matplotlib.pyplot as plt

    M = np.asarray(M, dtype=float)
    if M.ndim != 2:
        raise ValueError(f"draw_matrix takes a matrix, got shape {M.shape}")
    if ax is None:
        _, ax = plt.subplots(figsize=(1.2 * M.shape[1] + 1.2, 1.2 * M.shape[0] + 0.8))
    if vmax is None:
        # an all-zero matrix still gets a colour scale
        vmax = float(np.abs(M).max()) or 1.0
    image = ax.imshow(M, cmap="RdBu_r", vmin=-vmax, vmax=vmax)
    for (i, j), v in np.ndenumerate(M):
        # dark cells get white text
        ax.text(j, i, fmt(v, decimals), ha="center", va="center", fontsize=10,
                color="white" if abs(v) > 0.6 * vmax else "black")
    ax.set_xticks(range(M.shape[1]), col_labels if col_labels is not None else range(1, M.shape[1] + 1))
    ax.set_yticks(range(M.shape[0]), row_labels if row_labels is not None else range(1, M.shape[0] + 1))
    if title:
        ax.set_title(title, fontsize=10)
    return image


def draw_tensor_graph(root, ax=None, order=True):
    """Draw the graph of autograd Tensors that computed `root` (chapter "From hand to machine").

    One box per tensor, an arrow from each input to the result it feeds, left to right.
    Operations show their operator (and name, if any); inputs their name or value. With
    `order`, a red number at the top right corner of each box gives the step at which
    root.backward() reaches the tensor (1 is the root): the topological order, reversed.
    """
    import matplotlib.pyplot as plt

    nodes = root.topological_order()
    column, row = {}, {}
    for node in nodes:  # operations: one column right of their latest input
        if node.parents:
            column[node] = 1 + max(column.get(p, 0) for p in node.parents)
    for node in nodes:  # inputs sit one column left of the first operation that uses them
        if not node.parents:
            first = next(n for n in nodes if node in n.parents) if node is not root else None
            column[node] = column[first] - 1 if first is not None else 0
    # operations on the middle line (spread when a column has several), inputs beside their user
    for c in sorted(set(column.values())):
        ops = [n for n in nodes if column[n] == c and n.parents]
        for i, n in enumerate(ops):
            row[n] = (len(ops) - 1) / 2 - i
    taken = {}
    for node in nodes:
        if node.parents or node is root:
            row.setdefault(node, 0.0)
            continue
        user = next(n for n in nodes if node in n.parents)
        c = column[node]
        busy = any(n.parents for n in nodes if column[n] == c)
        k = taken.get((c, user), 0)
        taken[(c, user)] = k + 1
        row[node] = row[user] + (1.0 + k if busy else 0.5 - k)
    # an input that feeds an operation in column 0 or less would overlap: shift everything right
    shift = -min(column.values())
    steps = {n: i + 1 for i, n in enumerate(reversed(nodes))}
    spacing = 2.2  # wide enough for a visible arrow between two named operations
    if ax is None:
        width = spacing * (max(column.values()) + shift + 1)
        height = 1.0 * (max(row.values()) - min(row.values()) + 1.5)
        _, ax = plt.subplots(figsize=(max(width, 4.0), max(height, 2.0)))
    pos = {n: (spacing * (column[n] + shift), row[n]) for n in nodes}
    glyph = {"-": "\u2212", "neg": "\u2212", "*": "\u00d7"}  # a hyphen is too small to read as minus
    box = {}
    for node in nodes:
        if node.parents:
            label = glyph.get(node.op, node.op) + (f"\n{node.name}" if node.name else "")
            colour = "#f4c27a" if node is root else "#cfe0f5"
        else:
            label = node.name or (f"{node.data.item():g}" if node.data.size == 1 else f"array {node.data.shape}")
            colour = "#dcefd8"
        box[node] = ax.text(*pos[node], label, ha="center", va="center", fontsize=10, zorder=3,
                            bbox=dict(boxstyle="round,pad=0.4", fc=colour, ec="0.35", lw=0.8))
        if order:  # just outside the box's top right corner, so it covers none of the label
            ax.annotate(str(steps[node]), xy=(1, 1), xycoords=box[node], xytext=(4, 4),
                        textcoords="offset points", ha="center", va="center", fontsize=8,
                        color="white", zorder=4,
                        bbox=dict(boxstyle="circle,pad=0.2", fc="#c0392b", ec="none"))
    for node in nodes:
        for parent in node.parents:
            # patchA/patchB end the arrow at the edges of the two boxes, whatever their width
            ax.annotate("", xy=pos[node], xytext=pos[parent], zorder=3.5,
                        arrowprops=dict(arrowstyle="-|>", mutation_scale=12, color="0.35", lw=1.1,
                                        patchA=box[parent].get_bbox_patch(),
                                        patchB=box[node].get_bbox_patch(), shrinkA=2, shrinkB=2))
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    ax.set_xlim(min(xs) - 0.9, max(xs) + 0.9)
    ax.set_ylim(min(ys) - 0.7, max(ys) + 0.8)
    ax.axis("off")
    return ax


# ---- part "Backprop through depth" ------------------------------------------------------

#: the nodes of the hidden-layer graph: (x, y, title); x, W1, b1 at the top, the loss at the bottom
HIDDEN_NODES = {
    "W1": (-2.6, 13.0, "$W_1$"), "x": (0.0, 13.0, "$x$"), "b1": (2.6, 13.0, "$b_1$"),
    "z1": (0.0, 10.9, "$z_1 = W_1 x + b_1$"), "h": (0.0, 8.9, r"$h = \sigma(z_1)$"),
    "W2": (-3.0, 6.9, "$W_2$"), "z2": (0.0, 6.9, "$z_2 = W_2 h + b_2$"), "b2": (3.0, 6.9, "$b_2$"),
    "y_hat": (0.0, 4.9, r"$\hat y = \mathrm{softmax}(z_2)$"), "y": (2.8, 2.9, "$y$ (target)"),
    "loss": (0.0, 2.9, "$L$ (Loss)"),
}
#: the symbol of each node whose gradient the figure can show
HIDDEN_SYMBOLS = {"loss": "L", "y_hat": r"\hat y", "z2": "z_2", "W2": "W_2", "b2": "b_2", "h": "h",
                  "z1": "z_1", "W1": "W_1", "b1": "b_1"}


def draw_hidden_graph(values, grads, ax=None, decimals=4, input_decimals=None, fontsize=10):
    r"""Draw the hidden-layer example's computational graph (chapter "A hidden layer"), top
    to bottom, as `draw_graph` draws the notes' one-layer network:

    x, W1, b1 -> z1 = W1 x + b1 -> h = sigmoid(z1) -> z2 = W2 h + b2 (with W2, b2)
    -> y_hat = softmax(z2) -> Loss <- y

    Forward values sit in the boxes; the gradient dLoss/d(node) is written in red beside the
    edge that leaves each node (for W2 and b2, under their boxes), with the seed
    dLoss/dLoss = 1 on a red arrow into Loss. dLoss/dz2 is labelled delta2, dLoss/dz1 delta1.

    values: a mapping from every node name of HIDDEN_NODES to its value. grads: a mapping
    from names of HIDDEN_SYMBOLS to dLoss/d(node); a node left out gets no label, a node
    mapped to None gets "?" (not computed yet). The given numbers x, W1, b1, W2, b2 and y
    are printed with `input_decimals` places (default: `decimals`), the rest with `decimals`.
    """
    import matplotlib.pyplot as plt

    input_decimals = decimals if input_decimals is None else input_decimals
    missing = [k for k in HIDDEN_NODES if k not in values]
    if missing:
        raise ValueError(f"draw_hidden_graph needs a value for every node; missing {missing}")
    unknown = sorted(set(grads) - set(HIDDEN_SYMBOLS))
    if unknown:
        raise ValueError(f"draw_hidden_graph has no edge for the gradients of {unknown}; "
                         f"it knows {sorted(HIDDEN_SYMBOLS)}")
    if ax is None:
        _, ax = plt.subplots(figsize=(7.2, 9.4))
    given = ("x", "W1", "b1", "W2", "b2", "y")
    boxes = {}
    for name, (cx, cy, title) in HIDDEN_NODES.items():
        colour = "#fbe3c8" if name in ("W1", "b1", "W2", "b2") else (
            "#e8e8e8" if name in ("x", "y") else "#dbe6f6")
        places = input_decimals if name in given else decimals
        boxes[name] = ax.text(cx, cy, f"{title}\n{_column_text(values[name], places)}", ha="center",
                              va="center", fontsize=fontsize, zorder=3,
                              bbox=dict(boxstyle="round,pad=0.4", fc=colour, ec="0.35"))

    def label(at, name, ha, va="center"):
        grad = grads[name]
        text = "?" if grad is None else _column_text(grad, decimals)
        # a layer's error gets its name: delta_l = dL/dz_l
        error = rf"\delta_{name[1]} = " if name in ("z1", "z2") else ""
        ax.text(at[0], at[1], "$" + error + r"\partial L / \partial " + HIDDEN_SYMBOLS[name] + "$ =\n" + text,
                ha=ha, va=va, multialignment="center", fontsize=fontsize - 1, color="#b0302a", zorder=4)

    # edge: from, to, where the arrow leaves and enters (box fractions), where the gradient
    # label goes (data coordinates; None: no label there) and how it is anchored
    down, top = (0.5, 0), (0.5, 1)
    edges = [("W1", "z1", down, (0.1, 1), (-1.8, 11.8), "right", "center"),
             ("x", "z1", down, top, None, None, None),
             ("b1", "z1", down, (0.9, 1), (2.0, 11.8), "left", "center"),
             ("z1", "h", down, top, (-0.3, 9.9), "right", "center"),
             ("h", "z2", down, top, (-0.3, 7.9), "right", "center"),
             # W2 and b2 come in from the sides; their labels hang under their boxes
             ("W2", "z2", (1, 0.5), (0, 0.5), (-3.0, 6.2), "center", "top"),
             ("b2", "z2", (0, 0.5), (1, 0.5), (3.0, 6.2), "center", "top"),
             ("z2", "y_hat", down, top, (-0.3, 5.9), "right", "center"),
             ("y_hat", "loss", down, top, (-0.3, 3.9), "right", "center"),
             ("y", "loss", (0, 0.5), (1, 0.5), None, None, None)]
    for a, b, leave, enter, at, ha, va in edges:
        # the arrow joins the two boxes; shrink clears the boxes' padding
        ax.annotate("", xy=enter, xycoords=boxes[b], xytext=leave, textcoords=boxes[a], zorder=2,
                    arrowprops=dict(arrowstyle="-|>", color="0.45", lw=1.2, shrinkA=7, shrinkB=7))
        if at is not None and a in grads:
            label(at, a, ha, va)
    if "loss" in grads:
        # the seed: backward starts at the loss, with dLoss/dLoss = 1
        ax.annotate("", xy=(0.5, 0), xycoords=boxes["loss"], xytext=(0, -30), textcoords="offset points",
                    zorder=2, arrowprops=dict(arrowstyle="-|>", color="#b0302a", lw=1.2, shrinkB=7))
        label((0.3, 1.8), "loss", "left")
    ax.set_xlim(-4.8, 4.6)
    ax.set_ylim(1.2, 13.9)
    ax.axis("off")
    return ax


# ---- chapters "Gradient flow through depth" and "What one layer cannot learn" ----------

#: colours and markers for up to six lines that are told apart without colour too
LINE_STYLES = (("#2f5fa8", "o", "-"), ("#d2483c", "s", "--"), ("#3b9c4a", "^", "-."),
               ("#8a5a9e", "D", ":"), ("#b8860b", "v", "-"), ("0.35", "x", "--"))


def draw_per_layer(ax, curves, ylabel, title=None, log=True):
    """One line per entry of `curves` (label -> one value per layer, layer 1 first), against
    the layer number, on a logarithmic axis unless log=False (chapter "Gradient flow through
    depth"). Lines differ in colour, marker and dash, so they read in grey too."""
    if len(curves) > len(LINE_STYLES):
        raise ValueError(f"draw_per_layer draws at most {len(LINE_STYLES)} lines, got {len(curves)}")
    for (label, values), (colour, marker, dash) in zip(curves.items(), LINE_STYLES):
        values = np.asarray(values, dtype=float)
        ax.plot(np.arange(1, len(values) + 1), values, color=colour, marker=marker, ls=dash, ms=4,
                lw=1.5, label=label)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("layer $l$")
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title, fontsize=10)
    return ax


#: shading of the two XOR classes and their markers (class 0: circles, class 1: triangles)
CLASS_COLOURS = ("#d2483c", "#2f5fa8")
CLASS_SHADES = ("#f6d5d1", "#d3def0")
CLASS_MARKERS = ("o", "^")


def draw_decision_regions(ax, predict, X, Y, labels, limits=(-1.0, 1.0), resolution=201, title=None):
    """Shade a square of the plane by the class that `predict` gives each point, and draw the
    samples X (two features) on top, each with the marker and colour of its true class in Y
    (chapter "What one layer cannot learn"). predict maps an (n, 2) array to n class indices.
    The boundary between the regions is drawn as a black line."""
    from matplotlib.colors import ListedColormap

    X, labels_true = np.asarray(X, dtype=float), np.argmax(Y, axis=1)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"draw_decision_regions draws two features, but X has shape {X.shape}")
    grid = np.linspace(limits[0], limits[1], resolution)
    g1, g2 = np.meshgrid(grid, grid)
    regions = np.asarray(predict(np.column_stack([g1.ravel(), g2.ravel()]))).reshape(g1.shape)
    ax.pcolormesh(g1, g2, regions, cmap=ListedColormap(CLASS_SHADES), vmin=0, vmax=1, shading="auto")
    if 0 < regions.mean() < 1:  # a boundary exists only where both classes are predicted
        ax.contour(g1, g2, regions, levels=[0.5], colors="black", linewidths=1.5)
    for k, name in enumerate(labels):
        pick = labels_true == k
        ax.scatter(X[pick, 0], X[pick, 1], s=16, marker=CLASS_MARKERS[k], c=CLASS_COLOURS[k],
                   edgecolors="white", linewidths=0.4, label=name)
    ax.set_xlim(*limits)
    ax.set_ylim(*limits)
    ax.set_xticks(np.linspace(limits[0], limits[1], 5))
    ax.set_yticks(np.linspace(limits[0], limits[1], 5))
    ax.set_aspect("equal")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if title:
        ax.set_title(title, fontsize=10)
    return ax


def draw_digits(axes, images, titles):
    """Draw 8 x 8 grey images (rows of 64 pixels in [0, 1], or 8 x 8 arrays) into `axes`,
    dark ink on white, one per axis with its title; axes left over are blanked (chapter
    "What one layer cannot learn")."""
    axes = np.ravel(axes)
    images = np.asarray(images, dtype=float).reshape(-1, 8, 8)
    if len(images) != len(titles) or len(images) > len(axes):
        raise ValueError(f"{len(images)} images, {len(titles)} titles and {len(axes)} axes: "
                         "one title per image, and at least as many axes")
    for ax, image, title in zip(axes, images, titles):
        ax.imshow(image, cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(title, fontsize=9)
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    for ax in axes[len(images):]:
        ax.axis("off")
    return axes
