"""The printed book: `make pdf` and `make pdf-student` (tools/pdf.py), read back with pdftotext.

Both PDFs are built once per run through the Makefile's own recipes, from the outputs
committed in the notebooks (nbval checks those; test_build.py's build re-runs every chapter).
Marked `pdf`: the two builds take a few minutes, and `pytest -m "not pdf"` leaves them out.
`make test` installs TeX when it is missing and it runs as root (tools/install_tex.sh);
without TeX these tests skip and say how to install it, except in CI (CI=true), where they fail.
"""

import ast
import importlib.util
import os
import pathlib
import re
import shutil
import subprocess
import sys
import types

import nbformat
import pytest
import yaml

from helpers import ROOT, load_tool, toc_files as toc_names

BIN = pathlib.Path(sys.executable).parent
OUT = ROOT / "_build" / "pdf"


pdf_tool = load_tool("pdf")

# one worker builds both PDFs, one after the other (`make test` runs tests in parallel)
pytestmark = [pytest.mark.pdf, pytest.mark.xdist_group("pdf")]

TOOLS = ("xelatex", "latexmk", "pdftotext", "pdfinfo")
DIRECTIVE = r"^\s*(?:```+|:::+)\s*\{%s(?:-start)?\}"
# a line that sticks this far into the margin is a defect a reader sees (a table cell, a word)
OVERFULL_LIMIT_PT = 15.0


def require_tex():
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not missing:
        return
    message = (f"the printed book needs {', '.join(missing)}: `make pdf` installs them as root, "
               "or run `bash tools/install_tex.sh` for the apt-get command")
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail(message + " (CI=true: the PDF tests may not skip)", pytrace=False)
    pytest.skip(message)


def online_only():
    """The pages the printed book leaves out (`online_only_pages` in _config.yml)."""
    return pdf_tool.online_only(yaml.safe_load((ROOT / "_config.yml").read_text()))


def toc_files(printed=True):
    """Every document of _toc.yml, root first, in reading order, as a path with its suffix;
    those the PDF prints (the online-only pages left out) unless printed=False."""
    paths = []
    for name in toc_names():
        matches = [p for p in (ROOT / f"{name}{suffix}" for suffix in (".ipynb", ".md")) if p.is_file()]
        assert matches, f"_toc.yml names {name}, which is no notebook or Markdown file"
        if not printed or name not in online_only():
            paths.append(matches[0])
    return paths


def markdown_of(path):
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        return [c.source for c in nb.cells if c.cell_type == "markdown"]
    return [path.read_text()]


def title_of(path):
    """The page's one `#` title, as the reader sees it (no Markdown marks)."""
    for source in markdown_of(path):
        match = re.search(r"^# (.+)$", source, re.M)
        if match:
            return re.sub(r"[`*_]", "", match.group(1)).strip()
    raise AssertionError(f"{path.relative_to(ROOT)} has no # title")


def directives(name):
    return sum(len(re.findall(DIRECTIVE % name, source, re.M))
               for path in toc_files() for source in markdown_of(path))


