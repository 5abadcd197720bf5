"""Real builds, no browser: every link resolves, every record has its page, nothing internal
leaks into the public edition, hostile records come out inert, failures change nothing."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.helpers import REPO

from .conftest import (
    HOSTILE_INTERNAL_ID,
    MARKER,
    MARKER_ZH,
    TODAY,
    Project,
    Site,
    build,
    case_project,
    contents,
    copy_project,
    fingerprint,
    hostile_pages,
    liandong,
)

# Every test reads a full build (the session's, tests/site/conftest.py) or makes one.
pytestmark = pytest.mark.slow

# Our one inline handler: the search form must not submit (src/liandong/site/templates/search.md.j2).
ALLOWED_HANDLERS = {("form", "onsubmit", "return false")}
SAFE_SCHEMES = {"http", "https", "mailto"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "xlink:href", "data"}


class Page(HTMLParser):
    """Links, ids, handlers, script bodies, and text by element of one HTML file."""

    def __init__(self, path: Path) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.handlers: list[tuple[str, str, str]] = []
        self.scripts: list[str] = []
        self.h1: list[str] = []
        self.relations: list[tuple[str, str]] = []  # (relation label, link) rows of table.ld-relations
        self._in: list[str] = []
        self._h1: list[str] | None = None
        self._row: list[str] | None = None
        self._in_relations = False
        self.feed(path.read_text(encoding="utf-8"))
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in URL_ATTRIBUTES and value is not None:
                self.links.append(value)
            if name.startswith("on"):
                self.handlers.append((tag, name, value or ""))
        if tag == "input" and values.get("data-pagefind-bundle"):
            self.links.append(values["data-pagefind-bundle"] + "pagefind.js")  # imported by search.js
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"] or "")
        if tag == "table" and "ld-relations" in (values.get("class") or "").split():
            self._in_relations = True
        if self._in_relations and tag == "tr":
            self._row = []
        if self._row is not None and tag == "a":
            self._row.append("href:" + (values.get("href") or ""))
        if tag == "h1":
            self._h1 = []
        if tag not in ("br", "img", "input", "meta", "link", "hr", "source", "wbr"):
            self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1" and self._h1 is not None:
            self.h1.append("".join(self._h1).strip())
            self._h1 = None
        if tag == "tr" and self._row is not None:
            label = next((c for c in self._row if not c.startswith("href:")), "")
            link = next((c[5:] for c in self._row if c.startswith("href:")), "")
            if link:
                self.relations.append((label.strip(), link))
            self._row = None
        if tag == "table":
            self._in_relations = False
        if tag in self._in:
            while self._in and self._in.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "script":
            self.scripts.append(data)
        if self._h1 is not None:
            self._h1.append(data)
        if self._row is not None and data.strip() and not self._row:
            self._row.append(data)


def pages(site: Site) -> dict[Path, Page]:
    return {path: Page(path) for path in sorted(site.output.rglob("*.html"))}


def _scheme(link: str) -> str:
    # What a browser would take as the scheme: it ignores control characters and spaces in it.
    cleaned = re.sub(r"[\x00-\x20]", "", link)
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", cleaned)
    return match.group(1).lower() if match else ""


def broken_links(site: Site) -> list[str]:
    parsed = pages(site)
    broken = []
    for path, page in parsed.items():
        where = path.relative_to(site.output).as_posix()
        for link in page.links:
            scheme = _scheme(link)
            if scheme:
                if scheme not in SAFE_SCHEMES:
                    broken.append(f"{where} → {link} (scheme {scheme}:)")
                continue
            if link.startswith("//"):
                continue  # protocol-relative: external
            parts = urlsplit(link)
            if not parts.path:
                target = path
            elif parts.path.startswith("/"):  # 404.html is served at any depth, so it links from the root
                target = site.output / unquote(parts.path).lstrip("/")
            else:
                target = Path(os.path.normpath(path.parent / unquote(parts.path)))
            if not target.resolve().is_relative_to(site.output.resolve()):
                broken.append(f"{where} → {link} (outside the site)")
                continue
            if target.is_dir():
                if not parts.path.endswith(("/", ".")):  # "tasks" would resolve its own relative links wrongly
                    broken.append(f"{where} → {link} (folder without a trailing slash)")
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{where} → {link}")
            elif parts.fragment and target.suffix == ".html":
                ids = (parsed.get(target) or Page(target)).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{where} → {link} (no id {unquote(parts.fragment)!r} in {target.relative_to(site.output)})")
    return broken


def record_page(site: Site, record: dict) -> Path:
    return site.output / record["_type"] / record["id"] / "index.html"


# -- the bundled registry -----------------------------------------------------------------------


def test_public_build_of_the_bundled_registry_succeeds(public_site: Site) -> None:
    for rel in (
        "index.html",
        "404.html",
        "search/index.html",
        "pagefind/pagefind.js",
        "pagefind/pagefind-entry.json",
        "data/registry.json",
        "data/registry.schema.json",
        "data/registry.sqlite",
        "data/calendar.ics",
        "schemas/common.schema.json",
        "javascripts/search.js",
        "javascripts/lists.js",
    ):
        assert (public_site.output / rel).is_file(), rel
    for type_name in public_site.project.types():
        assert (public_site.output / type_name / "index.html").is_file(), type_name
        # the published schema is the repository's, byte for byte, at a stable address
        for suffix in (".schema.json", ".lifecycle.yaml"):
            published = public_site.output / "schemas" / f"{type_name}{suffix}"
            assert published.read_bytes() == (REPO / "schemas" / f"{type_name}{suffix}").read_bytes(), published
    downloads = (public_site.output / "downloads" / "index.html").read_text(encoding="utf-8")
    assert "datasette registry.sqlite" in downloads and 'href="../data/registry.schema.json"' in downloads
    home = (public_site.output / "index.html").read_text(encoding="utf-8")
    assert "总体情况" in home and "内部版本" not in home
    assert any((public_site.output / "pagefind").glob("fragment/*.pf_fragment"))


@pytest.mark.parametrize("edition", ["public_site", "internal_site"])
def test_every_internal_link_and_anchor_resolves(edition: str, request: pytest.FixtureRequest) -> None:
    """`mkdocs build --strict` cannot see links inside raw HTML, which is where record links live:
    this is our strict mode. Every href/src inside the site names an existing file, and every
    #anchor an id on the target page; links leave the site only by http(s) or mailto."""
    site: Site = request.getfixturevalue(edition)
    assert broken_links(site) == []
    assert len(list(site.output.rglob("*.html"))) > len(site.project.public())


