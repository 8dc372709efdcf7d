r"""Checkers for the part "Backprop through depth": a linear layer's backward step, the
activations' backward steps, and the whole backward pass of a network with a hidden layer.

Each is called as its library counterpart is (`linear_backward`, `sigmoid_backward`,
`relu_backward`, `mlp_backward` for two layers) and refuses a function that calls it.
"""

import numpy as np

from .. import example
from ..activations import relu_backward, sigmoid, sigmoid_backward, softmax, softmax_backward
from ..layers import linear, linear_backward
from ..mlp import mlp_backward
from ._feedback import EXP_OVERFLOW, Case, Mistake, Symptom, check

#: what a function would call to hand the work to the library: the exercise's own function,
#: the network's whole backward pass, or the autograd engine
ENGINE = ("mlp_backward", "autograd.Tensor.backward")

SIGN = "the sign is flipped: the chain rule multiplies local derivatives, it adds no minus sign."


def _hidden_layer():
    """The hidden-layer example's z1, h = sigmoid(z1), delta2 and dL/dh = W2^T delta2."""
    z1 = linear(example.W1, example.x, example.b1)
    params = [(example.W1, example.b1), (example.W2, example.b2)]
    delta2 = mlp_backward(params, example.x, example.y).z[1]
    return z1, sigmoid(z1), delta2, example.W2.T @ delta2


# ---- a linear layer's backward step -------------------------------------------------------

def _layer_grads(W, x, d, dW=None, db=None, dx=None):
    """The right (dL_dW, dL_db, dL_dx) of z = W x + b, with any of them replaced (a mistake in it)."""
    right = linear_backward(W, x, d, check=False)
    return tuple(right[k] if mine is None else mine for k, mine in enumerate((dW, db, dx)))


def _rows(a):
    """a as a batch: one sample per row (a single sample is a batch of one)."""
    return np.atleast_2d(a)


