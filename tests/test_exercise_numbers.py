"""Exercises are numbered per chapter on the site ("Exercise 2.4", not 14), as the tools
number them for the grades' columns (tools/editions.py)."""

import html
import pathlib
import re
import sys

import nbformat
import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tools import editions  # noqa: E402
from tools import notebooks as nbtools  # noqa: E402


def test_every_exercise_on_the_site_carries_its_chapters_number(site):
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    numbers = editions.exercise_numbers(toc, lambda f: nbformat.read(ROOT / f"{f}.ipynb", as_version=4)
                                        if (ROOT / f"{f}.ipynb").exists() else None)
    seen = 0
    for path in nbtools.notebooks():
        if path.parent.name != "chapters":
            continue
        page = html.unescape((site / path.relative_to(ROOT).with_suffix(".html")).read_text())
        shown = dict(re.findall(r'<div class="exercise admonition" id="([^"]+)">\s*<p class="admonition-title">'
                                r'<span class="caption-number">Exercise ([\d.]+) </span>', page))
        assert shown, f"{path.name}: no numbered exercise on its page"
        for label, number in shown.items():
            assert numbers.get(label) == number, f"{path.name}: {label} is Exercise {number} on the site, " \
                                                 f"{numbers.get(label)} for the tools"
            assert number.split(".")[1] != "0"
        assert sorted(int(n.split(".")[1]) for n in shown.values()) == list(range(1, len(shown) + 1))
        seen += len(shown)
    assert seen >= 10
