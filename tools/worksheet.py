"""Worksheets: the notes' exercise with fresh numbers, and its answer key.

    python tools/worksheet.py --seed 7            # _build/worksheets/seed-7.pdf and seed-7-key.pdf
    python tools/worksheet.py --seed 7 --hidden   # the network with a hidden layer:
                                                  # seed-7-hidden.pdf and seed-7-hidden-key.pdf
    python tools/worksheet.py --seed 7 --tex-only # only the LaTeX (in _build/worksheets/tex), no TeX run

(`make worksheet SEED=7 [HIDDEN=1]` installs TeX first when it is missing.)

The sheet is the lecture notes' exercise: the same network (three inputs, one linear layer, a
softmax over two classes, the squared error), the same steps forward and backward, with x, W1,
b1 and the target class drawn from the seed. --hidden adds the hidden layer of the book's depth
part: h = sigmoid(z1), then z2 = W2 h + b2 and the softmax, with W2 and b2 drawn too. The key
gives every step on both tracks, "as the notes round" (the softmax output rounded to one
decimal and carried forward) and exact, every number to 4 decimals; all of them are computed by
`backprop_lib.worked_example` (`worked_example_hidden`). The same seed gives the same sheet, to
the byte: the numbers come from numpy's seeded generator and the PDF carries no date.

Hand-sized, the rule every drawn sheet obeys (`hand_sized_problems` checks it):
- every given number has one decimal, like the notes' numbers: each input x^j is one of
  0.1 ... 0.9, each weight one of -0.9 ... 0.9 but not 0, each bias one of -0.5 ... 0.5;
- every logit and pre-activation (z1, and z2 with the hidden layer) lies in [-1.5, 1.5], so
  each exponential is between 0.22 and 4.49 (z1 = W1 x + b1 has at most two decimals);
- the two logits that enter the softmax differ by 0.4 to 2.0, so the softmax rounded to one
  decimal gives the predicted class 0.6 to 0.9: never a tie (0.5, 0.5), never (1.0, 0.0), where
  the rounded track's gradient would vanish;
- the prediction is wrong: the larger probability belongs to the class that is not the target,
  on both tracks (otherwise there would be little to learn).
"""

import argparse
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

import numpy as np

import backprop_lib as bl
from backprop_lib import example

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "_build" / "worksheets"

# the rule above, in tenths (inputs, weights, biases) and in plain numbers
X_TENTHS = range(1, 10)
W_TENTHS = [k for k in range(-9, 10) if k != 0]
B_TENTHS = range(-5, 6)
LOGIT_LIMIT = 1.5
MARGIN = (0.4, 2.0)
MAX_DRAWS = 100_000   # a draw passes about one time in five or more: this never runs out


def draw(seed, hidden=False):
    """The sheet's given numbers for `seed`: a dict of x, W1, b1 (and W2, b2), y and target.

    Each number is drawn uniformly from its one-decimal range, the target class too, and the
    draw is repeated until the sheet is hand-sized (the module's docstring).
    """
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"a worksheet's seed is a whole number >= 0, got {seed!r}")
    # the one-layer and the hidden-layer sheets of one seed are separate draws
    rng = np.random.default_rng([int(seed), int(hidden)])
    n_in, n_out = example.W1.shape[1], example.W1.shape[0]
    for _ in range(MAX_DRAWS):
        given = {"x": rng.choice(X_TENTHS, n_in) / 10,
                 "W1": rng.choice(W_TENTHS, (n_out, n_in)) / 10,
                 "b1": rng.choice(B_TENTHS, n_out) / 10}
        if hidden:
            given["W2"] = rng.choice(W_TENTHS, (n_out, n_out)) / 10
            given["b2"] = rng.choice(B_TENTHS, n_out) / 10
        target = int(rng.integers(n_out))
        given["y"] = np.eye(n_out)[target]
        given["target"] = target
        if not hand_sized_problems(given, hidden):
            return given
    raise RuntimeError(f"seed {seed}: no hand-sized sheet in {MAX_DRAWS} draws")


def steps(given, hidden=False, decimals=None):
    """Every step of the sheet on one track, from backprop_lib (decimals=1: the notes' track)."""
    numbers = {k: given[k] for k in ("x", "W1", "b1", "y")}
    if hidden:
        return bl.worked_example_hidden(decimals, W2=given["W2"], b2=given["b2"], **numbers)
    return bl.worked_example(decimals, **numbers)


def softmax_input(track, hidden):
    """The logits that enter the softmax, and the softmax output, of one track."""
    return (track["z2"], track["y_hat"]) if hidden else (track["z1"], track["z2"])


