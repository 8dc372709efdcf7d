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

import ctypes
import os
import platform
import statistics
import sys
import time

import autograd.numpy as anp
import numpy as np
from autograd import grad

import backprop_lib as bl
from backprop_lib.autograd import Tensor

N_IN, N_OUT = 64, 10
BATCHES = (1, 64, 4096)
LOSSES = ("squared_error", "cross_entropy")
REPEATS = 31
TARGET = 0.02  # seconds per timed loop
# One BLAS thread by default, for every engine: these products are small (5 MFLOP at
# N = 4096), and on a busy machine a second thread that waits for a core costs far more
# than it saves, so the medians would time the scheduler rather than the engines.
BLAS_THREADS = int(os.environ.get("BENCH_BLAS_THREADS", "1"))


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


# ---- timing ------------------------------------------------------------------------------

def median_times(fns):
    """Median seconds per call of each function: REPEATS rounds, each timing every function
    in turn for a loop of about TARGET seconds, so a busy spell on the machine hits all alike."""
    numbers, times = {}, {name: [] for name in fns}
    for name, fn in fns.items():
        fn()
        start = time.perf_counter()
        fn()
        numbers[name] = max(1, int(TARGET / max(time.perf_counter() - start, 1e-7)))
    for _ in range(REPEATS):
        for name, fn in fns.items():
            start = time.perf_counter()
            for _ in range(numbers[name]):
                fn()
            times[name].append((time.perf_counter() - start) / numbers[name])
    return {name: statistics.median(t) for name, t in times.items()}


def machine():
    """CPU, cores, numpy, BLAS, and which OpenBLAS kernel runs (OPENBLAS_CORETYPE may force one)."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    blas = "unknown"
    try:
        info = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        blas = f"{info['name']} {info['version']}"
    except Exception:
        pass
    return [f"CPU: {cpu}, {os.cpu_count()} cores visible; Python {platform.python_version()}, "
            f"numpy {np.__version__}, BLAS {blas}; load average {os.getloadavg()[0]:.1f} at the start",
            f"OpenBLAS kernel: {openblas_core()}; OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}"]


def _openblas():
    """The OpenBLAS library numpy loaded (None if numpy uses another BLAS), and its symbol prefix."""
    try:
        with open("/proc/self/maps") as f:
            path = next(line.split()[-1] for line in f if "openblas" in line.lower())
        lib = ctypes.CDLL(path)
    except (OSError, StopIteration):
        return None, ("", "")
    for prefix, suffix in (("scipy_openblas_", "64_"), ("openblas_", "64_"), ("openblas_", "")):
        if hasattr(lib, f"{prefix}get_corename{suffix}"):
            return lib, (prefix, suffix)
    return None, ("", "")


def openblas_core():
    """The kernel OpenBLAS picked (OPENBLAS_CORETYPE, when set, forces one)."""
    lib, (prefix, suffix) = _openblas()
    if lib is None:
        return "unknown (not OpenBLAS)"
    getter = getattr(lib, f"{prefix}get_corename{suffix}")
    getter.restype = ctypes.c_char_p
    return getter().decode()


def set_blas_threads(n):
    """Pin OpenBLAS to n threads for every engine alike; returns the number in use."""
    lib, (prefix, suffix) = _openblas()
    if lib is None:
        return None
    getattr(lib, f"{prefix}set_num_threads{suffix}")(ctypes.c_int(n))
    return getattr(lib, f"{prefix}get_num_threads{suffix}")()


def settle_allocator():
    """Allocate and free one 8 MB array, once, before any timing.

    glibc's malloc returns freed memory to the system until it has seen a large block
    freed; a program that has run for a while has. Without this, whichever engine is timed
    first at N = 4096 pays some 300 page faults per call (about 0.7 ms here) that the
    engines timed after it do not: the table would depend on the order of the engines.
    """
    np.ones(1 << 20)


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


def format_time(seconds):
    return f"{seconds * 1e6:,.1f} us" if seconds < 1e-2 else f"{seconds * 1e3:,.2f} ms"


if __name__ == "__main__":
    main()
