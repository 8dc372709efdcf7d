"""backprop_lib.exercises.dead_units: the checker of chapter "Gradient flow through depth",
check_dead_units."""

import numpy as np

import backprop_lib as bl
from backprop_lib.exercises import check_dead_units

from checker_contract import *  # noqa: F401,F403  (the tests every checker must pass)

del test_library_function_is_refused  # noqa: F821  (the library has no function for dead units)
# the answer is one True or False per unit: there is nothing to round
del test_rounded_results_are_close_but_not_exact  # noqa: F821

# the checker's worked example: the example's layer W1, b1 on x and three more colours
X = np.array([bl.example.x, [0.2, 0.5, 0.6], [1.0, 0.0, 0.8], [0.0, 1.0, 0.0]])
Z = X @ bl.example.W1.T + bl.example.b1


def dead_units(Z):
    return np.all(Z <= 0, axis=0)


def dead_units_from_relu(Z):
    """Right too: a unit is dead when relu gives 0 for every sample."""
    return [bool(np.all(np.maximum(column, 0) == 0)) for column in Z.T]


CHECKERS = {
    "check_dead_units": dict(
        checker=check_dead_units, args=(Z,), right=dead_units, others=[dead_units_from_relu],
        mistakes={
            "z = 0 counted alive": (lambda Z: np.all(Z < 0, axis=0), "exactly 0 is dead too"),
            "any instead of all": (lambda Z: np.any(Z <= 0, axis=0), "Use all, not any"),
            "alive instead of dead": (lambda Z: np.any(Z > 0, axis=0), "units that are alive"),
            "per sample": (lambda Z: np.all(Z <= 0, axis=1), "one entry per unit"),
            "a count": (lambda Z: int(np.sum(np.all(Z <= 0, axis=0))), "how many units are dead"),
            "one sample": (lambda Z: Z[0] <= 0, "one sample only"),
            "a fraction": (lambda Z: np.mean(Z <= 0, axis=0), "not a number between them"),
        }),
}


def test_worked_example_has_a_dead_unit_that_touches_zero():
    """Unit 2 of the example's layer is dead on these colours and exactly 0 on one of them,
    so the z < 0 mistake shows on the worked example itself."""
    assert dead_units(Z).tolist() == [False, True]
    assert np.any(Z[:, 1] == 0)
