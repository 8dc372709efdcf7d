"""The student edition's sources, for `make book-student`.

    python tools/student.py [--stored-outputs] [--course DIR] [--out DIR]

writes DIR (_build/student/src): the book as students get it, ready to build (the Makefile
builds it into _build/student/_build/html) and to push, as it is, to the student repository
named in _config.yml (`student_repository`):

- each chapter with a coding exercise is its assignment's student version
  (`make assignments`: _build/assignments/release/NAME/NAME.ipynb): no solution, the
  checkers kept, ready to hand in and grade; every other notebook loses its solutions too;
  the site offers each one for download (the page's download button);
- intro.md has the students' text (student/how_to_read.md) in place of the section between
  its `<!-- edition: full -->` and `<!-- edition: end -->` lines;
- _config.yml is the book's, with no solutions on the pages, and the student repository in
  place of the book's: the launch buttons, the repository button and the {repo} links open
  it. Without a student repository the site has no launch button and no repository link;
- what the notebooks need to run, build and install from the student repository:
  backprop_lib, pyproject.toml, requirements.txt, binder/, appendix/, images, ... Not the
  tests, the tools or anything else that holds a solution.

--stored-outputs: build from the committed outputs instead of re-running every chapter
(nbval checks that those are what the chapters compute; the release notebooks keep them).
"""

import argparse
import pathlib
import re
import shutil
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import nbformat  # noqa: E402
import yaml  # noqa: E402

from tools import assignments, editions  # noqa: E402
from tools import notebooks as nbtools  # noqa: E402

OUT = ROOT / "_build" / "student" / "src"
# copied as they are: what the notebooks, the build and a pip install from the student
# repository need (README.md, which pyproject.toml names as the readme, is the students' own)
COPY = ["_toc.yml", "LICENSE", "pyproject.toml", "requirements.txt", "binder", "backprop_lib",
        "appendix", "chapters", "images", "_ext", "_templates", "_static", "benchmarks",
        "explore.md", "explorable"]
FULL_ONLY = re.compile(r"^<!-- edition: full\b.*?-->\n(.*?)^<!-- edition: end -->\n", re.M | re.S)
WITH_REPO = re.compile(r"^<!-- with a student repository -->\n(.*?)^<!-- end -->\n", re.M | re.S)


def student_config(stored_outputs=False):
    """The book's _config.yml for the student edition (a dict)."""
    config = nbtools.config()
    student = nbtools.repository("student_repository")
    config.pop("student_repository", None)
    config["sphinx"]["config"]["hide_solutions"] = True
    html = config.setdefault("html", {})
    config["repository"] = {"url": student["url"], "path_to_book": "", "branch": student["branch"]}
    if not student["url"]:
        # the book's repository holds every solution: no button, link or launch from it
        config.pop("launch_buttons", None)
        html.update(use_repository_button=False, use_edit_page_button=False, use_issues_button=False)
    if stored_outputs:
        # the notebooks keep the outputs they were released with (a stub's cell has none,
        # and its checker's says "Not attempted yet"): none is run again. intro.md, a text
        # notebook with no stored outputs, is run.
        config["execute"]["execute_notebooks"] = "auto"
        config["execute"]["exclude_patterns"] = ["*.ipynb"]
    return config


def student_intro():
    """intro.md with the students' section in place of the full edition's."""
    text = (ROOT / "intro.md").read_text()
    if not FULL_ONLY.search(text):
        raise SystemExit("intro.md: no `<!-- edition: full -->` ... `<!-- edition: end -->` section "
                         "for the student edition to replace")
    section = (ROOT / "student" / "how_to_read.md").read_text()
    has_repo = bool(nbtools.repository("student_repository")["url"])
    section = WITH_REPO.sub(lambda m: m.group(1) if has_repo else "", section)
    return FULL_ONLY.sub(lambda m: section.rstrip("\n") + "\n", text, count=1)


def student_readme():
    title = nbtools.config().get("title", "the book")
    return f"""# {title}: the exercises

The chapters of the course book, with their exercises and without their solutions.
Open a chapter (`chapters/*.ipynb`) in Jupyter, in an editor such as VS Code, or on Colab or
Binder, and run it from the top: its first cell installs `backprop_lib`, the small package
every chapter imports, when it is missing (locally: `pip install -r requirements.txt .`).
Each coding exercise has a function to fill in and a cell that checks it. Hand in the
notebook with your functions filled in, as your course says.
"""


def ignore(folder, names):
    # notebooks are written below, without solutions, and only those of _toc.yml
    return {n for n in names if n in ("__pycache__", ".ipynb_checkpoints") or n.endswith((".pyc", ".ipynb"))}


def write(out=OUT, course=assignments.COURSE, stored_outputs=False, build_assignments=True):
    """Write the student edition's sources into `out`; return the notebooks written."""
    made = assignments.build(course) if build_assignments else None
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for name in COPY:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, out / name, ignore=ignore)
        elif source.exists():
            shutil.copy2(source, out / name)
    (out / "intro.md").write_text(student_intro())
    (out / "README.md").write_text(student_readme())
    # the package's Homepage: the student repository, or none (the book's holds the solutions)
    pyproject = out / "pyproject.toml"
    url = nbtools.repository("student_repository")["url"]
    pyproject.write_text(nbtools.HOMEPAGE.sub(f'Homepage = "{url}"', pyproject.read_text()) if url
                         else re.sub(r"^\[project\.urls\]\n(#.*\n)*Homepage.*\n\n?", "", pyproject.read_text(), flags=re.M))
    (out / "_config.yml").write_text(
        "# The student edition of the book, written by tools/student.py from the book's _config.yml.\n"
        + yaml.safe_dump(student_config(stored_outputs), sort_keys=False, allow_unicode=True))
    written = []
    for path in nbtools.notebooks():
        relative = path.relative_to(ROOT)
        release = course / "release" / path.stem / path.name
        if made is not None and path.stem in made:
            nb = nbformat.read(release, as_version=4)
        else:
            try:
                nb, _ = assignments.stripped(path)
            except editions.EditionError as err:
                raise SystemExit(str(err)) from None
        nbformat.write(nb, out / relative)
        written.append(relative)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stored-outputs", action="store_true",
                        help="build from the committed outputs instead of re-running the chapters")
    parser.add_argument("--course", type=pathlib.Path, default=assignments.COURSE,
                        help="nbgrader's course folder (default _build/assignments)")
    parser.add_argument("--out", type=pathlib.Path, default=OUT, help="where to write (default _build/student/src)")
    args = parser.parse_args(argv)
    written = write(args.out.resolve(), args.course.resolve(), args.stored_outputs)
    print(f"The student edition's sources ({len(written)} notebooks, no solutions) are in {args.out}.")


if __name__ == "__main__":
    main()
