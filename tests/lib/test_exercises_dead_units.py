"""backprop_lib.exercises.dead_units: the checker of chapter "Gradient flow through depth",
check_dead_units."""

import numpy as np

import backprop_lib as bl
from backprop_lib.exercises import check_dead_units

from checker_contract import *  # noqa: F401,F403  (the tests every checker must pass)
from helpers import run

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
            "no axis": (lambda Z: np.all(Z <= 0), "one True or False for the whole layer"),
            "z added up": (lambda Z: Z.sum(axis=0) <= 0, "not when its z add up"),
            "z averaged": (lambda Z: np.mean(Z, axis=0) <= 0, "not when its z add up"),
            "a tolerance": (lambda Z: np.all(Z < 1e-4, axis=0), "without a tolerance"),
            "np.isclose": (lambda Z: np.all(np.isclose(np.maximum(Z, 0), 0), axis=0), "without a tolerance"),
            "mean output near 0": (lambda Z: np.maximum(Z, 0).mean(axis=0) < 1e-3, "without a tolerance"),
            "positions": (lambda Z: np.where(np.all(Z <= 0, axis=0))[0], "positions of the dead units"),
            "np.nonzero": (lambda Z: np.nonzero(np.all(Z <= 0, axis=0)), "positions of the dead units"),
        }),
}


def test_worked_example_has_a_dead_unit_that_touches_zero():
    """Unit 2 of the example's layer is dead on these colours and exactly 0 on one of them,
    so the z < 0 mistake shows on the worked example itself."""
    assert dead_units(Z).tolist() == [False, True]
    assert np.any(Z[:, 1] == 0)


def test_a_tolerance_is_caught_by_a_unit_alive_by_a_hair(capsys):
    """A unit on for one sample with z = 1e-9 is alive: an answer that compares with a
    tolerance calls it dead, and the checker says why (it passed before this case)."""
    ok, lines = run(check_dead_units, lambda Z: np.maximum(Z, 0).mean(axis=0) < 1e-3, capsys)
    assert ok is False and "however small" in lines[0], lines
