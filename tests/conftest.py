"""Shared fixtures: the repository root and one strict build of the book per run."""

import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
BIN = pathlib.Path(sys.executable).parent


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def build_log():
    """Where the strict build's full log is kept (a failed build test names this file)."""
    return ROOT / "_build" / "logs" / "strict-build.log"


@pytest.fixture(scope="session")
def book_build(build_log):
    """Build the book once, strictly (`-n -W --keep-going`, every page), into _build/html.

    Returns (returncode, log text, html folder). Tests that need the site use it;
    the first one pays for the build. The whole log, stdout and stderr in the order they
    were printed (the notebooks' kernels write to stderr), is written to `build_log` as the
    build runs, so a failure can be read in full afterwards.
    """
    build_log.parent.mkdir(parents=True, exist_ok=True)
    with build_log.open("w") as log:
        result = subprocess.run(
            [str(BIN / "jupyter-book"), "build", "--all", "-n", "-W", "--keep-going", str(ROOT)],
            stdout=log, stderr=subprocess.STDOUT, text=True, cwd=ROOT,
            env={**os.environ, "PYTHONWARNINGS": "ignore"})
    return result.returncode, build_log.read_text(), ROOT / "_build" / "html"


@pytest.fixture(scope="session")
def site(book_build, build_log):
    """The built site's folder; fails (never skips) when the build failed."""
    code, log, html = book_build
    if code != 0:
        pytest.fail(f"the strict book build failed (full log: {build_log.relative_to(ROOT)}):\n"
                    + log[-4000:])
    return html