def plain(text):
    """Text compared loosely: one case, one kind of quote, spaces collapsed."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).casefold()


def build(target):
    """Run the Makefile's recipe once (READY= leaves the .venv bootstrap out: the tools are
    there); returns what the tests read, or the failure for each of them to report."""
    require_tex()
    result = subprocess.run(["make", "--no-print-directory", target, "READY=", f"BIN={BIN}",
                             "PDF_OPTIONS=--stored-outputs"], cwd=ROOT, capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, env={**os.environ, "PYTHONWARNINGS": "ignore"},
                            timeout=1800)
    if result.returncode != 0:
        return {"failed": f"make {target} failed:\n" + (result.stdout + result.stderr)[-5000:]}
    name = "book-student" if target == "pdf-student" else "book"
    pdf = OUT / f"{name}.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return {"pdf": pdf, "text": text, "log": (OUT / f"{name}.log").read_text(errors="replace"),
            "pages": (OUT / f"{name}.pages").read_text(), "output": result.stdout}


BUILDS = {}


def built(target):
    """The build of `target`, run once per test session (a plain cache: a fixture requested
    through a parametrized one would be torn down and built again); fails when it failed."""
    if target not in BUILDS:
        BUILDS[target] = build(target)
    if "failed" in BUILDS[target]:
        pytest.fail(BUILDS[target]["failed"], pytrace=False)
    return BUILDS[target]


@pytest.fixture
def book():
    return built("pdf")


@pytest.fixture
def student():
    return built("pdf-student")


@pytest.fixture(params=["book", "student"])
def either(request):
    return request.getfixturevalue(request.param)


def test_page_count_is_recorded_and_printed(either, capsys):
    info = subprocess.run(["pdfinfo", str(either["pdf"])], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert either["pages"].strip() == str(pages)
    assert f"{either['pdf'].name}: {pages} pages" in either["output"]
    assert pages > 20, f"{either['pdf'].name} has only {pages} pages"
    with capsys.disabled():
        print(f"\n{either['pdf'].relative_to(ROOT)}: {pages} pages")


def test_every_title_of_the_toc_is_printed(either):
    text = plain(either["text"])
    missing = [title_of(path) for path in toc_files() if plain(title_of(path)) not in text]
    assert not missing, f"{either['pdf'].name} lacks the titles {missing}"


def test_no_unresolved_reference_and_no_raw_markup(either):
    text = either["text"]
    assert "??" not in text, "an unresolved reference prints as ??: " + \
        text[max(0, text.index("??") - 200):text.index("??") + 50]
    for raw in ("{glue", "{eq}", "{ref}", "{numref}", "{cite", "{exercise}", "{solution}", ":::", "```",
                "$$", "\\begin{"):
        assert raw not in text, f"{either['pdf'].name} prints raw markup {raw!r}"


def test_latex_log_shows_no_missing_glyph_and_no_wide_line(either):
    log = either["log"]
    assert "Missing character" not in log
    assert not pdf_tool.log_problems(log)
    wide = [float(w) for w in re.findall(r"^Overfull \\hbox \(([\d.]+)pt too wide\)", log, re.M)]
    assert not [w for w in wide if w > OVERFULL_LIMIT_PT], \
        f"lines stick out of the text by up to {max(wide):.0f}pt (see {either['pdf'].name[:-4]}.log)"


def test_code_and_outputs_are_printed(book):
    # a code cell of the first chapter and its output, as the notebook stores them
    nb = nbformat.read(ROOT / "chapters" / "01_forward_pass.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code" and "print(" in c.source
                and not c.metadata.get("tags") and c.outputs)
    text = plain(book["text"])
    first_line = cell.source.strip().splitlines()[0]
    output = next(o for o in cell.outputs if o.output_type == "stream")["text"].strip().splitlines()[0]
    assert plain(first_line) in text, f"the code line {first_line!r} is not printed"
    assert plain(output) in text, f"the output line {output!r} is not printed"


GLUE_ROLE = re.compile(r"\{glue(?::(any|text))?\}`([\w-]+)(?::([^`]*))?`")


def number(text):
    """A glued number as Python holds it (an int stays an int: `:,` prints 10,000)."""
    value = ast.literal_eval(text)
    assert isinstance(value, (int, float)), f"glued {text!r} is formatted but no number"
    return value


def glued_texts(path):
    """What each glue role of the page prints: (role, text), from the stored glue outputs."""
    if path.suffix != ".ipynb":
        return []
    nb = nbformat.read(path, as_version=4)
    values = {o.metadata["scrapbook"]["name"]: o.data.get("application/papermill.record/text/plain")
              for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if "scrapbook" in o.get("metadata", {})}
    found = []
    for source in markdown_of(path):
        for kind, name, spec in GLUE_ROLE.findall(source):
            value = values.get(name)
            if value is None:
                continue   # a figure or a table: not text
            found.append((f"{{glue:{kind}}}`{name}{':' + spec if spec else ''}`",
                          format(number(value), spec) if spec else value.strip("'")))
    return found


def test_glued_numbers_are_printed(book):
    texts = [item for path in toc_files() for item in glued_texts(path)]
    assert len(texts) >= 20, "the chapters glue fewer numbers than expected: is the role pattern stale?"
    text = plain(book["text"])
    missing = [(role, value) for role, value in texts if plain(value) not in text]
    assert not missing, f"glued numbers missing from the PDF: {missing[:10]}"


def exercise_numbers():
    """What the books print for each exercise: "3.2" is chapter 3's second (the chapters of
    _toc.yml's numbered parts, counted in order), or "7" throughout when nothing is numbered."""
    toc = pdf_tool.printed_toc(yaml.safe_load((ROOT / "_toc.yml").read_text()), online_only())
    default = (toc.get("defaults") or {}).get("numbered", False)
    numbers, chapter, running = [], 0, 0
    for part in toc.get("parts", []):
        numbered = part.get("numbered", default)
        for entry in part.get("chapters", []):
            path = next(p for p in toc_files() if str(p.relative_to(ROOT).with_suffix("")) == entry["file"])
            count = sum(len(re.findall(DIRECTIVE % "exercise", s, re.M)) for s in markdown_of(path))
            if numbered:
                chapter += 1
                numbers += [f"{chapter}.{k}" for k in range(1, count + 1)]
            else:
                numbers += [str(running + k) for k in range(1, count + 1)]
            running += count
    return numbers


