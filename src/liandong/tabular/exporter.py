"""Workbooks out: a type's 台账 (`export_workbook`, also what the site's downloads can serve) and
its template (`template_workbook`), both with the columns the importer reads (columns.py).

Both come out byte for byte the same for the same registry and day: the workbook's timestamps
and the zip entries' times are the day's, not the clock's."""

from __future__ import annotations

import datetime
import functools
import io
import os
import re
import unicodedata
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from liandong.model import funds as ledgers
from liandong.model.model import Model
from liandong.model.status import Status
from liandong.tabular.columns import DERIVED, ENTRY_JOIN, LIST_JOIN, NOTE_PREFIX, Cell, Column, Layout, render
from liandong.tabular.names import NameIndex
from liandong.validation.schema import SchemaSet

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

CHOICES_SHEET = "可选值"  # the hidden sheet the drop-down lists read from
FUNDS_SHEET = "收支明细"  # the funds workbook's second sheet: every entry, with the day's balance
_MIN_WIDTH, _MAX_WIDTH = 6, 60
_TEMPLATE_DAY = datetime.date(2026, 1, 1)  # a template depends on the schemas only


def _sheet_title(title: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "", title)[:31] or "Sheet"


@functools.lru_cache(maxsize=65536)  # names, labels and dates repeat down a column
def _width(text: str) -> int:
    """Columns a line takes: two for a Chinese character."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _shown(value: Cell) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _header_row(ws: Worksheet, headers: list[str]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    bold, fill = Font(bold=True), PatternFill("solid", start_color="DDEBF7")
    for n, header in enumerate(headers, start=1):
        cell = ws.cell(1, n, header)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)


@functools.cache
def _wrapped() -> Any:
    """The one Alignment of wrapped cells: openpyxl looks each new one up among the workbook's styles."""
    from openpyxl.styles import Alignment

    return Alignment(wrap_text=True, vertical="top")


def _put(ws: Worksheet, row: int, col: int, value: Cell) -> None:
    cell = ws.cell(row, col)
    if value is None:
        return
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # text, never a formula, whatever it begins with
        if "\n" in value or _width(value) > _MAX_WIDTH:
            cell.alignment = _wrapped()
    elif isinstance(value, datetime.date):
        cell.number_format = "yyyy-mm-dd"


def _fit(ws: Worksheet, widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    for n, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(n)].width = max(_MIN_WIDTH, min(_MAX_WIDTH, width)) + 2


def _choices(workbook: Workbook, ws: Worksheet, columns: list[Column], first_row: int) -> None:
    """Drop-down lists for the fields with fixed values (one value a cell), read from a hidden sheet."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    fixed = [(n, c) for n, c in enumerate(columns, start=1) if c.shape == "one" and c.leaf.kind in ("enum", "boolean")]
    if not fixed:
        return
    lists = workbook.create_sheet(CHOICES_SHEET)
    lists.sheet_state = "hidden"
    for k, (n, column) in enumerate(fixed, start=1):
        options = [label for _code, label in column.choices] if column.leaf.kind == "enum" else ["是", "否"]
        letter = get_column_letter(k)
        lists.cell(1, k, column.header)
        for row, option in enumerate(options, start=2):
            lists.cell(row, k, option).data_type = "s"
        validation = DataValidation(type="list", formula1=f"'{CHOICES_SHEET}'!${letter}$2:${letter}${len(options) + 1}", allow_blank=True)
        validation.error = f"请从列表中选择{column.header}（英文代码也可以导入）。"
        validation.errorTitle = column.header
        validation.errorStyle = "warning"  # a code typed by hand is accepted by the importer too
        ws.add_data_validation(validation)
        target = get_column_letter(n)
        validation.add(f"{target}{first_row}:{target}1048576")


def _finish(workbook: Workbook, day: datetime.date) -> bytes:
    """The workbook's bytes, stamped with `day` instead of the clock."""
    workbook.properties.creator = "liandong"
    workbook.properties.created = datetime.datetime(day.year, day.month, day.day)
    raw = io.BytesIO()
    workbook.save(raw)
    return pinned(raw.getvalue(), day)


