"""Exercise checkers: `check_NAME(fn) -> bool`.

Each calls the student's function on the worked example and on random inputs, prints
one line (right; not attempted yet; or the likely mistake, never the answer) and
returns True only when the function is right.
"""

from ._feedback import NOT_ATTEMPTED
from .forward import check_linear

__all__ = ["NOT_ATTEMPTED", "check_linear"]
