"""Every chapter runs top to bottom in a fresh environment made from the Binder files only,
as a student on Binder or Colab runs it: binder/requirements.txt, backprop_lib installed by
binder/postBuild, and the Jupyter kernel machinery those services always have. No book
toolchain, so glue falls back to plain output and nothing may need jupyter-book or myst-nb."""

import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import textwrap

import pytest

from helpers import CHAPTERS, ROOT

# one worker runs these tests (`make test` runs tests in parallel): the Binder venv, set up once for these tests
pytestmark = pytest.mark.xdist_group("binder_env")

# what Binder's and Colab's images always bring: a kernel, and a way to run a notebook
KERNEL_MACHINERY = ("ipykernel", "nbclient")

RUNNER = textwrap.dedent("""
    import json, pathlib, sys
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    report = {}
    for name in sys.argv[1:]:
        path = pathlib.Path(name)
        nb = nbformat.read(path, as_version=4)
        try:
            NotebookClient(nb, timeout=300, kernel_name="python3",
                           resources={"metadata": {"path": str(path.parent)}}).execute()
        except CellExecutionError as err:
            report[path.name] = str(err)[-1500:]
            continue
        errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                  if o.get("output_type") == "error"]
        report[path.name] = f"{len(errors)} error outputs" if errors else "ok"
    print(json.dumps(report))
""")


def pins(path):
    """{name: requirement line} of a requirements file (comments and options left out)."""
    out = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            out[re.split(r"[=<>!~\[; ]", line, maxsplit=1)[0].lower()] = line
    return out


def run(cmd, env, cwd, timeout=600):
    result = subprocess.run([str(c) for c in cmd], env=env, cwd=cwd, capture_output=True,
                            text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(map(str, cmd))} failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
    return result.stdout


@pytest.fixture(scope="module")
def binder_env(tmp_path_factory):
    """A fresh venv with only what Binder installs; returns (its python, its environment)."""
    tmp = tmp_path_factory.mktemp("binder")
    venv = tmp / "venv"
    # the base interpreter: a venv made from inside .venv must not see .venv's packages
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", str(venv)], check=True, timeout=300)
    bin_dir = venv / "bin"
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "MPLBACKEND"} and not k.startswith("JUPYTER")}
    env.update({
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "VIRTUAL_ENV": str(venv),
        "PIP_NO_INPUT": "1",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        # only the venv's kernel, and no user profile or settings of this machine
        "JUPYTER_PATH": str(venv / "share" / "jupyter"),
        "JUPYTER_DATA_DIR": str(tmp / "jupyter-data"),
        "JUPYTER_CONFIG_DIR": str(tmp / "jupyter-config"),
        "JUPYTER_RUNTIME_DIR": str(tmp / "jupyter-runtime"),
        "IPYTHONDIR": str(tmp / "ipython"),
        "MPLCONFIGDIR": str(tmp / "matplotlib"),
    })
    python = bin_dir / "python"
    # the kernel machinery at the versions CI uses; the chapters' needs from binder/ only
    dev = pins(ROOT / "requirements.txt")
    # --no-compile: the .pyc files are written when the chapters import the modules anyway
    run([python, "-m", "pip", "install", "-q", "--no-compile", "-r", ROOT / "binder" / "requirements.txt",
         *(dev[name] for name in KERNEL_MACHINERY)], env, tmp)
    # binder/postBuild as Binder runs it, on a copy of the package's files (a build
    # writes into the source folder, and the checkout is not ours to write in)
    repo = tmp / "repo"
    repo.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, repo / name)
    for folder in ("backprop_lib", "binder"):
        shutil.copytree(ROOT / folder, repo / folder,
                        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    run(["bash", repo / "binder" / "postBuild"], env, tmp)
    return python, env


def test_binder_pins_match_the_tested_ones():
    """Binder installs the versions CI tests the chapters with."""
    binder, tested = pins(ROOT / "binder" / "requirements.txt"), pins(ROOT / "requirements.txt")
    assert {"numpy", "matplotlib"} <= set(binder)
    for name, line in binder.items():
        assert tested.get(name) == line, f"binder/requirements.txt has {line}, requirements.txt {tested.get(name)}"
    assert not {"jupyter-book", "myst-nb", "sphinx"} & set(binder), "Binder gets no book toolchain"


def test_postbuild_installs_the_package():
    text = (ROOT / "binder" / "postBuild").read_text()
    assert text.startswith("#!/bin/bash")
    assert os.access(ROOT / "binder" / "postBuild", os.X_OK), "binder/postBuild must be executable"
    assert re.search(r"pip install .*\s\.$", text, re.M)


def test_no_book_toolchain_but_the_package(binder_env):
    python, env = binder_env
    probe = ("import importlib.util, backprop_lib; "
             "print(backprop_lib.__file__); "
             "print([m for m in ('jupyter_book', 'myst_nb', 'sphinx', 'nbval', 'pytest') "
             "if importlib.util.find_spec(m)])")
    # from chapters/, where the notebooks run: the package must come from the venv,
    # not from the checkout
    out = run([python, "-c", probe], env, ROOT / "chapters").splitlines()
    assert pathlib.Path(out[0]).is_relative_to(python.parent.parent), out[0]
    assert out[1] == "[]", f"the book toolchain is importable: {out[1]}"


def test_every_chapter_runs_in_the_binder_env(binder_env, tmp_path):
    python, env = binder_env
    assert CHAPTERS
    runner = tmp_path / "run_notebooks.py"
    runner.write_text(RUNNER)
    # one runner per core, each with its share of the chapters: they run side by side
    jobs = max(1, min(len(CHAPTERS), len(os.sched_getaffinity(0))))
    runs = [subprocess.Popen([str(python), str(runner), *map(str, CHAPTERS[i::jobs])], env=env, cwd=tmp_path,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(jobs)]
    report = {}
    for process in runs:
        out, err = process.communicate(timeout=900)
        assert process.returncode == 0, f"the notebook runner failed:\n{out[-2000:]}\n{err[-3000:]}"
        report.update(json.loads(out.strip().splitlines()[-1]))
    assert set(report) == {p.name for p in CHAPTERS}
    failed = {name: r for name, r in report.items() if r != "ok"}
    assert not failed, "chapters that fail without the book toolchain:\n" + "\n\n".join(
        f"{name}:\n{r}" for name, r in failed.items())
