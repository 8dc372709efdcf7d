"""Colab works on the repository as it is published: the chapters' set-up cell installs
backprop_lib from a ref that exists, and what it installs holds every name the chapters import.

The cell installs from the branch of _config.yml, or from `repository: release` when that
names a tag. A branch moves with the notebooks Colab opens from it, so the test installs this
checkout's state under the branch's name; a tag stays behind while the chapters go on, so the
test installs the tag itself: a chapter that imports a checker added after the tag fails here.
"""

import ast
import pathlib
import re
import shutil
import subprocess
import sys
import textwrap

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tools import notebooks as nbtools  # noqa: E402

# one worker runs these tests (`make test` runs tests in parallel): the clone at the set-up cell's ref, made once for these tests
pytestmark = pytest.mark.xdist_group("colab_ref")

SPEC = re.compile(r'"backprop_lib @ git\+(?P<url>\S+)@(?P<ref>[^"\s]+)"')


def git(*args, cwd=ROOT):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()


def setup_cells():
    """{notebook: its set-up cell's source} for the notebooks of _toc.yml."""
    return {p: nbformat.read(p, as_version=4).cells[0].source for p in nbtools.notebooks()}


def code_of(path):
    """The code cells of a notebook or of a MyST text notebook (```{code-cell} blocks)."""
    if path.suffix == ".ipynb":
        return [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    blocks = re.findall(r"^```\{code-cell\}[^\n]*\n(.*?)^```", path.read_text(), re.M | re.S)
    return [re.sub(r"^:\w+:.*$", "", b, flags=re.M) for b in blocks]


def imported_names():
    """{dotted name the chapters use from backprop_lib} (imports and attribute chains on them)."""
    names = set()
    for file in nbtools.toc_files():
        path = next((ROOT / f"{file}{s}" for s in (".ipynb", ".md") if (ROOT / f"{file}{s}").exists()), None)
        for source in code_of(path) if path else []:
            try:
                tree = ast.parse(re.sub(r"^\s*[%!].*$", "", source, flags=re.M))
            except SyntaxError:
                continue
            aliases = {}
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    for a in node.names:
                        if a.name.split(".")[0] == "backprop_lib":
                            names.add(a.name)
                            aliases[a.asname or a.name.split(".")[0]] = a.name if a.asname else "backprop_lib"
                elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "backprop_lib":
                    for a in node.names:
                        names.add(f"{node.module}.{a.name}")
                        aliases[a.asname or a.name] = f"{node.module}.{a.name}"
            for node in ast.walk(tree):
                chain = []
                while isinstance(node, ast.Attribute):
                    chain.insert(0, node.attr)
                    node = node.value
                if chain and isinstance(node, ast.Name) and node.id in aliases:
                    names.add(".".join([aliases[node.id], *chain]))
    return names


CHECK = textwrap.dedent('''
    import importlib, json, pathlib, sys
    site, names = sys.argv[1], json.loads(sys.argv[2])
    sys.path.insert(0, site)
    import backprop_lib
    assert pathlib.Path(backprop_lib.__file__).is_relative_to(site), backprop_lib.__file__
    missing = []
    for name in names:
        parts = name.split(".")
        obj = importlib.import_module(parts[0])
        for i, part in enumerate(parts[1:], 1):
            if not hasattr(obj, part):
                try:
                    obj = importlib.import_module(".".join(parts[:i + 1]))
                    continue
                except ImportError:
                    missing.append(name)
                    break
            obj = getattr(obj, part)
            if not isinstance(obj, type(sys)):
                break  # past the modules: an attribute of a function or class is no import
    print(json.dumps(missing))
''')


def test_every_setup_cell_names_the_configured_repository_and_ref():
    repo, ref = nbtools.repository(), nbtools.install_ref()
    for path, source in setup_cells().items():
        m = SPEC.search(source)
        assert m, f"{path.relative_to(ROOT)}: no install line in the set-up cell; run `make notebooks`"
        assert (m.group("url"), m.group("ref")) == (repo["url"], ref), (
            f"{path.relative_to(ROOT)} installs from {m.group('url')}@{m.group('ref')}, _config.yml says "
            f"{repo['url']}@{ref}: run `make notebooks` (it rewrites the set-up cells and re-executes)")


def test_the_ref_the_setup_cell_names_exists():
    ref = nbtools.install_ref()
    assert nbtools.resolve_ref(ref), (
        f"the set-up cells install backprop_lib from {ref!r}, which `git rev-parse` does not find in this "
        f"checkout (no tag, branch or origin/{ref}); in a shallow CI checkout fetch it "
        f"(git fetch origin {ref}), else fix `repository:` in _config.yml")


def test_a_release_tag_is_used_only_when_it_exists(monkeypatch):
    repo = {"url": "https://github.com/someone/book", "branch": "main", "release": None}
    assert nbtools.install_ref(repo) == "main"
    assert nbtools.install_spec(repo) == "backprop_lib @ git+https://github.com/someone/book@main"
    missing = {**repo, "release": "v999.0.0-no-such-tag"}
    with pytest.raises(SystemExit, match=r"v999\.0\.0-no-such-tag.*git tag"):
        nbtools.install_ref(missing)


def test_the_chapters_import_names_this_test_can_see():
    names = imported_names()
    assert "backprop_lib" in names and any(".exercises." in n for n in names), sorted(names)


@pytest.fixture(scope="module")
def clone_at_ref(tmp_path_factory):
    """A local clone of the repository with the set-up cell's ref: the tag as it is, or the
    branch at this checkout's state (uncommitted changes committed in the clone)."""
    ref = nbtools.install_ref()
    clone = tmp_path_factory.mktemp("clone") / "repo"
    git("clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone))
    if nbtools.repository()["release"] == ref:
        git("checkout", "--quiet", ref, cwd=clone)
        return clone, ref
    git("checkout", "--quiet", "-B", ref, git("rev-parse", "HEAD"), cwd=clone)
    for name in git("ls-files", "--modified", "--others", "--exclude-standard", "-z").split("\0"):
        if name and (ROOT / name).is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, clone / name)
    for name in git("ls-files", "--deleted", "-z").split("\0"):
        if name:
            (clone / name).unlink(missing_ok=True)
    git("add", "-A", cwd=clone)
    if git("status", "--porcelain", cwd=clone):
        git("-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "--quiet",
            "-m", "the working tree", cwd=clone)
    return clone, ref


def test_the_setup_cells_pip_command_installs_every_name_the_chapters_import(clone_at_ref, tmp_path):
    clone, ref = clone_at_ref
    source = next(iter(setup_cells().values()))
    m = SPEC.search(source)
    # the cell's own pip command, pointed at the local clone instead of GitHub
    command = re.search(r"subprocess\.check_call\((\[.*?\])\)", source).group(1)
    args = ast.literal_eval(command.replace("sys.executable", "'python'"))
    spec = args[-1].replace(f"git+{m.group('url')}@", f"git+file://{clone}@")
    assert spec == f"backprop_lib @ git+file://{clone}@{ref}"
    site = tmp_path / "site"
    # --no-deps --target: numpy is here already; the package lands apart from the editable one
    install = subprocess.run([sys.executable, *args[1:-1], "--no-deps", "--target", str(site), spec],
                             capture_output=True, text=True)
    assert install.returncode == 0, f"pip could not install {spec}:\n{install.stderr[-3000:]}"
    import json
    names = sorted(imported_names())
    result = subprocess.run([sys.executable, "-c", CHECK, str(site), json.dumps(names)],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    missing = json.loads(result.stdout)
    assert not missing, (
        f"backprop_lib as the set-up cells install it (from {ref}) lacks {missing}, which the chapters "
        "import: on Colab the chapter would stop with an ImportError. Install from the branch "
        "(remove `release:` from _config.yml) or make a new release, then `make notebooks`.")
