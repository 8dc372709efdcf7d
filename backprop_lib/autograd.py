r"""A tiny reverse-mode autograd engine (chapter "From hand to machine: a tiny autograd").

Each operation computes its value and, right beside it, a ``_backward`` closure that
applies the operation's local derivative: it takes ``out.grad`` = dLoss/dout and adds
dLoss/d(input) to each input's ``.grad``, the chain rule

.. math:: \frac{\partial L}{\partial a} \mathrel{+}= \frac{\partial L}{\partial\,\mathrm{out}}
          \cdot \frac{\partial\,\mathrm{out}}{\partial a}.

``backward()`` calls those closures from the loss back to the inputs (the topological
order, reversed): along the chain from the loss to each parameter that is the order of the
notes' hand derivation; tensors neither of which feeds the other may come in either order,
with the same gradients. Where numpy broadcast an input, the input was used many times, so
its gradient is the sum over those uses.
"""

import numpy as np


def _unbroadcast(grad, shape):
    """Sum `grad` over the axes numpy added or stretched, so it is shaped like `shape`."""
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, n in enumerate(shape):
        if n == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


def _check_broadcast(op, a, b):
    """Raise a ValueError naming both shapes when numpy cannot broadcast them together."""
    try:
        np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise ValueError(f"cannot {op} shapes {a.shape} and {b.shape}: they do not broadcast "
                         "(numpy compares them from the last axis; each pair must be equal or 1)") from None


