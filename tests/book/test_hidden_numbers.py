"""The hidden-layer example's numbers (the table of the design card, "Through depth", typed
here as data) against the library, and against what chapter "A hidden layer" shows.

For every step: the value agrees to 1e-4 with `bl.worked_example_hidden()` (each step
computed on its own) and with what `bl.mlp_forward` / `bl.mlp_backward` compute for the
network, and the chapter shows it to 4 decimals in its stored outputs or glued values.
"""

import numpy as np
import pytest

import backprop_lib as bl
from helpers import ROOT, shown_text
from test_document_numbers import shows

CHAPTER = ROOT / "chapters" / "11_hidden_layer.ipynb"

# step, exact value to 4 d.p. (the design card's table)
TABLE = [
    ("z1", (0.9900, -0.2800)),
    ("h", (0.7291, 0.4305)),
    ("dsigma", (0.1975, 0.2452)),                      # sigma'(z1) = h (1 - h)
    ("z2", (0.4083, 0.0555)),
    ("y_hat", (0.5873, 0.4127)),
    ("loss", 0.6898),
    ("dL_dy_hat", (1.1746, -1.1746)),
    ("delta2", (0.5694, -0.5694)),
    ("dL_dW2", [[0.4151, 0.2451], [-0.4151, -0.2451]]),
    ("dL_db2", (0.5694, -0.5694)),                     # = delta2
    ("dL_dh", (0.4555, -0.5694)),
    ("delta1", (0.0900, -0.1396)),
    ("dL_dW1", [[0.0270, 0.0270, 0.0810], [-0.0419, -0.0419, -0.1256]]),
    ("dL_db1", (0.0900, -0.1396)),                     # = delta1
    ("dL_dx", (0.0040, 0.0639, 0.1508)),
]
CROSS_ENTROPY_LOSS = 0.8850
IDS = [step for step, _ in TABLE]


def by_the_network():
    """Every step as the layer API computes it, for params = [(W1, b1), (W2, b2)]."""
    ex = bl.example
    params = [(ex.W1, ex.b1), (ex.W2, ex.b2)]
    fwd = bl.mlp_forward(params, ex.x)
    grads = bl.mlp_backward(params, ex.x, ex.y)
    (dW1, db1), (dW2, db2) = grads.params
    return {
        "z1": fwd.z[0], "h": fwd.a[1], "z2": fwd.z[1], "y_hat": fwd.y_hat, "loss": grads.loss,
        # mlp_backward uses these two on the way without returning them
        "dsigma": bl.sigmoid_backward(fwd.z[0], np.ones(2)),
        "dL_dy_hat": bl.squared_error_grad(ex.y, fwd.y_hat),
        "delta2": grads.z[1], "dL_dW2": dW2, "dL_db2": db2,
        "dL_dh": ex.W2.T @ grads.z[1],
        "delta1": grads.z[0], "dL_dW1": dW1, "dL_db1": db1, "dL_dx": grads.x,
    }


def test_the_second_layer_is_the_design_example():
    """First in this file: when it fails, the failures below follow from it."""
    assert np.array_equal(bl.example.W2, [[0.6, -0.3], [-0.2, 0.7]])
    assert np.array_equal(bl.example.b2, [0.1, -0.1])


def test_the_table_has_every_step_of_the_library():
    assert IDS == list(bl.HIDDEN_STEPS)


@pytest.mark.parametrize("step, value", TABLE, ids=IDS)
def test_step_by_step_agrees_with_the_table(step, value):
    np.testing.assert_allclose(bl.worked_example_hidden()[step], value, atol=1e-4, rtol=0)


@pytest.mark.parametrize("step, value", TABLE, ids=IDS)
def test_the_layer_api_agrees_with_the_table(step, value):
    np.testing.assert_allclose(by_the_network()[step], value, atol=1e-4, rtol=0)


@pytest.mark.parametrize("step, value", TABLE, ids=IDS)
def test_chapter_shows_the_value(step, value):
    text = shown_text(CHAPTER)
    for v in np.ravel(value):
        assert shows(text, v, 4), f"{CHAPTER.name} never shows the {step} entry {v:.4f}"


def test_cross_entropy_loss():
    ex = bl.example
    assert bl.worked_example_hidden(loss="cross_entropy")["loss"] == pytest.approx(CROSS_ENTROPY_LOSS, abs=1e-4)
    grads = bl.mlp_backward([(ex.W1, ex.b1), (ex.W2, ex.b2)], ex.x, ex.y, loss="cross_entropy")
    assert grads.loss == pytest.approx(CROSS_ENTROPY_LOSS, abs=1e-4)
    assert shows(shown_text(CHAPTER), CROSS_ENTROPY_LOSS, 4), f"{CHAPTER.name} never shows the cross-entropy loss"
