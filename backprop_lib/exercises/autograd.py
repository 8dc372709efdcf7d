r"""Checkers for the chapter "From hand to machine: a tiny autograd"."""

import numpy as np

from .. import example
from ..autograd import Tensor
from ..network import backward
from ._feedback import Case, Mistake, check


def _mul_backward(a, b, g):
    """The engine's answer: dLoss/da for out = a * b, given g = dLoss/dout."""
    a = Tensor(a)
    (a * b).backward(g)
    return a.grad


def _summed(grad, shape, reduce=np.sum, keepdims=True):
    """`grad` reduced over the axes numpy broadcast to reach it from `shape`."""
    added = grad.ndim - len(shape)
    axes = tuple(range(added)) + tuple(added + i for i, n in enumerate(shape) if n == 1 and grad.shape[added + i] != 1)
    out = reduce(grad, axis=axes, keepdims=True)
    return out.reshape(shape) if keepdims else np.squeeze(out)


def _axis_zero_then_reshape(a, b, g):
    """A usual mistake: always sum over axis 0, then reshape to a's shape (raises for a (2, 1) a)."""
    return (g * b).sum(axis=0).reshape(np.shape(a))


def _axis_zero_kept(a, b, g):
    """The same mistake with keepdims: the leading axes summed, then axis 0 where shapes differ."""
    grad = _leading_axes_only(a, b, g)
    return grad if grad.shape == np.shape(a) else grad.sum(axis=0, keepdims=True)


def _leading_axes_only(a, b, g):
    """A usual mistake: sum the axes numpy put in front of a, not those where a has length 1."""
    grad = g * b
    return grad.sum(axis=tuple(range(grad.ndim - np.ndim(a))))


def check_mul_backward(fn):
    r"""Check fn(a, b, g) -> dLoss/da for out = a * b (numpy broadcasting), given g = dLoss/dout.

    .. math:: \frac{\partial L}{\partial a} = \sum_{\text{broadcast axes}} g \odot b,
              \quad\text{shaped like } a
    """
    # the example: the products W1^ij x^j, whose row sums are W1 x; each gets dLoss/dz1^i
    dL_dz1 = backward(example.W1, example.b1, example.x, example.y).z1
    g = np.broadcast_to(dL_dz1[:, None], example.W1.shape).copy()
    cases = [Case((example.W1, example.x, g), _mul_backward(example.W1, example.x, g)),
             Case((example.x, example.W1, g), _mul_backward(example.x, example.W1, g),
                  "the worked example, with x as a (numpy repeats x for each row of W1)")]
    rng = np.random.default_rng(12)
    for shape_a, shape_b in [((3,), (2, 3)), ((1, 4), (3, 4)), ((2, 1), (2, 3)), ((), (2, 2)), ((2, 3), (2, 3))]:
        a, b = rng.normal(size=shape_a), rng.normal(size=shape_b)
        g = rng.normal(size=np.broadcast_shapes(shape_a, shape_b))
        cases.append(Case((a, b, g), _mul_backward(a, b, g), f"a of shape {shape_a} times b of shape {shape_b}"))
    # the first input where a has an axis of length 1 that numpy stretched: named in a hint
    stretched = next(np.shape(c.args[0]) for c in cases if np.ndim(c.args[0]) == np.ndim(c.args[2])
                     and np.shape(c.args[0]) != np.shape(c.args[2]))
    mistakes = [
        Mistake(f"the axes numpy put in front of a were summed, but not the axes where a has length 1: "
                f"a of shape {stretched} was repeated along its length-1 axis too, so sum over that "
                "axis as well (keeping it, so the result is shaped like a).",
                _leading_axes_only),
        Mistake("sum over the axes where a has length 1 (and those numpy put in front of a), "
                "not always over axis 0.", _axis_zero_then_reshape, _axis_zero_kept),
        Mistake("the result is shaped like out, not like a: numpy repeated a along the broadcast "
                "axes, and every copy adds to the gradient, so sum over those axes.",
                lambda a, b, g: g * b),
        Mistake("the incoming gradient g is missing: the chain rule multiplies the local derivative by it.",
                lambda a, b, g: _summed(np.broadcast_to(b, g.shape), np.shape(a))),
        Mistake("the local derivative of a * b with respect to a is b, not a.",
                lambda a, b, g: _summed(g * a, np.shape(a))),
        Mistake("the copies of a were averaged; each one adds its whole gradient, so sum them.",
                lambda a, b, g: _summed(g * b, np.shape(a), reduce=np.mean)),
        Mistake("the summed axis was dropped: where a has length 1, keep the axis (keepdims=True) "
                "so the gradient is shaped like a.",
                lambda a, b, g: _summed(g * b, np.shape(a), keepdims=False)),
        Mistake("every axis was summed; sum only over the axes numpy broadcast, so the result is shaped like a.",
                lambda a, b, g: np.sum(g * b)),
        Mistake("the sign is flipped: the local derivative of a * b with respect to a is +b.",
                lambda a, b, g: -_summed(g * b, np.shape(a))),
    ]
    # the engine itself would do the work: Tensor.backward, or its broadcast-summing helper
    library = ("autograd.Tensor.backward", "autograd._unbroadcast", "autograd.unbroadcast")
    return check(fn, "check_mul_backward", cases, mistakes, library=library)
