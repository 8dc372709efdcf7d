"""The strict book build: zero warnings, a page for every _toc.yml entry, math served locally."""

import re
import subprocess
import sys

from helpers import toc_files


# A line of the build log is a problem when it says WARNING or ERROR (Sphinx's own, a
# notebook's, or a kernel's: the kernels print to the build's stderr), except these.
PROBLEM = re.compile(r"\bWARNING\b|\bERROR\b")
NOT_PROBLEMS = (
    # ipykernel warns on every kernel start that it listens on plain TCP; the build's
    # kernels only talk to the build, on this machine
    "WARNING | Kernel is running over TCP without encryption",
)

# ...and one ERROR with one traceback: a kernel's teardown noise, printed after its notebook
# has run. nbclient shuts a kernel down (shutdown_request on the control channel) only after
# every cell has run and its outputs are stored (each cell waits for its reply and for the
# kernel's "idle"). ipykernel 7.4.0 (6.31.0 has the same code) ends that request's handler
# on the control thread by flushing stdout/stderr and publishing "idle" through the IOPub
# thread (Kernel.process_control -> ... -> IOPubThread.schedule -> event pipe), while the
# main thread exits and its atexit stops the IOPub thread and closes the event pipes. When
# the control thread has been descheduled long enough (a busy machine), its send hits a
# closed pipe: ZMQError ENOTSOCK, which tornado logs on the kernel's stderr; the build goes
# on (exit 0). Reproduced by delaying the kernel's control thread 0.1 s after the shutdown
# request: this traceback, the notebook's outputs intact. ipykernel PR 1518 catches the same
# race in IOPubThread._really_send only; no newer release has more, and nbclient's
# shutdown_kernel="immediate" (no shutdown request) cannot be set through myst-nb. So only
# this line, with this traceback, followed by a notebook reported as executed, is skipped:
# myst-nb's "Executed notebook in", or, for the notebooks run side by side before Sphinx
# reads them (_ext/notebook_execution.py; several kernels at once, so the report that follows
# may be another notebook's, and one that failed there is run again by myst-nb, which
# reports its errors), "NAME: executed in N s". Those side-by-side runs share the cores with
# make test's parallel tests, which is when the race shows.
TEARDOWN_ERROR = "ERROR:tornado.general:Uncaught exception in ZMQStream callback"
TEARDOWN_FRAMES = (", in process_control", ", in schedule")
TEARDOWN_EXCEPTION = "zmq.error.ZMQError: Socket operation on non-socket"
EXECUTED = re.compile(r": Executed notebook in [\d.]+ seconds \[mystnb\]$|^\S+: executed in [\d.]+ s$")


def kernel_teardown_noise(lines, i):
    """Whether lines[i] is the kernel's teardown ERROR (above): its traceback, then the
    notebook reported as executed."""
    if lines[i] != TEARDOWN_ERROR or lines[i + 1:i + 2] != ["Traceback (most recent call last):"]:
        return False
    end = i + 2
    while end < len(lines) and lines[end].startswith(" "):
        end += 1
    frames, exception = lines[i + 2:end], lines[end] if end < len(lines) else ""
    # the next report of a notebook's run (myst-nb's, or the side-by-side run's): executed
    report = next((line for line in lines[end + 1:] if line.endswith("[mystnb]") or " executed in " in line), "")
    return (exception == TEARDOWN_EXCEPTION
            and all(any(line.endswith(f) for line in frames) for f in TEARDOWN_FRAMES)
            and bool(EXECUTED.search(report)))


def log_problems(log, log_name, context=4, shown=10):
    """The report of a build log's WARNING and ERROR lines, "" when it has none.

    The report names the file that holds the whole log and shows each problem line
    (marked >) with `context` lines either side, numbered as in the file; the first
    `shown` problems only, then how many more there are.
    """
    lines = log.splitlines()
    hits = [i for i, line in enumerate(lines)
            if PROBLEM.search(line) and not any(ok in line for ok in NOT_PROBLEMS)
            and not kernel_teardown_noise(lines, i)]
    if not hits:
        return ""
    report = [f"the build printed {len(hits)} WARNING or ERROR line(s); the full log is {log_name}"]
    for i in hits[:shown]:
        around = range(max(0, i - context), min(len(lines), i + context + 1))
        report.append("\n".join(f"{'>' if j == i else ' '} {j + 1:5d} | {lines[j]}" for j in around))
    if len(hits) > shown:
        report.append(f"... and {len(hits) - shown} more in {log_name}")
    return "\n\n".join(report)


def test_strict_build_passes_with_zero_warnings(book_build, build_log, root):
    code, log, _ = book_build
    name = build_log.relative_to(root)
    assert code == 0, f"strict build (-n -W --keep-going) failed; the full log is {name}:\n" + log[-4000:]
    problems = log_problems(log, name)
    assert not problems, problems


