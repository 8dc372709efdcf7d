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
])
def test_depth_solutions_pass_their_checkers(chapter, label, function, checker, capsys):
    namespace = {"np": np, "bl": bl}
    exec(solution_code(label, chapter), namespace)
    assert getattr(exercises, checker)(namespace[function])
    assert capsys.readouterr().out.startswith("Right")