def check_linear_backward(fn):
    r"""Check fn(W, x, dL_dz) -> (dL_dW, dL_db, dL_dx) for the linear layer z = W x + b.

    .. math:: \frac{\partial L}{\partial W} = \delta\, x^T,\qquad
              \frac{\partial L}{\partial b} = \delta,\qquad
              \frac{\partial L}{\partial x} = W^T \delta,\qquad \delta = \frac{\partial L}{\partial z}

    For a batch (one sample per row) dL_dW and dL_db add up the rows' contributions and
    dL_dx has one row per sample. Tried on both layers of the hidden-layer example, on
    random layers and on random batches.
    """
    z1, h, delta2, dL_dh = _hidden_layer()
    delta1 = sigmoid_backward(z1, dL_dh)

    def case(W, x, d, about):
        return Case((W, x, d), linear_backward(W, x, d), about)

    cases = [case(example.W2, h, delta2, "the worked example's second layer (W2, h, delta2)"),
             case(example.W1, example.x, delta1, "the worked example's first layer (W1, x, delta1)")]
    rng = np.random.default_rng(31)
    for n_out, n_in, rows in [(3, 2, None), (2, 4, None), (3, 3, None), (2, 3, 4), (3, 3, 5), (4, 2, 3)]:
        lead = () if rows is None else (rows,)
        W, x, d = rng.normal(size=(n_out, n_in)), rng.normal(size=lead + (n_in,)), rng.normal(size=lead + (n_out,))
        cases.append(case(W, x, d, f"a random {n_out}x{n_in} layer" + (f" and a batch of {rows}" if rows else "")))

    mistakes = [
        Mistake("dL/dx uses W where the chain rule needs its transpose: each x_j reaches every z_i "
                "through W_ij, so dL/dx_j adds up W_ij delta_i over i, a column of W: W^T delta.",
                lambda W, x, d: _layer_grads(W, x, d, dx=d @ W.T)),
        Mistake("for a batch, row n of dL/dx is (W^T delta_n)^T, a row, and transposing a product "
                "reverses it and transposes each factor, (A B)^T = B^T A^T: with the deltas as rows "
                "the transpose of W cancels, so the W^T of one sample does not carry over.",
                lambda W, x, d: _layer_grads(W, x, d, dx=d @ W.T if np.ndim(x) == 2 else None)),
        Mistake("the outer product is the wrong way round: dL/dW is shaped like W, (outputs, inputs), "
                "with entry (i, j) = delta_i x_j: delta x^T, not x delta^T.",
                lambda W, x, d: _layer_grads(W, x, d, dW=_rows(x).T @ _rows(d))),
        Mistake("for a batch, each sample adds its own delta x^T: add them up over the rows, so that "
                "dL/dW is shaped like W.",
                lambda W, x, d: _layer_grads(W, x, d, dW=np.einsum("ni,nj->nij", _rows(d), _rows(x)))),
        Mistake("a batch holds one sample per row, and the one-sample formulas break on it: dL/dW "
                "adds up every row's delta x^T, dL/db every row's delta, and dL/dx has one row per sample.",
                lambda W, x, d: (np.outer(d, x), d, W.T @ d)),
        Mistake("for a batch, dL/db adds up the rows of delta (one row per sample), so that it is "
                "shaped like b.", lambda W, x, d: _layer_grads(W, x, d, db=d)),
        Mistake("dL/db adds up over the samples, and the samples are the rows: summing along each row "
                "(axis=1) adds up the outputs of one sample instead.",
                lambda W, x, d: _layer_grads(W, x, d, db=d.sum(axis=1) if np.ndim(d) == 2 else None)),
        Mistake("the rows' contributions are averaged; they are added up: dL_dz of a mean loss "
                "already carries the 1/N.",
                lambda W, x, d: _layer_grads(W, x, d, dW=_rows(d).T @ _rows(x) / len(_rows(x)),
                                             db=_rows(d).mean(axis=0))),
        Mistake("dL/dx has one row per sample (each sample has its own x): do not add the rows up.",
                lambda W, x, d: _layer_grads(W, x, d, dx=(_rows(d) @ W).sum(axis=0))),
        Mistake("dL/db has one entry per output, shaped like b: do not add the entries of delta up.",
                lambda W, x, d: _layer_grads(W, x, d, db=np.sum(d))),
        Mistake("return the three gradients in the order (dL_dW, dL_db, dL_dx).",
                *[lambda W, x, d, order=order: tuple(_layer_grads(W, x, d)[k] for k in order)
                  for order in [(1, 0, 2), (0, 2, 1), (2, 0, 1), (1, 2, 0), (2, 1, 0)]]),
        Mistake(SIGN, lambda W, x, d: tuple(-g for g in _layer_grads(W, x, d))),
    ]
    return check(fn, "check_linear_backward", cases, mistakes, parts=("dL_dW", "dL_db", "dL_dx"),
                 library=("linear_backward", *ENGINE))


# ---- the activations' backward steps ------------------------------------------------------

def _activation_cases(f_backward, seed, extreme):
    """The hidden-layer example's z1 and dL/dh, random vectors and batches, then `extreme`
    (z, what it is); dL/da is random where the example does not give it."""
    z1, _, _, dL_dh = _hidden_layer()
    rng = np.random.default_rng(seed)
    cases = [Case((z1, dL_dh), f_backward(z1, dL_dh), "the worked example's z1 and dL/dh")]
    for shape in [(3,), (5,), (4, 3), (2, 5)]:
        z, g = rng.normal(scale=2.0, size=shape), rng.normal(size=shape)
        cases.append(Case((z, g), f_backward(z, g), f"a random z of shape {shape}"))
    for z, about in extreme:
        z = np.array(z, dtype=float)
        g = rng.normal(size=z.shape)
        cases.append(Case((z, g), f_backward(z, g), about))
    return cases


