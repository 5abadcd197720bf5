"""The office files of a real build (#14): each type's 台账 and import template (.xlsx) and the
督办通报 (.docx), opened with openpyxl and python-docx as staff open them in Excel, WPS or Word;
the public edition's hold no internal record; a 台账 downloaded from the site imports back into the
registry with nothing to change; and, where LibreOffice is installed, its Chinese survives a
conversion."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from liandong.tabular.columns import DERIVED, Layout
from liandong.validation.schema import SchemaSet
from tests.helpers import REPO, make_repo

from .conftest import HOSTILE_INTERNAL_ID, MARKER, MARKER_ZH, TODAY, Site, contents, liandong

pytestmark = pytest.mark.slow


def _schemas(site: Site) -> SchemaSet:
    return SchemaSet.for_root(site.project.root)


def _values(sheet: object) -> set[str]:
    return {str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None}  # type: ignore[attr-defined]


def test_every_type_has_a_workbook_and_a_template(public_site: Site) -> None:
    schemas = _schemas(public_site)
    records = public_site.project.public()
    assert set(public_site.project.types()) == set(schemas.types)
    for type_name, ts in schemas.types.items():
        book = load_workbook(public_site.output / "data" / f"{type_name}.xlsx")
        sheet = book.worksheets[0]
        derived = list(DERIVED) if ts.tracked or type_name == "reviews" else []
        assert [cell.value for cell in sheet[1]] == Layout(ts).headers() + derived, type_name
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref, type_name
        titles = [r["title"] for r in records if r["_type"] == type_name and "title" in r]
        assert titles, f"the bundled registry has public {type_name}"
        assert set(titles) <= _values(sheet), type_name
        assert sheet.max_row == len([r for r in records if r["_type"] == type_name]) + 1
        template = load_workbook(public_site.output / "data" / "templates" / f"{type_name}-template.xlsx").worksheets[0]
        assert [cell.value for cell in template[1]] == Layout(ts).headers(), type_name
        assert str(template.cell(2, 1).value).startswith("说明")
        lists = [v for v in template.data_validations.dataValidation if v.type == "list"]
        fixed = [c for c in Layout(ts).columns if c.shape == "one" and c.leaf.kind in ("enum", "boolean")]
        assert len(lists) == len(fixed) and fixed, type_name  # every record type has at least its status


def test_the_downloads_and_report_pages_link_the_office_files(public_site: Site) -> None:
    page = (public_site.output / "downloads/index.html").read_text(encoding="utf-8")
    for type_name in _schemas(public_site).types:
        assert f'href="../data/{type_name}.xlsx"' in page and f'href="../data/templates/{type_name}-template.xlsx"' in page
    assert 'href="../data/report.docx"' in page
    for who in ("台账", "导入模板", "liandong import", "督办通报", "CSV", "供程序读取", "供开发者"):
        assert who in page
    assert 'href="../data/report.docx"' in (public_site.output / "report/index.html").read_text(encoding="utf-8")


def test_the_report_docx_of_the_site_has_its_overdue_items(public_site: Site) -> None:
    document = Document(str(public_site.output / "data/report.docx"))
    assert document.paragraphs[0].text.endswith("逾期和上报事项通报")
    page = (public_site.output / "report/index.html").read_text(encoding="utf-8")
    cells = {cell.text.removesuffix("（示例）") for table in document.tables for row in table.rows for cell in row.cells}
    # Every item the report page lists (its links into tasks/ and coordination/) is in the document.
    listed = [r for r in public_site.project.public() if r["_type"] in ("tasks", "coordination") and f'/{r["id"]}/"' in page.split("ld-report", 1)[1]]
    assert listed and {r["title"] for r in listed} <= cells


def test_the_public_office_files_hold_no_internal_record(hostile_site: Site, hostile_internal_site: Site) -> None:
    office = sorted([*(hostile_site.output / "data").rglob("*.xlsx"), hostile_site.output / "data/report.docx"])
    assert len(office) == 2 * len(_schemas(hostile_site).types) + 1
    for path in office:
        text = contents(path)
        assert MARKER not in text and MARKER_ZH not in text and HOSTILE_INTERNAL_ID not in text, path
    assert MARKER in contents(hostile_internal_site.output / "data/coordination.xlsx")


def test_a_workbook_downloaded_from_the_site_imports_with_nothing_to_change(public_site: Site, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", REPO / "registry")
    before = {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "registry").rglob("*")) if p.is_file()}
    for type_name in _schemas(public_site).types:
        done = liandong(root, "import", str(public_site.output / "data" / f"{type_name}.xlsx"), "--type", type_name, "--today", TODAY)
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout == "" and "新增 0 条、修改 0 条" in done.stderr, (type_name, done.stderr)
    after = {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "registry").rglob("*")) if p.is_file()}
    assert after == before


def _office() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(_office() is None, reason="LibreOffice (soffice) is not installed: the conversion check needs it and the tests do not install it")
def test_libreoffice_reads_the_chinese_of_the_docx_and_the_xlsx(public_site: Site, tmp_path: Path) -> None:
    office = _office()
    assert office is not None
    tasks = next(r["title"] for r in public_site.project.public() if r["_type"] == "tasks")
    utf8_csv = "csv:Text - txt - csv (StarCalc):44,34,76"  # comma, double quote, UTF-8
    converted = (("report.docx", "txt:Text (encoded):UTF8", "report.txt", "逾期和上报事项通报"), ("tasks.xlsx", utf8_csv, "tasks.csv", tasks))
    for name, target, result, expected in converted:
        done = subprocess.run(
            [office, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", target, "--outdir", str(tmp_path)]
            + [str(public_site.output / "data" / name)],
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert done.returncode == 0, done.stderr
        assert expected in (tmp_path / result).read_bytes().decode("utf-8"), name
