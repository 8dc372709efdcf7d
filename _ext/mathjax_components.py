"""Load MathJax 3 piece by piece instead of its all-in-one `tex-chtml.js`.

sphinx-mathjax-offline copies MathJax into `_static/mathjax` and points every page at
`tex-chtml.js` (1.2 MB), 0.4 MB of which is MathJax's right-click menu. Loading the
startup module and only the parts the book uses (the `mathjax3_config` loader list in
`_config.yml`: TeX input, HTML output, hidden MathML for screen readers) draws the same
math with a third less script on every page that has math.
"""


def _use_startup(app, config):
    config.mathjax_path = "mathjax/startup.js"


def setup(app):
    # config-inited runs after every extension's setup(), so this wins over
    # sphinx-mathjax-offline's own setting
    app.connect("config-inited", _use_startup)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
