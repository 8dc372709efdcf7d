"""No broken internal link or anchor anywhere in the built site.

Crawls every HTML page of the strict build (the `site` fixture): every href and src that
stays on the site (relative, or to 127.0.0.1/localhost) must name a file that exists, and
every #fragment must be an id (or a named anchor) in the target page. Stylesheets are
followed one step further: their url(...) references (fonts, icons) must exist too.
"""

import html.parser
import re
import urllib.parse

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
LINK_ATTRIBUTES = {"href", "src"}


class _Page(html.parser.HTMLParser):
    """The ids of one page and the links it makes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.links = set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for name in LINK_ATTRIBUTES & attrs.keys():
            if attrs[name] is not None:
                self.links.append((tag, attrs[name].strip()))


def _parse(path):
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    return page


def _local_target(site, source, link):
    """(file, fragment) for a link that stays on the site, None for one that leaves it."""
    parts = urllib.parse.urlsplit(link)
    if parts.scheme in ("http", "https"):
        if parts.hostname not in LOCAL_HOSTS:
            return None
        path = parts.path.lstrip("/")
        target = site / urllib.parse.unquote(path)
    elif parts.scheme or link.startswith("//"):
        return None  # mailto:, javascript:, data:, protocol-relative
    elif not parts.path:
        target = source  # "#fragment" on the same page
    elif parts.path.startswith("/"):
        target = site / urllib.parse.unquote(parts.path.lstrip("/"))
    else:
        target = source.parent / urllib.parse.unquote(parts.path)
    if parts.path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target.resolve(), urllib.parse.unquote(parts.fragment)


def _pages(site):
    # _static holds the theme's Jinja templates (*.html with {{ }}); they are not pages
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.relative_to(site).parts)


def test_every_internal_link_and_anchor_resolves(site):
    site = site.resolve()
    pages = _pages(site)
    assert (site / "intro.html") in pages and (site / "search.html") in pages, pages
    parsed = {p: _parse(p) for p in pages}
    ids = {p: page.ids for p, page in parsed.items()}
    broken, checked, stylesheets = [], 0, set()

    for source, page in parsed.items():
        for tag, link in page.links:
            target = _local_target(site, source, link)
            if target is None:
                continue
            checked += 1
            path, fragment = target
            where = f"{source.relative_to(site)}: <{tag}> {link}"
            if site not in path.parents:
                broken.append(f"{where} (points outside the site)")
            elif not path.is_file():
                broken.append(f"{where} (no file {path.relative_to(site)})")
            elif fragment and path.suffix == ".html":
                if path not in ids:
                    ids[path] = _parse(path).ids
                if fragment not in ids[path]:
                    broken.append(f"{where} (no id {fragment!r} in {path.relative_to(site)})")
            elif path.suffix == ".css":
                stylesheets.add(path)

    for css in sorted(stylesheets):
        for ref in re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", css.read_text(errors="replace")):
            if re.match(r"^(data:|[a-z]+://|#|%23)", ref):
                continue
            checked += 1
            target = (css.parent / urllib.parse.unquote(ref.split("?")[0].split("#")[0])).resolve()
            if not target.is_file():
                broken.append(f"{css.relative_to(site)}: url({ref}) (no such file)")

    assert checked > 10 * len(pages), f"only {checked} links in {len(pages)} pages: is the crawler blind?"
    assert not broken, f"{len(broken)} broken internal link(s) of {checked}:\n  " + "\n  ".join(broken)
