"""Pages that work only in a browser, such as "Play with the network" (explore.md, whose script
computes as the reader moves a slider): the printed book leaves them out.

The config value `online_only_pages` (in _config.yml, under sphinx: config:) names them.
tools/pdf.py builds the PDF with a table of contents without them, so that the chapters print
with the numbers the site gives them (the site does not number these pages either) and the
exercises, figures and equations of chapter 2 are "2.x" on paper too. A reference to such a
page from another page (``{ref}`explore` ``, ``{doc}`../explore` ``) then has no target in
that build; instead of a broken link it prints the page's title (or the reference's own
text) and "(on the book's website only)". The website is not touched: there every
reference resolves.
"""

import functools
import pathlib
import re

from docutils import nodes
from sphinx.util import docname_join

NOTE = " (on the book's website only)"


@functools.lru_cache(maxsize=None)
def _page(srcdir, docname):
    """(the page's title, the labels it defines), read from its Markdown source."""
    path = pathlib.Path(srcdir) / f"{docname}.md"
    text = path.read_text() if path.exists() else ""
    title = re.search(r"^# (.+)$", text, re.M)
    return (title.group(1).strip() if title else docname), set(re.findall(r"^\(([^)\s]+)\)=\s*$", text, re.M))


def _online_only(app, node, contnode):
    """The text a reference to an online-only page prints where the page is not built; None
    for any other reference, which Sphinx then reports as missing, as usual."""
    pages = app.config.online_only_pages
    if not pages or node.get("refdomain") != "std" or node.get("reftype") not in ("ref", "doc"):
        return None
    target = node.get("reftarget", "")
    for page in pages:
        title, labels = _page(app.srcdir, page)
        if node["reftype"] == "doc" and docname_join(node.get("refdoc", ""), target) == page \
                or node["reftype"] == "ref" and target.lower() in labels:
            text = contnode.astext() if node.get("refexplicit") else title
            return nodes.inline("", "", nodes.emphasis(text, text), nodes.Text(NOTE))
    return None


def _missing_reference(app, env, node, contnode):
    if app.builder.format != "latex":
        return None
    return _online_only(app, node, contnode)


def setup(app):
    app.add_config_value("online_only_pages", [], "env", types=[list])
    app.connect("missing-reference", _missing_reference)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
