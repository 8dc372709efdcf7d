"""The site's budgets: build times and the bytes each page makes a browser load.

    python benchmarks/run.py site

1. Copies the book's files (those git knows, as committed or edited now) into a temporary
   folder and builds it there from scratch, every chapter executed, exactly as `make book`
   does (`jupyter-book build --all -n -W --keep-going`, no cached notebooks), and reports
   the wall time. Target: at most 60 s on 2 cores.
2. Edits the code of one chapter in that copy (a comment line added to its first code
   cell) and runs `make book` there again: the wall time of the rebuild, which re-executes
   that chapter alone (the other chapters come from the cache in _build/.jupyter_cache).
   Target: at most 20 s.
3. Serves the clean build on 127.0.0.1, opens every page of `_toc.yml` in Chromium and adds up
   the bodies of every response the page received (HTML, CSS, JS, fonts, images), by
   type. Target: every chapter page under 2 MB (2,000,000 bytes) as served here,
   uncompressed. The `gzip` column is what a host that compresses text (GitHub Pages
   does) sends for the same page. Requests that would leave 127.0.0.1 are blocked and
   counted (there should be none).

Figures are printed, never asserted; the recorded ones are in benchmarks/README.md.
The time of `make test` from a fresh clone is measured by benchmarks/suite.py.
"""

import functools
import gzip
import json
import http.server
import os
import pathlib
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time

from sphinx_external_toc.parsing import parse_toc_yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
BIN = pathlib.Path(sys.executable).parent
BUILD_TARGET_S = 60
REBUILD_TARGET_S = 20
# the chapter whose code the rebuild benchmark edits: the one that takes longest to run
EDITED = "chapters/08_cross_entropy.ipynb"
PAGE_TARGET_BYTES = 2_000_000
COMPRESSED = {"document", "stylesheet", "script"}  # text a host gzips; fonts/images already are
KINDS = {"document": "HTML", "stylesheet": "CSS", "script": "JS", "font": "fonts", "image": "images"}
COLUMNS = ["HTML", "CSS", "JS", "fonts", "images", "other"]
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]


def machine():
    try:
        info = pathlib.Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        info = []
    names = [line.split(":", 1)[1].strip() for line in info if line.startswith("model name")]
    cpu = platform.processor() or platform.machine()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return (f"{names[0] if names else cpu}, {cores} cores usable, load average {load}; "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}")


def toc_pages():
    """Every page of _toc.yml, root first, in reading order (read as Jupyter Book reads it)."""
    return list(parse_toc_yaml(ROOT / "_toc.yml"))