def hand_sized_problems(given, hidden=False):
    """Why the sheet is not hand-sized (the module's rule), as sentences; [] when it is."""
    problems = []
    ranges = {"x": X_TENTHS, "W1": W_TENTHS, "b1": B_TENTHS}
    if hidden:
        ranges.update(W2=W_TENTHS, b2=B_TENTHS)
    for name, allowed in ranges.items():
        tenths = np.asarray(given[name]) * 10
        if not np.allclose(tenths, np.round(tenths), rtol=0, atol=1e-9):
            problems.append(f"{name} has a number with more than one decimal: {given[name]}")
        elif not set(np.round(tenths).astype(int).ravel()) <= set(allowed):
            problems.append(f"{name} has a number outside {min(allowed) / 10} ... {max(allowed) / 10}")
    if problems:
        return problems
    exact, notes = steps(given, hidden), steps(given, hidden, decimals=1)
    pre_activations = ["z1", "z2"] if hidden else ["z1"]
    for name in pre_activations:
        if np.abs(exact[name]).max() > LOGIT_LIMIT + 1e-9:
            problems.append(f"{name} = {bl.fmt(exact[name], 2)} leaves [-{LOGIT_LIMIT}, {LOGIT_LIMIT}]")
    logits, _ = softmax_input(exact, hidden)
    margin = abs(logits[0] - logits[1])
    if not MARGIN[0] - 1e-9 <= margin <= MARGIN[1] + 1e-9:
        problems.append(f"the logits differ by {margin:.2f}, not {MARGIN[0]} to {MARGIN[1]}")
    for track_name, track in (("exact", exact), ("the notes'", notes)):
        _, y_hat = softmax_input(track, hidden)
        if np.argmax(y_hat) == given["target"] or y_hat[0] == y_hat[1]:
            problems.append(f"on {track_name} track the prediction {bl.fmt(y_hat, 4)} is not wrong")
    return problems


# ------------------------------------------------------------------------------ LaTeX

PREAMBLE = r"""\documentclass[11pt,a4paper]{article}
\usepackage[margin=2cm]{geometry}
\usepackage{amsmath}
\usepackage{array}
\usepackage{booktabs}
\usepackage{longtable}
% reproducible: no date and no random id in the PDF, so the same seed gives the same bytes
\pdfinfoomitdate=1
\pdftrailerid{}
\pdfsuppressptexinfo=-1
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.6ex}
\pagestyle{plain}
% an answer to fill in: a line long enough for a number to four decimals
\newcommand{\blank}{\text{\rule[-1ex]{0pt}{4.6ex}\rule{1.9cm}{0.4pt}}}
% one step of the key: the library's name for it, its label, the notes' track, the exact track
\newcommand{\keystep}[4]{#2 & $#3$ & $#4$ \\[0.7ex]}
"""

# (library key, label, formula to show on the sheet), in the order the notes work
ONE_LAYER_FORWARD = [
    ("Wx", r"W_1 x", None),
    ("z1", r"z_1", r"W_1 x + b_1"),
    ("exp_z1", r"e^{z_1}", None),
    ("sum_exp", r"\textstyle\sum_k e^{z_1^k}", None),
    ("z2", r"\hat y = z_2", r"\mathrm{softmax}(z_1)"),
    ("delta_y", r"\Delta y", r"y - \hat y"),
    ("loss", r"L", r"\textstyle\sum_i (\Delta y^i)^2"),
]
ONE_LAYER_BACKWARD = [
    ("dL_dy_hat", r"\partial L/\partial \hat y", r"-2\,(y - \hat y)"),
    ("softmax_jacobian", r"J = \partial z_2/\partial z_1", r"\mathrm{diag}(z_2) - z_2 z_2^T"),
    ("dL_dz1", r"\partial L/\partial z_1", r"J^T\, \partial L/\partial \hat y"),
    ("dL_db1", r"\partial L/\partial b_1", None),
    ("dL_dW1", r"\partial L/\partial W_1", None),
]
HIDDEN_FORWARD = [
    ("z1", r"z_1", r"W_1 x + b_1"),
    ("h", r"h", r"\sigma(z_1)"),
    ("dsigma", r"\sigma'(z_1)", r"h \odot (1 - h)"),
    ("z2", r"z_2", r"W_2 h + b_2"),
    ("y_hat", r"\hat y", r"\mathrm{softmax}(z_2)"),
    ("loss", r"L", r"\textstyle\sum_i (y^i - \hat y^i)^2"),
]
HIDDEN_BACKWARD = [
    ("dL_dy_hat", r"\partial L/\partial \hat y", r"-2\,(y - \hat y)"),
    ("delta2", r"\delta_2 = \partial L/\partial z_2", r"J^T\, \partial L/\partial \hat y"),
    ("dL_dW2", r"\partial L/\partial W_2", r"\delta_2\, h^T"),
    ("dL_db2", r"\partial L/\partial b_2", None),
    ("dL_dh", r"\partial L/\partial h", r"W_2^T \delta_2"),
    ("delta1", r"\delta_1 = \partial L/\partial z_1", r"\sigma'(z_1) \odot \partial L/\partial h"),
    ("dL_dW1", r"\partial L/\partial W_1", r"\delta_1\, x^T"),
    ("dL_db1", r"\partial L/\partial b_1", None),
    ("dL_dx", r"\partial L/\partial x", r"W_1^T \delta_1"),
]


