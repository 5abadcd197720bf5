"""Data downloads: per type its 台账 (.xlsx, tabular/exporter.py, for reading and printing), its import
template (.xlsx, for rows to `liandong import`) and its CSV (for programs); the 督办通报 (.docx,
report_docx.py); the calendars (meetings and deadlines; inspections); and the open data of
open_data.py (registry.json with its schema, the SQLite database)."""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Iterator
from typing import Any

from liandong.model import funds as ledgers
from liandong.model.model import Model
from liandong.model.status import Status
from liandong.site.ical import Changed, calendar, inspection_calendar
from liandong.site.open_data import REGISTRY_JSON, REGISTRY_SCHEMA, SQLITE, registry_json, registry_schema, registry_sqlite


def _cell(value: Any) -> str:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ";".join(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _safe(text: str) -> str:
    # Spreadsheet programs run cells that start with = + - @ as formulas (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def type_csv(model: Model, type_name: str) -> bytes:
    columns = list(model.schemas.types[type_name].schema.get("properties", {}))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for item in model.of_type(type_name):
        writer.writerow([_safe(_cell(item.data.get(c))) for c in columns])
    # A BOM makes Excel on Chinese Windows read UTF-8 instead of GBK.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


REPORT_DOCX = "data/report.docx"  # the overdue/escalation report as a Word 督办通报


def csv_path(type_name: str) -> str:
    return f"data/{type_name}.csv"


def workbook_path(type_name: str) -> str:
    """Where a type's 台账 is: data/<type>.xlsx."""
    return f"data/{type_name}.xlsx"


def template_path(type_name: str) -> str:
    """Where a type's import template is: data/templates/<type>-template.xlsx."""
    return f"data/templates/{type_name}-template.xlsx"


FUNDS_ENTRIES = "data/funds-entries.csv"  # every ledger's entries, one a row (model/funds.entry_rows)


def funds_entries_csv(model: Model) -> bytes:
    """The 资金台账 entries as one table: amounts as exact strings with two decimals, the day's
    balance beside each entry that moved it (the figures of the funds pages)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ledgers.ENTRY_HEADERS)
    for row in ledgers.entry_rows(model):
        writer.writerow([_safe(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def downloads(
    model: Model, status: Status, today: datetime.date, site_url: str = "", changed: Changed | None = None, internal: bool = False
) -> Iterator[tuple[str, bytes]]:
    """Every data file of the site (path, bytes), one at a time so that a caller can write each out
    before the next is made, from the model that is published (`internal`: the staff edition's,
    with internal records); `changed` (record id → its last commit's date) dates the calendars'
    events. The workbooks and the report are stamped with `today`, so that the same registry and
    day give the same bytes."""
    # Imported here: contexts.py, which report_docx needs, imports this module.
    from liandong.site.contexts import report_context
    from liandong.site.report_docx import report_docx
    from liandong.tabular.exporter import export_workbook, template_workbook
    from liandong.tabular.names import NameIndex

    yield REGISTRY_JSON, registry_json(model, status, today, site_url)
    yield REGISTRY_SCHEMA, registry_schema(model)
    yield SQLITE, registry_sqlite(model, status, site_url)
    yield "data/calendar.ics", calendar(model, today, site_url, changed)
    yield "data/inspections.ics", inspection_calendar(status.inspections, today, site_url, changed)
    # References are written as the published records' names (an id where a name is shared).
    names = NameIndex(model.schemas, (item.record for item in model.items.values()))
    for type_name in model.types:
        yield csv_path(type_name), type_csv(model, type_name)
        yield workbook_path(type_name), export_workbook(model, type_name, today, names, status)
        yield template_path(type_name), template_workbook(model.schemas, type_name)
    yield REPORT_DOCX, report_docx(report_context(status), model.schemas.configuration.title, internal)
    if ledgers.TYPE in model.schemas.types:
        yield FUNDS_ENTRIES, funds_entries_csv(model)
