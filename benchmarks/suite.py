"""How long `make test` takes from a fresh clone, and where the time goes.

    python benchmarks/run.py suite

Clones the repository's committed HEAD into a temporary folder and runs `make test` there,
browser tests included, with this checkout's .venv (READY= BIN=...: the one-time installs
are not timed, as the target says; PYTHONPATH puts the clone's own backprop_lib first).
Reports the wall time (target: at most 6 minutes, 360 s), pytest's summary line, and
the slowest tests and fixtures (`--durations`). Uncommitted changes are not in the clone.
"""

import importlib.util
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = pathlib.Path(sys.executable).parent
TARGET_S = 360


def machine():
    """benchmarks/site.py's description of the machine (that file's name hides it from import)."""
    spec = importlib.util.spec_from_file_location("bench_site", HERE / "site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.machine()


def main():
    print("machine:", machine())
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="suite-bench-") as out:
        clone = pathlib.Path(out) / "book"
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        # the clone's .venv is this checkout's (tests that run `make` there expect one)
        (clone / ".venv").symlink_to(BIN.parent)
        env = {**os.environ, "PYTHONPATH": str(clone), "PYTEST_ADDOPTS": "--durations=15"}
        start = time.perf_counter()
        result = subprocess.run(["make", "--no-print-directory", "test", "READY=", f"BIN={BIN}"],
                                cwd=clone, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - start
    log = result.stdout + result.stderr
    summary = [line for line in log.splitlines() if re.search(r"\d+ (passed|failed)", line)]
    durations = log[log.find("slowest 15 durations"):].splitlines()[1:17] if "slowest" in log else []
    print(f"\n`make test` on a fresh clone of {head}: {seconds:.0f} s "
          f"({'within' if seconds <= TARGET_S else 'OVER'} the {TARGET_S} s target), exit code {result.returncode}")
    print("load average after it:", " / ".join(f"{x:.1f}" for x in os.getloadavg()))
    print(summary[-1] if summary else log[-2000:])
    print("\nslowest:\n" + "\n".join(durations))
    failed = [line for line in log.splitlines() if line.startswith(("FAILED", "ERROR"))]
    if failed:
        print("\n" + "\n".join(failed))


if __name__ == "__main__":
    main()