def check_sigmoid_backward(fn):
    r"""Check fn(z, dL_da) -> dL/dz for a = sigmoid(z), entry by entry:

    .. math:: \frac{\partial L}{\partial z} = \sigma'(z) \odot \frac{\partial L}{\partial a},\qquad
              \sigma'(z) = a\,(1 - a),\quad a = \sigma(z)

    The derivative is taken at z, the pre-activation the function is given.
    """
    cases = _activation_cases(sigmoid_backward, 32, [((-800.0, 0.5, 800.0), "large z (-800, 0.5, 800)")])

    def s(z):
        return sigmoid(z, check=False)

    mistakes = [
        Mistake("the sigmoid is applied to the activation again: sigmoid(a) (1 - sigmoid(a)) is the "
                "derivative taken at a. It belongs at z: with a = sigmoid(z) it is a (1 - a).",
                lambda z, g: s(s(z)) * (1 - s(s(z))) * g),
        Mistake("z (1 - z) treats z as the activation: the function is given z, the pre-activation, "
                "and the derivative a (1 - a) needs a = sigmoid(z) first.",
                lambda z, g: z * (1 - z) * g),
        Mistake("the derivative is missing: dL/dz multiplies dL/da by the local derivative sigmoid'(z).",
                lambda z, g: g),
        Mistake("that multiplies by the activation sigmoid(z) itself; the chain rule needs its "
                "derivative, a (1 - a).", lambda z, g: s(z) * g, lambda z, g: (1 - s(z)) * g),
        Mistake("that is sigmoid'(z) alone; multiply it by dL_da, entry by entry.",
                lambda z, g: s(z) * (1 - s(z))),
        Mistake("the diagonal matrix diag(sigmoid'(z)) serves one sample only: on a batch (one "
                "sample per row) np.diag does not build it. A diagonal matrix times a vector "
                "multiplies entry by entry, and that works row by row too.",
                lambda z, g: np.diag(s(z) * (1 - s(z))).T @ g),
        Mistake("1 - a^2 is the derivative of tanh; the sigmoid's is a (1 - a).",
                lambda z, g: (1 - s(z) ** 2) * g),
        Mistake(SIGN, lambda z, g: -s(z) * (1 - s(z)) * g),
    ]
    symptoms = [
        Symptom(f"nan or inf for large |z|: exp(-z) overflows beyond about {EXP_OVERFLOW:.0f}; write the "
                "derivative with a = sigmoid(z) as a (1 - a), which stays finite.",
                lambda out, z, g: not np.all(np.isfinite(out)) and np.abs(z).max() > EXP_OVERFLOW),
    ]
    return check(fn, "check_sigmoid_backward", cases, mistakes, symptoms, library=("sigmoid_backward", *ENGINE))


def check_relu_backward(fn):
    r"""Check fn(z, dL_da) -> dL/dz for a = relu(z) = max(0, z), entry by entry:

    .. math:: \frac{\partial L}{\partial z} = [z > 0] \odot \frac{\partial L}{\partial a}

    relu'(0) = 0 in this book, as in most libraries: the inputs include entries of z that
    are exactly 0.
    """
    cases = _activation_cases(relu_backward, 33, [((0.0, 1.5, -2.0, 0.0), "z with entries exactly 0"),
                                                  ([[0.0, -1.0], [2.0, 0.0]], "a batch with entries exactly 0")])
    mistakes = [
        Mistake("at z = 0 this book takes relu'(0) = 0: pass dL/da on only where z > 0, not where z >= 0.",
                lambda z, g: np.where(z >= 0, g, 0.0)),
        Mistake("the step is taken from the sign of dL_da; relu'(z) depends on z: dL/da passes where "
                "z > 0 and is stopped where z <= 0.", lambda z, g: np.where(g > 0, g, 0.0)),
        Mistake("the derivative is missing: dL/dz multiplies dL/da by relu'(z), which is 1 where "
                "z > 0 and 0 elsewhere.", lambda z, g: g),
        Mistake("that multiplies by the activation relu(z) itself; the chain rule needs its "
                "derivative, 1 where z > 0 and 0 elsewhere.",
                lambda z, g: np.maximum(z, 0.0) * g, lambda z, g: z * g),
        Mistake("that is relu'(z) alone; multiply it by dL_da, entry by entry.",
                lambda z, g: (z > 0).astype(float)),
        Mistake("the step is reversed: dL/da passes where z > 0, where the relu lets z through.",
                lambda z, g: np.where(z < 0, g, 0.0), lambda z, g: np.where(z <= 0, g, 0.0)),
        Mistake(SIGN, lambda z, g: -np.where(z > 0, g, 0.0)),
    ]
    return check(fn, "check_relu_backward", cases, mistakes, library=("relu_backward", *ENGINE))


