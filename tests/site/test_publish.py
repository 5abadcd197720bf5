"""The edition as it is published, no browser: nothing a page needs comes from another host, and
with site_url set (as the Pages workflow builds it) sitemap.xml and canonical links name every
public page and nothing internal. The browser tests (test_access.py) check the same at run time."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from .conftest import HOSTILE_INTERNAL_ID, MARKER, MARKER_ZH, SITE_URL, Site, contents, hostile_pages
from .test_build import Page

# Every test reads a full build (the session's, tests/site/conftest.py).
pytestmark = pytest.mark.slow

# Elements and attributes a browser fetches by itself while showing a page (<a href> only on a click).
FETCHED = {
    ("script", "src"),
    ("img", "src"),
    ("img", "srcset"),
    ("iframe", "src"),
    ("frame", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("source", "src"),
    ("source", "srcset"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("track", "src"),
    ("input", "src"),
    ("image", "href"),
    ("use", "href"),
}
# <link rel=…> that fetch (or open a connection); canonical and alternate do not.
FETCHING_RELS = {
    "stylesheet",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "preload",
    "modulepreload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
    "manifest",
    "mask-icon",
}


class Resources(HTMLParser):
    """What one HTML file makes the browser fetch, and its canonical link."""

    def __init__(self, path: Path) -> None:
        super().__init__(convert_charrefs=True)
        self.fetched: list[str] = []
        self.canonical: list[str] = []
        self.feed(path.read_text(encoding="utf-8"))
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if (tag, name) in FETCHED or (tag, name.removeprefix("xlink:")) in FETCHED:
                self.fetched += [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" else [value]
        if tag == "link":
            rels = set(values.get("rel", "").lower().split())
            if rels & FETCHING_RELS:
                self.fetched.append(values.get("href", ""))
            if "canonical" in rels:
                self.canonical.append(values.get("href", ""))
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.fetched.append(values.get("content", "").partition("url=")[2])


def off_site(link: str) -> bool:
    """True when `link` names another host: any scheme but data:/blob:, or a protocol-relative //host."""
    cleaned = re.sub(r"[\x00-\x20]", "", link)
    scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", cleaned)
    return cleaned.startswith(("//", "\\\\", "/\\")) or (scheme is not None and scheme.group(1).lower() not in ("data", "blob"))


# In a stylesheet: @import, or url() with a scheme or //host (data: URLs are filtered out below).
CSS_FETCHES = re.compile(r"""@import|url\(\s*['"]?\s*(?:[A-Za-z][A-Za-z0-9+.-]*:|//)""", re.IGNORECASE)


@pytest.mark.parametrize("edition", ["public_site", "hostile_site", "published_site"])
def test_no_page_or_stylesheet_fetches_from_another_host(edition: str, request: pytest.FixtureRequest) -> None:
    """No script, stylesheet, font, icon, image or frame from a CDN, Google Fonts or a record's text
    (the hostile task-9002 tries Markdown, reference-style and raw-HTML images and a stylesheet link)."""
    site: Site = request.getfixturevalue(edition)
    found = []
    for path in sorted(site.output.rglob("*.html")):
        where = path.relative_to(site.output).as_posix()
        found += [f"{where}: {link}" for link in Resources(path).fetched if off_site(link)]
    for path in sorted(site.output.rglob("*.css")):
        text = path.read_text(encoding="utf-8")
        found += [
            f"{path.relative_to(site.output)}: {m.group(0)}"
            for m in CSS_FETCHES.finditer(text)
            if not m.group(0).lower().replace(" ", "").startswith(("url(data:", "url('data:", 'url("data:'))
        ]
    assert found == []
    if edition == "hostile_site":  # the fixture that tries is really there, and came out as text
        page = (site.output / "tasks/task-9002/index.html").read_text(encoding="utf-8")
        assert "外部资源测试任务" in page and "tracker.example" in page


def test_sitemap_lists_every_public_page_and_nothing_internal(published_site: Site) -> None:
    out = published_site.output
    sitemap = contents(out / "sitemap.xml")
    assert contents(out / "sitemap.xml.gz") == sitemap
    listed = re.findall(r"<loc>([^<]*)</loc>", sitemap)
    assert len(listed) == len(set(listed))
    pages = {SITE_URL + (p.parent.relative_to(out).as_posix() + "/").removeprefix("./") for p in out.rglob("index.html")}
    assert set(listed) == pages
    project = published_site.project
    for record in project.public():
        assert f"{SITE_URL}{record['_type']}/{record['id']}/" in listed, record["id"]
    assert {SITE_URL + url for url in hostile_pages()} <= set(listed)
    internal = {record["id"] for record in project.internal()}
    assert {"coord-0004", HOSTILE_INTERNAL_ID} <= internal
    assert [loc for loc in listed for i in internal if i in loc] == []


def test_canonical_links_name_the_published_address(published_site: Site) -> None:
    out = published_site.output
    for path in sorted(out.rglob("index.html")):
        expected = SITE_URL + (path.parent.relative_to(out).as_posix() + "/").removeprefix("./")
        assert Resources(path).canonical == [expected], path.relative_to(out)


def test_nothing_internal_in_any_file_of_the_published_build(published_site: Site) -> None:
    """Pages, sitemap.xml(.gz), the search index, feeds and every download, with site_url set."""
    project = published_site.project
    needles = {MARKER, MARKER_ZH}
    for record in project.internal():
        needles |= {record["id"], record["title"]}
    files = [p for p in published_site.output.rglob("*") if p.is_file()]
    assert any(p.parent.name == "fragment" for p in files) and any(p.parent.name == "data" for p in files)
    leaks = [f"{p.relative_to(published_site.output)}: {n}" for p in files for n in sorted(needles) if n in contents(p)]
    assert leaks == []


def test_published_pages_link_only_within_the_published_path(published_site: Site) -> None:
    """Pages link relatively; only 404.html (served at any depth) links from the root, and then
    under the published path, so a project site at /REPO/ finds its styles on a missing page."""
    out = published_site.output
    prefix = urlsplit(SITE_URL).path
    wrong = []
    for path in sorted(out.rglob("*.html")):
        where = path.relative_to(out).as_posix()
        for link in Page(path).links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//") or not parts.path.startswith("/"):
                continue
            if where != "404.html" or not parts.path.startswith(prefix):
                wrong.append(f"{where} → {link}")
            elif not (out / unquote(parts.path[len(prefix) :])).exists():
                wrong.append(f"{where} → {link} (missing)")
    assert wrong == []