def test_every_record_has_a_page(public_site: Site, internal_site: Site) -> None:
    project = public_site.project
    assert project.internal(), "the bundled registry should hold an internal example record"
    for record in project.public():
        assert record_page(public_site, record).is_file(), record["id"]
        assert record_page(internal_site, record).is_file(), record["id"]
    for record in project.internal():
        assert not (public_site.output / record["_type"] / record["id"]).exists(), record["id"]
        page = Page(record_page(internal_site, record))
        assert page.h1 == [record["title"]]
        assert "ld-badge--internal" in record_page(internal_site, record).read_text(encoding="utf-8")
    assert "内部版本" in (internal_site.output / "index.html").read_text(encoding="utf-8")


def test_internal_records_leak_into_no_file_of_the_public_build(public_site: Site, internal_site: Site) -> None:
    """Every file, sitemap and search index included (gzip unpacked, Pagefind's word breaks removed)."""
    needles = set()
    for record in public_site.project.internal():
        needles |= {record["id"], record["title"]}
        needles |= {v for k, v in record.items() if k in ("description", "raised_by_name") and isinstance(v, str)}
    assert needles
    files = [p for p in public_site.output.rglob("*") if p.is_file()]
    assert any(p.parent.name == "fragment" for p in files)
    leaks = [f"{p.relative_to(public_site.output)}: {n}" for p in files for n in needles if n in contents(p)]
    assert leaks == []
    # …and the same search finds them in the internal edition, so the scan is not blind.
    internal_text = "".join(contents(p) for p in internal_site.output.rglob("*") if p.is_file())
    assert all(n in internal_text for n in needles)


