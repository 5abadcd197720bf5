"""Golden pages: the Markdown generated for representative records, compared byte for byte.

Markdown (not HTML) is the contract, so theme upgrades do not churn these files.
`pytest --update-golden` rewrites them; read the diff before committing."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from liandong.model.model import Model
from liandong.site.render import Renderer
from liandong.validation.pipeline import validate

from .helpers import make_repo

GOLDEN = Path(__file__).parent / "golden"
PAGES = ["tasks/task-0002.md", "tasks/index.md", "meetings/mtg-0001.md", "organizations/org-a.md", "documents/doc-a.md", "index.md"]


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = make_repo(tmp_path_factory.mktemp("golden") / "repo", GOLDEN / "registry")
    result = validate(root)
    assert [d.rule for d in result.diagnostics] == []
    model = Model.build(result.schemas, result.valid).public()
    return {p.path: p.text for p in Renderer(model, datetime.date(2024, 5, 15)).pages()}


@pytest.mark.parametrize("path", PAGES)
def test_page_matches_golden(pages: dict[str, str], path: str, update_golden: bool) -> None:
    expected = GOLDEN / "pages" / path
    if update_golden:
        expected.parent.mkdir(parents=True, exist_ok=True)
        expected.write_text(pages[path], encoding="utf-8")
    assert pages[path] == expected.read_text(encoding="utf-8")


def test_internal_record_is_not_rendered(pages: dict[str, str]) -> None:
    assert "organizations/org-hidden.md" not in pages
    assert not any("org-hidden" in text or "内部单位" in text for text in pages.values())


def test_record_text_is_escaped_and_markdown_is_sanitised(pages: dict[str, str]) -> None:
    page = pages["tasks/task-0002.md"]
    assert "<b>加粗</b>" not in page and page.count("&lt;b&gt;加粗&lt;/b&gt;") == 2  # front matter and heading
    assert "<script>" not in page and "javascript:" not in page
    assert '<a href="https://www.gov.cn/" rel="nofollow noopener">政府网站</a>' in page
    assert "已召开专题会 &amp; 形成方案" in page