def layout(hidden):
    return (HIDDEN_FORWARD, HIDDEN_BACKWARD) if hidden else (ONE_LAYER_FORWARD, ONE_LAYER_BACKWARD)


def name_of(seed, hidden):
    return f"seed-{seed}" + ("-hidden" if hidden else "")


def blank_like(value):
    """An empty answer shaped like the step's value: a line, a column or a matrix of lines."""
    a = np.asarray(value)
    if a.ndim == 0:
        return r"\blank"
    rows = a[:, None] if a.ndim == 1 else a
    body = r" \\ ".join(" & ".join([r"\blank"] * rows.shape[1]) for _ in range(rows.shape[0]))
    return r"\begin{pmatrix} " + body + r" \end{pmatrix}"


def givens_tex(given, hidden):
    labels = ", ".join(example.INPUT_LABELS)
    classes = example.OUTPUT_LABELS
    target = classes[given["target"]]
    lines = [
        rf"x = {bl.latex(given['x'], 1)}\ (\text{{{labels}}}),\qquad "
        rf"y = {bl.latex(given['y'], 1)}\ (\text{{{', '.join(classes)}: the sample is {target}}}),",
        rf"W_1 = {bl.latex(given['W1'], 1)},\qquad b_1 = {bl.latex(given['b1'], 1)}"
        + (rf",\qquad W_2 = {bl.latex(given['W2'], 1)},\qquad b_2 = {bl.latex(given['b2'], 1)}." if hidden
           else "."),
    ]
    return "\\begin{gather*}\n" + " \\\\[1ex]\n".join(lines) + "\n\\end{gather*}\n"


def network_tex(hidden):
    if hidden:
        return (r"The network of the lecture notes with a hidden layer: three inputs, a first linear layer "
                r"and a sigmoid, a second linear layer and a softmax over two classes, and the squared error:"
                "\n\\[ z_1 = W_1 x + b_1,\\quad h = \\sigma(z_1) = \\frac{1}{1 + e^{-z_1}},\\quad "
                r"z_2 = W_2 h + b_2,\quad \hat y = \mathrm{softmax}(z_2) = \frac{e^{z_2^i}}{\sum_k e^{z_2^k}},"
                r"\quad L = \sum_i (y^i - \hat y^i)^2. \]" "\n")
    return (r"The network of the lecture notes: three inputs, one linear layer, a softmax over two classes, "
            r"and the squared error:"
            "\n\\[ z_1 = W_1 x + b_1,\\quad \\hat y = z_2 = \\mathrm{softmax}(z_1), \\quad "
            r"\mathrm{softmax}(z)^i = \frac{e^{z^i}}{\sum_k e^{z^k}},\quad L = \sum_i (y^i - \hat y^i)^2. \]"
            "\n")


def title_tex(seed, hidden, key):
    what = "Answer key" if key else "Worksheet"
    network = "a hidden layer" if hidden else "the notes' network"
    return (rf"{{\Large\bfseries Backprop by hand: {what}, seed {seed}}}\par" "\n"
            rf"{{\large Forward and backward through {network}}}\par\medskip" "\n")


def sheet_tex(seed, hidden=False):
    """The worksheet's LaTeX: the given numbers, then every step with a blank to fill in."""
    given = draw(seed, hidden)
    exact = steps(given, hidden)
    forward, backward = layout(hidden)
    out = [PREAMBLE, f"\\pdfinfo{{/Title (Backprop by hand: worksheet, seed {seed})}}\n",
           "\\begin{document}\n", title_tex(seed, hidden, key=False),
           r"Name: \rule{7cm}{0.4pt}" "\n\n", network_tex(hidden), givens_tex(given, hidden),
           r"Work as the notes do: round the softmax output $\hat y$ to \textbf{one decimal} and carry the "
           r"rounded value forward. Use a calculator for $e^t$; write every other number to four decimals. "
           r"The answers are in the key, on both tracks (rounded as here, and exact)." "\n"]

    def section(title, rows, start):
        text = [f"\\section*{{{title}}}\n\\begin{{enumerate}}\\setcounter{{enumi}}{{{start}}}\n"]
        for key, label, formula in rows:
            rhs = f"{formula} = " if formula else ""
            note = r"\quad\text{(one decimal)}" if key == ("y_hat" if hidden else "z2") else ""
            text.append(f"\\item $\\displaystyle {label} = {rhs}{blank_like(exact[key])}{note}$\n\\vspace{{2.5ex}}\n")
        return text + ["\\end{enumerate}\n"]

    out += section("I. Forward", forward, 0)
    out.append(rf"Which class does the network predict, and is it the sample's class? \rule{{5cm}}{{0.4pt}}"
               "\n\n\\newpage\n")
    out += section("II. Backward", backward, len(forward))
    out.append("\\end{document}\n")
    return "".join(out)


