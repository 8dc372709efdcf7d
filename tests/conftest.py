"""Shared fixtures and settings: the repository root, one strict build of the book per run,
the hypothesis profile, and the `fast` marker on every test of the library (tests/lib)."""

import os
import pathlib
import subprocess
import sys

import pytest
from hypothesis import settings

from helpers import ROOT

BIN = pathlib.Path(sys.executable).parent
LIB = ROOT / "tests" / "lib"

# property tests: reproducible (derandomized), no deadline on a busy machine; `make test`
# runs the "book" profile, `make test-fast` the "fast" one (fewer examples of each property)
settings.register_profile("book", max_examples=60, deadline=None, derandomize=True)
settings.register_profile("fast", max_examples=15, deadline=None, derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "book"))


def pytest_collection_modifyitems(items):
    """Every test under tests/lib is `fast` (`make test-fast` runs them alone)."""
    for item in items:
        if LIB in pathlib.Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.fast)


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def book_build():
    """Build the book once, strictly (`-n -W --keep-going`, every page), into _build/html.

    Returns (returncode, log text, html folder). Tests that need the site use it;
    the first one pays for the build.
    """
    result = subprocess.run(
        [str(BIN / "jupyter-book"), "build", "--all", "-n", "-W", "--keep-going", str(ROOT)],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    return result.returncode, result.stdout + result.stderr, ROOT / "_build" / "html"


@pytest.fixture(scope="session")
def site(book_build):
    """The built site's folder; fails (never skips) when the build failed."""
    code, log, html = book_build
    if code != 0:
        pytest.fail("the strict book build failed:\n" + log[-4000:])
    return html
