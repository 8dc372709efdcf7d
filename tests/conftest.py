"""Shared fixtures and settings: the repository root, one strict build of the book per run,
the hypothesis profile, and the `fast` marker on every test of the library (tests/lib)."""

import fcntl
import os
import pathlib
import re
import shutil
import subprocess
import sys
import threading
import time

import pytest
from hypothesis import settings

from helpers import ROOT

# the browser tests' fixtures (Chromium, a built site on 127.0.0.1), shared by every test module
from site_browser import browser, screenshots, server, visit  # noqa: F401

BIN = pathlib.Path(sys.executable).parent
LIB = ROOT / "tests" / "lib"

# property tests: reproducible (derandomized), no deadline on a busy machine; `make test`
# runs the "book" profile, `make test-fast` the "fast" one (fewer examples of each property)
settings.register_profile("book", max_examples=60, deadline=None, derandomize=True)
settings.register_profile("fast", max_examples=15, deadline=None, derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "book"))


BUILD_LOG = ROOT / "_build" / "logs" / "strict-build.log"
# which test run owns the strict build (its id and pid), and the build's exit code once it ended
BUILD_CLAIM = BUILD_LOG.with_name("strict-build.run")
BUILD_RESULT = BUILD_LOG.with_name("strict-build.rc")
_build = {}  # this process's share of the strict build: its run id, and the build when it started it


def needs_site(item):
    return bool({"book_build", "site"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items):
    """Every test under tests/lib is `fast` (`make test-fast` runs them alone). The tests
    that need the built site run last, so that the build runs meanwhile (below).

    `make test` runs the tests in parallel (pytest-xdist, `--dist loadgroup`): tests that
    share state stay on one worker, in order: the cells of one notebook (they share its
    kernel), and the tests of a module marked `xdist_group` (an expensive module fixture,
    built once)."""
    for item in items:
        if LIB in pathlib.Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.fast)
        if item.fspath.ext == ".ipynb":
            item.add_marker(pytest.mark.xdist_group(pathlib.Path(str(item.fspath)).stem))
    items.sort(key=needs_site)  # stable: otherwise in the order collected


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids):
    """With `--dist loadgroup`, pytest-xdist marks each grouped test's id with its group (a
    notebook's cells are grouped above). A pytest whose ids it cannot mark would split a
    notebook's cells over two kernels: stop, and say why."""
    lost = [i for i in ids if ".ipynb::" in i and "@" not in i]
    if node.config.option.dist == "loadgroup" and lost:
        raise pytest.UsageError(
            f"pytest-xdist did not group {len(lost)} notebook cells (e.g. {lost[0]}): this pytest's "
            "node ids are not ones it can mark (pytest-xdist issue 1386). Use the pytest pinned in "
            "requirements-dev.txt, or run the tests in one process: make test TEST_JOBS=1")


def run_id(config):
    """One id per test run, the same in every pytest-xdist worker of that run."""
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None:
        return workerinput["testrunuid"]
    return _build.setdefault("local_run", f"{os.getpid()}-{time.time_ns()}")


def start_build(config):
    """Start the strict build (`-n -W --keep-going`, every page) into _build/html, with no
    cached notebooks (the config's `execute_notebooks: cache` keeps them between builds):
    every chapter is executed. Its whole log, stdout and stderr in the order they were
    printed (the notebooks' kernels write to stderr), goes to BUILD_LOG as it runs.

    One build per test run: of the parallel workers, the first to claim the run starts it
    (an exclusive lock on the claim file), and its exit code goes to BUILD_RESULT, which the
    other workers wait for (`book_build`)."""
    _build["run"] = run = run_id(config)
    BUILD_LOG.parent.mkdir(parents=True, exist_ok=True)
    with BUILD_CLAIM.open("a+") as claim:
        fcntl.flock(claim, fcntl.LOCK_EX)
        claim.seek(0)
        if claim.read().split(" ")[0] == run:
            return  # another worker of this run started it
        claim.seek(0)
        claim.truncate()
        claim.write(f"{run} {os.getpid()}")
        claim.flush()
        BUILD_RESULT.unlink(missing_ok=True)
        shutil.rmtree(ROOT / "_build" / ".jupyter_cache", ignore_errors=True)
        log = BUILD_LOG.open("w")
        process = subprocess.Popen(
            [str(BIN / "jupyter-book"), "build", "--all", "-n", "-W", "--keep-going", str(ROOT)],
            stdout=log, stderr=subprocess.STDOUT, text=True, cwd=ROOT,
            env={**os.environ, "PYTHONWARNINGS": "ignore"})

    def record_the_end():
        code = process.wait()
        log.close()
        BUILD_RESULT.write_text(f"{run} {code}")

    _build["process"] = process
    _build["recorder"] = threading.Thread(target=record_the_end, daemon=True)
    _build["recorder"].start()


