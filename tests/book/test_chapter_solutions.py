"""Solutions a chapter prints as code run as printed, and do what the chapter says."""

import json
import re

import numpy as np
import pytest

import backprop_lib as bl
from backprop_lib import exercises
from backprop_lib.autograd import Tensor
from helpers import ROOT


def solution_code(label, chapter="10_autograd"):
    """The python code of the chapter's solution to exercise `label`, as the reader sees it."""
    chapter = ROOT / "chapters" / f"{chapter}.ipynb"
    cells = json.loads(chapter.read_text())["cells"]
    text = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    solution = text.split("{solution} " + label, 1)[1].split("````", 1)[0]
    return "\n".join(re.findall(r"```python\n(.*?)```", solution, flags=re.S))


@pytest.mark.parametrize("label, printed", [("ex-autograd-relu", "[0. 1.]"), ("ex-autograd-twice", "7.0")])
def test_chapter_solutions_run_as_given(label, printed, capsys):
    namespace = {"np": np, "Tensor": Tensor}
    exec(solution_code(label), namespace)
    assert capsys.readouterr().out.strip() == printed
    if label == "ex-autograd-relu":  # the student's relu agrees with the engine's
        a, b = Tensor([-2.0, 0.5, 3.0]), Tensor([-2.0, 0.5, 3.0])
        weights = np.array([1.0, 2.0, 3.0])
        (namespace["my_relu"](a) * weights).sum().backward()
        (b.relu() * weights).sum().backward()
        np.testing.assert_array_equal(a.grad, [0.0, 2.0, 3.0])
        np.testing.assert_array_equal(a.grad, b.grad)


@pytest.mark.parametrize("chapter, label, function, checker", [
    ("11_hidden_layer", "ex-hl-sigmoid-backward", "my_sigmoid_backward", "check_sigmoid_backward"),
    ("11_hidden_layer", "ex-hl-two-layer", "my_two_layer_backward", "check_two_layer_backward"),
    ("12_backward_recursion", "ex-br-linear-backward", "my_linear_backward", "check_linear_backward"),
    ("13_gradient_flow", "ex-gf-relu-backward", "my_relu_backward", "check_relu_backward"),
    ("13_gradient_flow", "ex-gf-dead-units", "my_dead_units", "check_dead_units"),
    ("14_one_layer_limits", "ex-ol-mlp-step", "my_mlp_step", "check_mlp_step"),
])
def test_depth_solutions_pass_their_checkers(chapter, label, function, checker, capsys):
    namespace = {"np": np, "bl": bl}
    exec(solution_code(label, chapter), namespace)
    assert getattr(exercises, checker)(namespace[function])
    assert capsys.readouterr().out.startswith("Right")


# ---- chapters "Gradient flow through depth" and "What one layer cannot learn" -----------------

def test_dead_unit_prediction_solution_prints_what_it_says(capsys):
    """ex-gf-predict-dead: the first unit's largest z on the colour cube is below 0 (dead),
    the second's above 0, reached at pure green."""
    exec(solution_code("ex-gf-predict-dead", "13_gradient_flow"), {"np": np, "bl": bl})
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines == ["largest z on the cube: -0.05", "largest z on the cube: 0.10"]


def test_tanh_variance_solution_is_well_below_one(capsys):
    """ex-gf-tanh: E[tanh'(z)^2] for standard normal z is well below 1."""
    exec(solution_code("ex-gf-tanh", "13_gradient_flow"), {"np": np, "bl": bl})
    value = float(capsys.readouterr().out)
    assert 0.3 < value < 0.6


def xor_namespace():
    X_xor, Y_xor = bl.make_xor(400, seed=0)   # the chapter's XOR data (tests/book/test_digits.py)
    return {"np": np, "bl": bl, "X_xor": X_xor, "Y_xor": Y_xor}


def test_xor_by_hand_solution_gets_every_point_right(capsys):
    exec(solution_code("ex-ol-xor-by-hand", "14_one_layer_limits"), xor_namespace())
    assert capsys.readouterr().out.strip() == "1.0"


def test_xor_from_zeros_solution_stays_near_chance_with_equal_rows(capsys):
    """ex-ol-zeros: eight sigmoid units started at zeros stay copies of one unit (eight equal
    rows of W1), and one unit cannot do XOR: the accuracy stays near chance."""
    namespace = xor_namespace()
    exec(solution_code("ex-ol-zeros", "14_one_layer_limits"), namespace)
    accuracy = float(capsys.readouterr().out.split()[0])
    assert accuracy < 0.6
    W1 = namespace["stuck"].params[0][0]
    assert W1.shape == (8, 2) and np.abs(W1 - W1[0]).max() < 1e-12 and np.abs(W1).max() > 0