def test_build_log_report_names_the_log_and_shows_the_context():
    made_up = [f"reading sources... [{n:3d}%] page{n}" for n in range(20)] + [
        "chapters/04.ipynb: Executing notebook using local CWD [mystnb]",
        "[IPKernelApp] WARNING | Kernel is running over TCP without encryption. All communication",
        "ERROR:tornado.general:Uncaught exception in ZMQStream callback",
        "Traceback (most recent call last):",
        '  File "zmqstream.py", line 576, in _run_callback',
        "zmq.error.ZMQError: Socket operation on non-socket",
        "chapters/04.ipynb: Executed notebook in 5.82 seconds [mystnb]",
    ] + [f"writing output... [{n:3d}%] page{n}" for n in range(20)]
    report = log_problems("\n".join(made_up), "_build/logs/strict-build.log")
    assert "_build/logs/strict-build.log" in report
    assert "1 WARNING or ERROR line(s)" in report  # the TCP notice alone is no problem
    assert ">    23 | ERROR:tornado.general:Uncaught exception in ZMQStream callback" in report
    for line in ("Executing notebook", "Traceback (most recent call last)", "ZMQError", "Executed notebook"):
        assert line in report, f"the context lacks {line!r}"
    assert "page17" not in report  # only a few lines either side
    # a clean log (the TCP notice is expected) has nothing to report
    assert log_problems("\n".join(made_up[:22] + made_up[23:]), "x.log") == ""
    # a Sphinx warning is reported too, and only the first `shown` problems are shown in full
    warnings = "\n".join(f"intro.md:{n}: WARNING: undefined label" for n in range(12))
    report = log_problems(warnings, "x.log", shown=10)
    assert "12 WARNING or ERROR line(s)" in report and "... and 2 more in x.log" in report


TEARDOWN_TRACEBACK = [  # as a kernel printed it, paths shortened
    "chapters/04.ipynb: Executing notebook using local CWD [mystnb]",
    "ERROR:tornado.general:Uncaught exception in ZMQStream callback",
    "Traceback (most recent call last):",
    '  File "site-packages/zmq/eventloop/zmqstream.py", line 585, in _log_error',
    "    f.result()",
    '  File "site-packages/ipykernel/kernelbase.py", line 372, in dispatch_control',
    "    await self.process_control(msg)",
    '  File "site-packages/ipykernel/kernelbase.py", line 406, in process_control',
    "    sys.stdout.flush()",
    '  File "site-packages/ipykernel/iostream.py", line 694, in flush',
    "    self.pub_thread.schedule(self._flush)",
    '  File "site-packages/ipykernel/iostream.py", line 343, in schedule',
    '    self._event_pipe.send(b"")',
    '  File "site-packages/zmq/sugar/socket.py", line 713, in send',
    "    return super().send(data, flags=flags, copy=copy, track=track)",
    "           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
    '  File "zmq/backend/cython/_zmq.py", line 190, in zmq.backend.cython._zmq._check_rc',
    "zmq.error.ZMQError: Socket operation on non-socket",
    "chapters/04.ipynb: Executed notebook in 5.82 seconds [mystnb]",
    "reading sources... [ 57%] chapters/05",
]


def test_only_the_kernel_teardown_error_is_skipped():
    assert log_problems("\n".join(TEARDOWN_TRACEBACK), "x.log") == ""
    # the same ERROR line is a problem with any other ending, traceback or outcome
    other_exception = [line.replace("Socket operation on non-socket", "Resource temporarily unavailable")
                       for line in TEARDOWN_TRACEBACK]
    other_path = [line for line in TEARDOWN_TRACEBACK if "process_control" not in line]
    not_executed = TEARDOWN_TRACEBACK[:-2]
    no_traceback = TEARDOWN_TRACEBACK[:2] + TEARDOWN_TRACEBACK[-2:]
    for log in (other_exception, other_path, not_executed, no_traceback):
        report = log_problems("\n".join(log), "x.log")
        assert "1 WARNING or ERROR line(s)" in report and TEARDOWN_ERROR in report, log
    # in the notebooks run side by side before Sphinx reads (_ext/notebook_execution.py), the
    # report that follows is that run's; a notebook that failed there is not skipped
    side_by_side = TEARDOWN_TRACEBACK[1:-2] + ["chapters/04_softmax_jacobian: executed in 11.11 s"]
    assert log_problems("\n".join(side_by_side), "x.log") == ""
    failed = side_by_side[:-1] + ["chapters/04_softmax_jacobian: failed in the parallel run; myst-nb runs it again"]
    assert "1 WARNING or ERROR line(s)" in log_problems("\n".join(failed), "x.log")
    # and it hides nothing else: a Sphinx warning after it is still reported
    report = log_problems("\n".join(TEARDOWN_TRACEBACK + ["intro.md:3: WARNING: undefined label"]), "x.log")
    assert "1 WARNING or ERROR line(s)" in report and "undefined label" in report


def test_every_toc_entry_has_a_page(site):
    assert (site / "index.html").exists()
    for f in toc_files():
        page = site / f"{f}.html"
        assert page.exists(), f"no page for {f}"
        assert page.stat().st_size > 2000


def test_chapters_are_executed_in_the_build(site):
    # an executed chapter has rendered outputs; a cell that raised would have failed the build
    for f in toc_files():
        if f.startswith("chapters/"):
            html = (site / f"{f}.html").read_text()
            assert "cell_output" in html, f"{f}: no rendered output"


def test_mathjax_is_served_by_the_site(site):
    pages_with_math = 0
    for f in toc_files():
        page = site / f"{f}.html"
        html = page.read_text()
        srcs = re.findall(r'<script[^>]+src="([^"]*mathjax[^"]*)"', html, flags=re.I)
        if 'class="math' in html:
            pages_with_math += 1
            assert srcs, f"{f}: math on the page but no MathJax script"
        for src in srcs:
            assert not src.startswith(("http:", "https:", "//")), f"{f}: MathJax from the network: {src}"
            assert (page.parent / src.split("?")[0]).resolve().exists(), f"{f}: {src} is not in the site"
    assert pages_with_math >= 1


def test_package_import_reports_the_notes_loss():
    out = subprocess.run([sys.executable, "-c",
                          "import backprop_lib as bl; print(bl.worked_example(decimals=1)['loss'])"],
                         capture_output=True, text=True, check=True).stdout
    assert abs(float(out) - 1.28) < 1e-12
