"""Data downloads: one CSV per type, the calendars (meetings and deadlines; inspections), and the
open data of open_data.py (registry.json with its schema, the SQLite database)."""

from __future__ import annotations

import csv
import datetime
import io
import json
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


def downloads(model: Model, status: Status, today: datetime.date, site_url: str = "", changed: Changed | None = None) -> dict[str, bytes]:
    """Every data file of the site, from the model that is published; `changed` (record id → its
    last commit's date) dates the calendars' events."""
    files = {
        REGISTRY_JSON: registry_json(model, status, today, site_url),
        REGISTRY_SCHEMA: registry_schema(model),
        SQLITE: registry_sqlite(model, status, site_url),
        "data/calendar.ics": calendar(model, today, site_url, changed),
        "data/inspections.ics": inspection_calendar(status.inspections, today, site_url, changed),
    }
    for type_name in model.types:
        files[f"data/{type_name}.csv"] = type_csv(model, type_name)
    if ledgers.TYPE in model.schemas.types:
        files[FUNDS_ENTRIES] = funds_entries_csv(model)
    return files
