"""backprop_lib: the small shared package of the course book "Backprop by hand".

Names follow the lecture notes: x, y, W1, b1, z1, z2, y_hat; in the depth part,
layer-indexed z_l, a_l, delta_l. Each function's docstring holds its equation and names
the chapter that derives it. One module per concept:

- activations: softmax, its Jacobian and backward step; sigmoid, tanh, relu and theirs
- layers: the linear layer, forward and backward
- losses: squared error and cross-entropy, and their gradients
- network: the notes' one-layer network, forward and backward
- mlp: a network of any depth, forward and backward, and its initialization
- notes: the notes' worked example on both tracks, and the hidden-layer example
- gradcheck: finite differences; autograd: a tiny reverse-mode engine
- data, training: small data sets, the digits, and gradient descent for one layer or many;
  plots, display: figures, numbers
- exercises: checkers that say what is wrong with a student's function
"""

from . import (activations, autograd, data, display, example, exercises, gradcheck, layers, losses, mlp,
               network, notes, plots, training)
from .activations import (log_softmax, relu, relu_backward, sigmoid, sigmoid_backward, softmax,
                          softmax_backward, softmax_jacobian, softmax_jacobian_from_output, tanh,
                          tanh_backward)
from .data import Digits, load_digits, make_colours, make_xor
from .display import Table, fmt, glue, latex
from .gradcheck import numerical_gradient, relative_error
from .layers import linear, linear_backward, substituted
from .losses import (cross_entropy, cross_entropy_from_logits, cross_entropy_grad, softmax_cross_entropy_grad,
                     squared_error, squared_error_grad)
from .mlp import MLPForward, MLPGradients, init_params, mlp_backward, mlp_forward
from .network import Forward, Gradients, backward, forward
from .notes import (HIDDEN_STEPS, NOTES_WROTE, STEP_NAMES, STEPS, tracks_table, worked_example,
                    worked_example_hidden)
from .training import (History, MLPHistory, Trained, TrainedMLP, accuracy, accuracy_mlp, predict, predict_mlp,
                       steps_until_right, train, train_mlp)

__version__ = "0.1.0"

__all__ = [
    # modules
    "activations", "autograd", "data", "display", "example", "exercises", "gradcheck", "layers", "losses",
    "mlp", "network", "notes", "plots", "training",
    # the notes' network
    "linear", "softmax", "log_softmax", "softmax_jacobian", "softmax_jacobian_from_output",
    "softmax_backward", "squared_error", "squared_error_grad", "cross_entropy", "cross_entropy_grad",
    "cross_entropy_from_logits", "softmax_cross_entropy_grad", "forward", "backward", "Forward", "Gradients",
    # through depth
    "sigmoid", "sigmoid_backward", "tanh", "tanh_backward", "relu", "relu_backward", "linear_backward",
    "init_params", "mlp_forward", "mlp_backward", "MLPForward", "MLPGradients",
    # checking, the worked examples, numbers in prose
    "numerical_gradient", "relative_error", "worked_example", "worked_example_hidden", "STEPS", "HIDDEN_STEPS",
    "NOTES_WROTE", "STEP_NAMES", "tracks_table", "glue", "fmt", "latex", "substituted", "Table",
    # data and training
    "make_colours", "train", "accuracy", "predict", "steps_until_right", "History", "Trained",
    # through depth: data and training
    "make_xor", "load_digits", "Digits", "train_mlp", "accuracy_mlp", "predict_mlp", "MLPHistory", "TrainedMLP",
]
