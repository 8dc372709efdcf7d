"""Shared fixtures: the repository root and one strict build of the book per run."""

import os
import pathlib
import shutil
import subprocess
import sys

import pytest

# the browser tests' fixtures (Chromium, the site on 127.0.0.1), shared by every test module
from site_browser import browser, screenshots, server, visit  # noqa: F401

ROOT = pathlib.Path(__file__).resolve().parent.parent
BIN = pathlib.Path(sys.executable).parent


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def book_build():
    """Build the book once, strictly (`-n -W --keep-going`, every page), into _build/html.

    Returns (returncode, log text, html folder). Tests that need the site use it;
    the first one pays for the build. It starts with no cached notebooks (the config's
    `execute_notebooks: cache` keeps them between builds): every chapter is executed.
    """
    shutil.rmtree(ROOT / "_build" / ".jupyter_cache", ignore_errors=True)
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
