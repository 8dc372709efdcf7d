"""backprop_lib itself: its version, named once, and what it offers."""

import re

import backprop_lib as bl
from helpers import ROOT


def test_version_is_named_once_for_the_notebooks():
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert bl.__version__ == re.search(r'^version = "([^"]+)"', pyproject, re.M).group(1)