def copy_book(target):
    """The files git knows (tracked, and untracked but not ignored), as they are on disk."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def timed(command, cwd):
    """Wall time of a build command; returns (seconds, ok, log)."""
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, cwd=cwd,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"})
    seconds = time.perf_counter() - start
    log = result.stdout + result.stderr
    if result.returncode != 0:
        print("the build reported problems (the time still counts):")
        print(log[-2000:])
    return seconds, result.returncode == 0, log


def clean_build(book):
    """Wall time of a from-scratch strict build of the copy `book`; returns (seconds, ok)."""
    command = [str(BIN / "jupyter-book"), "build", "--all", "-n", "-W", "--keep-going", str(book)]
    seconds, ok, _ = timed(command, book)
    return seconds, ok


def edit_one_chapter(book, chapter=EDITED):
    """Add a comment line to the first code cell of `chapter` that is not the set-up cell."""
    path = book / chapter
    notebook = json.loads(path.read_text())
    cell = next(c for c in notebook["cells"] if c["cell_type"] == "code"
                and "remove-cell" not in c.get("metadata", {}).get("tags", []))
    source = cell["source"] if isinstance(cell["source"], list) else [cell["source"]]
    cell["source"] = ["# edited by benchmarks/site.py\n"] + source
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n")


def rebuild_after_edit(book):
    """Wall time of `make book` after editing one chapter; returns (seconds, ok, executed)."""
    edit_one_chapter(book)
    # this checkout's .venv, set up and with the notes' check passed, as a developer's is
    seconds, ok, log = timed(["make", "--no-print-directory", "book", "READY=", f"VENV={BIN.parent}",
                              f"BIN={BIN}"], book)
    executed = sorted({line.split(":")[0].replace(str(book) + "/", "")
                       for line in log.splitlines() if "Executed notebook in" in line})
    return seconds, ok, executed


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def page_weights(html, pages):
    """{page: {kind: bytes}} as Chromium loads each page from a local server."""
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("google-chrome")
    if not executable:
        print("no chromium: page weights skipped (apt-get install chromium)")
        return {}
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(html)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_port}/"
    weights = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        for page_name in pages:
            # a fresh context per page: an empty cache, as a first-time reader has
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            blocked, responses = [], []
            context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                          else (blocked.append(route.request.url), route.abort()))
            page = context.new_page()
            page.on("response", lambda response: responses.append(response))
            page.goto(base + page_name + ".html", wait_until="load")
            page.evaluate("async () => { if (window.MathJax?.startup?.promise)"
                          " await window.MathJax.startup.promise; await document.fonts.ready; }")
            page.wait_for_load_state("networkidle")
            sizes = dict.fromkeys(COLUMNS + ["gzip"], 0)
            for response in responses:
                try:
                    body = response.body()
                except Exception:  # redirects have no body
                    body = b""
                kind = response.request.resource_type
                sizes[KINDS.get(kind, "other")] += len(body)
                sizes["gzip"] += len(gzip.compress(body, 6)) if kind in COMPRESSED else len(body)
            sizes["requests"], sizes["blocked"] = len(responses), len(blocked)
            weights[page_name] = sizes
            context.close()
        browser.close()
    httpd.shutdown()
    return weights


def kb(n):
    return f"{n / 1000:,.0f}"


def main():
    print("machine:", machine())
    pages = toc_pages()
    with tempfile.TemporaryDirectory(prefix="book-bench-") as out:
        book = copy_book(pathlib.Path(out))
        seconds, ok = clean_build(book)
        verdict = "within" if seconds <= BUILD_TARGET_S else "OVER"
        print(f"\nclean build, every chapter executed: {seconds:.1f} s "
              f"({verdict} the {BUILD_TARGET_S} s target){'' if ok else ' [build had problems]'}")
        print("load average after it:", " / ".join(f"{x:.1f}" for x in os.getloadavg()))
        weights = page_weights(book / "_build" / "html", pages)
        again, ok, executed = rebuild_after_edit(book)
        verdict = "within" if again <= REBUILD_TARGET_S else "OVER"
        print(f"\n`make book` after editing {EDITED}: {again:.1f} s ({verdict} the {REBUILD_TARGET_S} s "
              f"target); re-executed: {', '.join(executed) or 'nothing'}{'' if ok else ' [build had problems]'}")
        print("load average after it:", " / ".join(f"{x:.1f}" for x in os.getloadavg()))

    if not weights:
        return
    print_weights(weights)


def print_weights(weights):
    print("\nkB loaded per page (1 kB = 1000 bytes; fresh cache; target: chapter pages < 2,000 kB)\n")
    header = (f"{'page':34} " + " ".join(f"{c:>7}" for c in COLUMNS)
              + f" {'total':>8} {'gzip':>6} {'reqs':>5} {'ext':>4}")
    print(header)
    print("-" * len(header))
    for page_name, sizes in weights.items():
        total = sum(sizes[c] for c in COLUMNS)
        flag = "  OVER 2 MB" if page_name.startswith("chapters/") and total >= PAGE_TARGET_BYTES else ""
        print(f"{page_name:34} " + " ".join(f"{kb(sizes[c]):>7}" for c in COLUMNS)
              + f" {kb(total):>8} {kb(sizes['gzip']):>6} {sizes['requests']:>5} {sizes['blocked']:>4}{flag}")
    chapters = {p: sum(s[c] for c in COLUMNS) for p, s in weights.items() if p.startswith("chapters/")}
    if chapters:
        heaviest = max(chapters, key=chapters.get)
        print(f"\nheaviest chapter page: {heaviest}, {chapters[heaviest] / 1e6:.2f} MB "
              f"({'within' if chapters[heaviest] < PAGE_TARGET_BYTES else 'OVER'} the 2 MB target)")


if __name__ == "__main__":
    main()
