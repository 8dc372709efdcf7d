"""The site as readers get it: every page of `_toc.yml` in a real browser.

Chromium (Debian's `chromium` package) driven by Playwright loads the strict build of
this test run (the `site` fixture), served on 127.0.0.1 (tests/site_browser.py). Every page
is checked for what a reader would notice: math left as raw TeX, a broken image or one
without alt text, a request that needs the internet, a script error, missing launch
buttons, solutions that are open before the reader tried, headings out of order, an
unreadable dark mode (checked on the same visit), a page that scrolls sideways on a phone (390 px wide), and every
WCAG 2.0 and 2.1 A and AA rule that axe-core checks (on the desktop visit; at a phone's width, on the
student site's copy of each page, in test_student_build). A full-page screenshot of each page,
desktop and phone, lands in `_build/screenshots/` for a person to look at.

Without a browser these tests skip and say how to install one; in CI (`CI=true`) a
missing browser is a failure.
"""

import contextlib
import pathlib
import re
import urllib.parse

import pytest

from site_browser import CHAPTERS, MOBILE, PAGES, Visit, axe_violations, html_path, shot_name, sideways_overflow

# TeX that MathJax should have consumed; code (pre, code) is allowed to show it.
RAW_TEX = re.compile(r"\$\$|\\\(|\\\)|\\\[|\\\]|\\begin\{|\\frac\{")


# ---------------------------------------------------------------- page-level JavaScript

# the text of each heading without its "#" permalink
JS_HEADINGS = """() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
    .filter(h => h.checkVisibility())
    .map(h => { const c = h.cloneNode(true); c.querySelectorAll('.headerlink').forEach(a => a.remove());
                return [Number(h.tagName[1]), c.textContent.trim()]; })"""

JS_MATH = """() => {
    const math = [...document.querySelectorAll('.math')];
    const raw = math.filter(m => !m.querySelector('mjx-container'))
                    .map(m => m.textContent.trim().slice(0, 80));
    const text = document.body.cloneNode(true);
    text.querySelectorAll('pre, code, script, style, textarea, mjx-container').forEach(e => e.remove());
    return {count: math.length, raw: raw, text: text.textContent};
}"""

JS_IMAGES = """async () => {
    const images = [...document.images];
    // force lazy images to load, then wait for every image to settle
    await Promise.all(images.map(img => {
        img.loading = 'eager';
        return img.complete ? null : new Promise(done => { img.onload = img.onerror = done; });
    }));
    return images.map(img => ({src: img.getAttribute('src'), alt: (img.getAttribute('alt') || '').trim(),
                               width: img.naturalWidth, cls: img.className}));
}"""

# luminance and contrast (WCAG 2) of an element's text colour against what is behind it
JS_COLOUR = """
const rgba = s => (s.match(/[\\d.]+/g) || [0, 0, 0, 0]).map(Number).concat([1]).slice(0, 4);
const lum = ([r, g, b]) => { const f = c => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
                             return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
const background = el => { for (; el; el = el.parentElement) { const c = rgba(getComputedStyle(el).backgroundColor);
                           if (c[3] > 0.5) return c; } return [255, 255, 255, 1]; };
const contrast = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
"""

JS_READABILITY = """() => {""" + JS_COLOUR + """
    const math = [...document.querySelectorAll('mjx-container')].filter(m => m.checkVisibility())
        .map(m => ({tex: (m.closest('.math')?.getAttribute('data-tex') || m.textContent).slice(0, 60),
                    ratio: contrast(rgba(getComputedStyle(m).color), background(m))}));
    const figures = [...document.querySelectorAll('article img')].filter(i => i.checkVisibility())
        .map(i => ({src: i.getAttribute('src'), width: i.naturalWidth, behind: lum(background(i))}));
    return {theme: document.documentElement.dataset.theme, page: lum(background(document.body)),
            math: math, figures: figures};
}"""


# ---------------------------------------------------------------- every page

def test_toc_lists_pages():
    assert PAGES[0] == "intro" and len(CHAPTERS) >= 1, PAGES


