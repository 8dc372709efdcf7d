"""Keep the chapters' notebooks in shape.

    python tools/notebooks.py sync      # write what comes from _config.yml: the Colab/Binder
                                        # set-up cell of every notebook, pyproject's Homepage
    python tools/notebooks.py execute [NOTEBOOK ...]   # sync, then re-run in place, outputs stored
    python tools/notebooks.py check [NOTEBOOK ...]     # every notebook readable (`make book` runs it
                                                       # first: Jupyter Book's error does not name the file)

The set-up cell installs backprop_lib from the repository named in _config.yml
(`repository: url`), from its branch (`repository: branch`), or from a release tag when
`repository: release` names one; the tag must then exist in this checkout (git rev-parse).
It is tagged `remove-cell` (hidden on the site) and `nbval-skip` (nbval runs in an
environment that already has the package). The notebooks are those of _toc.yml.
"""

import pathlib
import re
import subprocess
import sys

import nbformat

ROOT = pathlib.Path(__file__).resolve().parent.parent
SETUP_TAGS = ["remove-cell", "nbval-skip"]
SETUP_MARK = "# Set-up for Colab and Binder"
HOMEPAGE = re.compile(r'^(Homepage\s*=\s*)"[^"]*"', re.M)


class ConfigError(SystemExit):
    """A setting of _config.yml that cannot work; the message says what to do."""


def config():
    """_config.yml as a dict; a file YAML cannot read stops with the line to mend."""
    import yaml

    try:
        return yaml.safe_load((ROOT / "_config.yml").read_text())
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark else ""
        raise ConfigError(f"_config.yml{where}: not valid YAML ({getattr(error, 'problem', None) or error}). "
                          'A value with ": " in it needs quotes, e.g. title: "Course 101: Backprop"') from None


def repository(section="repository"):
    """The url (no trailing slash, no .git), branch and release (or None) of a repository section."""
    repo = config().get(section) or {}
    url = (repo.get("url") or "").rstrip("/")
    url = url[:-4] if url.endswith(".git") else url
    return {"url": url, "branch": repo.get("branch") or "main", "release": repo.get("release") or None}


def repository_url():
    return repository()["url"]


def git(*args, cwd=ROOT):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)


def resolve_ref(ref):
    """The commit `ref` names in this checkout (a tag, a branch, or origin's branch), or None."""
    for candidate in (f"refs/tags/{ref}", f"refs/heads/{ref}", f"refs/remotes/origin/{ref}"):
        found = git("rev-parse", "--verify", "--quiet", f"{candidate}^{{commit}}")
        if found.returncode == 0:
            return found.stdout.strip()
    return None


def install_ref(repo=None):
    """What the set-up cell installs from: the release tag when one is configured, else the branch.

    A configured tag that this checkout lacks is an error, never a silent fallback: Colab
    would fail on the reader's first cell.
    """
    repo = repo or repository()
    release = repo["release"]
    if release is None:
        return repo["branch"]
    if git("rev-parse", "--verify", "--quiet", f"refs/tags/{release}^{{commit}}").returncode != 0:
        raise ConfigError(
            f"_config.yml: `repository: release: {release}` names a tag this checkout does not have, "
            f"so the chapters' set-up cell would fail on Colab. Create and push the tag "
            f"(git tag {release} && git push origin {release}), fetch it (git fetch --tags), or "
            "remove `release:` to install from the branch.")
    return release


def install_spec(repo=None):
    """What the set-up cell hands to pip."""
    repo = repo or repository()
    return f"backprop_lib @ git+{repo['url']}@{install_ref(repo)}"


def setup_source(repo=None):
    return (
        f"{SETUP_MARK}: install backprop_lib when it is missing (hidden on the site).\n"
        "import importlib.util, subprocess, sys\n"
        'if importlib.util.find_spec("backprop_lib") is None:\n'
        f'    subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "{install_spec(repo)}"])\n'
        "    importlib.invalidate_caches()  # so this kernel finds the package it just installed"
    )


def toc_files():
    """Every file _toc.yml lists (without suffix), the root first, in reading order."""
    # read by Jupyter Book's own reader of _toc.yml
    from sphinx_external_toc.parsing import parse_toc_yaml

    return list(parse_toc_yaml(ROOT / "_toc.yml"))


def notebooks():
    """The notebooks of _toc.yml, in its order."""
    return [ROOT / f"{f}.ipynb" for f in toc_files() if (ROOT / f"{f}.ipynb").exists()]


def read(path):
    """The notebook at `path`; a file that is not one stops with its name."""
    try:
        return nbformat.read(path, as_version=4)
    except Exception as err:  # nbformat raises NotJSONError, ValueError, ... without the file name
        name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        raise SystemExit(f"{name}: not a readable notebook ({type(err).__name__}: "
                         f"{str(err).splitlines()[0][:200] if str(err) else 'no detail'}). "
                         "Fix its JSON (for example `git diff` or `git checkout` the file).") from None


def set_setup_cell(nb, source):
    first = nb.cells[0] if nb.cells else None
    if first is not None and first.cell_type == "code" and first.source.startswith(SETUP_MARK):
        cell = first
    else:
        cell = nbformat.v4.new_code_cell()
        nb.cells.insert(0, cell)
    cell.source = source
    cell.metadata["tags"] = SETUP_TAGS
    cell.outputs = []
    cell.execution_count = None
    return nb


def sync_pyproject():
    """pyproject.toml's Homepage is the repository of _config.yml."""
    path = ROOT / "pyproject.toml"
    text = path.read_text()
    new = HOMEPAGE.sub(lambda m: f'{m.group(1)}"{repository_url()}"', text)
    if new != text:
        path.write_text(new)


def sync(paths):
    source = setup_source()
    for path in paths:
        nb = read(path)
        before = nbformat.writes(nb)
        set_setup_cell(nb, source)
        if nbformat.writes(nb) != before:
            nbformat.write(nb, path)
    sync_pyproject()


def execute(paths):
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    for path in paths:
        nb = read(path)
        # no timing metadata: a re-run that computes the same numbers leaves the file unchanged
        try:
            NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False,
                           resources={"metadata": {"path": str(path.parent)}}).execute()
        except CellExecutionError as err:
            raise SystemExit(f"{path.relative_to(ROOT)}: a cell raised, nothing was written:\n{err}") from None
        for cell in nb.cells:
            cell.metadata.pop("execution", None)
        nbformat.write(nb, path)
        print(f"executed {path.relative_to(ROOT)}")


if __name__ == "__main__":
    command, *names = sys.argv[1:] or ["help"]
    targets = [pathlib.Path(n).resolve() for n in names] or notebooks()
    missing = [n for n, t in zip(names, targets) if not t.exists()]
    if missing:
        sys.exit(f"no such notebook: {', '.join(missing)}")
    if command == "check":
        config()
        for target in targets:
            read(target)
    elif command == "sync":
        sync(targets)
    elif command == "execute":
        sync(targets)
        execute(targets)
    else:
        sys.exit(__doc__)
