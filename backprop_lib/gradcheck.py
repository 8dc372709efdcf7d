"""Finite differences: the independent check of every gradient (chapter "Gradient checking")."""

import numpy as np


def numerical_gradient(f, a, eps=1e-6):
    r"""Central differences of the scalar f(a) for every entry of a.

    .. math:: \frac{\partial f}{\partial a_k} \approx \frac{f(a + \varepsilon e_k) - f(a - \varepsilon e_k)}{2\varepsilon}

    The error is O(eps^2) (the one-sided difference's is O(eps)). Returns an array
    shaped like `a`; `a` itself is left unchanged (f sees perturbed copies).
    """
    if not (np.isscalar(eps) and np.isfinite(eps) and eps > 0):
        raise ValueError(f"eps must be a positive finite number, got {eps!r}")
    a = np.array(a, dtype=float)
    if a.size == 0:
        raise ValueError(f"a is empty (shape {a.shape})")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"a has non-finite values: {a.tolist()}")
    grad = np.zeros_like(a)
    for k in np.ndindex(a.shape):
        values = []
        for step in (+eps, -eps):
            shifted = a.copy()
            shifted[k] += step
            out = np.asarray(f(shifted), dtype=float)
            if out.ndim != 0:
                raise ValueError(f"f must return a scalar, it returned shape {out.shape}")
            if not np.isfinite(out):
                raise ValueError(f"f returned {float(out)} at a[{k}] {'+' if step > 0 else '-'} eps")
            values.append(float(out))
        grad[k] = (values[0] - values[1]) / (2 * eps)
    return grad


def relative_error(a, b):
    r"""Largest entry-wise difference relative to the larger magnitude:

    .. math:: \max_k |a_k - b_k| \,/\, \max(\max_k |a_k|, \max_k |b_k|, 10^{-300})
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"a has shape {a.shape} but b has shape {b.shape}")
    scale = max(np.abs(a).max(initial=0.0), np.abs(b).max(initial=0.0), 1e-300)
    return float(np.abs(a - b).max(initial=0.0) / scale)