# ---- the backward pass of a network with a hidden layer ------------------------------------

def two_layer_pass(W1, b1, W2, b2, x, y, dsigma=None, back=None, delta2_of=None, outer=np.outer,
                   logits=False, input2=None):
    """The two-layer backward pass of chapter "A hidden layer", one quantity a line; each
    keyword replaces one step with a classic mistake, for the checker's list of mistakes
    (`logits`: the softmax's backward step is handed z2 in place of y_hat; `input2(z1, h)`:
    what dL/dW2 takes in place of the second layer's input h)."""
    z1 = W1 @ x + b1
    h = sigmoid(z1, check=False)
    z2 = W2 @ h + b2
    y_hat = softmax(z2, check=False)
    dL_dy_hat = -2 * (y - y_hat)
    delta2 = (delta2_of or softmax_backward)(z2 if logits else y_hat, dL_dy_hat)
    dL_dh = back(W2, delta2) if back else W2.T @ delta2
    delta1 = (dsigma(z1, h) if dsigma else h * (1 - h)) * dL_dh
    return outer(delta1, x), delta1, outer(delta2, input2(z1, h) if input2 else h), delta2


def _w2_updated_first(out, W1, b1, W2, b2, x, y):
    """Does the result come from W2 - lr dL_dW2, for any lr, where W2 belongs?

    With W2' = W2 - lr delta2 h^T, dL/dh becomes W2^T delta2 - lr |delta2|^2 h, so dL_dW1 moves
    from the right one by a multiple of |delta2|^2 (h^2 (1 - h)) x^T."""
    dL_dW1, dL_db1, _, delta2 = two_layer_pass(W1, b1, W2, b2, x, y)
    h = sigmoid(W1 @ x + b1, check=False)
    towards = (delta2 @ delta2) * h * h * (1 - h)
    moved = np.outer(towards, x)
    lr = np.sum((out[0] - dL_dW1) * moved) / np.sum(moved * moved)
    return (abs(lr) > 1e-6 and np.allclose(out[0], dL_dW1 + lr * moved, rtol=1e-6, atol=1e-9)
            and np.allclose(out[1], dL_db1 + lr * towards, rtol=1e-6, atol=1e-9))


