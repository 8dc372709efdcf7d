"""Two fixes for WCAG 2.1 AA that the theme and docutils leave to the site (axe-core checks
both in tests/book/test_site_browser.py):

1. A wide display equation scrolls sideways inside its box (MathJax's `mjx-container`,
   `overflow: auto` in the theme), but a box that scrolls must be reachable by keyboard.
   The theme does this for code cells and outputs (`addTabStopsToScrollableElements` in
   pydata-sphinx-theme); this does the same for equations: every display equation that
   overflows its box, once MathJax has drawn it and whenever a size changes,
   gets `tabindex="0"`, `role="group"` and a label, and loses them when it fits again
   (observers see the window, MathJax's fonts or MathJax itself change an equation).
   The script is inline, added by this extension to the pages that have math, not a file
   in `_static/` (Jupyter Book would add that to every page).
2. docutils writes a bibliography as `<div role="list">` around entries with
   `role="doc-biblioentry"`, a role that ARIA 1.2 deprecates, and a list without
   `listitem` children is an error. The entries become list items.
"""

MATH_SCROLL_SCRIPT = """
(() => {
  const LABEL = "Equation, scrolls sideways";
  // an equation's box changes with the window, its content with MathJax's fonts, and
  // MathJax may draw an equation again: look again whenever one of these happens
  let timer = null;
  const soon = () => { clearTimeout(timer); timer = setTimeout(mark, 100); };
  const resized = new ResizeObserver(soon);
  function mark() {
    for (const box of document.querySelectorAll('mjx-container[display="true"]')) {
      resized.observe(box);
      const scrolls = box.scrollWidth > box.clientWidth;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "group");
        box.setAttribute("aria-label", LABEL);
      } else if (!scrolls && box.getAttribute("aria-label") === LABEL) {
        for (const name of ["tabindex", "role", "aria-label"]) box.removeAttribute(name);
      }
    }
  }
  window.addEventListener("load", () => {
    new MutationObserver(soon).observe(document.body, {childList: true, subtree: true});
    (window.MathJax?.startup?.promise ?? Promise.resolve()).then(mark);
  });
})();
"""


def _page(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if not isinstance(body, str):
        return
    if 'class="math' in body:
        app.add_js_file(None, body=MATH_SCROLL_SCRIPT)
    context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def setup(app):
    app.connect("html-page-context", _page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
