"""Reductions over the last axis of a batch, one result per row.

numpy reduces a short last axis (a batch of 10 classes) one row at a time, which costs
more than the exp itself; these go over whole columns instead (benchmarks/README.md).
Each keeps the reduced axis with length 1, so the result broadcasts against its rows.
"""

import numpy as np


def row_max(a):
    """max_k a_k over the last axis."""
    return np.ascontiguousarray(np.moveaxis(a, -1, 0)).max(axis=0)[..., None]


def row_sum(a):
    """sum_k a_k over the last axis."""
    return np.einsum("...i->...", a)[..., None]


def row_dot(a, b):
    """sum_k a_k b_k over the last axis: the dot product of each row."""
    return np.einsum("...i,...i->...", a, b)[..., None]
