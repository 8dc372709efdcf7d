"""Every address of the book's repository comes from _config.yml (`repository: url`).

Pages link to it with the {repo} role (_ext/repository_links.py), tools/notebooks.py writes
it into the set-up cells and pyproject.toml's Homepage, and Jupyter Book into the launch
buttons. So no source may type a GitHub repository's address other than another project's
(THIRD_PARTY), and the built site may name no repository but the configured one: a copy of
the book that sets its own URL never sends a reader to the original, or to an old fork.
"""

import html
import pathlib
import re
import sys

import nbformat

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tools import notebooks as nbtools  # noqa: E402

# other projects' repositories the book cites on purpose (owner/name, lower case)
THIRD_PARTY = {"hips/autograd"}
# a GitHub repository as the site can name it: a link, a Binder or Colab launch, Thebe's config
REFERENCES = [
    re.compile(r"github\.com/(?P<repo>[\w.-]+/[\w.-]+)", re.I),
    re.compile(r"/v2/gh/(?P<repo>[\w.-]+/[\w.-]+)/", re.I),              # Binder
    re.compile(r"colab\.research\.google\.com/github/(?P<repo>[\w.-]+/[\w.-]+)/", re.I),
    re.compile(r"""\brepo:\s*["'](?P<repo>[\w.-]+/[\w.-]+)["']"""),  # Thebe
]


def owner_and_name(url):
    path = re.sub(r"^https?://github\.com/", "", url.rstrip("/"))
    return (path[:-4] if path.endswith(".git") else path).lower()


def repositories(text):
    found = set()
    for pattern in REFERENCES:
        for m in pattern.finditer(text):
            repo = m.group("repo").lower()
            found.add(repo[:-4] if repo.endswith(".git") else repo)
    return found


def book_sources():
    """(name, text) of what the book is built from and ships: pages, notebooks (their set-up
    cells aside, which tests/test_launch.py checks), extensions, templates, the package."""
    for file in nbtools.toc_files():
        for suffix in (".md", ".ipynb"):
            path = ROOT / f"{file}{suffix}"
            if path.suffix == ".ipynb" and path.exists():
                nb = nbformat.read(path, as_version=4)
                for i, cell in enumerate(nb.cells):
                    if not cell.source.startswith(nbtools.SETUP_MARK):
                        yield f"{path.relative_to(ROOT)}, cell {i}", cell.source
            elif path.exists():
                yield str(path.relative_to(ROOT)), path.read_text()
    for folder in ("_ext", "_templates", "_static", "backprop_lib", "student", "binder"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".html", ".css", ".js", ".md", ".txt", ""):
                yield str(path.relative_to(ROOT)), path.read_text(errors="replace")


def test_no_source_types_a_repository_address():
    typed = {}
    for name, text in book_sources():
        for repo in repositories(text) - THIRD_PARTY:
            typed.setdefault(repo, []).append(name)
    assert not typed, (
        "repository addresses typed in the book's sources: "
        + "; ".join(f"{repo} in {', '.join(names)}" for repo, names in typed.items())
        + ". Link to the book's own repository with {repo}`path` (it reads _config.yml); "
        "another project's repository goes into THIRD_PARTY in tests/test_repository_urls.py.")


def test_pyproject_homepage_is_the_configured_repository():
    homepage = nbtools.HOMEPAGE.search((ROOT / "pyproject.toml").read_text())
    assert homepage, "pyproject.toml has no Homepage under [project.urls]"
    assert homepage.group(0).endswith(f'"{nbtools.repository_url()}"'), \
        "pyproject.toml's Homepage is not _config.yml's repository: run `python tools/notebooks.py sync`"


def site_repositories(site):
    """{owner/name: [pages]} for every GitHub repository the built site names."""
    named = {}
    for page in sorted(site.rglob("*.html")):
        for repo in repositories(html.unescape(page.read_text(errors="replace"))):
            named.setdefault(repo, []).append(str(page.relative_to(site)))
    return named


def test_the_site_names_no_repository_but_the_configured_one(site):
    own = owner_and_name(nbtools.repository_url())
    named = site_repositories(site)
    assert own in named, f"the site never links to its repository {own}: is repository_links loaded?"
    others = {repo: pages for repo, pages in named.items() if repo not in THIRD_PARTY | {own}}
    assert not others, ("the site names repositories other than _config.yml's " + own + ": "
                        + "; ".join(f"{r} on {', '.join(p[:3])}" for r, p in others.items()))


def test_the_benchmarks_link_and_the_intro_links_read_the_config(site):
    url = nbtools.repository_url()
    branch = nbtools.repository()["branch"]
    intro = html.unescape((site / "intro.html").read_text())
    assert f'href="{url}"' in intro and f'href="{url}/blob/{branch}/README.md"' in intro
    pages = "".join(html.unescape(p.read_text()) for p in (site / "chapters").glob("*.html"))
    assert f'href="{url}/blob/{branch}/benchmarks/README.md"' in pages
