"""Time per gradient evaluation (forward plus backward) of a network with a hidden layer,
the size of the digits network of chapter "What one layer cannot learn":

    h = sigmoid(X W1^T + b1),  y_hat = softmax(h W2^T + b2),  Loss = squared error (mean over rows)

float64, 64 inputs, 64 hidden units, 10 classes, batch N in {64, 1797}. Engines:
backprop_lib.mlp_backward (the chapter's recursion), backprop_lib.autograd (the book's tiny
engine) and the PyPI `autograd` package. The floor is the work no implementation can skip:
the five matrix products (two forward; dL/dW2, dL/dh and dL/dW1 backward) and one exp per
hidden and output unit. Every engine's gradients are checked against mlp_backward first.

    python benchmarks/run.py mlp       (or: make bench)
"""

import sys
import time

import autograd.numpy as anp
import numpy as np
from autograd import grad

import backprop_lib as bl
from backprop_lib.autograd import Tensor
from timing import BLAS_THREADS, REPEATS, format_time, machine, median_times, set_blas_threads, settle_allocator

SIZES = (64, 64, 10)
BATCHES = (64, 1797)


def with_mlp_backward(params, X, Y):
    return [g for pair in bl.mlp_backward(params, X, Y, activation="sigmoid").params for g in pair]


def with_tiny_engine(params, X, Y):
    (W1, b1), (W2, b2) = [(Tensor(W), Tensor(b)) for W, b in params]
    y_hat = ((X @ W1.T + b1).sigmoid() @ W2.T + b2).softmax()
    (((Y - y_hat) ** 2).sum() / len(X)).backward()
    return [W1.grad, b1.grad, W2.grad, b2.grad]


def _autograd_loss(W1, b1, W2, b2, X, Y):
    h = 1 / (1 + anp.exp(-(anp.dot(X, W1.T) + b1)))
    z2 = anp.dot(h, W2.T) + b2
    e = anp.exp(z2 - anp.max(z2, axis=1, keepdims=True))
    return anp.sum((Y - e / anp.sum(e, axis=1, keepdims=True)) ** 2) / X.shape[0]


_autograd_grad = grad(_autograd_loss, (0, 1, 2, 3))


def with_autograd_package(params, X, Y):
    (W1, b1), (W2, b2) = params
    return list(_autograd_grad(W1, b1, W2, b2, X, Y))


def floor(params, X, Y, delta1, delta2, H):
    """The work every engine must do: five matrix products and one exp per unit."""
    (W1, _), (W2, _) = params
    return (X @ W1.T, np.exp(delta1), H @ W2.T, np.exp(delta2),
            delta2.T @ H, delta2 @ W2, delta1.T @ X)


def main():
    started = time.perf_counter()
    threads = set_blas_threads(BLAS_THREADS)
    settle_allocator()
    engines = {"backprop_lib.mlp_backward": with_mlp_backward, "backprop_lib.autograd": with_tiny_engine,
               "autograd (PyPI)": with_autograd_package}
    print("\n".join(machine()))
    print(f"BLAS threads: {threads} (set BENCH_BLAS_THREADS to change)")
    print(f"sigmoid network {'-'.join(map(str, SIZES))}, softmax output, squared error, float64; "
          f"median of {REPEATS} repeats\n")
    header = f"{'N':>5}  {'engine':<26} {'time per gradient':>18} {'vs mlp_backward':>16}"
    print(header)
    print("-" * len(header))
    rng = np.random.default_rng(0)
    verdicts = []
    for N in BATCHES:
        params = bl.init_params(SIZES, scheme="xavier", seed=N)
        X = rng.normal(size=(N, SIZES[0]))
        Y = np.eye(SIZES[-1])[rng.integers(0, SIZES[-1], size=N)]
        reference = with_mlp_backward(params, X, Y)
        for name, engine in engines.items():
            for mine, theirs in zip(engine(params, X, Y), reference):
                if bl.relative_error(np.asarray(mine), theirs) > 1e-10:
                    sys.exit(f"{name} disagrees with backprop_lib.mlp_backward (N = {N})")
        g = bl.mlp_backward(params, X, Y)
        H = bl.mlp_forward(params, X).a[1]
        fns = {name: (lambda e=engine: e(params, X, Y)) for name, engine in engines.items()}
        fns["floor"] = lambda: floor(params, X, Y, g.z[0], g.z[1], H)
        times = median_times(fns)
        base = times["backprop_lib.mlp_backward"]
        for name, t in times.items():
            print(f"{N:>5}  {name:<26} {format_time(t):>18} {t / base:>15.2f}x")
        print()
        verdicts.append(f"N = {N}: mlp_backward {times['autograd (PyPI)'] / base:.1f}x faster than autograd "
                        f"(PyPI); {base / times['floor']:.2f}x the floor")
    print("\n".join(verdicts))
    print(f"\ntotal benchmark time: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
