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


LOGS = ROOT / "_build" / "logs"
BUILD_LOG = LOGS / "strict-build.log"
# the student edition as `make book-student` builds it, from the stored outputs
STUDENT = ROOT / "_build" / "test-student"


def build_command(name):
    """The two builds the tests look at: the book's site, strictly (`-n -W --keep-going`,
    every page, no cached notebooks: every chapter executed), and the student edition."""
    if name == "strict":
        shutil.rmtree(ROOT / "_build" / ".jupyter_cache", ignore_errors=True)
        return [str(BIN / "jupyter-book"), "build", "--all", "-n", "-W", "--keep-going", str(ROOT)]
    shutil.rmtree(STUDENT, ignore_errors=True)
    # the Makefile's own recipe, with this interpreter's tools (READY= leaves the .venv set-up out)
    return ["make", "--no-print-directory", "book-student", "READY=", f"BIN={BIN}", f"STUDENT={STUDENT}",
            f"COURSE={STUDENT / 'course'}", "STUDENT_OPTIONS=--stored-outputs"]


# the fixtures that need each build
BUILD_FIXTURES = {"strict": {"book_build", "site"}, "student": {"student_build", "student_site"}}
_builds = {}  # this process's share of the builds: the run's id, and each build it started


def builds_needed(item):
    fixtures = set(getattr(item, "fixturenames", ()))
    return {name for name, needs in BUILD_FIXTURES.items() if needs & fixtures}


def after_the_builds(item):
    """0 for a test that needs no build, 1 for the student edition's, 2 for the site's."""
    needed = builds_needed(item)
    return 2 if "strict" in needed else 1 if needed else 0


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items):
    """Every test under tests/lib is `fast` (`make test-fast` runs them alone). The tests
    that need a build run last (the site's, which takes longest, after the student
    edition's), so that the builds run meanwhile (below).

    `make test` runs the tests in parallel (pytest-xdist, `--dist loadgroup`): tests that
    share state stay on one worker, in order: the cells of one notebook (they share its
    kernel), and the tests of a module marked `xdist_group` (an expensive module fixture,
    built once)."""
    for item in items:
        if LIB in pathlib.Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.fast)
        if item.fspath.ext == ".ipynb":
            item.add_marker(pytest.mark.xdist_group(pathlib.Path(str(item.fspath)).stem))
    items.sort(key=after_the_builds)  # stable: otherwise in the order collected


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
    return _builds.setdefault("local_run", f"{os.getpid()}-{time.time_ns()}")


def start_build(config, name):
    """Start build `name` (build_command) in the background. Its whole log, stdout and stderr
    in the order they were printed (the notebooks' kernels write to stderr), goes to
    _build/logs/NAME-build.log as it runs.

    One build per test run: of the parallel workers, the first to claim the run starts it
    (an exclusive lock on NAME-build.run, which holds the run's id and the worker's pid), and
    its exit code goes to NAME-build.rc, which the other workers wait for (wait_for_build)."""
    _builds["run"] = run = run_id(config)
    LOGS.mkdir(parents=True, exist_ok=True)
    with (LOGS / f"{name}-build.run").open("a+") as claim:
        fcntl.flock(claim, fcntl.LOCK_EX)
        claim.seek(0)
        if claim.read().split(" ")[0] == run:
            return  # another worker of this run started it
        claim.seek(0)
        claim.truncate()
        claim.write(f"{run} {os.getpid()}")
        claim.flush()
        result = LOGS / f"{name}-build.rc"
        result.unlink(missing_ok=True)
        log = (LOGS / f"{name}-build.log").open("w")
        process = subprocess.Popen(build_command(name), stdout=log, stderr=subprocess.STDOUT, text=True,
                                   cwd=ROOT, env={**os.environ, "PYTHONWARNINGS": "ignore"})

    def record_the_end():
        code = process.wait()
        log.close()
        result.write_text(f"{run} {code}")

    recorder = threading.Thread(target=record_the_end, daemon=True)
    recorder.start()
    _builds[name] = (process, recorder)


def wait_for_build(name):
    """Build `name`'s exit code and log, when it has ended (whichever worker started it)."""
    result, claim, log = (LOGS / f"{name}-build.{ext}" for ext in ("rc", "run", "log"))
    while True:
        if result.exists():
            run, code = result.read_text().split()
            if run == _builds["run"]:
                return int(code), log.read_text()
        owner = claim.read_text().split()
        if owner[0] != _builds["run"] or sys.platform == "linux" and not pathlib.Path(f"/proc/{owner[1]}").exists():
            pytest.fail(f"the {name} build of this run was stopped before it ended (see {log})")
        time.sleep(0.5)


def pytest_collection_finish(session):
    """The builds the tests will need start now, and the tests that do not need them (the
    library's, nbval's, ...) run while they build: one build each, and no core idle."""
    if not session.config.option.collectonly:
        for name in sorted(set().union(*map(builds_needed, session.items))):
            start_build(session.config, name)


def pytest_sessionfinish(session):
    for name in ("strict", "student"):
        if name not in _builds or _builds[name][0].poll() is not None:
            continue
        process, recorder = _builds[name]
        if session.shouldstop or session.shouldfail:  # stopped early (-x, Ctrl-C)
            process.terminate()
        # otherwise another worker may still need the build: let it end
        process.wait()
        recorder.join()


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
    code, log = wait_for_build("strict")
    return code, log, ROOT / "_build" / "html"


@pytest.fixture(scope="session")
def student_build():
    """The student edition, built once by the Makefile's recipe (`make book-student`, from
    the stored outputs) into _build/test-student: sources in src/, site in _build/html. The
    build started when the tests were collected. Returns (returncode, log text, folder)."""
    code, log = wait_for_build("student")
    return code, log, STUDENT


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
