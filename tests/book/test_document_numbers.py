"""The notes' numbers (the table in the design card, typed here as data) against the
library, and against what the book shows.

For every step: the exact value agrees with the library to 1e-4; the notes' value agrees
with the library's notes' track (softmax rounded to one decimal) at the notes' precision,
or, where the notes slip, provably does not and the errata page shows both; and the
chapter that computes the step shows both numbers in its stored outputs or glued values.
"""

import re

import numpy as np
import pytest

import backprop_lib as bl
from helpers import ROOT, shown_text

J = [[1, -1], [-1, 1]]

# step, what the notes wrote, exact (4 d.p.), the notes' decimals, chapter, a slip of the notes?
TABLE = [
    ("Wx", (0.99, -0.48), (0.9900, -0.4800), 2, "01_forward_pass", False),
    ("z1", (0.99, -0.28), (0.9900, -0.2800), 2, "01_forward_pass", False),
    ("exp_z1", (2.71, 0.7), (2.6912, 0.7558), 2, "01_forward_pass", True),  # e^0.99 is not 2.71
    ("sum_exp", 3.41, 3.4470, 2, "01_forward_pass", True),  # follows the slip
    ("z2", (0.8, 0.2), (0.7807, 0.2193), 1, "01_forward_pass", False),  # rounded to 1 d.p.
    ("delta_y", (-0.8, 0.8), (-0.7807, 0.7807), 1, "02_loss", False),
    ("loss", 1.28, 1.2191, 2, "02_loss", False),
    ("dL_dy_hat", (1.6, -1.6), (1.5615, -1.5615), 1, "03_chain_rule", False),
    ("softmax_jacobian", np.multiply(0.16, J), np.multiply(0.1712, J), 2, "04_softmax_jacobian", False),
    ("dL_dz1", (0.512, -0.512), (0.5346, -0.5346), 3, "04_softmax_jacobian", False),
    ("dL_db1", (0.512, -0.512), (0.5346, -0.5346), 3, "05_parameter_gradients", False),
    # x3 written 0.5 once and 0.512 ~ 0.5: the notes' own track gives 0.1536 and 0.4608
    ("dL_dW1", [[0.15, 0.15, 0.45], [-0.15, -0.15, -0.45]],
     [[0.1604, 0.1604, 0.4811], [-0.1604, -0.1604, -0.4811]], 2, "05_parameter_gradients", True),
]
IDS = [row[0] for row in TABLE]


def shows(text, value, decimals):
    """Is `value`, formatted with `decimals` places, in `text` as a whole number (not a prefix)?"""
    s = f"{value:.{decimals}f}"
    return re.search(r"(?<![\d.])" + re.escape(s) + r"(?!\d)", text) is not None


def test_the_example_is_the_notes_example():
    """First in this file: when it fails, the failures below follow from it."""
    from backprop_lib import example
    notes = {"x": [0.3, 0.3, 0.9], "y": [0.0, 1.0], "W1": [[0.2, 0.4, 0.9], [0.1, -0.2, -0.5]], "b1": [0.0, 0.2]}
    for name, value in notes.items():
        assert np.array_equal(getattr(example, name), value), (
            f"backprop_lib/example.py: {name} is {getattr(example, name).tolist()}, the lecture notes' "
            f"{name} is {value}. The book is checked against the notes' numbers, so every number test "
            "fails after such a change; see CONTRIBUTING.md, 'The worked example'.")


@pytest.mark.parametrize("step, notes, exact, decimals, chapter, slip", TABLE, ids=IDS)
def test_exact_value_agrees_with_the_library(step, notes, exact, decimals, chapter, slip):
    np.testing.assert_allclose(bl.worked_example()[step], exact, atol=1e-4, rtol=0)


@pytest.mark.parametrize("step, notes, exact, decimals, chapter, slip", TABLE, ids=IDS)
def test_notes_value_agrees_with_the_notes_track_or_is_a_known_slip(step, notes, exact, decimals, chapter, slip):
    rounded = np.round(bl.worked_example(decimals=1)[step], decimals)
    agrees = np.allclose(rounded, notes, atol=10 ** -(decimals + 3))
    if slip:
        assert not agrees, f"{step}: listed as a slip of the notes, but the notes' track gives the notes' value"
    else:
        assert agrees, f"{step}: the notes' track gives {bl.fmt(rounded, decimals)}, the notes wrote {notes}"


@pytest.mark.parametrize("step, notes, exact, decimals, chapter, slip", TABLE, ids=IDS)
def test_chapter_shows_both_values(step, notes, exact, decimals, chapter, slip):
    text = shown_text(ROOT / "chapters" / f"{chapter}.ipynb")
    for v in np.ravel(exact):
        assert shows(text, v, 4), f"{chapter} never shows the exact {step} entry {v:.4f}"
    for v in np.ravel(bl.worked_example(decimals=1)[step]):
        assert shows(text, v, decimals) or shows(text, v, 4), \
            f"{chapter} never shows the notes' track {step} entry {v:.{decimals}f}"


@pytest.mark.parametrize("step, notes, exact, decimals, chapter, slip",
                         [row for row in TABLE if row[5]], ids=[row[0] for row in TABLE if row[5]])
def test_errata_page_shows_every_slip(step, notes, exact, decimals, chapter, slip):
    text = shown_text(ROOT / "appendix" / "notes.ipynb")
    for wrote, right in zip(np.ravel(notes), np.ravel(exact)):
        if round(wrote, decimals) != round(right, decimals):
            assert shows(text, wrote, decimals) or shows(text, wrote, 1), \
                f"the errata never show the notes' {step} value {wrote}"
            assert shows(text, right, 4), f"the errata never show the exact {step} value {right:.4f}"

