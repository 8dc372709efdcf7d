"""Exercise checkers: `check_NAME(fn) -> Verdict`.

Each calls the student's function on the worked example and on random inputs, prints
one line (right; not attempted yet; or the likely mistake, never the answer) and
returns a Verdict: `bool(check_NAME(fn))` is True exactly when the function is right.
A function that hands the work to the library's own implementation is not right: the
exercise asks for it to be written. `latest_verdict("check_NAME")` is the Verdict that
checker returned last (what a graded assignment reads under the checker's cell).
"""

from ._feedback import NOT_ATTEMPTED, Verdict, latest_verdict
from .forward import check_linear, check_softmax
from .loss import check_squared_error, check_squared_error_grad
from .jacobian import check_grad_z1, check_softmax_jacobian
from .gradients import check_grad_b1, check_grad_W1
from .gradcheck import check_numerical_gradient
from .training import check_gd_step
from .cross_entropy import check_softmax_ce_grad
from .batches import check_batch_grad_W1, check_log_softmax
from .autograd import check_mul_backward
from .depth import check_linear_backward, check_relu_backward, check_sigmoid_backward, check_two_layer_backward
from .dead_units import check_dead_units
from .mlp_training import check_mlp_step

# in the order of the chapters
__all__ = [
    "NOT_ATTEMPTED", "Verdict", "latest_verdict",
    "check_linear", "check_softmax", "check_squared_error", "check_squared_error_grad",
    "check_softmax_jacobian", "check_grad_z1", "check_grad_b1", "check_grad_W1",
    "check_numerical_gradient", "check_gd_step", "check_softmax_ce_grad", "check_batch_grad_W1",
    "check_log_softmax", "check_mul_backward",
    "check_linear_backward", "check_sigmoid_backward", "check_relu_backward", "check_two_layer_backward",
    "check_dead_units", "check_mlp_step",
]
