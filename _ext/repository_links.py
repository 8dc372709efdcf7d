"""The {repo} role: a link into the book's repository, named once in _config.yml.

    {repo}`/`                          the repository itself, shown as its address without https://
    {repo}`benchmarks/README.md`       a file on the configured branch, shown as its path
    {repo}`the README <README.md>`     the same with a text of its own
    {repo}`benchmarks/`                a folder (a trailing slash)

Jupyter Book hands `repository: url` and `branch` of _config.yml to the theme
(html_theme_options); the role reads them there, so a copy of the book that names its own
repository links to itself, and no page types the repository's address. Where no URL is set
(the student edition without a student repository), the role shows the text and no link.
"""

from docutils import nodes
from sphinx.util.nodes import split_explicit_title


def repository(config):
    """(url without a trailing slash or .git, branch) from the theme options Jupyter Book wrote."""
    options = config.html_theme_options or {}
    url = (options.get("repository_url") or "").rstrip("/")
    url = url[:-4] if url.endswith(".git") else url
    return url, options.get("repository_branch") or "main"


def link(url, branch, path):
    """The address of `path` in the repository: the repository itself for '/' or ''."""
    path = path.strip()
    if path in ("", "/"):
        return url
    kind = "tree" if path.endswith("/") else "blob"
    return f"{url}/{kind}/{branch}/{path.strip('/')}"


def repo_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    config = inliner.document.settings.env.config
    url, branch = repository(config)
    has_title, title, path = split_explicit_title(text)
    root = path.strip() in ("", "/")
    if has_title:
        shown = nodes.Text(title)
    elif root:
        shown = nodes.Text(url.split("://", 1)[-1] or "the repository")
    else:
        shown = nodes.literal(path, path)  # a path reads as code, as in the rest of the book
    if not url:
        return [shown], []
    return [nodes.reference(rawtext, "", shown, refuri=link(url, branch, path))], []


def setup(app):
    app.add_role("repo", repo_role)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
