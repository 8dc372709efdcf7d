"""Keep the chapters' notebooks in shape.

    python tools/notebooks.py sync      # write the Colab/Binder set-up cell into every notebook
    python tools/notebooks.py execute [NOTEBOOK ...]   # re-run notebooks in place, outputs stored

The set-up cell installs backprop_lib from the repository named in _config.yml, at the
tag v<version> of pyproject.toml: the one place both are named. It is tagged
`remove-cell` (hidden on the site) and `nbval-skip` (nbval runs in an environment that
already has the package).
"""

import pathlib
import re
import sys

import nbformat

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOK_DIRS = ("chapters", "appendix")
SETUP_TAGS = ["remove-cell", "nbval-skip"]
SETUP_MARK = "# Set-up for Colab and Binder"


def repository_url():
    text = (ROOT / "_config.yml").read_text()
    return re.search(r"^repository:\s*\n\s+url:\s*(\S+)", text, re.M).group(1)


def version():
    return re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M).group(1)


def install_spec():
    """What the set-up cell hands to pip: the package at this release's tag."""
    return f"backprop_lib @ git+{repository_url()}@v{version()}"


def setup_source():
    return (
        f"{SETUP_MARK}: install backprop_lib when it is missing (hidden on the site).\n"
        "import importlib.util, subprocess, sys\n"
        'if importlib.util.find_spec("backprop_lib") is None:\n'
        f'    subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "{install_spec()}"])\n'
        "    importlib.invalidate_caches()  # so this kernel finds the package it just installed"
    )


def notebooks():
    return sorted(p for d in NOTEBOOK_DIRS for p in (ROOT / d).glob("*.ipynb"))


def sync(paths):
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        first = nb.cells[0] if nb.cells else None
        if first is not None and first.cell_type == "code" and first.source.startswith(SETUP_MARK):
            cell = first
        else:
            cell = nbformat.v4.new_code_cell()
            nb.cells.insert(0, cell)
        cell.source = setup_source()
        cell.metadata["tags"] = SETUP_TAGS
        cell.outputs = []
        cell.execution_count = None
        nbformat.write(nb, path)


def execute(paths):
    from nbclient import NotebookClient

    for path in paths:
        nb = nbformat.read(path, as_version=4)
        # no timing metadata: a re-run that computes the same numbers leaves the file unchanged
        NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        for cell in nb.cells:
            cell.metadata.pop("execution", None)
        nbformat.write(nb, path)
        print(f"executed {path.relative_to(ROOT)}")


if __name__ == "__main__":
    command, *names = sys.argv[1:] or ["help"]
    targets = [pathlib.Path(n).resolve() for n in names] or notebooks()
    if command == "sync":
        sync(targets)
    elif command == "execute":
        sync(targets)
        execute(targets)
    else:
        sys.exit(__doc__)
