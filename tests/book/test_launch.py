"""Launch buttons and the Colab set-up cell: every chapter page opens ITS notebook on
Binder, Colab and Thebe, from the repository named once in _config.yml, and every
chapter installs backprop_lib from that repository (its branch, or its release tag)."""

import html
import posixpath
import re
import sys
from urllib.parse import parse_qs, urlsplit

import nbformat
import pytest
import yaml

from helpers import CHAPTERS, ROOT

sys.path.insert(0, str(ROOT))
from tools import notebooks as nbtools  # noqa: E402

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
REPO = CONFIG["repository"]
LAUNCH = CONFIG["launch_buttons"]


def owner_and_name():
    """'owner/name' of the GitHub repository in _config.yml."""
    path = urlsplit(REPO["url"]).path.strip("/")
    return path[:-4] if path.endswith(".git") else path


def in_repo(notebook):
    """The notebook's path inside the repository, as the launch URLs spell it."""
    return posixpath.join(REPO.get("path_to_book") or "", notebook.relative_to(ROOT).as_posix())


def links(page_html):
    return [html.unescape(h) for h in re.findall(r'<a\s[^>]*href="([^"]+)"', page_html)]


def chapter_page(site, notebook):
    page = site / notebook.relative_to(ROOT).with_suffix(".html")
    assert page.exists(), f"no page for {notebook.name} in the built site"
    return page.read_text()


def test_config_names_the_repository_once():
    assert REPO["url"].startswith("https://github.com/") and owner_and_name().count("/") == 1
    assert REPO["branch"]
    assert LAUNCH["binderhub_url"] and LAUNCH["colab_url"] and LAUNCH["thebe"] is True
    assert CHAPTERS, "no chapter notebooks"


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda p: p.stem)
def test_binder_button_opens_this_chapter(site, notebook):
    url = (f"{LAUNCH['binderhub_url'].rstrip('/')}/v2/gh/{owner_and_name()}/{REPO['branch']}")
    found = [h for h in links(chapter_page(site, notebook)) if h.startswith(url + "?")]
    assert len(found) == 1, f"{notebook.name}: no Binder button for {url}"
    query = parse_qs(urlsplit(found[0]).query)
    assert query["urlpath"] == [f"tree/{in_repo(notebook)}"]


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda p: p.stem)
def test_colab_button_opens_this_chapter(site, notebook):
    url = (f"{LAUNCH['colab_url'].rstrip('/')}/github/{owner_and_name()}/blob/{REPO['branch']}/"
           f"{in_repo(notebook)}")
    found = [h for h in links(chapter_page(site, notebook)) if h.startswith(LAUNCH["colab_url"])]
    assert found == [url]


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda p: p.stem)
def test_thebe_button_runs_this_chapter(site, notebook):
    page = chapter_page(site, notebook)
    assert re.search(r'<button[^>]*class="[^"]*btn-launch-thebe', page), f"{notebook.name}: no Live Code button"
    config = re.search(r'<script type="text/x-thebe-config">(.*?)</script>', page, re.S)
    assert config, f"{notebook.name}: no Thebe configuration"
    text = config.group(1)
    assert re.search(rf'repo:\s*"{re.escape(owner_and_name())}"', text)
    assert re.search(rf'ref:\s*"{re.escape(REPO["branch"])}"', text)
    # Thebe starts the kernel beside the notebook, so relative paths behave as on Binder
    folder = posixpath.dirname(in_repo(notebook))
    assert re.search(rf'path:\s*"(\./)?{re.escape(folder)}"', text), text


def test_install_spec_comes_from_config():
    # the branch, or the release tag when one is configured (tests/book/test_colab_ref.py: it exists)
    ref = REPO.get("release") or REPO["branch"]
    assert nbtools.install_spec() == f"backprop_lib @ git+{REPO['url'].rstrip('/')}@{ref}"


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda p: p.stem)
def test_first_cell_is_the_setup_cell(notebook):
    first = nbformat.read(notebook, as_version=4).cells[0]
    assert first.cell_type == "code"
    assert first.source == nbtools.setup_source(), \
        f"{notebook.name}: run `python tools/notebooks.py sync` to write the set-up cell"
    assert {"remove-cell", "nbval-skip"} <= set(first.metadata.get("tags", []))
    assert f'"{nbtools.install_spec()}"' in first.source
    # installs only when the package is missing: on Binder it is already there
    assert 'find_spec("backprop_lib") is None' in first.source


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda p: p.stem)
def test_setup_cell_is_not_on_the_site(site, notebook):
    page = chapter_page(site, notebook)
    for trace in (nbtools.SETUP_MARK, nbtools.install_spec(), "git+" + REPO["url"], "find_spec"):
        assert trace not in html.unescape(page), f"{notebook.name}: the set-up cell shows on the site"
