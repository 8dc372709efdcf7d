"""Checker for the chapter "Gradient flow through depth": which relu units are dead."""

import numpy as np

from .. import example
from ..mlp import init_params, mlp_forward
from ._feedback import Case, Mistake, Symptom, check, random_cases


def _dead(Z):
    return np.all(Z <= 0, axis=0)


def check_dead_units(fn):
    """Check fn(Z) -> one boolean per unit (column of Z), True where the unit is dead: its
    pre-activation z <= 0 for every sample (row of Z), so relu passes no gradient through it."""
    name = "check_dead_units"
    # the example's layer W1, b1 on its x and three more colours: the second unit
    # (z = 0.1 green - 0.2 yellow - 0.5 red + 0.2) is off on all four, exactly 0 on the last
    X = np.array([example.x, [0.2, 0.5, 0.6], [1.0, 0.0, 0.8], [0.0, 1.0, 0.0]])
    Z_example = mlp_forward([(example.W1, example.b1), (example.W2, example.b2)], X).z[0]

    def make(rng):
        n_samples, n_units = int(rng.integers(3, 9)), int(rng.integers(3, 8))
        Z = rng.normal(size=(n_samples, n_units))
        # a few dead units, one of them exactly 0 on some samples (relu'(0) = 0: dead too),
        # and one alive on a single sample only
        dead = rng.choice(n_units, size=2, replace=False)
        Z[:, dead] = -np.abs(Z[:, dead])
        Z[: n_samples // 2, dead[0]] = 0.0
        alive_once = [k for k in range(n_units) if k not in dead][0]
        Z[:, alive_once] = -np.abs(Z[:, alive_once])
        Z[int(rng.integers(n_samples)), alive_once] = 0.5
        return Case((Z,), _dead(Z), f"a random Z of shape {Z.shape}")

    # a relu layer of a real network on a data set: several units off everywhere
    params = init_params((3, 12, 2), "he", seed=5)
    X_cube = np.random.default_rng(5).uniform(0.0, 1.0, size=(30, 3))
    Z_net = mlp_forward(params, X_cube, "relu").z[0]
    cases = [Case((Z_example,), _dead(Z_example)),
             Case((Z_net,), _dead(Z_net), "the first layer of a 3-12-2 relu network on 30 samples")]
    cases += random_cases(11, 4, make)
    mistakes = [
        Mistake("a unit whose z is exactly 0 is dead too: relu'(0) = 0, so no gradient flows "
                "through it. Compare with <= 0, not < 0.", lambda Z: np.all(Z < 0, axis=0)),
        Mistake("a unit is dead only when it is off for every sample; being off for some "
                "samples is normal. Use all, not any.", lambda Z: np.any(Z <= 0, axis=0)),
        Mistake("that marks the units that are alive (on for some sample); a dead unit is the "
                "opposite.", lambda Z: np.any(Z > 0, axis=0)),
        Mistake("that is one entry per sample (row); the answer has one entry per unit, a column "
                "of Z: reduce over axis 0.", lambda Z: np.all(Z <= 0, axis=1)),
        Mistake("that is how many units are dead; return one True or False per unit.",
                lambda Z: np.sum(np.all(Z <= 0, axis=0))),
        Mistake("that looks at one sample only; a unit is dead when it is off for all of them.",
                lambda Z: Z[0] <= 0),
    ]
    symptoms = [Symptom("return one True or False per unit (dead or not), not a number between them.",
                        lambda out, Z: not np.all((out == 0) | (out == 1)))]
    return check(fn, name, cases, mistakes, symptoms)
