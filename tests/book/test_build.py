"""The strict book build: zero warnings, a page for every _toc.yml entry, math served locally."""

import re
import subprocess
import sys

from helpers import toc_files


def test_strict_build_passes_with_zero_warnings(book_build):
    code, log, _ = book_build
    warnings = [line for line in log.splitlines() if re.search(r"\bWARNING\b|\bERROR\b", line)
                and "Kernel is running over TCP" not in line]
    assert code == 0, "strict build (-n -W --keep-going) failed:\n" + log[-4000:]
    assert not warnings, "the build printed warnings:\n" + "\n".join(warnings[:20])


def test_every_toc_entry_has_a_page(site):
    assert (site / "index.html").exists()
    for f in toc_files():
        page = site / f"{f}.html"
        assert page.exists(), f"no page for {f}"
        assert page.stat().st_size > 2000


def test_chapters_are_executed_in_the_build(site):
    # an executed chapter has rendered outputs; a cell that raised would have failed the build
    for f in toc_files():
        if f.startswith("chapters/"):
            html = (site / f"{f}.html").read_text()
            assert "cell_output" in html, f"{f}: no rendered output"


def test_mathjax_is_served_by_the_site(site):
    pages_with_math = 0
    for f in toc_files():
        page = site / f"{f}.html"
        html = page.read_text()
        srcs = re.findall(r'<script[^>]+src="([^"]*mathjax[^"]*)"', html, flags=re.I)
        if 'class="math' in html:
            pages_with_math += 1
            assert srcs, f"{f}: math on the page but no MathJax script"
        for src in srcs:
            assert not src.startswith(("http:", "https:", "//")), f"{f}: MathJax from the network: {src}"
            assert (page.parent / src.split("?")[0]).resolve().exists(), f"{f}: {src} is not in the site"
    assert pages_with_math >= 1


def test_package_import_reports_the_notes_loss():
    out = subprocess.run([sys.executable, "-c",
                          "import backprop_lib as bl; print(bl.worked_example(decimals=1)['loss'])"],
                         capture_output=True, text=True, check=True).stdout
    assert abs(float(out) - 1.28) < 1e-12
