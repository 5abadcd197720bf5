"""A document numbered by articles (第六条), cited by paragraph (第六条第二款), on the built site:
the citation prints as written and opens the article's section on the document's page, whose
section lists the record; every link and anchor of the build resolves (model/clauses.py)."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from .conftest import Project, Site, build, case_project
from .test_build import broken_links

# A full build.
pytestmark = pytest.mark.slow

CASE = "valid/clause-numbered-by-articles"


def _article(html: str) -> str:
    return html[html.index("<article") :]


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", _article(html)))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = case_project(tmp_path_factory.mktemp("articles") / "project", CASE)
    out = root.parent / "out"
    done = build(root, out)
    assert done.returncode == 0, done.stderr
    return Site(Project(root), out, internal=False)


def test_a_paragraph_citation_prints_as_written_and_opens_its_article(site: Site) -> None:
    task = (site.output / "tasks/task-0001/index.html").read_text(encoding="utf-8")
    link = re.search(r'<a href="([^"]*)">《示例管理办法》第六条第二款</a>（第六条 检查安排）', _article(task))
    assert link is not None, _text(task)
    assert link.group(1) == "../../documents/doc-b/#" + quote("clause-第六条")


def test_the_articles_section_lists_the_record_citing_its_paragraph(site: Site) -> None:
    document = _article((site.output / "documents/doc-b/index.html").read_text(encoding="utf-8"))
    sections = dict(re.findall(r'<section class="ld-clause" id="clause-([^"]+)">(.*?)</section>', document, re.S))
    assert list(sections) == ["第一章", "第五条", "第六条", "第二章", "第七条"]
    assert "tasks/task-0001/" in sections["第六条"]
    assert "第六条 检查安排" in re.sub(r"<[^>]+>", "", sections["第六条"])
    assert all("tasks/task-0001/" not in html for number, html in sections.items() if number != "第六条")


def test_every_link_and_anchor_resolves(site: Site) -> None:
    assert broken_links(site) == []
