"""Data downloads: the whole (public) registry as JSON, and one CSV per type."""

from __future__ import annotations

import csv
import datetime
import io
import json
from typing import Any

from liandong.model.model import Model
from liandong.site.ical import calendar


def registry_json(model: Model, today: datetime.date) -> bytes:
    data: dict[str, Any] = {"generated_for": today.isoformat(), "types": {}}
    for type_name in model.types:
        data["types"][type_name] = [item.data for item in model.of_type(type_name)]
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")


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


def downloads(model: Model, today: datetime.date, site_url: str = "") -> dict[str, bytes]:
    files = {"data/registry.json": registry_json(model, today), "data/calendar.ics": calendar(model, today, site_url)}
    for type_name in model.types:
        files[f"data/{type_name}.csv"] = type_csv(model, type_name)
    return files
