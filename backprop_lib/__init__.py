"""backprop_lib: the small shared package of the course book "Backprop by hand".

Names follow the lecture notes: x, y, W1, b1, z1, z2, y_hat. Each function's
docstring holds its equation and names the chapter that derives it.
"""

from . import autograd, data, example, exercises, plots, training
from .activations import log_softmax, softmax, softmax_backward, softmax_jacobian, softmax_jacobian_from_output
from .display import Table, fmt, glue, latex, substituted, tracks_table
from .gradcheck import numerical_gradient, relative_error
from .layers import linear
from .losses import cross_entropy, cross_entropy_grad, squared_error, squared_error_grad
from .network import Forward, Gradients, backward, forward
from .notes import NOTES_WROTE, STEP_NAMES, STEPS, worked_example
from .data import make_colours
from .training import History, Trained, accuracy, predict, steps_until_right, train

__version__ = "0.1.0"

__all__ = [
    "example", "linear", "softmax", "log_softmax", "softmax_jacobian", "softmax_jacobian_from_output",
    "softmax_backward", "squared_error", "squared_error_grad", "cross_entropy", "cross_entropy_grad",
    "forward", "backward", "Forward", "Gradients", "numerical_gradient", "relative_error",
    "worked_example", "STEPS", "NOTES_WROTE", "STEP_NAMES", "glue", "fmt", "latex", "substituted", "Table", "tracks_table",
    "data", "training", "make_colours", "train", "accuracy", "predict", "steps_until_right", "History", "Trained",
]
