"""Print _config.yml with solutions hidden, for `make book-student`.

Instructors who hand out the exercises build the site with every solution left out;
everything else (chapters, numbers, launch buttons) stays as in the full book.
"""

import pathlib
import re

text = (pathlib.Path(__file__).resolve().parent.parent / "_config.yml").read_text()
text, n = re.subn(r"^(\s+hide_solutions:)\s*false\s*$", r"\1 true", text, flags=re.M)
if n != 1:
    raise SystemExit("_config.yml has no 'hide_solutions: false' line under sphinx.config")
print(text, end="")
