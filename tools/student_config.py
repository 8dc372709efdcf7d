"""Print _config.yml with solutions hidden, for `make book-student`.

Instructors who hand out the exercises build the site with every solution left out;
everything else (chapters, numbers, launch buttons) stays as in the full book.

    python tools/student_config.py                   # the book's config, hide_solutions: true
    python tools/student_config.py --stored-outputs  # and no re-execution of the chapters: the pages show the
                                                     # outputs committed in the notebooks
"""

import pathlib
import re
import sys


def substitute(text, key, old, new):
    text, n = re.subn(rf"^(\s+{key}:)\s*{old}\s*$", rf"\1 {new}", text, flags=re.M)
    if n != 1:
        raise SystemExit(f"_config.yml has no '{key}: {old}' line")
    return text


text = (pathlib.Path(__file__).resolve().parent.parent / "_config.yml").read_text()
text = substitute(text, "hide_solutions", "false", "true")
if "--stored-outputs" in sys.argv[1:]:
    # nbval checks that the committed outputs are what the chapters compute, so the
    # pages are the same; "auto" runs only what has no stored outputs (intro.md, a text
    # notebook) and skips running every chapter again
    text = substitute(text, "execute_notebooks", "force", "auto")
print(text, end="")
