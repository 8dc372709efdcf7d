"""How long `make test` takes from a fresh clone, and where the time goes.

    python benchmarks/run.py suite

Clones the repository's committed HEAD into a temporary folder and runs `make test` there,
browser tests included, with this checkout's .venv (linked into the clone and marked ready:
the one-time installs are not timed, as the target says; PYTHONPATH puts the clone's own
backprop_lib first). The target leaves out the PDF build too, so the tests marked `pdf` run
after it, on their own, and are timed apart. Reports both wall times (target for the first:
at most 6 minutes, 360 s), pytest's summary lines, and the slowest tests and fixtures
(`--durations`). Uncommitted changes are not in the clone.
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
        # the clone's .venv is this checkout's, set up already (younger than the clone's files)
        (clone / ".venv").symlink_to(BIN.parent)
        (BIN.parent / ".ready").touch()
        env = {**os.environ, "PYTHONPATH": str(clone)}
        runs = {}
        for name, options in [("make test, without the PDF tests", "-m 'not pdf' --durations=15"),
                              ("the PDF tests (-m pdf)", "-m pdf")]:
            before, start = os.getloadavg()[0], time.perf_counter()
            result = subprocess.run(["make", "--no-print-directory", "test"], cwd=clone, capture_output=True,
                                    text=True, env={**env, "PYTEST_ADDOPTS": options})
            runs[name] = (time.perf_counter() - start, result, (before, os.getloadavg()[0]))
    for name, (seconds, result, load) in runs.items():
        log = result.stdout + result.stderr
        summary = [line for line in log.splitlines() if re.search(r"\d+ (passed|failed)", line)]
        target = f" ({'within' if seconds <= TARGET_S else 'OVER'} the {TARGET_S} s target)" if "without" in name else ""
        print(f"\n{name}, fresh clone of {head}: {seconds:.0f} s{target}, exit code {result.returncode}")
        print(f"load average (1 min): {load[0]:.1f} before, {load[1]:.1f} after")
        print(summary[-1] if summary else log[-2000:])
        if "slowest" in log:
            print("\nslowest:\n" + "\n".join(log[log.find("slowest 15 durations"):].splitlines()[1:17]))
        if result.returncode != 0:  # the end of the log says why (tests/conftest.py's summary)
            print("\n" + log[-4000:])


if __name__ == "__main__":
    main()
