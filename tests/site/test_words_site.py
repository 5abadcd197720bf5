"""Words on the bundled site (#13 part 4): what a reader sees is Chinese prose, never the registry's
machinery. The visible text of every page (tags, scripts, styles and attributes removed) holds no
schema key (every name under `properties` in every schema, at any depth), no raw enumeration code
(`unassigned_in_source`), no record id (`org-dongxing-gov`, `task-0001` as whole words), and none
of the wordings the issue retired.

Allowed, and only there, because they are written for whoever edits the registry:
- the 参与贡献 pages (contribute/…), which document the YAML fields, codes and rules by name;
- the 数据下载 page (downloads/), which names the data files (tasks.csv, tasks.schema.json…);
- on a record page, the one line marked `ld-for-contributors` (数据文件：registry/…/<id>.yaml).
In the Vietnamese and English editions a key that is also an English word (review, report) is prose;
only keys and codes with an underscore, and record ids, are machinery there.
Data downloads themselves (data/, schemas/) are files, not pages, and are not read."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import REPO

from .conftest import Site

pytestmark = pytest.mark.slow

DEVELOPER_PAGES = ("contribute/", "downloads/")
# The Vietnamese and English editions (#18) are prose in words that are also keys (review, report):
# there a key is machinery only when it could not be a word of prose (it has an underscore).
EDITIONS = ("vi/", "en/")
DEVELOPER_CLASS = "ld-for-contributors"
# Wordings #13 retired, each with what replaced it (where it was said: the schemas' labels, the
# site's templates and code).
RETIRED = {
    "至少 1 次": "每季度召开一次（原文的说法）",
    "存续": "现行",
    "泛指单位": "统称",
    "担任者职位": "担任人",
    "前台受理后台审批": "前台受理、后台审批",
    "层级 园区": "层级 功能区（园区不是一级行政区划）",
}


class VisibleText(HTMLParser):
    """The text a reader sees: no script or style, no attribute, nothing inside an element marked
    for contributors."""

    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._stack: list[bool] = []  # per open element: whether its text is hidden

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        hidden = tag in ("script", "style", "template") or DEVELOPER_CLASS in classes
        self._stack.append(hidden or (bool(self._stack) and self._stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self._stack and self._stack[-1]):
            self.parts.append(data)

    @classmethod
    def of(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        parser.close()
        return re.sub(r"\s+", " ", " ".join(parser.parts))


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for child in node.values():
            yield from _walk(child)
    elif isinstance(node, list):
        for child in node:
            yield from _walk(child)


def _schemas(root: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((root / "schemas").glob("*.schema.json"))]


def machine_words(root: Path) -> tuple[set[str], set[str]]:
    """(every schema property name and raw-looking enumeration code, every record-id prefix)."""
    words: set[str] = set()
    prefixes: set[str] = set()
    for schema in _schemas(root):
        if "x-id-prefix" in schema:
            prefixes.add(str(schema["x-id-prefix"]))
        for node in _walk(schema):
            if isinstance(node.get("properties"), dict):
                words.update(node["properties"])
            if isinstance(node.get("enum"), list):
                words.update(code for code in node["enum"] if isinstance(code, str) and re.fullmatch(r"[a-z][a-z0-9_]*", code))
    return words, prefixes


def patterns(root: Path) -> tuple[re.Pattern[str], re.Pattern[str]]:
    words, prefixes = machine_words(root)
    edge = r"(?<![A-Za-z0-9_\-])", r"(?![A-Za-z0-9_\-])"
    keys = re.compile(edge[0] + "(" + "|".join(sorted(map(re.escape, words), key=len, reverse=True)) + ")" + edge[1])
    ids = re.compile(edge[0] + "(?:" + "|".join(sorted(map(re.escape, prefixes))) + r")-[a-z0-9]+(?:-[a-z0-9]+)*" + edge[1])
    return keys, ids


def pages(output: Path) -> Iterator[tuple[str, str]]:
    """(site path, visible text) of every HTML page that is for readers."""
    for path in sorted(output.rglob("*.html")):
        rel = path.relative_to(output).as_posix()
        own = rel[len(rel.split("/", 1)[0]) + 1 :] if rel.startswith(EDITIONS) else rel
        if own.startswith(DEVELOPER_PAGES) or rel.startswith(("assets/", "pagefind/")):
            continue
        yield rel.removesuffix("index.html") or "/", VisibleText.of(path.read_text(encoding="utf-8"))


def findings(root: Path, output: Path) -> dict[str, list[str]]:
    """Site path → each schema key, raw code or record id its visible text shows, with some context."""
    keys, ids = patterns(root)
    found: dict[str, list[str]] = {}
    for rel, text in pages(output):
        words = [m for m in keys.finditer(text) if "_" in m.group(0)] if rel.startswith(EDITIONS) else list(keys.finditer(text))
        for match in [*words, *ids.finditer(text)]:
            context = text[max(0, match.start() - 12) : match.end() + 12]
            found.setdefault(rel, []).append(f"{match.group(0)}: …{context}…")
    return found


def test_no_page_for_readers_shows_a_schema_key_a_raw_code_or_a_record_id(public_site: Site) -> None:
    assert findings(public_site.project.root, public_site.output) == {}


def test_the_retired_wordings_are_gone(public_site: Site) -> None:
    seen = {}
    for rel, text in pages(public_site.output):
        old = [f"{word} → {new}" for word, new in RETIRED.items() if word in text]
        if old:
            seen[rel] = old
    assert seen == {}


# A clause number as typed in the registry (三(一)3); pages print it as citations do, 三（一）3.
HALF_WIDTH_CLAUSE = re.compile(r"[一二三四五六七八九十]\([一二三四五六七八九十]+\)")


def test_clause_numbers_are_printed_with_full_width_brackets(public_site: Site) -> None:
    seen = {}
    for rel, text in pages(public_site.output):
        found = [text[max(0, m.start() - 12) : m.end() + 4] for m in HALF_WIDTH_CLAUSE.finditer(text)]
        if found:
            seen[rel] = found
    assert seen == {}


def test_the_scan_would_see_a_key_an_id_and_a_retired_word() -> None:
    """The scanner itself: a key and an id in prose are found; the same inside an attribute, a script
    or the contributors' line are not."""
    keys, ids = patterns(REPO)
    html = (
        '<p title="lead org-dongxing-gov">原文没有交办日期，不填 assigned；见 org-dongxing-gov。</p>'
        '<script>var deadline = "task-0001";</script><p class="ld-source ld-for-contributors"><code>registry/tasks/task-0001.yaml</code></p>'
    )
    text = VisibleText.of(html)
    assert [m.group(0) for m in keys.finditer(text)] == ["assigned"]
    assert [m.group(0) for m in ids.finditer(text)] == ["org-dongxing-gov"]
    assert "task-0001" not in text and "deadline" not in text
