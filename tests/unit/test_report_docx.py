"""The 督办通报 (site/report_docx.py), opened again with python-docx: the registry's title, the
report page's sections numbered 一、二、三…, ruled tables with a header row, A4, East Asian fonts,
the page number field; and `liandong report --format docx` as staff run it."""

from __future__ import annotations

import datetime
import io
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from liandong.model.model import Model
from liandong.model.status import Status
from liandong.site.contexts import report_context
from liandong.site.render import Renderer
from liandong.site.report_docx import document_title, numbered, report_docx
from liandong.validation.pipeline import validate
from tests.helpers import REPO, clean_env, make_repo

DAY = datetime.date(2026, 11, 25)


class _Page(HTMLParser):
    """The <h2> headings and the first table's <th> cells of a rendered page."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.header_cells: list[list[str]] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h2":
            self._in = "h2"
            self.headings.append("")
        elif tag == "thead":
            self.header_cells.append([])
        elif tag == "th":
            self._in = "th"
            self.header_cells[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h2", "th"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "h2":
            self.headings[-1] += data
        elif self._in == "th":
            self.header_cells[-1][-1] += data


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def bundled() -> tuple[Model, bytes, _Page]:
    result = validate(REPO, today=DAY)
    model = Model.build(result.schemas, result.valid).public()
    status = Status(model, DAY)
    page = next(p for p in Renderer(model, DAY).pages() if p.path == "report.md")
    parsed = _Page()
    parsed.feed(page.text)
    return model, report_docx(report_context(status), model.schemas.configuration.title), parsed


def _title() -> str:
    """The bundled registry's title, as its configuration writes it."""
    return str(yaml.safe_load((REPO / "registry/liandong.yaml").read_text(encoding="utf-8"))["site"]["title"])


def test_the_title_date_and_the_report_pages_sections_numbered(bundled: tuple[Model, bytes, _Page]) -> None:
    _model, data, page = bundled
    document = Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == _title() + "逾期和上报事项通报" == document_title(_title())
    assert texts[1] == f"（截至{DAY.year}年{DAY.month}月{DAY.day}日）"
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert headings == [numbered(n) + _squeezed(h) for n, h in enumerate(page.headings, start=1)]
    assert [h[:2] for h in headings] == ["一、", "二、", "三、", "四、"][: len(headings)] and len(headings) >= 3
    assert document.core_properties.title == texts[0]
    midnight = datetime.datetime(DAY.year, DAY.month, DAY.day, tzinfo=datetime.UTC)
    assert document.core_properties.created == document.core_properties.modified == midnight


def test_tables_have_the_pages_header_cells_and_ruled_borders(bundled: tuple[Model, bytes, _Page]) -> None:
    model, data, page = bundled
    document = Document(io.BytesIO(data))
    assert document.tables, "the bundled registry has overdue, waiting or unsigned items"
    first = document.tables[0]
    assert [cell.text for cell in first.rows[0].cells] == ["序号", *page.header_cells[0]]
    for table in document.tables:
        header = table.rows[0]._tr
        assert header.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None  # repeated on each page
        borders = table._tbl.tblPr.find(qn("w:tblBorders"))
        sides = {child.tag.split("}")[1]: child.get(qn("w:val")) for child in borders}
        assert sides == dict.fromkeys(("top", "left", "bottom", "right", "insideH", "insideV"), "single")
        assert [row.cells[0].text for row in table.rows[1:]] == [str(n) for n in range(1, len(table.rows))]
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    overdue = Status(model, DAY).overdue()
    assert overdue, "the bundled registry has an overdue item"
    for late in overdue:
        assert late.item.title + ("（示例）" if late.item.example else "") in cells
        assert f"{late.days}天" in cells


def test_a4_east_asian_fonts_and_a_page_number(bundled: tuple[Model, bytes, _Page]) -> None:
    _model, data, _page = bundled
    document = Document(io.BytesIO(data))
    section = document.sections[0]
    # Word keeps lengths in twips: A4 is 11906 × 16838, Mm(210) × Mm(297) within a twip.
    assert abs(section.page_width - Mm(210)) < Mm(0.1) and abs(section.page_height - Mm(297)) < Mm(0.1)
    assert section.page_width < section.page_height
    assert all(Mm(20) <= margin <= Mm(40) for margin in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin))
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋" and normal.get(qn("w:eastAsiaTheme")) is None
    heading = document.styles["Heading 1"].element.rPr.rFonts
    assert heading.get(qn("w:eastAsia")) == "黑体" and heading.get(qn("w:eastAsiaTheme")) is None
    body = document.paragraphs[2].runs[0]._r.rPr.rFonts
    assert body.get(qn("w:eastAsia")) == "仿宋"
    # A table's cells take their fonts from their paragraph styles, the header 黑体, the rows 仿宋.
    table = document.tables[0]
    for row, font in ((table.rows[0], "黑体"), (table.rows[1], "仿宋")):
        for cell in row.cells:
            paragraph = cell.paragraphs[0]
            assert paragraph.style.element.rPr.rFonts.get(qn("w:eastAsia")) == font
            assert all(run._r.rPr is None or run._r.rPr.rFonts is None for run in paragraph.runs)  # no run says otherwise
    footer = section.footer._element
    assert [i.text.strip() for i in footer.iter(qn("w:instrText"))] == ["PAGE"]
    assert [c.get(qn("w:fldCharType")) for c in footer.iter(qn("w:fldChar"))] == ["begin", "separate", "end"]


def test_the_same_context_gives_the_same_bytes(bundled: tuple[Model, bytes, _Page]) -> None:
    model, data, _page = bundled
    assert report_docx(report_context(Status(model, DAY)), model.schemas.configuration.title) == data


def test_numbering() -> None:
    assert [numbered(n) for n in (1, 2, 9, 10, 11, 12, 20, 21)] == ["一、", "二、", "九、", "十、", "十一、", "十二、", "二十、", "二十一、"]


# -- the command ----------------------------------------------------------------------------------


def _run(root: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "liandong", "report", *args, "--today", DAY.isoformat(), "--root", str(root)],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=120,
    )


@pytest.mark.slow
def test_report_writes_a_docx_where_asked_and_markdown_by_default(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", REPO / "registry")
    out = tmp_path / "通报.docx"
    done = _run(root, "--format", "docx", "--output", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and str(out) in done.stderr
    document = Document(str(out))
    assert document.paragraphs[0].text == document_title(_title())
    assert "内部版" not in "".join(p.text for p in document.paragraphs)
    # Without --output: report.docx in the current folder.
    done = _run(root, "--format", "docx", "--internal", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert any("内部版" in p.text for p in Document(str(tmp_path / "report.docx")).paragraphs)
    # Markdown stays the default, on stdout.
    done = _run(root, cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("# 逾期和上报事项报告")


@pytest.mark.slow
def test_report_refuses_an_output_it_cannot_write_in_chinese(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", REPO / "registry")
    missing = tmp_path / "没有这个目录" / "x.docx"
    done = _run(root, "--format", "docx", "--output", str(missing), cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "不存在" in done.stderr and not missing.parent.exists()
    done = _run(root, "--format", "docx", "--output", str(tmp_path / "x.pdf"), cwd=tmp_path)
    assert done.returncode == 2 and ".docx" in done.stderr and "Traceback" not in done.stderr
    done = _run(root, "--format", "docx", "--output", str(root / "registry" / "x.docx"), cwd=tmp_path)
    assert done.returncode == 2 and not (root / "registry" / "x.docx").exists()