def test_instructors_book_has_every_solution_and_students_none(book, student):
    exercises, solutions = directives("exercise"), directives("solution")
    assert exercises >= 10 and solutions >= 10
    expected = exercise_numbers()
    assert len(expected) == exercises
    # sphinx-exercise prints "Exercise 2.4" and "Solution to Exercise 2.4"
    number = r"(\d+(?:\.\d+)?)"
    assert len(re.findall(rf"Solution to Exercise {number}", book["text"])) == solutions
    assert "Solution to" not in student["text"], "the student PDF prints a solution"
    for pdf in (book, student):
        printed = re.findall(rf"^\s*Exercise {number}\s*$", pdf["text"], re.M)
        assert sorted(printed) == sorted(expected), f"{pdf['pdf'].name}: exercises {printed}"


def test_log_checks_catch_what_they_should():
    assert pdf_tool.log_problems("Missing character: There is no ŷ in font FreeSerif!\n") == \
        {"missing glyph": ["Missing character: There is no ŷ in font FreeSerif!"]}
    log = ("LaTeX Warning: Reference `eq-z1' on page 3 undefined on input line 12.\n"
           "LaTeX Warning: There were undefined references.\n")
    assert set(pdf_tool.log_problems(log)) == {"unresolved reference", "undefined references"}
    assert pdf_tool.log_problems("Output written on book.xdv (91 pages, 1 bytes).\n") == {}
    assert pdf_tool.page_count("Output written on book.xdv (91 pages, 1 bytes).\n") == 91


# ---- chapter numbers: the site's, and those of the chapter's exercises, figures and equations ----

UNITS = ("ONE TWO THREE FOUR FIVE SIX SEVEN EIGHT NINE TEN ELEVEN TWELVE THIRTEEN FOURTEEN FIFTEEN "
         "SIXTEEN SEVENTEEN EIGHTEEN NINETEEN").split()
TENS = {"TWENTY": 20, "THIRTY": 30, "FORTY": 40}
# a chapter's opening, as the LaTeX style prints it: CHAPTER and its number in words, or
# APPENDIX and its letter; then its title
CHAPTER_HEADING = re.compile(r"^\f?[ \t]*(CHAPTER|APPENDIX)[ \t]*\n\s*^[ \t]*([A-Z]+(?:-[A-Z]+)?|\d+)[ \t]*\n"
                             r"\s*^[ \t]*(\S.*?)[ \t]*$", re.M)
# where a chapter's own numbers are printed ("2.1", "A.1"): what it defines, not what it cites
NUMBERED = {
    "exercise": re.compile(r"^[ \t]*(?:Solution to )?Exercise ([A-Z]|\d+)\.\d+[ \t]*$", re.M),
    "figure": re.compile(r"^[ \t]*Fig\. ([A-Z]|\d+)\.\d+: ", re.M),
    # a displayed equation's number, at the right end of its line
    "equation": re.compile(r"\S[ \t]{4,}\(([A-Z]|\d+)\.\d+\)[ \t]*$", re.M),
    "section": re.compile(r"^[ \t]*([A-Z]|\d+)\.\d+\.? (?:Summary|Exercises)[ \t]*$", re.M),
}


def number_in_words(word):
    """TWO -> 2, TWENTY-ONE -> 21 (a number printed in digits too)."""
    if word.isdigit():
        return int(word)
    if word in UNITS:
        return UNITS.index(word) + 1
    tens, _, unit = word.partition("-")
    return TENS[tens] + (UNITS.index(unit) + 1 if unit else 0)


def printed_chapters(text):
    """[(number, title, the chapter's text)] for each chapter heading of a PDF's text: the
    number as an int ("CHAPTER TWO"), an appendix's as its letter ("APPENDIX A")."""
    heads = list(CHAPTER_HEADING.finditer(text))
    return [(number_in_words(h.group(2)) if h.group(1) == "CHAPTER" else h.group(2), h.group(3),
             text[h.end():heads[k + 1].start() if k + 1 < len(heads) else len(text)])
            for k, h in enumerate(heads)]


def misnumbered(text):
    """Every exercise, solution, figure caption, equation number and Summary or Exercises
    section printed with another chapter's number than its chapter's heading:
    [(chapter, title, kind, the printed chapter number)]."""
    return [(number, title, kind, m.group(1))
            for number, title, body in printed_chapters(text)
            for kind, pattern in NUMBERED.items() for m in pattern.finditer(body)
            if m.group(1) != str(number)]


