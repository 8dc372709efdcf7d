"""The linear layer (chapter "The forward pass")."""

from ._checks import as_array


def check_layer(W, x, b):
    """Check that W (n_out, n_in), x (n_in,) or (N, n_in) and b (n_out,) fit together."""
    W = as_array("W", W, ndims=(2,))
    x = as_array("x", x)
    b = as_array("b", b, ndims=(1,))
    n_out, n_in = W.shape
    if x.shape[-1] != n_in:
        raise ValueError(
            f"W has shape {W.shape}, so x needs {n_in} features, but x has shape {x.shape}"
            + (" (a batch has one sample per row)" if x.ndim == 2 else ""))
    if b.shape != (n_out,):
        raise ValueError(f"W has shape {W.shape}, so b needs shape ({n_out},), but b has shape {b.shape}")
    return W, x, b


def linear(W, x, b):
    r"""The linear layer, equation :math:`z_1 = W_1 x + b_1`.

    .. math:: z^i = \sum_j W^{ij} x^j + b^i

    For a batch ``x`` of shape (N, n_in), one sample per row, every row is mapped
    at once: :math:`Z = X W^T + b`, shape (N, n_out).

    Derivatives (chapter "Parameter gradients"): dz/db = identity, dz^m/dW^{ij} = delta_mi x^j
    (an (n_out, n_out, n_in) array), dz/dx = W. So, with g = dL/dz, the three rules of the
    layer are dL/dW = g x^T, dL/db = g and dL/dx = W^T g.
    """
    W, x, b = check_layer(W, x, b)
    # x @ W.T is W x for one sample and X W^T for a batch: one expression for both.
    return x @ W.T + b