def test_downloads_hold_exactly_the_public_records(public_site: Site) -> None:
    project = public_site.project
    data = json.loads((public_site.output / "data/registry.json").read_text(encoding="utf-8"))
    assert data["generated_for"] == TODAY
    published = {(t, r["id"]) for t, group in data["types"].items() for r in group["records"]}
    assert published == {(r["_type"], r["id"]) for r in project.public()}
    assert all(r["data"].get("visibility", "public") == "public" for group in data["types"].values() for r in group["records"])
    for type_name in project.types():
        text = (public_site.output / f"data/{type_name}.csv").read_text(encoding="utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0][:2] == ["id", "title"], type_name
        assert {row[0] for row in rows[1:]} == {r["id"] for r in project.public() if r["_type"] == type_name}, type_name
    calendar = (public_site.output / "data/calendar.ics").read_bytes()
    assert calendar.startswith(b"BEGIN:VCALENDAR\r\n") and calendar.endswith(b"END:VCALENDAR\r\n")


def test_the_build_writes_only_its_output(bundled: Project, public_site: Site, internal_site: Site) -> None:
    """Nothing in the project — registry/ above all — is created, changed or removed by a build,
    and no staging folder is left beside the output."""
    assert fingerprint(bundled.root) == bundled.before
    assert sorted(p.name for p in bundled.root.parent.iterdir()) == ["public", "public-internal", "repo"]


def test_relations_list_each_record_once_per_relation(public_site: Site) -> None:
    repeated = {}
    for path, page in pages(public_site).items():
        twice = [row for row, n in Counter(page.relations).items() if n > 1]
        if twice:
            repeated[path.parent.relative_to(public_site.output).as_posix()] = twice
    assert repeated == {}


# -- failures -----------------------------------------------------------------------------------

BROKEN = {
    # a registry error: validation stops the build before MkDocs runs
    "record": (
        "registry/tasks/task-0999.yaml",
        "id: task-0999\ntitle: 坏记录\nstatus: done\nvisibility: public\nlead: [org-nowhere]\n",
        "registry/tasks/task-0999.yaml:3:9: error[schema.enum]",
    ),
    # a strict-mode MkDocs failure: pages were already written into the staging folder
    "page": ("site/broken.md", "# 坏页面\n\n[去不存在的页面](nowhere.md)\n", "nowhere.md"),
}


@pytest.mark.parametrize("breakage", sorted(BROKEN))
def test_a_failed_build_exits_1_and_leaves_the_previous_output_unchanged(breakage: str, public_site: Site, tmp_path: Path) -> None:
    root = copy_project(tmp_path / "repo", public_site.project.root / "registry")
    previous = tmp_path / "public"
    shutil.copytree(public_site.output, previous)
    before = fingerprint(previous)
    stamps = {p: p.stat().st_mtime_ns for p in previous.rglob("*")}
    rel, text, expected = BROKEN[breakage]
    (root / rel).write_text(text, encoding="utf-8")
    project = fingerprint(root)

    failed = build(root, previous)
    assert failed.returncode == 1, failed.stderr
    assert expected in failed.stderr and "网站未更新：上一次生成的内容保持不变。" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert fingerprint(previous) == before
    assert {p: p.stat().st_mtime_ns for p in previous.rglob("*")} == stamps
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public", "repo"]  # no staging or .old folder left
    assert fingerprint(root) == project

    # With no previous output, a failed build creates none.
    assert build(root, tmp_path / "fresh").returncode == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public", "repo"]


# -- the hostile registry -----------------------------------------------------------------------


def test_hostile_records_are_valid(hostile: Project) -> None:
    """The hostile fixtures are what an editor could really commit: `liandong validate` passes them."""
    done = liandong(hostile.root, "validate")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == ""
    ids = {r["id"] for r in hostile.records()}
    assert {"mtg-9001", "mtg-9002", "task-9001", "coord-9001", HOSTILE_INTERNAL_ID, "org-example-hostile"} <= ids
    assert all(r.get("example") is True for r in hostile.records() if r["id"].endswith(("9001", "9002", "hostile")))


def test_hostile_markup_is_inert_in_every_page(hostile_site: Site) -> None:
    """No page of the hostile site carries an event handler, a script or a javascript:/data: link
    from a record; hostile titles come out as the very same text."""
    found = []
    for path, page in pages(hostile_site).items():
        where = path.relative_to(hostile_site.output).as_posix()
        found += [f"{where}: <{t} {n}={v!r}>" for t, n, v in page.handlers if (t, n, v) not in ALLOWED_HANDLERS]
        found += [f"{where}: <script> {s[:60]!r}" for s in page.scripts if "__xss" in s or "alert(" in s]
        found += [f"{where}: {link!r}" for link in page.links if _scheme(link) not in SAFE_SCHEMES | {""}]
    assert found == []
    hostile_ids = {url.split("/")[1] for url in hostile_pages()}
    for record in hostile_site.project.public():
        if record["id"] in hostile_ids:
            assert Page(record_page(hostile_site, record)).h1 == [record["title"]], record["id"]
    meeting = (hostile_site.output / "meetings/mtg-9001/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;注入测试会议" in meeting
    assert "<title>&lt;script&gt;window.__xss=1&lt;/script&gt;注入测试会议 - " in meeting
    assert "&#34;&gt;&lt;svg onload=window.__xss=1&gt;会议室" in meeting  # place
    assert "<a>点我</a>" in meeting  # the javascript: link lost its target
    assert "{: onclick=&#34;window.__xss=1&#34;}" in meeting  # attribute lists stay text


def test_internal_marker_is_in_no_public_file_but_in_the_internal_build(hostile_site: Site, hostile_internal_site: Site) -> None:
    needles = (MARKER, MARKER_ZH, HOSTILE_INTERNAL_ID)
    files = [p for p in hostile_site.output.rglob("*") if p.is_file()]
    leaks = [f"{p.relative_to(hostile_site.output)}: {n}" for p in files for n in needles if n in contents(p)]
    assert leaks == []
    internal = hostile_internal_site.output
    page = internal / f"coordination/{HOSTILE_INTERNAL_ID}/index.html"
    assert MARKER in page.read_text(encoding="utf-8")
    # The scan reads inside Pagefind's compressed index: the internal edition's index holds the marker.
    assert any(MARKER in contents(p) for p in (internal / "pagefind").rglob("*") if p.is_file())
    assert any(MARKER_ZH in contents(p) for p in (internal / "pagefind").rglob("*.pf_index"))


def test_hostile_text_cannot_become_a_spreadsheet_formula(hostile_site: Site) -> None:
    rows = list(csv.DictReader(io.StringIO((hostile_site.output / "data/tasks.csv").read_text(encoding="utf-8-sig"))))
    task = next(r for r in rows if r["id"] == "task-9001")
    assert task["assignment_as_written"] == '\'=HYPERLINK("https://example.com/","点我")'


def test_record_text_cannot_break_calendar_lines(hostile_site: Site) -> None:
    calendar = (hostile_site.output / "data/calendar.ics").read_bytes()
    lines = re.split(rb"\r\n|\r|\n", calendar)
    assert not [line for line in lines if line.startswith(b"UID:evil")]
    assert b"\r" not in calendar.replace(b"\r\n", b"") and b"\n" not in calendar.replace(b"\r\n", b"")


def test_build_shows_the_registrys_warnings(tmp_path: Path) -> None:
    """Warnings do not stop a build, but they are printed with file and line (they were dropped)."""
    root = case_project(tmp_path / "project", "valid/minimal")
    task = root / "registry/tasks/task-0001.yaml"
    task.write_text(task.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")  # no editor line
    result = liandong(root, "build", "--today", TODAY, "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "registry/tasks/task-0001.yaml:1:1: warning[files.schema-comment]" in result.stderr
    assert "登记册有 1 个警告（不影响生成，请检查）。" in result.stderr
    task.write_text("# yaml-language-server: $schema=../../schemas/tasks.schema.json\n" + task.read_text(encoding="utf-8"), encoding="utf-8")
    clean = liandong(root, "build", "--today", TODAY, "-o", str(tmp_path / "out"))  # over our own output
    assert clean.returncode == 0 and "warning[" not in clean.stderr and "警告" not in clean.stderr, clean.stderr


def test_every_page_announces_the_feed(public_site: Site) -> None:
    """Feed readers and browsers find the Atom feed from any page (autodiscovery)."""
    pages = sorted(public_site.output.rglob("index.html"))
    for page_path in pages:
        # rel holds the token "alternate" (feed readers split rel on spaces), but never "alternate" alone.
        found = re.search(r'<link rel="alternate feed" type="application/atom\+xml"[^>]* href="([^"]+)"', page_path.read_text(encoding="utf-8"))
        assert found, page_path
        assert (page_path.parent / found[1]).resolve() == (public_site.output / "data/changes.atom").resolve(), page_path
    assert len(pages) > 50


def test_an_unpublished_build_has_no_sitemap_and_no_robots_file(public_site: Site) -> None:
    """Without the site's address a sitemap could list no page (MkDocs would write an empty,
    invalid one), and robots.txt would have no sitemap to point at."""
    assert not any((public_site.output / name).exists() for name in ("sitemap.xml", "sitemap.xml.gz", "robots.txt"))


def test_a_build_in_one_process_is_the_same_site(public_site: Site, tmp_path: Path) -> None:
    """By default a forked process makes the downloads and another renders every third record's pages
    (background.py, plugin.on_env); LIANDONG_ONE_PROCESS=1 makes everything in the build's own
    process. The two sites are the same, byte for byte."""
    import datetime

    from liandong.site.pipeline import prepare

    content = prepare(public_site.project.root, datetime.date.fromisoformat(TODAY), with_history=False, with_files=False, split=True)
    assert len(content.later) == len(content.model.items) // 3 > 10  # the split build does leave pages to the other process
    places = {page.path for i in content.later for page in content.renderer.record_page_places(content.model.items[i])}
    assert {page.path for page in content.pages if not page.text} == places and len(places) == 3 * len(content.later)  # zh, vi, en
    alone = build(public_site.project.root, tmp_path / "alone", env={"LIANDONG_ONE_PROCESS": "1"})
    assert alone.returncode == 0, alone.stderr
    assert fingerprint(tmp_path / "alone") == fingerprint(public_site.output)


# The build's command line with a forked process broken: the downloads' (pipeline.site_files) or the
# later record pages' (plugin._render_later).
_BROKEN_CHILD = """
import os, signal, sys
from liandong.site import pipeline, plugin
how = sys.argv.pop(1)
made = pipeline.site_files
def broken(*args, **kwargs):
    yield from list(made(*args, **kwargs))[:3]
    if how == "killed":
        os.kill(os.getpid(), signal.SIGKILL)
    raise RuntimeError("写不出台账")
def broken_pages(self, *args):
    raise KeyError("task-0001")
    yield
if how == "pages":
    plugin.LiandongPlugin._render_later = broken_pages
else:
    pipeline.site_files = broken
from liandong.cli import main
main(sys.argv[1:], prog_name="liandong")
"""


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        ("error", "生成网站的下载文件时出错：RuntimeError: 写不出台账"),
        ("killed", "被信号 9 终止（可能是内存不足）"),
        ("pages", "生成网站的记录页面时出错：KeyError: 'task-0001'"),
    ],
)
def test_a_failure_in_a_forked_process_fails_the_build_and_leaves_the_previous_output(how: str, expected: str, public_site: Site, tmp_path: Path) -> None:
    previous = tmp_path / "public"
    shutil.copytree(public_site.output, previous)
    before = fingerprint(previous)
    args = ["build", "--today", TODAY, "--output", str(previous), "--root", str(public_site.project.root)]
    failed = subprocess.run([sys.executable, "-c", _BROKEN_CHILD, how, *args], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert failed.returncode == 1, failed.stderr
    assert expected in failed.stderr and "网站未更新：上一次生成的内容保持不变。" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert fingerprint(previous) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]  # no staging folder, no folder of downloads


def test_the_downloads_are_written_as_made_and_nothing_else_is_left(public_site: Site) -> None:
    """A forked process writes the downloads while the pages are rendered and the plugin moves them
    into place (background.py): each is the bytes the generator made, and the folder they waited in is gone."""
    import datetime

    from liandong.site.pipeline import prepare

    made = prepare(public_site.project.root, datetime.date.fromisoformat(TODAY), with_history=False).files
    for path in ("data/tasks.csv", "data/tasks.xlsx", "data/report.docx", "data/registry.json"):
        assert (public_site.output / path).read_bytes() == made[path], path
    assert not [p for p in public_site.output.rglob(".liandong-files")]
