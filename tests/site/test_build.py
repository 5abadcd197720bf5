"""A real build of the bundled registry: links resolve, nothing internal leaks, failures are safe."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..helpers import REPO, write
from .conftest import HOSTILE_MARKER, INTERNAL_ID, build, copy_project


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in ("href", "src") and value:
                self.links.append(value)


def _parse(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_every_internal_link_and_anchor_resolves(public_site: Path) -> None:
    """`mkdocs build --strict` cannot see links inside raw HTML, so this is our strict mode."""
    parsed: dict[Path, _Links] = {p: _parse(p) for p in public_site.rglob("*.html")}
    broken = []
    for page, links in parsed.items():
        for link in links.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith(("mailto:", "//")):
                continue
            if not parts.path:
                target = page
            elif parts.path.startswith("/"):  # 404.html links from the site root
                target = public_site / unquote(parts.path).lstrip("/")
            else:
                target = (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(public_site)} → {link}")
            elif parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else _parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page.relative_to(public_site)} → {link} (no such anchor)")
    assert broken == []
    assert len(parsed) > 60


def test_every_public_record_has_a_page_and_internal_ones_do_not(public_site: Path) -> None:
    for record in (REPO / "registry").glob("*/*.yaml"):
        page = public_site / record.parent.name / record.stem / "index.html"
        assert page.is_file() == (record.stem != INTERNAL_ID), record


def test_internal_record_leaks_nowhere_in_the_public_build(public_site: Path, internal_site: Path) -> None:
    title = re.search(r"^title: (.+)$", (REPO / f"registry/coordination/{INTERNAL_ID}.yaml").read_text(encoding="utf-8"), re.M)
    assert title
    needles = [INTERNAL_ID.encode(), title.group(1).encode()]
    leaks = [str(p) for p in public_site.rglob("*") if p.is_file() and any(n in p.read_bytes() for n in needles)]
    assert leaks == []
    assert (internal_site / f"coordination/{INTERNAL_ID}/index.html").is_file()
    assert "内部" in (internal_site / f"coordination/{INTERNAL_ID}/index.html").read_text(encoding="utf-8")
    assert "内部版本" in (internal_site / "index.html").read_text(encoding="utf-8")


def test_hostile_markup_is_escaped_and_internal_marker_absent(hostile_site: Path) -> None:
    page = (hostile_site / "meetings/mtg-0666/index.html").read_text(encoding="utf-8")
    assert "<script>window.__xss" not in page and "&lt;script&gt;window.__xss=1&lt;/script&gt;" in page
    assert "<svg onload" not in page and "javascript:" not in page and "<img src=x" not in page
    files = [p for p in hostile_site.rglob("*") if p.is_file()]
    assert [str(p) for p in files if HOSTILE_MARKER.encode() in p.read_bytes()] == []


def test_downloads_hold_public_records_only(public_site: Path) -> None:
    data = json.loads((public_site / "data/registry.json").read_text(encoding="utf-8"))
    ids = {r["id"] for records in data["types"].values() for r in records}
    assert "task-0001" in ids and INTERNAL_ID not in ids
    for type_dir in (REPO / "registry").iterdir():
        rows = list(csv.reader(io.StringIO((public_site / f"data/{type_dir.name}.csv").read_text(encoding="utf-8-sig"))))
        assert rows[0][0] == "id"
        assert {r[0] for r in rows[1:]} == {p.stem for p in type_dir.glob("*.yaml")} - {INTERNAL_ID}


def _tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_failed_build_keeps_previous_output_and_never_writes_registry(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "repo", REPO / "tests/golden/registry")
    out = tmp_path / "public"
    registry_before = _tree(root / "registry")
    assert build(root, out).returncode == 0
    site_before = _tree(out)
    write(root, "registry/tasks/task-0009.yaml", "id: task-0009\ntitle: 坏记录\nstatus: done\n")
    failed = build(root, out)
    assert failed.returncode == 1
    assert "registry/tasks/task-0009.yaml:3:9: error[schema.enum]" in failed.stderr
    assert "上一次生成的内容保持不变" in failed.stderr
    assert _tree(out) == site_before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".public")] == []  # no staging left behind
    (root / "registry/tasks/task-0009.yaml").unlink()
    assert _tree(root / "registry") == registry_before