def wait_for_build():
    """The strict build's exit code, when it has ended (whichever worker started it)."""
    while True:
        if BUILD_RESULT.exists():
            run, code = BUILD_RESULT.read_text().split()
            if run == _build["run"]:
                return int(code)
        owner = BUILD_CLAIM.read_text().split()
        if owner[0] != _build["run"] or not pathlib.Path(f"/proc/{owner[1]}").exists() and sys.platform == "linux":
            pytest.fail(f"the strict build of this run was stopped before it ended (see {BUILD_LOG})")
        time.sleep(0.5)


def pytest_collection_finish(session):
    """When a test will need the site, the build starts now, and the tests that do not
    need it (the library's, nbval's, ...) run while it builds: one build, and no core idle."""
    if not session.config.option.collectonly and any(map(needs_site, session.items)):
        start_build(session.config)


def pytest_sessionfinish(session):
    process = _build.get("process")
    if process is None or process.poll() is not None:
        return
    if session.shouldstop or session.shouldfail:  # stopped early (-x, Ctrl-C)
        process.terminate()
    # otherwise another worker may still need the site: let the build end
    process.wait()
    _build["recorder"].join()


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def build_log():
    """Where the strict build's full log is kept (a failed build test names this file)."""
    return BUILD_LOG


def build_problems(log, limit=8):
    """The warning and error lines of a Sphinx build log: why it failed, first."""
    lines = [line.strip() for line in log.splitlines()
             if re.search(r"\b(WARNING|ERROR|Error|Exception)\b", line) and "Kernel is running over TCP" not in line]
    return lines[:limit] or log.strip().splitlines()[-limit:]


@pytest.fixture(scope="session")
def book_build(build_log):
    """The book, built once, strictly (`-n -W --keep-going`, every page, every chapter
    executed), into _build/html: see start_build. Returns (returncode, log text, html
    folder). The build started when the tests were collected; the first test that needs
    it waits for it to end.
    """
    code = wait_for_build()
    return code, build_log.read_text(), ROOT / "_build" / "html"


@pytest.fixture(scope="session")
def site(book_build, build_log):
    """The built site's folder; fails (never skips) when the build failed."""
    code, log, html = book_build
    if code != 0:
        pytest.fail(f"the strict book build failed (full log: {build_log.relative_to(ROOT)}): "
                    + "\n".join(build_problems(log)) + "\n\nthe end of its log:\n" + log[-4000:])
    return html


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def nbval_reason(text, notebook, limit):
    """nbval's report in a few lines: which cell (with its first line), what differs, the fix."""
    text = ANSI.sub("", text)
    source = re.search(r"^Input:\n(.*?)\n", text, re.M)
    text = re.sub(r"^Input:\n.*?(?=^Traceback:)", "", text, flags=re.M | re.S)
    lines = [line.rstrip()[:300] for line in text.splitlines()
             if line.strip() and not re.match(r"\s*(Traceback:|Notebook cell execution failed)", line)]
    if source and lines:
        lines[0] += f" (the cell that starts: {source.group(1).strip()[:80]})"
    return lines[:limit] + [f"if the new output is right, store it: make notebooks NB={notebook}"]


def failure_reason(report, limit=6):
    """A failed test's reason in a few lines: its message without pytest's `assert` introspection."""
    crash = getattr(report.longrepr, "reprcrash", None)
    text = crash.message if crash is not None else str(report.longrepr)
    nbval = re.match(r"(.+\.ipynb)::Cell \d+", report.nodeid)
    if nbval:
        return nbval_reason(str(report.longrepr), nbval.group(1), limit)
    lines = []
    for line in text.strip().splitlines():
        if lines and re.match(r"\s*(assert |\+ +where|\+ +and)", line):
            break  # pytest's introspection of the assert below the message
        if line.strip():
            lines.append(line.rstrip()[:300])
    return lines[:limit] or ["(no message)"]


def pytest_unconfigure(config):
    """After pytest's closing line: each failure and its reason, so that the last lines of
    `make test` say why it failed (the full report is above)."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    failed = reporter.stats.get("failed", []) + reporter.stats.get("error", [])
    if not failed:
        return
    reporter.write_line("")
    reporter.write_sep("=", f"why the tests failed: {len(failed)} failure(s), each with its reason", red=True)
    for report in failed:
        when = "" if report.when == "call" else f" (in {report.when})"
        reporter.write_line(f"{report.nodeid}{when}", red=True, bold=True)
        for line in failure_reason(report):
            reporter.write_line(f"    {line}")