@pytest.mark.parametrize("page", PAGES)
def test_page(page, visit, screenshots):
    """What a reader sees on one page: math, images, headings, title, icons, accessibility
    (axe-core), a chapter's launch buttons and closed solutions, dark mode, and nothing
    broken. One visit per page: each check is a function below, run on the page as it is."""
    response = visit.open(html_path(page))
    p = visit.page
    problems = []

    assert response is not None and response.status == 200, f"{page}: HTTP {response and response.status}"

    # math: every .math element typeset by MathJax, no TeX left in the prose
    math = p.evaluate(JS_MATH)
    if math["raw"]:
        problems.append(f"{len(math['raw'])} of {math['count']} math elements not rendered: {math['raw'][:5]}")
    leftover = sorted(set(RAW_TEX.findall(math["text"])))
    if leftover:
        problems.append(f"raw TeX left in the text: {leftover}")

    # images: loaded, with real alt text (docutils puts the file name there when none is given)
    images = p.evaluate(JS_IMAGES)
    for img in images:
        name = pathlib.PurePosixPath(urllib.parse.urlsplit(img["src"] or "").path).name
        if img["width"] == 0:
            problems.append(f"image did not load: {img['src']}")
        if not img["alt"] or img["alt"].endswith(name) or re.search(r"\.(png|svg|jpe?g|gif)$", img["alt"]):
            problems.append(f"image without alt text: {img['src']} (alt={img['alt']!r})")
    logos = [i for i in images if "logo__image" in i["cls"]]
    if not logos or not any(i["width"] > 0 for i in logos):
        problems.append(f"the logo did not load: {logos}")

    # headings: one h1 (the theme's print-only copy is hidden), none skipped going down
    headings = p.evaluate(JS_HEADINGS)
    levels = [level for level, _ in headings]
    if levels.count(1) != 1 or p.locator("article h1").count() != 1 or (levels and levels[0] != 1):
        problems.append(f"expected exactly one h1, first: {headings[:3]}")
    for (before, _), (level, text) in zip(headings, headings[1:]):
        if level > before + 1:
            problems.append(f"heading skips a level: h{before} -> h{level} {text!r}")

    # title: names the page's own h1
    title = p.title().strip()
    h1 = next((text for level, text in headings if level == 1), "")
    if not title or not h1 or h1 not in title:
        problems.append(f"<title> {title!r} does not name the page ({h1!r})")

    # favicon: declared and served
    icon = p.evaluate("() => document.querySelector('link[rel~=\"icon\"]')?.href")
    if not icon:
        problems.append("no favicon link")
    else:
        got = p.request.get(icon)
        if got.status != 200 or not got.body():
            problems.append(f"favicon {icon}: HTTP {got.status}")

    p.screenshot(path=str(screenshots / shot_name(page)), full_page=True)

    # accessibility: axe-core's WCAG 2.0/2.1 A and AA rules
    problems += [f"axe: {v}" for v in axe_violations(p)]

    # chapters: the launch buttons, and each solution closed until clicked (this opens them)
    if page in CHAPTERS:
        problems += launch_button_problems(page, p, screenshots)
        problems += solution_problems(p)

    # dark mode, last: it changes the page
    problems += dark_mode_problems(page, p, screenshots)

    # network and scripts: nothing from outside, nothing failed, no unknown error
    if visit.blocked:
        problems.append(f"{len(visit.blocked)} request(s) left 127.0.0.1 (blocked): {visit.blocked}")
    if visit.failed:
        problems.append(f"failed requests: {visit.failed}")
    if visit.unexpected_errors():
        problems.append(f"console errors: {visit.unexpected_errors()}")

    assert not problems, f"{page}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("page", PAGES)
def test_page_on_a_phone(page, browser, server, screenshots):
    """390 px wide: the page never scrolls sideways (a code cell or a wide equation may scroll
    in its own box). axe-core's rules at this width run on the student site's pages
    (test_student_build), the same pages without their solutions; here they run on the
    desktop visit (test_page). The screenshot is at 1 pixel per CSS pixel, which keeps it small."""
    context = browser.new_context(viewport=MOBILE, device_scale_factor=1, is_mobile=True, has_touch=True)
    try:
        visit = Visit(context, server)
        visit.open(html_path(page))
        p = visit.page
        problems = sideways_overflow(p)
        p.screenshot(path=str(screenshots / shot_name(page, "-mobile")), full_page=True)
        if visit.unexpected_errors():
            problems.append(f"console errors: {visit.unexpected_errors()}")
    finally:
        context.close()
    assert not problems, f"{page} at {MOBILE['width']} px:\n  " + "\n  ".join(problems)


def launch_button_problems(page, p, screenshots):
    """Binder, Colab and Live Code (Thebe) are in the rocket menu, for this chapter's notebook.
    Checked in test_page, on the page it has open."""
    notebook = page + ".ipynb"
    binder = p.locator(f".dropdown-launch-buttons a[href^='https://mybinder.org/'][href$='{notebook}']")
    colab = p.locator(f".dropdown-launch-buttons a[href^='https://colab.research.google.com/'][href$='{notebook}']")
    thebe = p.locator(".dropdown-launch-buttons .btn-launch-thebe")
    missing = [name for name, button in [("Binder", binder), ("Colab", colab), ("Live Code", thebe)]
               if button.count() != 1]
    if missing:
        return [f"no {name} launch button for {notebook}" for name in missing]
    p.locator(".dropdown-launch-buttons .dropdown-toggle").click()
    for button in (binder, colab, thebe):
        button.wait_for(state="visible")
    p.screenshot(path=str(screenshots / shot_name(page, "-launch")))
    p.keyboard.press("Escape")
    return []


