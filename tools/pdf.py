"""Build the printed book: `make pdf` (with the solutions) and `make pdf-student` (without).

    python tools/pdf.py                    # _build/pdf/book.pdf, every chapter re-executed
    python tools/pdf.py --student          # _build/pdf/book-student.pdf: the student edition
                                           # (tools/student.py), no solutions
    python tools/pdf.py --stored-outputs   # either, from the committed outputs (no re-execution)

The pages that work only in a browser (`online_only_pages` in _config.yml: "Play with the
network", explore.md) are left out: the PDF is built with a table of contents without them
(_build/pdf/<name>/toc.yml), so that its chapters carry the site's numbers and "The loss" is
chapter 2, with Exercise 2.1, Fig. 2.1 and equation (2.1), as on the site. A reference to such
a page prints its title and "(on the book's website only)" (_ext/online_only.py). The pages
the site leaves unnumbered at the end (the Appendix) print as Appendix A, B, C
(_ext/latex_appendix.py).

Jupyter Book 1's LaTeX builder (sphinx-jupyterbook-latex, XeLaTeX; settings in _config.yml)
writes the book's LaTeX into _build/pdf/<name>/_build/latex and runs latexmk there. The build
is strict, as the site's is (`-n -W`: a broken cross-reference fails it). Then the LaTeX log is
read: a reference or citation LaTeX left unresolved (it prints "??") or a character that has no
glyph in its font fails the build too. The PDF is copied to _build/pdf/<name>.pdf, its log to
_build/pdf/<name>.log, and its page count is printed and written to _build/pdf/<name>.pages.

The title page's date is the date of the last commit (SOURCE_DATE_EPOCH), so the same commit
prints the same book.
"""

import argparse
import os
import pathlib
import re
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "_build" / "pdf"
BIN = pathlib.Path(sys.executable).parent

# what in a final LaTeX log means a reader would see a hole in the page
LOG_PROBLEMS = {
    "missing glyph": re.compile(r"^Missing character: There is no .*$", re.M),
    "unresolved reference": re.compile(r"^LaTeX Warning: (Reference|Citation|Hyper reference) .* undefined.*$", re.M),
    "undefined references": re.compile(r"^LaTeX Warning: There were undefined references\.$", re.M),
}


def book_config(stored_outputs):
    """The config of the full book to build with: None for _config.yml as it is, else YAML text."""
    if not stored_outputs:
        return None
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    # nbval checks that the committed outputs are what the chapters compute
    config["execute"]["execute_notebooks"] = "auto"
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True)


def online_only(config):
    """The pages a config (a parsed _config.yml) names as working only in a browser."""
    return list((((config.get("sphinx") or {}).get("config") or {}).get("online_only_pages")) or [])


def _without(entries, pages):
    """Toc entries (chapters or sections) without the files in `pages`, at any depth."""
    kept = []
    for entry in entries:
        if entry.get("file") in pages:
            continue
        entry = dict(entry)
        for key in ("sections", "chapters"):
            if key in entry:
                entry[key] = _without(entry[key], pages)
        kept.append(entry)
    return kept


def printed_toc(toc, pages):
    """The printed book's table of contents: `toc` (a parsed _toc.yml) without the files in
    `pages`; a part left with no chapter goes."""
    if toc.get("root") in pages:
        raise SystemExit(f"_toc.yml: the root page {toc['root']} is online-only; the PDF needs it")
    toc = dict(toc)
    if "parts" in toc:
        toc["parts"] = [{**part, "chapters": _without(part.get("chapters", []), pages)}
                        for part in toc["parts"]]
        toc["parts"] = [part for part in toc["parts"] if part["chapters"]]
    if "chapters" in toc:
        toc["chapters"] = _without(toc["chapters"], pages)
    return toc


def write_printed_toc(source, out):
    """Write the printed book's table of contents for the book in `source` to `out`."""
    import yaml

    config = yaml.safe_load((source / "_config.yml").read_text())
    toc = yaml.safe_load((source / "_toc.yml").read_text())
    out.write_text(yaml.safe_dump(printed_toc(toc, online_only(config)), sort_keys=False, allow_unicode=True))
    return out


