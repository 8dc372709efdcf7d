"""Failures that say what to do: the Makefile's targets when something is in the way.

- `make book` stops, with the number tests' message, when the worked example is no longer
  the lecture notes' one (it would build a site that contradicts itself);
- two targets started at once on a fresh checkout set up one .venv, not two half ones;
- `make serve` on a busy port says so and names PORT=;
- `make lab` starts, as root too;
- a notebook that is not valid JSON is named in the error;
- `make test` ends with each failure and its reason.
"""

import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = pathlib.Path(sys.executable).parent


def make(*args, env=None, timeout=300):
    return subprocess.run(["make", "--no-print-directory", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_make_book_stops_when_the_worked_example_is_not_the_notes(tmp_path):
    # a copy of the package with x changed, found before the installed one
    shutil.copytree(ROOT / "backprop_lib", tmp_path / "backprop_lib",
                    ignore=shutil.ignore_patterns("__pycache__"))
    example = tmp_path / "backprop_lib" / "example.py"
    text = example.read_text()
    assert "0.3, 0.3, 0.9" in text, "the example's x is not written as the test expects"
    example.write_text(text.replace("0.3, 0.3, 0.9", "0.3, 0.3, 0.8", 1))
    result = make("book", "READY=", f"BIN={BIN}", "JB=false", env={"PYTHONPATH": str(tmp_path)})
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert "make book stopped: the worked example no longer gives the lecture notes' numbers" in out
    assert "x is [0.3, 0.3, 0.8], the lecture notes' x is [0.3, 0.3, 0.9]" in out


def test_two_makes_at_once_set_up_one_venv(tmp_path):
    """A fresh checkout's first two targets: the second waits for the first one's .venv
    (REQUIREMENTS=pip keeps the install itself short; the race is in creating .venv)."""
    if not shutil.which("flock"):
        pytest.fail("flock is missing: install util-linux")
    venv = tmp_path / "venv"
    args = ["make", "--no-print-directory", "setup", f"VENV={venv}", "REQUIREMENTS=pip"]
    first = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    second = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    outs = [p.communicate(timeout=600)[0] for p in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], "\n---\n".join(outs)
    assert "No module named pip" not in "".join(outs)
    assert sum("set up meanwhile" in out for out in outs) == 1, "\n---\n".join(outs)
    assert (venv / ".ready").exists() and (venv / "bin" / "python").exists()


def test_make_serve_on_a_busy_port_names_the_way_out(tmp_path):
    (tmp_path / "index.html").write_text("<html></html>")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = make("serve", f"SITE={tmp_path}", f"PORT={port}", timeout=60)
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"port {port} is busy" in out and "make serve PORT=" in out
    assert "Traceback" not in out


def test_make_lab_starts(tmp_path):
    """As root (CI), jupyter refuses to start unless told --allow-root: the Makefile tells it."""
    port = free_port()
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "lab", "READY=", f"BIN={BIN}",
         f"LAB_OPTIONS=--no-browser --port={port} --ServerApp.port_retries=0 --IdentityProvider.token=''"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        env={**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "JUPYTER_DATA_DIR": str(tmp_path / "data")})
    try:
        deadline, up = time.monotonic() + 120, False
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    up = True
                    break
            except OSError:
                time.sleep(0.5)
        if not up:
            os.killpg(proc.pid, signal.SIGTERM)
            out = proc.communicate(timeout=30)[0]
            pytest.fail(f"make lab did not start JupyterLab (exit {proc.returncode}):\n{out[-3000:]}")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def test_a_broken_notebook_is_named(tmp_path):
    broken = tmp_path / "99_broken.ipynb"
    broken.write_text('{"cells": [ {"cell_type": "code", ')
    result = subprocess.run([sys.executable, "tools/notebooks.py", "sync", str(broken)], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "99_broken.ipynb: not a readable notebook" in result.stderr and "Traceback" not in result.stderr


def test_make_book_names_a_broken_notebook_before_jupyter_book_runs(tmp_path):
    # the check `make book` runs first, on a copy of the book whose one chapter is broken
    for name in ("tools", "_toc.yml", "_config.yml"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, tmp_path / name)
    first = next(p for p in (ROOT / "chapters").glob("*.ipynb"))
    for path in [*(ROOT / "chapters").glob("*.ipynb"), *(ROOT / "appendix").glob("*.ipynb")]:
        (tmp_path / path.relative_to(ROOT)).parent.mkdir(exist_ok=True)
        shutil.copy(path, tmp_path / path.relative_to(ROOT))
    (tmp_path / first.relative_to(ROOT)).write_text('{"cells": [ {"cell_type": "code", ')
    result = subprocess.run([sys.executable, "tools/notebooks.py", "check"], cwd=tmp_path,
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert result.stderr.startswith(f"{first.relative_to(ROOT)}: not a readable notebook"), result.stderr
    assert subprocess.run([sys.executable, "tools/notebooks.py", "check"], cwd=ROOT).returncode == 0


@pytest.mark.parametrize("workers", [["-p", "no:xdist"], ["-n", "2"]], ids=["one-process", "two-workers"])
def test_make_test_ends_with_each_failure_and_its_reason(tmp_path, workers):
    """In one process and with `make test`'s parallel workers (pytest-xdist)."""
    (tmp_path / "test_sample.py").write_text(
        "def test_fails():\n    assert 1 == 2, 'the reason, first line\\nand its second line'\n\n"
        "def test_passes():\n    pass\n")
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "conftest", "-p", "no:cacheprovider",
                             "-c", os.devnull, "--rootdir", str(tmp_path), *workers, str(tmp_path)],
                            capture_output=True, text=True, cwd=tmp_path,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "tests")})
    lines = result.stdout.strip().splitlines()
    assert result.returncode == 1
    assert "why the tests failed: 1 failure(s)" in lines[-4]
    assert lines[-3].endswith("test_sample.py::test_fails")
    assert lines[-2:] == ["    AssertionError: the reason, first line", "      and its second line"]


def test_a_config_yaml_cannot_read_names_its_line(tmp_path):
    """A course title with a colon, unquoted: `make book` stops before Jupyter Book with the
    line to mend and how."""
    for name in ("tools", "_toc.yml", "chapters", "appendix", "intro.md", "explore.md"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, tmp_path / name)
    text = (ROOT / "_config.yml").read_text()
    (tmp_path / "_config.yml").write_text(re.sub(r"^title: .*$", "title: Neural Networks 101: Backprop",
                                                 text, count=1, flags=re.M))
    result = subprocess.run([sys.executable, "tools/notebooks.py", "check"], cwd=tmp_path,
                            capture_output=True, text=True)
    line = text.splitlines().index(next(l for l in text.splitlines() if l.startswith("title: "))) + 1
    assert result.returncode != 0
    assert result.stderr.startswith(f"_config.yml, line {line}: not valid YAML"), result.stderr
    assert 'needs quotes, e.g. title: "Course 101: Backprop"' in result.stderr
