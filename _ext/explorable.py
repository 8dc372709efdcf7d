"""The explorable page ("Play with the network", `explore.md`): its script on that page only.

Jupyter Book adds every .js and .css file of `_static/` to every page, so the explorable's
files live in `explorable/` instead. This extension copies them into the built site's
`_static/explorable/` and adds them, with the example's values, to the one page that
uses them. The values (x, y, W1, b1 and the hidden layer's W2, b2) come from
`backprop_lib.example`, so the page starts where the notes start and cannot drift from them.
"""

import json
import pathlib

from sphinx.util.fileutil import copy_asset_file

PAGE = "explore"
SOURCE = pathlib.Path(__file__).resolve().parent.parent / "explorable"
FILES = ("explorable.js", "explorable.css")
TARGET = "explorable"  # under the site's _static/


def example_json():
    """The worked example as the page's script reads it (window.BACKPROP_EXAMPLE)."""
    from backprop_lib import example

    values = {name: getattr(example, name).tolist() for name in ("x", "y", "W1", "b1", "W2", "b2")}
    values["input_labels"] = list(example.INPUT_LABELS)
    values["output_labels"] = list(example.OUTPUT_LABELS)
    return json.dumps(values)


def _add_to_page(app, pagename, templatename, context, doctree):
    # called for every page; Sphinx keeps files added here for this page alone
    if pagename != PAGE:
        return
    app.add_css_file(f"{TARGET}/explorable.css")
    app.add_js_file(None, body=f"window.BACKPROP_EXAMPLE = {example_json()};")
    app.add_js_file(f"{TARGET}/explorable.js", loading_method="defer")


def _copy_files(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    target = pathlib.Path(app.outdir) / "_static" / TARGET
    target.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        copy_asset_file(str(SOURCE / name), str(target / name))


def setup(app):
    app.connect("html-page-context", _add_to_page)
    app.connect("build-finished", _copy_files)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
