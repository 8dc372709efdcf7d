"""The site's budgets: clean build time and the bytes each page makes a browser load.

    python benchmarks/run.py site

1. Builds the whole book from scratch, every chapter executed, exactly as `make book`
   does (`jupyter-book build --all -n -W --keep-going`), into a temporary folder, and
   reports the wall time. Target: under 60 s on 2 cores.
2. Serves that build on 127.0.0.1, opens every page of `_toc.yml` in Chromium and adds up
   the bodies of every response the page received (HTML, CSS, JS, fonts, images), by
   type. Target: every chapter page under 2 MB (2,000,000 bytes) as served here,
   uncompressed. The `gzip` column is what a host that compresses text (GitHub Pages
   does) sends for the same page. Requests that would leave 127.0.0.1 are blocked and
   counted (there should be none).

Figures are printed, never asserted; the recorded ones are in benchmarks/README.md.
"""

import functools
import gzip
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


def clean_build(out):
    """Wall time of a from-scratch strict build into `out`; returns (seconds, ok)."""
    command = [str(BIN / "jupyter-book"), "build", "--all", "-n", "-W", "--keep-going",
               str(ROOT), "--path-output", str(out)]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"})
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        print("the build reported problems (the time still counts):")
        print((result.stdout + result.stderr)[-2000:])
    return seconds, result.returncode == 0


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
        seconds, ok = clean_build(pathlib.Path(out))
        verdict = "within" if seconds < BUILD_TARGET_S else "OVER"
        print(f"\nclean build, every chapter executed: {seconds:.1f} s "
              f"({verdict} the {BUILD_TARGET_S} s target){'' if ok else ' [build had problems]'}")
        weights = page_weights(pathlib.Path(out) / "_build" / "html", pages)

    if not weights:
        return
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