def key_tex(seed, hidden=False):
    """The key's LaTeX: every step on both tracks, from backprop_lib, to four decimals."""
    given = draw(seed, hidden)
    exact, notes = steps(given, hidden), steps(given, hidden, decimals=1)
    forward, backward = layout(hidden)
    _, y_hat = softmax_input(exact, hidden)
    predicted = example.OUTPUT_LABELS[int(np.argmax(y_hat))]
    target = example.OUTPUT_LABELS[given["target"]]
    out = [PREAMBLE, f"\\pdfinfo{{/Title (Backprop by hand: answer key, seed {seed})}}\n",
           "\\begin{document}\n", title_tex(seed, hidden, key=True), givens_tex(given, hidden),
           r"Two tracks, as in the book: \emph{as the notes round} (the softmax output rounded to one "
           r"decimal, everything after it computed from the rounded value) and \emph{exact}. "
           r"Every number to four decimals." "\n\n",
           rf"The network predicts \textbf{{{predicted}}}; the sample is \textbf{{{target}}}: the prediction "
           r"is wrong." "\n",
           "{\\small\\begin{longtable}{>{$}l<{$} c c}\n\\toprule\n"
           r"\text{step} & as the notes round & exact \\ \midrule" "\n\\endhead\n"]
    for part, rows in (("I. Forward", forward), ("II. Backward", backward)):
        out.append(rf"\multicolumn{{3}}{{l}}{{\textbf{{{part}}}}} \\[0.5ex]" "\n")
        for key, label, _ in rows:
            out.append(f"\\keystep{{{key}}}{{{label}}}{{{bl.latex(notes[key], 4)}}}{{{bl.latex(exact[key], 4)}}}\n")
    out.append("\\bottomrule\n\\end{longtable}}\n\\end{document}\n")
    return "".join(out)


def compile_pdf(tex, pdf):
    """pdflatex in a scratch folder, twice (the key's long table settles its column widths on
    the second run); the PDF lands at `pdf`."""
    with tempfile.TemporaryDirectory() as scratch:
        source = pathlib.Path(scratch) / "sheet.tex"
        source.write_text(tex)
        for _ in range(2):
            result = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "sheet.tex"],
                                    cwd=scratch, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                                    env={**os.environ, "SOURCE_DATE_EPOCH": "0", "FORCE_SOURCE_DATE": "1"})
            if result.returncode != 0:
                break
        log = (pathlib.Path(scratch) / "sheet.log")
        log_text = log.read_text(errors="replace") if log.exists() else result.stdout
        if result.returncode != 0 or "Missing character" in log_text:
            raise RuntimeError(f"pdflatex failed on {pdf.name}:\n{log_text[-3000:]}")
        shutil.copyfile(pathlib.Path(scratch) / "sheet.pdf", pdf)


def write(seed, hidden=False, tex_only=False, out=OUT):
    """Write the sheet and its key; returns their paths (PDFs, or the .tex with tex_only)."""
    name = name_of(seed, hidden)
    (out / "tex").mkdir(parents=True, exist_ok=True)
    paths = []
    for suffix, tex in (("", sheet_tex(seed, hidden)), ("-key", key_tex(seed, hidden))):
        source = out / "tex" / f"{name}{suffix}.tex"
        source.write_text(tex)
        if tex_only:
            paths.append(source)
            continue
        pdf = out / f"{name}{suffix}.pdf"
        compile_pdf(tex, pdf)
        paths.append(pdf)
    return paths


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, required=True, help="which numbers (a whole number >= 0)")
    parser.add_argument("--hidden", action="store_true", help="the network with a hidden layer")
    parser.add_argument("--tex-only", action="store_true", help="write the LaTeX only")
    parser.add_argument("--out", type=pathlib.Path, default=OUT, help="where to write (default: %(default)s)")
    args = parser.parse_args(argv)
    if args.seed < 0:
        parser.error("the seed is a whole number >= 0")
    if not args.tex_only and shutil.which("pdflatex") is None:
        sys.exit("pdflatex is missing: `make worksheet` installs TeX (as root), or run tools/install_tex.sh")
    for path in write(args.seed, args.hidden, args.tex_only, args.out):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


if __name__ == "__main__":
    main()