class Tensor:
    """A numpy array that remembers how it was computed, so `backward()` can find gradients.

    `data` is the value (a float array); `grad` is dLoss/d(this tensor), shaped like `data`,
    None until `backward()` runs. `name` is optional: a label for printouts and figures,
    as in Tensor(W1, name="W1"). The result of an operation has no name; give it one
    afterwards if you want it labelled (z1 = W1 @ x + b1; z1.name = "z1").
    `parents` are the tensors it was computed from and `op` the operation that computed it
    ("" for an input): the graph that `backward()` walks and the chapter draws.
    """

    # so that numpy_array + tensor calls Tensor.__radd__ instead of numpy adding entry by entry
    __array_ufunc__ = None

    def __init__(self, data, name="", parents=(), op=""):
        try:
            # np.array copies an input, so editing the caller's array later cannot change the
            # graph; an operation's result is a fresh array already, so asarray skips the copy
            self.data = np.asarray(data, dtype=float) if parents else np.array(data, dtype=float)
        except (TypeError, ValueError) as err:
            raise ValueError(f"a Tensor holds numbers, got {data!r} ({err})") from None
        if not parents and not np.all(np.isfinite(self.data)):
            raise ValueError(f"a Tensor's data must be finite, got {self.data.tolist()}")
        self.grad = None
        self.name = name
        self.parents = parents
        self.op = op
        self._backward = lambda: None

    def __repr__(self):
        return f"Tensor({self.name or self.op or 'input'}, shape={self.data.shape})"

    @property
    def shape(self):
        return self.data.shape

    def __add__(self, other):
        """out = a + b.  dL/da = g, dL/db = g, each summed back to its operand's shape."""
        other = _tensor(other)
        _check_broadcast("add", self, other)
        out = Tensor(self.data + other.data, parents=(self, other), op="+")
        def _backward():
            self.grad += _unbroadcast(out.grad, self.shape)
            other.grad += _unbroadcast(out.grad, other.shape)
        out._backward = _backward
        return out

    def __sub__(self, other):
        """out = a - b.  dL/da = g, dL/db = -g, each summed back to its operand's shape."""
        other = _tensor(other)
        _check_broadcast("subtract", self, other)
        out = Tensor(self.data - other.data, parents=(self, other), op="-")
        def _backward():
            self.grad += _unbroadcast(out.grad, self.shape)
            other.grad -= _unbroadcast(out.grad, other.shape)
        out._backward = _backward
        return out

    def __neg__(self):
        """out = -a.  dL/da = -g."""
        out = Tensor(-self.data, parents=(self,), op="neg")
        def _backward():
            self.grad -= out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        """out = a * b (entry by entry).  dL/da = g * b, dL/db = g * a."""
        other = _tensor(other)
        _check_broadcast("multiply", self, other)
        out = Tensor(self.data * other.data, parents=(self, other), op="*")
        def _backward():
            self.grad += _unbroadcast(out.grad * other.data, self.shape)
            other.grad += _unbroadcast(out.grad * self.data, other.shape)
        out._backward = _backward
        return out

    def __truediv__(self, other):
        """out = a / b.  dL/da = g / b, dL/db = -g a / b^2."""
        other = _tensor(other)
        _check_broadcast("divide", self, other)
        out = Tensor(self.data / other.data, parents=(self, other), op="/")
        def _backward():
            self.grad += _unbroadcast(out.grad / other.data, self.shape)
            other.grad += _unbroadcast(-out.grad * self.data / other.data ** 2, other.shape)
        out._backward = _backward
        return out

    def __pow__(self, p):
        r"""out = a ** p for a number (or array) p.  dL/da = g p a^(p-1)."""
        p = np.asarray(p, dtype=float)
        _check_broadcast("raise to the power", self, p)
        out = Tensor(self.data ** p, parents=(self,), op=f"** {p.item():g}" if p.size == 1 else "**")
        def _backward():
            self.grad += _unbroadcast(out.grad * p * self.data ** (p - 1), self.shape)
        out._backward = _backward
        return out

    def __matmul__(self, other):
        r"""out = A @ B (matrix or vector products).  dL/dA = g B^T, dL/dB = A^T g."""
        other = _tensor(other)
        if not (self.data.ndim in (1, 2) and other.data.ndim in (1, 2)) or self.shape[-1] != other.shape[0]:
            raise ValueError(f"cannot multiply shapes {self.shape} @ {other.shape}: the left operand's "
                             "last axis must match the right operand's first (vectors or matrices only)")
        out = Tensor(self.data @ other.data, parents=(self, other), op="@")
        def _backward():
            # Both rules are for matrices, so treat a vector as a matrix: on the left a 1 x k
            # row, on the right a k x 1 column. Then A is m x k, B is k x n, and g (the
            # gradient of out) is m x n; the results are reshaped back to the operands' shapes.
            A = self.data if self.data.ndim == 2 else self.data.reshape(1, -1)
            B = other.data if other.data.ndim == 2 else other.data.reshape(-1, 1)
            m, n = A.shape[0], B.shape[1]
            g = out.grad.reshape(m, n)
            self.grad += (g @ B.T).reshape(self.shape)
            other.grad += (A.T @ g).reshape(other.shape)
        out._backward = _backward
        return out

    @property
    def T(self):
        """out = a^T (axes reversed).  dL/da = g^T."""
        out = Tensor(self.data.T, parents=(self,), op="T")
        def _backward():
            self.grad += out.grad.T
        out._backward = _backward
        return out

    def sum(self, axis=None, keepdims=False):
        """out = sum of the entries (over `axis`).  dL/da = g, copied to every entry that was summed."""
        out = Tensor(self.data.sum(axis=axis, keepdims=keepdims), parents=(self,), op="sum")
        def _backward():
            g = out.grad if keepdims or axis is None else np.expand_dims(out.grad, axis)
            self.grad += np.broadcast_to(g, self.shape)
        out._backward = _backward
        return out

    def mean(self, axis=None, keepdims=False):
        """out = mean of the entries (over `axis`) = sum / count.  dL/da = g / count.

        Written as a sum and a division, so its backward step is theirs.
        """
        total = self.sum(axis=axis, keepdims=keepdims)
        count = self.data.size // total.data.size  # how many entries each mean averages
        return total / count

    def exp(self):
        """out = e^a.  dL/da = g e^a = g * out: the derivative of e^a is e^a."""
        out = Tensor(np.exp(self.data), parents=(self,), op="exp")
        def _backward():
            self.grad += out.grad * out.data
        out._backward = _backward
        return out

    def log(self):
        """out = log a (natural log, a > 0).  dL/da = g / a."""
        if np.any(self.data <= 0):
            raise ValueError(f"log needs positive numbers; got {self.data.tolist()}")
        out = Tensor(np.log(self.data), parents=(self,), op="log")
        def _backward():
            self.grad += out.grad / self.data
        out._backward = _backward
        return out

    def softmax(self):
        r"""out = s = softmax(a) over the last axis, s_i = e^{a_i - m} / sum_k e^{a_k - m}, m = max_k a_k.

        dL/da = J^T g with J = diag(s) - s s^T (chapter "The softmax Jacobian"), which is
        s * (g - s . g): the n x n Jacobian is never built. It reads s from out.data, so a
        rounded output (as in the notes) is carried into the backward pass too.
        """
        if self.data.ndim == 0:
            raise ValueError("softmax needs a vector or a batch of rows, got a single number (shape ())")
        e = np.exp(self.data - self.data.max(axis=-1, keepdims=True))
        out = Tensor(e / e.sum(axis=-1, keepdims=True), parents=(self,), op="softmax")
        def _backward():
            s, g = out.data, out.grad
            self.grad += s * (g - (s * g).sum(axis=-1, keepdims=True))
        out._backward = _backward
        return out

    def sigmoid(self):
        """out = 1 / (1 + e^-a), entry by entry.  dL/da = g * out * (1 - out)."""
        with np.errstate(over="ignore"):  # e^-a = inf for a < -709 gives the right 0
            out = Tensor(1.0 / (1.0 + np.exp(-self.data)), parents=(self,), op="sigmoid")
        def _backward():
            self.grad += out.grad * out.data * (1.0 - out.data)
        out._backward = _backward
        return out

    def tanh(self):
        """out = tanh a, entry by entry.  dL/da = g * (1 - out^2)."""
        out = Tensor(np.tanh(self.data), parents=(self,), op="tanh")
        def _backward():
            self.grad += out.grad * (1.0 - out.data ** 2)
        out._backward = _backward
        return out

    def relu(self):
        """out = max(0, a), entry by entry.  dL/da = g where a > 0, else 0 (0 at the kink a = 0)."""
        out = Tensor(np.maximum(self.data, 0.0), parents=(self,), op="relu")
        def _backward():
            self.grad += out.grad * (self.data > 0)
        out._backward = _backward
        return out

    # the other operators, written with the ones above
    def __radd__(self, other): return _tensor(other) + self
    def __rsub__(self, other): return _tensor(other) - self
    def __rmul__(self, other): return _tensor(other) * self
    def __rtruediv__(self, other): return _tensor(other) / self
    def __rmatmul__(self, other): return _tensor(other) @ self

    def topological_order(self):
        """Every tensor this one was computed from, each listed after all of its parents.

        A depth-first walk from this tensor back to the inputs. It keeps its own stack of
        tensors still to visit instead of calling itself, so a long chain (a loss summed
        over many samples in a loop) cannot exceed Python's recursion limit.
        """
        order, seen = [], set()
        stack = [(self, False)]  # (tensor, are its parents listed already?)
        while stack:
            node, parents_listed = stack.pop()
            if parents_listed:
                order.append(node)
            elif node not in seen:
                seen.add(node)
                stack.append((node, True))  # list it when we come back, after its parents
                for parent in reversed(node.parents):  # reversed: the first parent is visited first
                    stack.append((parent, False))
        return order

    def backward(self, grad=None):
        r"""Fill `.grad` of every tensor in the graph with dL/d(that tensor), L being this tensor.

        Seeds dL/dL = 1 (a scalar L) or `grad` (any L, shaped like it), then runs each node's
        local backward from L back to the inputs. Each call starts from zero: gradients
        are replaced, not added to those of an earlier call.
        """
        if grad is None:
            if self.data.size != 1:
                raise ValueError(f"backward() without a seed needs a single number, but this tensor "
                                 f"has shape {self.shape}; pass grad=..., shaped like it")
            grad = np.ones_like(self.data)
        grad = np.array(grad, dtype=float)
        if grad.shape != self.shape:
            raise ValueError(f"the seed gradient has shape {grad.shape}; it must match the tensor's {self.shape}")
        order = self.topological_order()
        for node in order:
            node.grad = np.zeros_like(node.data)
        self.grad = grad
        for node in reversed(order):
            node._backward()


def _tensor(value):
    """A number or an array becomes a Tensor (an input of the graph); a Tensor stays itself."""
    return value if isinstance(value, Tensor) else Tensor(value)
