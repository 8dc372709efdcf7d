"""Print the book's config for `make book-student`: the site without solutions.

Instructors who hand out the exercises build the site with every solution left out;
chapters, numbers and figures stay as in the full book. What would hand the solutions
out anyway goes too: the notebooks' sources (the page's download button) and the launch
buttons (they open the full notebooks of the repository).

    python tools/student_config.py                   # the book's config, as above
    python tools/student_config.py --stored-outputs  # and no re-execution of the chapters:
                                                     # the pages show the committed outputs
"""

import pathlib
import sys

import yaml

config = yaml.safe_load((pathlib.Path(__file__).resolve().parent.parent / "_config.yml").read_text())
sphinx = config["sphinx"]
sphinx["config"]["hide_solutions"] = True
config.pop("launch_buttons", None)
sphinx["config"].update(
    html_copy_source=False,        # no _sources/*.ipynb with the solutions in them
    html_show_sourcelink=False,
    html_theme_options={"use_download_button": False},
)
sphinx["recursive_update"] = True  # merge the theme option into the book's, do not replace them
if "--stored-outputs" in sys.argv[1:]:
    # nbval checks that the committed outputs are what the chapters compute, so the pages
    # are the same; "auto" runs only what has no stored outputs (intro.md, a text notebook)
    config["execute"]["execute_notebooks"] = "auto"
print(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), end="")
