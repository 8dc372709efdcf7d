"""Exercise checkers: `check_NAME(fn) -> bool`.

Each calls the student's function on the worked example and on random inputs, prints
one line (right; not attempted yet; or the likely mistake, never the answer) and
returns True only when the function is right.
"""

from ._feedback import NOT_ATTEMPTED
from .forward import check_linear, check_softmax
from .loss import check_squared_error, check_squared_error_grad
from .jacobian import check_grad_z1, check_softmax_jacobian
from .gradients import check_grad_b1, check_grad_W1
from .cross_entropy import check_softmax_ce_grad
from .batches import check_batch_grad_W1, check_log_softmax
from .gradcheck import check_numerical_gradient
from .training import check_gd_step

__all__ = ["NOT_ATTEMPTED", "check_linear", "check_softmax_ce_grad", "check_batch_grad_W1", "check_log_softmax"]
__all__ += ["check_numerical_gradient", "check_gd_step"]
__all__ += ["check_softmax", "check_squared_error", "check_squared_error_grad",
            "check_softmax_jacobian", "check_grad_z1", "check_grad_b1", "check_grad_W1"]

from .autograd import check_mul_backward

__all__ += ["check_mul_backward"]

from .dead_units import check_dead_units
from .mlp_training import check_mlp_step

__all__ += ["check_dead_units", "check_mlp_step"]