def site_chapter_numbers():
    """({title: number} for each chapter the site numbers, [titles of the appendix]): the
    chapters of _toc.yml's numbered parts, counted in order (the site counts no page of an
    unnumbered part), and the pages of the unnumbered parts after the last numbered one."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    default = (toc.get("defaults") or {}).get("numbered", False)
    paths = {str(p.relative_to(ROOT).with_suffix("")): p for p in toc_files(printed=False)}
    numbers, appendix = {}, []
    for part in toc.get("parts", []):
        titles = [title_of(paths[entry["file"]]) for entry in part.get("chapters", [])]
        if part.get("numbered", default):
            numbers.update((title, len(numbers) + 1) for title in titles)
            appendix = []
        elif numbers:
            appendix += titles
    return numbers, appendix


def test_chapters_carry_the_sites_numbers(either):
    """"The loss" is chapter 2 on paper as on the site; an online-only page is no chapter,
    and the appendix's pages are Appendix A, B, ..., not chapters numbered on."""
    chapters = printed_chapters(either["text"])
    printed = {plain(title): number for number, title, _ in chapters}
    expected, appendix = site_chapter_numbers()
    assert len(expected) >= 10 and appendix
    wrong = {title: (number, printed.get(plain(title))) for title, number in expected.items()
             if printed.get(plain(title)) != number}
    assert not wrong, f"{either['pdf'].name}: chapters numbered otherwise than on the site (site, PDF): {wrong}"
    numbers = [number for number, _, _ in chapters if isinstance(number, int)]
    assert numbers == list(range(1, len(expected) + 1)), f"{either['pdf'].name} numbers chapters {numbers}"
    letters = [printed.get(plain(title)) for title in appendix]
    assert letters == [chr(ord("A") + k) for k in range(len(appendix))], \
        f"{either['pdf'].name}: the appendix's pages {appendix} print as {letters}"
    for name in online_only():
        title = title_of(next(p for p in toc_files(printed=False) if p.stem == pathlib.Path(name).name))
        assert plain(title) not in printed, f"{either['pdf'].name} prints the online-only page {title!r} as a chapter"
        assert plain(f"{title} (on the book's website only)") in plain(either["text"]), \
            f"{either['pdf'].name}: no reference to {title!r} says it is on the website only"


def test_each_chapters_exercises_figures_and_equations_carry_its_number(either):
    text = either["text"]
    assert not misnumbered(text), f"{either['pdf'].name}: (chapter, title, what, its number) {misnumbered(text)[:10]}"
    # the patterns still find what they look for: each kind is printed somewhere
    found = {kind: sum(len(pattern.findall(body)) for _, _, body in printed_chapters(text))
             for kind, pattern in NUMBERED.items()}
    assert all(count >= 10 for count in found.values()), f"{either['pdf'].name}: found only {found}"


def test_the_chapter_number_check_catches_a_mismatch():
    """A page as pdftotext gives it, with the online page printed as chapter 1: "The loss" is
    chapter THREE, its exercise 2.1, its figure and equation 3.1."""
    page = ("\f                    CHAPTER\n\n                     THREE\n\n\n             THE LOSS\n\n"
            "The loss is                       (3.1)\nFig. 3.1: The loss.\n3.6 Exercises\n\n Exercise 2.1\n"
            "As (2.1) says.\n Solution to Exercise 2.1\n")
    assert printed_chapters(page)[0][:2] == (3, "THE LOSS")
    assert misnumbered(page) == [(3, "THE LOSS", "exercise", "2"), (3, "THE LOSS", "exercise", "2")]
    assert misnumbered(page.replace("THREE", "TWO")) == [
        (2, "THE LOSS", "figure", "3"), (2, "THE LOSS", "equation", "3"), (2, "THE LOSS", "section", "3")]
    notes = "\f      APPENDIX\n\n        A\n\n   NOTATION\n\nThe symbols          (A.1)\nFig. 15.1: A table.\n"
    assert [c[:2] for c in printed_chapters(page + notes)] == [(3, "THE LOSS"), ("A", "NOTATION")]
    assert misnumbered(notes) == [("A", "NOTATION", "figure", "15")]
    assert number_in_words("TWENTY-ONE") == 21 and number_in_words("FOURTEEN") == 14


def test_the_printed_toc_leaves_out_the_online_only_pages():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    printed = pdf_tool.printed_toc(toc, online_only())
    files = [c["file"] for part in printed["parts"] for c in part["chapters"]]
    assert online_only() and not set(online_only()) & set(files)
    assert len(files) == len(toc_files()) - 1  # every other page, the root aside
    assert all(part["chapters"] for part in printed["parts"])


def test_the_appendix_starts_at_the_first_page_after_the_numbered_parts():
    spec = importlib.util.spec_from_file_location("latex_appendix", ROOT / "_ext" / "latex_appendix.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def part(numbered, *items):
        return types.SimpleNamespace(numbered=numbered, items=list(items))
    online, notes, depth, appendix = part(False, "explore"), part(True, "a", "b"), part(True, "c"), part(False, "x", "y")
    assert module.first_appendix_page([online, notes, depth, appendix]) == "x"
    assert module.first_appendix_page([online, notes, depth]) is None
    assert module.first_appendix_page([online, appendix]) is None  # nothing is numbered