def pinned(package: bytes, day: datetime.date) -> bytes:
    """An Office Open XML package (.xlsx, .docx) rewritten so that nothing in it depends on the
    clock: its core properties created and modified, and every zip entry's time, are `day`'s
    midnight. The library that wrote it (openpyxl, python-docx) stamps both with the time of saving."""
    when = datetime.datetime(day.year, day.month, day.day)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode("ascii")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, content)
            entry = zipfile.ZipInfo(info.filename, date_time=(when.year, when.month, when.day, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, content)
    return out.getvalue()


def _value(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = data
    for name in path:
        value = value.get(name) if isinstance(value, dict) else None
    return value


def rows(
    model: Model, type_name: str, today: datetime.date, names: NameIndex | None = None, status: Status | None = None
) -> tuple[list[str], list[list[Cell]]]:
    """The 台账 as headers and cell values: the importer's columns, then for tracked types and joint
    reviews the derived ones (逾期天数, 状态说明: model/status.py's overdue days and badges; a review's
    状态说明 is its state, 待补正 or 可作出决定, with its explanation). `status` (of `model` on
    `today`) is the one the caller already has, such as the site's; without it one is made."""
    ts = model.schemas.types[type_name]
    layout = Layout(ts)
    names = names or NameIndex(model.schemas, (i.record for i in model.items.values()))
    derived = ts.tracked or type_name == "reviews"
    status = (status or Status(model, today)) if derived else None
    overdue = {late.item.id: late.days for late in status.overdue()} if status else {}
    headers = layout.headers() + (list(DERIVED) if status else [])
    table: list[list[Cell]] = []
    for item in model.of_type(type_name):
        cells = [render(c, _value(item.data, c.path), names) for c in layout.columns]
        if status is not None:
            badges = "；".join(f"{b.label}（{b.explanation}）" for b in status.badges(item))
            cells += [overdue.get(item.id), badges or None]
        table.append(cells)
    return headers, table


def export_workbook(model: Model, type_name: str, today: datetime.date, names: NameIndex | None = None, status: Status | None = None) -> bytes:
    """The .xlsx 台账 of one type from the model given (the public one unless internal records
    are meant to be in it). `names` (default: the model's records) decides how references are
    written; give the whole registry's so that a name shared with an internal record is written
    as the id. `status`: the model's derived states on `today`, if the caller has them (rows)."""
    from openpyxl import Workbook

    ts = model.schemas.types[type_name]
    headers, table = rows(model, type_name, today, names, status)
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = _sheet_title(ts.title)
    _header_row(ws, headers)
    widths = [_width(h) for h in headers]
    for r, cells in enumerate(table, start=2):
        for c, value in enumerate(cells, start=1):
            _put(ws, r, c, value)
            widths[c - 1] = max(widths[c - 1], *(_width(line) for line in _shown(value).split("\n")))
    _fit(ws, widths)
    ws.freeze_panes = "A2"
    from openpyxl.utils import get_column_letter

    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(table) + 1}"
    _choices(workbook, ws, Layout(ts).columns, 2)
    if type_name == ledgers.TYPE:
        _funds_sheet(workbook, model)
    return _finish(workbook, today)


def _funds_sheet(workbook: Workbook, model: Model) -> None:
    """资金台账's entries one a row (model/funds.entry_rows), the figures of the funds pages: each
    amount is text with two decimals (1250000.00), so no spreadsheet rounds it. The importer reads
    the first sheet only."""
    from openpyxl.utils import get_column_letter

    ws = workbook.create_sheet(FUNDS_SHEET)
    headers = list(ledgers.ENTRY_HEADERS)
    _header_row(ws, headers)
    widths = [_width(h) for h in headers]
    rows = ledgers.entry_rows(model)
    for r, cells in enumerate(rows, start=2):
        for c, value in enumerate(cells, start=1):
            _put(ws, r, c, value or None)
            widths[c - 1] = max(widths[c - 1], _width(value))
    _fit(ws, widths)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"


def _lists_codes(column: Column) -> bool:
    """A description that only explains the codes (proposed 拟委托；…): the labels say it in the note."""
    codes = [code for code, _label in column.choices]
    return bool(codes) and all(code in column.description for code in codes)


def note(schemas: SchemaSet, column: Column) -> str:
    """What the template's note row says about a column: required or not, what it is, how to write it."""
    parts = [column.required] if column.required else []
    if column.path == ("id",):
        parts.append("新增的行不填，导入时自动取下一个可用编号；填写已有记录的编号则修改该记录（只改表中填写的列）")
    elif column.description and not _lists_codes(column):
        parts.append(column.description.rstrip("。"))
    leaf = column.leaf
    if column.shape == "entries":
        order = ENTRY_JOIN.join(p.label for p in column.parts)
        parts.append(f"每行一条，各项用“{ENTRY_JOIN}”分隔：{order}")
        if column.append_only:
            parts.append("只增不改：已有的条目原样保留，新的写在最后")
    elif leaf.kind == "enum":
        options = LIST_JOIN.join(label for _code, label in leaf.choices)
        parts.append(f"可选：{options}" + (f"；多项用“{LIST_JOIN}”分隔" if column.shape == "list" else ""))
    elif leaf.kind == "ref" and leaf.ref:
        what = schemas.types[leaf.ref].title if leaf.ref in schemas.types else leaf.ref
        parts.append(f"填写{what}的名称或编号" + (f"，多个用“{LIST_JOIN}”分隔" if column.shape == "list" else ""))
    elif leaf.kind == "date":
        parts.append("日期，例如 2026-05-06")
    elif leaf.kind == "boolean":
        parts.append("填 是 或 否")
    elif leaf.kind == "integer":
        parts.append("整数")
    elif leaf.kind == "list-text":
        parts.append("每行一项")
    return NOTE_PREFIX + "；".join(parts) + "。"


def template_workbook(schemas: SchemaSet, type_name: str) -> bytes:
    """An empty sheet to fill: the headers in schema order, a note row (说明：…, skipped on
    import), drop-down lists for the fields with fixed values, the header row frozen."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    ts = schemas.types[type_name]
    columns = Layout(ts).columns
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = _sheet_title(ts.title)
    headers = [c.header for c in columns]
    _header_row(ws, headers)
    grey = Font(italic=True, color="666666", size=9)
    for n, column in enumerate(columns, start=1):
        cell = ws.cell(2, n, note(schemas, column))
        cell.data_type = "s"
        cell.font, cell.alignment = grey, Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[2].height = 90
    _fit(ws, [max(_width(h), 16) for h in headers])
    ws.freeze_panes = "A2"
    _choices(workbook, ws, columns, 3)
    return _finish(workbook, _TEMPLATE_DAY)


def write_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file beside it: never half a workbook."""
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_bytes(data)
    os.replace(temp, path)
