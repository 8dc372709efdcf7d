"""The printed book (`make pdf`): the pages of the unnumbered parts that follow the numbered
ones (the Appendix of _toc.yml) print as lettered appendices, "Appendix A", with sections
A.1, ..., not as chapters 15 to 17 after the 14 the site numbers: the site gives them no
number. LaTeX's \\appendix goes before the first of them. The website is not touched (the
transform runs for LaTeX only).
"""

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform


def first_appendix_page(parts):
    """The first page of the unnumbered parts after the last numbered one, or None.
    `parts`: the root's toctrees (sphinx-external-toc), one per part of _toc.yml, in order."""
    numbered = [k for k, part in enumerate(parts) if part.numbered]
    if not numbered:
        return None
    after = [part for part in parts[numbered[-1] + 1:] if part.items]
    return str(after[0].items[0]) if after else None


class LetteredAppendix(SphinxPostTransform):
    default_priority = 900
    formats = ("latex",)

    def run(self):
        site_map = getattr(self.env, "external_site_map", None)
        if site_map is None or site_map.root is None:
            return
        first = first_appendix_page(site_map.root.subtrees)
        for node in self.document.findall(addnodes.start_of_file):
            if node.get("docname") == first:
                node.insert(0, nodes.raw("", "\\appendix\n", format="latex"))
                return


def setup(app):
    app.add_post_transform(LetteredAppendix)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
