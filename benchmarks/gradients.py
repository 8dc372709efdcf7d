"""Time per gradient evaluation (forward plus backward) of softmax regression.

    z = X W^T + b,  y_hat = softmax(z),  Loss = squared error or cross-entropy (mean over rows)

float64, n_in = 64, n_out = 10, batch N in {1, 64, 4096}. Engines: backprop_lib.backward
(the hand-derived formulas), backprop_lib.autograd (the book's tiny engine), the PyPI
`autograd` package, and PyTorch when it happens to be installed. The floor is the two
matrix products every engine must do: X W^T forward and dZ^T X backward.

Each time is the median over repeats of a loop long enough to time reliably; ratios are
against backprop_lib.backward measured in the same run. Every engine's gradients are
checked against backprop_lib.backward first, so the table only times right answers.

    python benchmarks/gradients.py       (or: make bench)
"""

import os
import sys
import time

import autograd.numpy as anp
import numpy as np
from autograd import grad

import backprop_lib as bl
from backprop_lib.autograd import Tensor
from timing import BLAS_THREADS, REPEATS, format_time, machine, median_times, set_blas_threads, settle_allocator

N_IN, N_OUT = 64, 10
BATCHES = (1, 64, 4096)
LOSSES = ("squared_error", "cross_entropy")


# ---- the same loss, written for each engine --------------------------------------------

def with_backprop_lib(W, b, X, Y, loss):
    g = bl.backward(W, b, X, Y, loss=loss)
    return g.W1, g.b1


def with_tiny_engine(W, b, X, Y, loss):
    W, b = Tensor(W), Tensor(b)
    y_hat = (X @ W.T + b).softmax()
    if loss == "squared_error":
        L = ((Y - y_hat) ** 2).sum() / len(X)
    else:
        L = -(Y * y_hat.log()).sum() / len(X)
    L.backward()
    return W.grad, b.grad


def _autograd_loss(W, b, X, Y, loss):
    z = anp.dot(X, W.T) + b
    shifted = z - anp.max(z, axis=1, keepdims=True)
    log_y_hat = shifted - anp.log(anp.sum(anp.exp(shifted), axis=1, keepdims=True))
    if loss == "squared_error":
        return anp.sum((Y - anp.exp(log_y_hat)) ** 2) / X.shape[0]
    return -anp.sum(Y * log_y_hat) / X.shape[0]


_autograd_grad = grad(_autograd_loss, (0, 1))


def with_autograd_package(W, b, X, Y, loss):
    return _autograd_grad(W, b, X, Y, loss)


def torch_engine():
    """PyTorch's autograd, if it is installed (never a requirement)."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(BLAS_THREADS)

    def with_torch(W, b, X, Y, loss):
        W = torch.tensor(W, requires_grad=True)
        b = torch.tensor(b, requires_grad=True)
        X, Y = torch.from_numpy(X), torch.from_numpy(Y)
        z = X @ W.T + b
        if loss == "squared_error":
            L = ((Y - torch.softmax(z, dim=1)) ** 2).sum() / X.shape[0]
        else:
            L = -(Y * torch.log_softmax(z, dim=1)).sum() / X.shape[0]
        L.backward()
        return W.grad.numpy(), b.grad.numpy()
    return with_torch


def matmul_floor(W, b, X, Y, loss, dZ):
    """Only the two products: Z = X W^T (forward) and dL/dW = dZ^T X (backward)."""
    return X @ W.T, dZ.T @ X


def main():
    started = time.perf_counter()
    threads = set_blas_threads(BLAS_THREADS)
    settle_allocator()
    engines = {"backprop_lib.backward": with_backprop_lib, "backprop_lib.autograd": with_tiny_engine,
               "autograd (PyPI)": with_autograd_package}
    torch = torch_engine()
    if torch is not None:
        engines["torch"] = torch
    print("\n".join(machine()))
    print(f"BLAS threads: {threads} (set BENCH_BLAS_THREADS to change)")
    print(f"softmax regression, float64, n_in = {N_IN}, n_out = {N_OUT}; median of {REPEATS} repeats\n")
    header = f"{'loss':<14} {'N':>5}  {'engine':<22} {'time per gradient':>18} {'vs backward':>12}"
    print(header)
    print("-" * len(header))
    rng = np.random.default_rng(0)
    verdicts = []
    for loss in LOSSES:
        for N in BATCHES:
            W = rng.normal(scale=0.1, size=(N_OUT, N_IN))
            b = rng.normal(scale=0.1, size=N_OUT)
            X = rng.normal(size=(N, N_IN))
            Y = np.eye(N_OUT)[rng.integers(0, N_OUT, size=N)]
            reference = with_backprop_lib(W, b, X, Y, loss)
            for name, engine in engines.items():
                for mine, theirs in zip(engine(W, b, X, Y, loss), reference):
                    if bl.relative_error(np.asarray(mine), theirs) > 1e-10:
                        sys.exit(f"{name} disagrees with backprop_lib.backward ({loss}, N = {N})")
            dZ = bl.backward(W, b, X, Y, loss=loss).z1
            fns = {name: (lambda e=engine: e(W, b, X, Y, loss)) for name, engine in engines.items()}
            fns["matmul floor"] = lambda: matmul_floor(W, b, X, Y, loss, dZ)
            times = median_times(fns)
            base = times["backprop_lib.backward"]
            for name, t in times.items():
                print(f"{loss:<14} {N:>5}  {name:<22} {format_time(t):>18} {t / base:>11.2f}x")
            print()
            verdicts.append(f"{loss}, N = {N}: backward {times['autograd (PyPI)'] / base:.1f}x faster than "
                            f"autograd (PyPI)" + (f"; {base / times['matmul floor']:.2f}x the matmul floor"
                                                  if N == max(BATCHES) else ""))
    print("\n".join(verdicts))
    print(f"\ntotal benchmark time: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
