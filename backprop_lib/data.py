"""A small synthetic data set in the spirit of the notes' example (chapter "Training")."""

import numbers

import numpy as np


def make_colours(n, seed=0, noise=0.05):
    r"""n samples of three colour features (green, yellow, red) and two classes (exact, test).

    Each feature is drawn uniformly from [0, 1]. A sample belongs to class "test" when its
    red is larger than the mean of its green and yellow, up to some noise:

    .. math:: \text{test} \iff x_\text{red} - \tfrac12 (x_\text{green} + x_\text{yellow}) + \epsilon > 0,
              \qquad \epsilon \sim \mathcal N(0, \text{noise}^2)

    and to class "exact" otherwise. The notes' x = (0.3, 0.3, 0.9) is a clear "test".
    Because of the noise, samples near the boundary sometimes get the other label, so no
    model classifies every sample right; noise=0 gives the rule without exceptions.

    Returns (X, Y): X of shape (n, 3), one sample per row, columns as in
    ``example.INPUT_LABELS``; Y of shape (n, 2), one-hot, columns as in
    ``example.OUTPUT_LABELS``. The same n, seed and noise always give the same data.
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"n must be a whole number >= 1, got {n!r}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a whole number >= 0, got {seed!r}")
    if isinstance(noise, bool) or not isinstance(noise, numbers.Real) or not (0 <= noise < np.inf):
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    rng = np.random.default_rng(seed)
    X = rng.uniform(0.0, 1.0, size=(int(n), 3))
    green, yellow, red = X.T
    score = red - 0.5 * (green + yellow) + noise * rng.normal(size=int(n))
    is_test = score > 0
    Y = np.stack([~is_test, is_test], axis=1).astype(float)
    return X, Y


#: the rule behind make_colours as weights on (green, yellow, red): "test" when RULE @ x > 0
RULE = np.array([-0.5, -0.5, 1.0])
RULE.flags.writeable = False