def check_two_layer_backward(fn):
    r"""Check fn(W1, b1, W2, b2, x, y) -> (dL_dW1, dL_db1, dL_dW2, dL_db2) for one sample
    through h = sigmoid(W1 x + b1), y_hat = softmax(W2 h + b2) and the squared error:

    .. math::
        \delta_2 = J^T \frac{\partial L}{\partial \hat y},\quad
        \frac{\partial L}{\partial W_2} = \delta_2 h^T,\quad
        \delta_1 = \sigma'(z_1) \odot W_2^T \delta_2,\quad
        \frac{\partial L}{\partial W_1} = \delta_1 x^T

    with every gradient taken at the weights of the forward pass.
    """
    def case(W1, b1, W2, b2, x, y, about):
        g = mlp_backward([(W1, b1), (W2, b2)], x, y)
        return Case((W1, b1, W2, b2, x, y), (*g.params[0], *g.params[1]), about)

    cases = [case(example.W1, example.b1, example.W2, example.b2, example.x, example.y,
                  "the worked example")]
    rng = np.random.default_rng(34)
    for n_in, n_hidden, n_out in [(3, 4, 2), (2, 3, 3), (4, 3, 3), (3, 2, 4)]:
        y = np.eye(n_out)[rng.integers(n_out)]
        cases.append(case(rng.normal(size=(n_hidden, n_in)), rng.normal(size=n_hidden),
                          rng.normal(size=(n_out, n_hidden)), rng.normal(size=n_out), rng.normal(size=n_in), y,
                          f"a random {n_in}-{n_hidden}-{n_out} network"))

    def slip(**kwargs):
        return lambda *args: two_layer_pass(*args, **kwargs)

    mistakes = [
        Mistake("the sigmoid's derivative is missing from delta1: delta1 = sigmoid'(z1) * dL/dh.",
                slip(dsigma=lambda z1, h: 1.0)),
        Mistake("dL/dh needs the transpose of W2: dL/dh = W2^T delta2 (each h_j reaches every z2_i "
                "through W2_ij).", slip(back=lambda W2, d: W2 @ d)),
        Mistake("dL/dh is missing W2: the error reaches h through the weights, dL/dh = W2^T delta2.",
                slip(back=lambda W2, d: d)),
        Mistake("the sigmoid's derivative is taken at h, not at z1: sigmoid(h) (1 - sigmoid(h)) applies "
                "the sigmoid twice; with h = sigmoid(z1), sigmoid'(z1) = h (1 - h).",
                slip(dsigma=lambda z1, h: sigmoid(h, check=False) * (1 - sigmoid(h, check=False)))),
        Mistake("z1 (1 - z1) treats z1 as the activation: sigmoid'(z1) = h (1 - h) with h = sigmoid(z1).",
                slip(dsigma=lambda z1, h: z1 * (1 - z1))),
        Mistake("delta2 skips the softmax: dL/dz2 = J^T dL/dy_hat, through the softmax's Jacobian.",
                slip(delta2_of=lambda y_hat, g: g)),
        Mistake("softmax_backward takes the softmax's output y_hat, not the logits z2: its Jacobian "
                "diag(y_hat) - y_hat y_hat^T is written with the output (chapter \"The softmax "
                "Jacobian\" called that output z2; here z2 is the second layer's logits).",
                slip(logits=True)),
        Mistake("delta2 = y_hat - y is the cross-entropy's; this network's loss is the squared error, "
                "whose dL/dy_hat goes back through the softmax's Jacobian.",
                slip(delta2_of=lambda y_hat, g: g / 2)),
        Mistake("dL/dW2 = delta2 a^T takes the second layer's input a, which is h = sigmoid(z1), the "
                "hidden layer's output, not its pre-activation z1.", slip(input2=lambda z1, h: z1)),
        Mistake("an outer product is the wrong way round: dL/dW is shaped like W, delta a^T "
                "(a row per output), not a delta^T.", slip(outer=lambda d, a: np.outer(a, d))),
        Mistake("return the four gradients in the order (dL_dW1, dL_db1, dL_dW2, dL_db2), the first "
                "layer's first.", lambda *args: two_layer_pass(*args)[2:] + two_layer_pass(*args)[:2]),
        Mistake("the sign is flipped: dL/dy_hat = -2 (y - y_hat), and no other step adds a minus sign.",
                lambda *args: tuple(-g for g in two_layer_pass(*args))),
    ]
    symptoms = [
        Symptom("W2 was updated before delta1 was computed: dL/dh = W2^T delta2 needs the W2 of the "
                "forward pass. Compute every gradient first; the update comes after, outside this "
                "function.", _w2_updated_first),
    ]
    changes = ("your function changes {} (an update such as {} -= lr * ...): it computes the "
               "gradients only, every one at the weights of the forward pass; the update comes after.")
    in_place = {k: changes.format(name, name) for k, name in enumerate(["W1", "b1", "W2", "b2"])}
    return check(fn, "check_two_layer_backward", cases, mistakes, symptoms, in_place=in_place,
                 parts=("dL_dW1", "dL_db1", "dL_dW2", "dL_db2"),
                 library=("linear_backward", "sigmoid_backward", "backward", *ENGINE))
