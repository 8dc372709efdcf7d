"""What every browser test of the site shares: Chromium, a local server, one page visit.

Chromium (Debian's `chromium` package) is driven by Playwright; a built site is served on
127.0.0.1 from a thread. The fixtures (`browser`, `server`, `screenshots`, `visit`) are
made available to every test module by tests/conftest.py.

Without a browser the tests that need one skip and say how to install one; in CI
(`CI=true`) a missing browser is a failure.
"""

import contextlib
import functools
import http.server
import os
import pathlib
import re
import shutil
import threading

import pytest

from helpers import toc_files

LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
BROWSERS = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
INSTALL_HINT = ("install one with `sudo apt-get install chromium fonts-dejavu-core "
                "fonts-liberation` (Debian/Ubuntu), or set CHROMIUM to a Chromium or Chrome binary")

# sphinx-thebe 0.3.1 writes its inline script twice on every page; the second copy
# fails with this. It is the one script error a page may show.
KNOWN_ERRORS = [re.compile(r"THEBE_JS_URL'? has already been declared")]


# a phone held upright: the page may not scroll sideways at this width
MOBILE = {"width": 390, "height": 844}

# axe-core's rules for WCAG 2.0 and 2.1, levels A and AA: what the site must meet
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
               "resultTypes": ["violations"]}


PAGES = toc_files()
CHAPTERS = [p for p in PAGES if p.startswith("chapters/")]


# ---------------------------------------------------------------- browser and server

def _no_browser(reason):
    message = f"no usable browser for the site tests: {reason}; {INSTALL_HINT}"
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail(message + " (CI=true: the browser tests may not skip)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    """Chromium, headless. Asked for before the site, so a missing browser skips fast."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        _no_browser(f"the playwright package is missing ({error})")
    executable = os.environ.get("CHROMIUM") or next(filter(None, map(shutil.which, BROWSERS)), None)
    if not executable:
        _no_browser("no chromium on PATH")
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        except Exception as error:  # a broken install reports itself here
            _no_browser(f"{executable} did not start ({str(error).splitlines()[0]})")
        yield chromium
        chromium.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(folder):
    """A built site on http://127.0.0.1:<free port>/, served from a thread."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def server(site):
    """The strict build of this test run on http://127.0.0.1:<free port>/."""
    with serve(site) as base:
        yield base


@pytest.fixture(scope="session")
def screenshots(site):
    folder = site.parent / "screenshots"
    folder.mkdir(exist_ok=True)
    return folder


class Visit:
    """One page in a fresh browser context, with everything the page did on the way."""

    def __init__(self, context, base):
        self.context, self.base = context, base
        self.blocked, self.failed, self.errors = [], [], []
        context.route("**/*", self._route)
        self.page = context.new_page()
        self.page.set_default_timeout(30_000)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", self._request_failed)
        self.page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.status} {r.url}"))

    def _route(self, route):
        # anything that is not this server would need the internet: block it, count it
        if route.request.url.startswith(self.base):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def _request_failed(self, request):
        if request.url not in self.blocked:
            self.failed.append(f"{request.failure} {request.url}")

    def open(self, path):
        response = self.page.goto(self.base + path, wait_until="load")
        # MathJax typesets after load; its fonts come after that
        self.page.evaluate("async () => { if (window.MathJax?.startup?.promise)"
                           " await window.MathJax.startup.promise; await document.fonts.ready; }")
        self.page.wait_for_load_state("networkidle")
        return response

    def unexpected_errors(self):
        return [e for e in self.errors if not any(k.search(e) for k in KNOWN_ERRORS)]


@pytest.fixture
def visit(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield Visit(context, server)
    finally:
        context.close()


def html_path(page):
    return page + ".html"


def shot_name(page, suffix=""):
    return page.replace("/", "__") + suffix + ".png"




def axe_violations(page):
    """axe-core's WCAG 2.0/2.1 A and AA violations on the page as it is now, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    lines = []
    for v in found:
        where = "; ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:3])
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])}x): {v['help']}: {where}")
    return lines


# elements that stick out past the right edge of the window without a box of theirs that
# scrolls or clips (a code cell or a wide equation may scroll inside its own box); fixed
# elements (the theme's closed side panels) do not move the page
JS_SIDEWAYS = """() => {
    const width = document.documentElement.clientWidth;
    const contained = el => {
        if (getComputedStyle(el).position === 'fixed') return true;
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
            const style = getComputedStyle(p);
            if (style.overflowX !== 'visible' || style.position === 'fixed') return true;
        }
        return false;
    };
    const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
        + [...e.classList].slice(0, 3).map(c => '.' + c).join('');
    const wide = [...document.body.querySelectorAll('*')]
        .filter(e => e.getBoundingClientRect().right > width + 1 && e.checkVisibility() && !contained(e))
        .map(name);
    return {scrollWidth: document.documentElement.scrollWidth, width: width, wide: wide.slice(0, 8)};
}"""


def sideways_overflow(page):
    """What makes the page itself scroll sideways (empty when nothing does)."""
    found = page.evaluate(JS_SIDEWAYS)
    problems = []
    if found["scrollWidth"] > found["width"]:
        problems.append(f"the page is {found['scrollWidth']} px wide in a {found['width']} px window")
    if found["wide"]:
        problems.append(f"sticking out on the right: {found['wide']}")
    return problems