def student_sources(out, stored_outputs):
    """The student edition's sources (tools/student.py, as `make book-student` writes them):
    the book without its solutions, with its own _config.yml."""
    options = ["--stored-outputs"] if stored_outputs else []
    subprocess.run([sys.executable, str(ROOT / "tools" / "student.py"), *options, "--out", str(out)],
                   cwd=ROOT, check=True, stdin=subprocess.DEVNULL)
    return out


def log_problems(log):
    """Every line of a LaTeX log that means a hole on the page, by kind."""
    found = {kind: [m.group(0) for m in pattern.finditer(log)] for kind, pattern in LOG_PROBLEMS.items()}
    return {kind: lines for kind, lines in found.items() if lines}


def page_count(log):
    match = re.search(r"Output written on \S+ \((\d+) pages?", log)
    if not match:
        raise RuntimeError("the LaTeX log names no output: the PDF was not written")
    return int(match.group(1))


def source_date_epoch():
    """The last commit's time, for a reproducible title page; None outside a git checkout."""
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return out or None


def build(student=False, stored_outputs=False):
    """Build one PDF; returns (pdf path, page count). Raises SystemExit on any failure."""
    name = "book-student" if student else "book"
    work = OUT / name
    shutil.rmtree(work, ignore_errors=True)   # a stale aux file must not resolve a reference
    OUT.mkdir(parents=True, exist_ok=True)
    for suffix in (".pdf", ".log", ".pages"):  # nor may an old PDF pass for this build's
        (OUT / f"{name}{suffix}").unlink(missing_ok=True)
    env = {**os.environ, "PYTHONWARNINGS": "ignore",
           # XeLaTeX stops at the first error instead of waiting for an answer on stdin
           "LATEXOPTS": "-interaction=nonstopmode -halt-on-error",
           # one message a line in the log (TeX wraps at 79 characters), so the checks see it whole
           "max_print_line": "10000"}
    if "SOURCE_DATE_EPOCH" not in env and (epoch := source_date_epoch()):
        env["SOURCE_DATE_EPOCH"] = epoch
    command = [str(BIN / "jupyter-book"), "build", "--all", "-n", "-W", "--keep-going",
               "--builder", "pdflatex", "--path-output", str(work)]
    work.mkdir(parents=True)
    if student:
        source = student_sources(work / "src", stored_outputs)
        command += ["--toc", str(write_printed_toc(source, work / "toc.yml"))]
        result = subprocess.run([*command, str(source)], cwd=ROOT, env=env, stdin=subprocess.DEVNULL)
    else:
        text = book_config(stored_outputs)
        # a config copy sits beside _config.yml: its paths (_ext, ...) are relative to it
        config = ROOT / f"_build_pdf_config.{os.getpid()}.yml"
        command += ["--toc", str(write_printed_toc(ROOT, work / "toc.yml"))]
        try:
            if text is not None:
                config.write_text(text)
                command += ["--config", str(config)]
            result = subprocess.run([*command, str(ROOT)], cwd=ROOT, env=env, stdin=subprocess.DEVNULL)
        finally:
            config.unlink(missing_ok=True)
    latex = work / "_build" / "latex"
    log_file = latex / "book.log"
    if result.returncode != 0 or not (latex / "book.pdf").exists():
        tail = log_file.read_text(errors="replace")[-3000:] if log_file.exists() else ""
        sys.exit(f"{name}: the build failed (exit {result.returncode})\n{tail}")
    log = log_file.read_text(errors="replace")
    shutil.copyfile(log_file, OUT / f"{name}.log")
    if problems := log_problems(log):
        lines = "\n".join(f"  {kind}: {line}" for kind, found in problems.items() for line in found[:10])
        sys.exit(f"{name}: the LaTeX log shows holes in the pages (see _build/pdf/{name}.log):\n{lines}")
    pdf = OUT / f"{name}.pdf"
    shutil.copyfile(latex / "book.pdf", pdf)
    pages = page_count(log)
    (OUT / f"{name}.pages").write_text(f"{pages}\n")
    print(f"{pdf.relative_to(ROOT)}: {pages} pages")
    return pdf, pages


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--student", action="store_true", help="leave the solutions out")
    parser.add_argument("--stored-outputs", action="store_true",
                        help="show the committed outputs instead of re-executing the chapters")
    args = parser.parse_args(argv)
    build(student=args.student, stored_outputs=args.stored_outputs)


if __name__ == "__main__":
    main()
