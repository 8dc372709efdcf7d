"""Timing helpers shared by the speed benchmarks: medians of interleaved rounds, the
machine's description, one BLAS thread for every engine alike."""

import ctypes
import os
import platform
import statistics
import time

import numpy as np

REPEATS = 31
TARGET = 0.02  # seconds per timed loop
# One BLAS thread by default, for every engine: these products are small (5 MFLOP at
# N = 4096), and on a busy machine a second thread that waits for a core costs far more
# than it saves, so the medians would time the scheduler rather than the engines.
BLAS_THREADS = int(os.environ.get("BENCH_BLAS_THREADS", "1"))


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


def format_time(seconds):
    return f"{seconds * 1e6:,.1f} us" if seconds < 1e-2 else f"{seconds * 1e3:,.2f} ms"


