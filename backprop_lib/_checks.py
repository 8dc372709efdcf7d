"""Input checks shared by every module.

Bad input should fail loudly, with the shapes or values in the message, instead of
broadcasting silently or producing NaN three steps later.

Every public function checks its inputs unless it is called with ``check=False``. The
library passes ``check=False`` only where the inputs were checked already, at the entry
of ``backward`` or ``mlp_backward``: a batch is then checked once, not at every step.
"""

import numpy as np


def as_array(name, a, ndims=(1, 2)):
    """Return `a` as a float array, after checking its rank, size and values."""
    try:
        arr = np.asarray(a, dtype=float)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be numbers, got {a!r} ({err})") from None
    if arr.ndim not in ndims:
        kinds = {0: "a number", 1: "a vector (1-D)", 2: "a matrix or a batch (2-D, one sample per row)"}
        wanted = " or ".join(kinds.get(d, f"{d}-D") for d in ndims)
        raise ValueError(f"{name} must be {wanted}; got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}); a batch needs at least one sample")
    if not np.all(np.isfinite(arr)):
        bad = [tuple(int(i) for i in idx) for idx in np.argwhere(~np.isfinite(arr))[:3]]
        raise ValueError(f"{name} has non-finite values (nan or inf) at {bad}: {arr.tolist()}")
    return arr


def same_shape(name_a, a, name_b, b):
    """Raise unless `a` and `b` have exactly the same shape (no broadcasting)."""
    if a.shape != b.shape:
        raise ValueError(f"{name_a} has shape {a.shape} but {name_b} has shape {b.shape}; they must match")


def whole_number(name, value, minimum=0, allow_none=False):
    """Return `value` after checking it is a whole number >= minimum (or None, if allowed)."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        wanted = f"a whole number >= {minimum}" + (" or None" if allow_none else "")
        raise ValueError(f"{name} must be {wanted}, got {value!r}")
    return int(value)


def n_rows(a):
    """How many samples `a` holds: 1 for a vector, N for a batch (one sample per row)."""
    return 1 if a.ndim == 1 else a.shape[0]


def frozen(values):
    """A read-only float array (a float for a number): editing it in place raises."""
    if np.ndim(values) == 0:
        return float(values)
    a = np.array(values, dtype=float)
    a.flags.writeable = False
    return a
