"""Read one sheet of an .xlsx workbook (openpyxl) or a .csv file (UTF-8, with or without BOM)
into numbered rows of cell values, as the spreadsheet program shows them."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from liandong.errors import UsageError

XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv",)


@dataclass
class Sheet:
    where: str  # how findings name it: "清单.xlsx!权力事项", or "清单.csv"
    name: str  # the sheet's name ("" for a CSV file)
    rows: list[tuple[int, list[Any]]]  # (row number, 1-based as shown; cells) of the rows that have any


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _kept(numbered: Any) -> list[tuple[int, list[Any]]]:
    return [(n, list(cells)) for n, cells in numbered if not all(_blank(c) for c in cells)]


def read_sheet(path: Path, shown: str, sheet: str | None = None, preferred: str = "") -> Sheet:
    """The rows of `sheet`, else of the sheet named `preferred` (the type's title), else of the
    first visible sheet. `shown` is the file as findings name it."""
    suffix = path.suffix.lower()
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise UsageError(f"无法读取 {shown}：{err.strerror or err}") from None
    if suffix in CSV_SUFFIXES:
        if sheet:
            raise UsageError(f"{shown} 是 CSV 文件，只有一张表，不能用 --sheet 选择。")
        return _csv(raw, shown)
    if suffix in XLSX_SUFFIXES:
        return _xlsx(raw, shown, sheet, preferred)
    if suffix == ".xls":
        raise UsageError(f"{shown} 是旧的 .xls 格式：请在 Excel 或 WPS 中另存为 .xlsx（Excel 工作簿）或 CSV UTF-8 后再导入。")
    raise UsageError(f"不能读取 {shown}：只支持 .xlsx 和 .csv 文件。")


def _csv(raw: bytes, shown: str) -> Sheet:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(
            f"{shown} 不是 UTF-8 编码（可能是 GBK）：请在 Excel 中“另存为” → “CSV UTF-8（逗号分隔）”，或在 WPS 中选择 UTF-8 编码后再导入。"
        ) from None
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as err:
        raise UsageError(f"{shown} 不是有效的 CSV 文件：{err}") from None
    return Sheet(shown, "", _kept(enumerate(rows, start=1)))


def _xlsx(raw: bytes, shown: str, sheet: str | None, preferred: str) -> Sheet:
    from openpyxl import load_workbook

    try:
        # data_only: the values the sheet shows (a formula's last result), not the formulas.
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        raise UsageError(f"{shown} 不是有效的 .xlsx 工作簿：{err}") from None
    try:
        names = workbook.sheetnames
        if sheet is not None:
            if sheet not in names:
                raise UsageError(f"{shown} 中没有名为“{sheet}”的工作表；有：{'、'.join(names)}。")
            chosen = sheet
        elif preferred in names:
            chosen = preferred
        else:
            visible = [n for n in names if workbook[n].sheet_state == "visible"]
            if not visible:
                raise UsageError(f"{shown} 中没有可见的工作表。")
            chosen = visible[0]
        worksheet = workbook[chosen]
        rows = _kept(enumerate(worksheet.iter_rows(values_only=True), start=1))
    finally:
        workbook.close()
    return Sheet(f"{shown}!{chosen}", chosen, rows)
