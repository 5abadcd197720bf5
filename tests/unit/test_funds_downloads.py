"""The funds figures in the downloads are the page's, exact: data/funds-entries.csv (read back with
the csv module) and the funds workbook of `liandong export` (opened with openpyxl), whose amounts
are text with two decimals, so no spreadsheet rounds them."""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from liandong.model import funds as ledgers
from liandong.model.model import Model
from liandong.model.status import Status
from liandong.site.downloads import FUNDS_ENTRIES, downloads, funds_entries_csv
from liandong.tabular.exporter import FUNDS_SHEET, export_workbook
from liandong.validation.files import load_registry
from liandong.validation.schema import SchemaSet
from tests.helpers import REPO

TODAY = datetime.date(2026, 11, 25)


@pytest.fixture(scope="module")
def model() -> Model:
    schemas = SchemaSet.for_root(REPO)
    return Model.build(schemas, load_registry(REPO, list(schemas.types)).records).public()


def _csv_rows(raw: bytes) -> list[dict[str, str]]:
    text = raw.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel on Chinese Windows reads it as UTF-8
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_the_entries_csv_carries_every_amount_exactly_and_the_days_balance(model: Model) -> None:
    rows = _csv_rows(funds_entries_csv(model))
    assert list(rows[0]) == list(ledgers.ENTRY_HEADERS)
    pool = [r for r in rows if r["台账编号"] == "funds-0001"]
    inflows = [r for r in pool if r["条目"] == "资金来源"]
    assert sum((Decimal(r["金额（元）"]) for r in inflows), Decimal(0)) == Decimal("85500000.50")
    outflows = [r for r in pool if r["条目"] == "资金使用"]
    assert [r["金额（元）"] for r in outflows] == ["25000000.00", "18000000.00", "10000000.00", "9000000.25"]
    assert outflows[-1]["当日余额（元）"] == "23500000.25" and outflows[-1]["单位"] == "东兴市投融资平台公司"
    assert outflows[0]["文件"] == "关于跨合区标准厂房一期建设资金安排的批复（示例）" and outflows[0]["示例"] == "是"
    land = [r for r in pool if r["条目"] == "土地出让收入"]
    assert [(r["来源、渠道、项目或类别"], r["金额（元）"], r["当日余额（元）"]) for r in land][:2] == [
        ("收取", "6000000.00", ""),
        ("返还", "6000000.00", ""),
    ]
    checks = [r for r in pool if r["条目"] == "监督检查"]
    assert checks[0]["单位"] == "防城港市财政部门" and checks[0]["金额（元）"] == ""
    platform = [r for r in rows if r["台账编号"] == "funds-0002"]
    assert [(r["来源、渠道、项目或类别"], r["金额（元）"]) for r in platform if r["条目"] == "融资"][1] == ("银行贷款", "80000000.00")


def test_the_site_serves_the_entries_csv(model: Model) -> None:
    files = dict(downloads(model, Status(model, TODAY), TODAY))
    assert files[FUNDS_ENTRIES] == funds_entries_csv(model)
    # The type's own CSV holds each list as JSON, the amounts as the record writes them.
    pool = next(r for r in _csv_rows(files["data/funds.csv"]) if r["id"] == "funds-0001")
    assert [e["amount"] for e in json.loads(pool["inflows"])][3] == "8000000.50"


def test_the_funds_workbook_has_the_same_figures_as_text(model: Model) -> None:
    workbook = load_workbook(io.BytesIO(export_workbook(model, "funds", TODAY)))
    assert workbook.sheetnames[0] == "资金台账" and FUNDS_SHEET in workbook.sheetnames
    sheet = workbook[FUNDS_SHEET]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == list(ledgers.ENTRY_HEADERS)
    assert [[v if v is not None else "" for v in row] for row in values[1:]] == ledgers.entry_rows(model)
    amounts = [row[9] for row in values[1:] if row[9] is not None]
    assert amounts and all(isinstance(a, str) and Decimal(a).as_tuple().exponent == -2 for a in amounts)
    assert "8000000.50" in amounts and "9000000.25" in amounts
    # The first sheet (the one `liandong import` reads) writes each entry with its amount as written.
    main = workbook["资金台账"]
    cells = [str(cell.value) for row in main.iter_rows() for cell in row if cell.value is not None]
    assert any("8000000.50" in c for c in cells)