def solution_problems(p):
    """Each exercise's solution is a closed dropdown that a click opens. Checked in test_page,
    on the page it has open."""
    solutions = p.locator("div.solution")
    if solutions.count() < 1:
        return ["no exercise solution on the page"]
    problems = []
    body = ":scope > :not(.admonition-title)"
    for i in range(solutions.count()):
        solution = solutions.nth(i)
        label = solution.get_attribute("id")
        content = solution.locator(body)
        if content.count() < 1:
            problems.append(f"solution {label} is empty")
        elif "dropdown" not in (solution.get_attribute("class") or ""):
            problems.append(f"solution {label} is not a dropdown (add `:class: dropdown`)")
        elif any(content.nth(j).is_visible() for j in range(content.count())):
            problems.append(f"solution {label} is open before the reader clicks")
        else:
            solution.locator(":scope > .admonition-title").click()
            content.first.wait_for(state="visible")
    return problems


def dark_mode_problems(page, p, screenshots):
    """The theme button switches to dark; math stays readable and figures keep a light ground.
    Checked in test_page, on the page it has open (one visit per page, not two)."""
    light = p.evaluate(JS_READABILITY)
    if light["theme"] != "light":
        return [f"the site should open in light mode, got {light['theme']}"]
    for _ in range(3):  # the button cycles light -> auto -> dark
        if p.evaluate("() => document.documentElement.dataset.theme") == "dark":
            break
        p.locator(".theme-switch-button").first.click()
    dark = p.evaluate(JS_READABILITY)
    if dark["theme"] != "dark":
        return ["the theme button never switched to dark"]
    problems = []
    if dark["page"] >= 0.2:
        problems.append(f"dark mode background is not dark (luminance {dark['page']:.2f})")
    for mode in (light, dark):
        faint = [f"{m['tex']!r} ({m['ratio']:.1f})" for m in mode["math"] if m["ratio"] < 3]
        if faint:
            problems.append(f"{mode['theme']}: {len(faint)} math element(s) with contrast < 3: {faint[:5]}")
    if len(dark["figures"]) != len(light["figures"]):
        problems.append(f"{len(light['figures'])} figures visible in light mode, {len(dark['figures'])} in dark")
    # figures are drawn for a light page: dark mode must keep a light ground behind them
    problems += [f"dark: figure {f['src']} on a dark ground" for f in dark["figures"]
                 if f["width"] == 0 or f["behind"] < 0.5]
    logo = p.locator("img.logo__image.only-dark")
    if not logo.is_visible() or p.evaluate("i => i.naturalWidth", logo.element_handle()) == 0:
        problems.append("dark: the logo is not shown")
    # the window's worth, not the whole page: enough to see the colours, and a full page costs seconds
    p.screenshot(path=str(screenshots / shot_name(page, "-dark")))
    return problems


# ---------------------------------------------------------------- search

@pytest.mark.parametrize("word", ["softmax", "Jacobian"])
def test_search_finds(word, visit, screenshots):
    """Typed into the search box of the first page (Ctrl+K), as a reader does."""
    visit.open(html_path(PAGES[0]))
    p = visit.page
    p.keyboard.press("Control+k")
    box = p.locator("#pst-search-dialog input[name='q']")
    box.fill(word)
    with p.expect_navigation():
        box.press("Enter")
    assert urllib.parse.urlsplit(p.url).path.endswith("/search.html"), p.url
    results = p.locator("#search-results ul.search li")
    with contextlib.suppress(Exception):
        results.first.wait_for(state="attached", timeout=15_000)
    p.wait_for_load_state("networkidle")
    titles = [t.strip() for t in results.locator(":scope > a").all_inner_texts()]
    p.screenshot(path=str(screenshots / shot_name("search-" + word.lower())), full_page=True)
    assert results.count() >= 1, f"searching {word!r} found nothing: " + \
        p.locator("#search-results").inner_text()[:300]
    assert titles and all(titles), f"search results for {word!r} have no titles"
    assert not visit.blocked, f"search requests left 127.0.0.1: {visit.blocked}"
    assert not visit.failed and not visit.unexpected_errors(), (visit.failed, visit.unexpected_errors())
