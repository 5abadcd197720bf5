"""Open data people can load without recomputing anything: registry.json with each record's page
and derived state, a JSON Schema that documents it, an SQLite database for Datasette or any SQL
client, and the registry's own schemas under schemas/ at stable addresses.

Every file is made from the model that is published (the public one unless --internal) and is
the same, byte for byte, for the same registry and day."""

from __future__ import annotations

import datetime
import json
import sqlite3
from pathlib import Path
from typing import Any

from liandong.model.model import Item, Model
from liandong.model.status import Status
from liandong.validation.schema import LIFECYCLE_SUFFIX, SCHEMA_SUFFIX, values_at

REGISTRY_JSON = "data/registry.json"
REGISTRY_SCHEMA = "data/registry.schema.json"
SQLITE = "data/registry.sqlite"
SCHEMAS = "schemas"  # the published copy of schemas/, beside the pages
FORMAT_VERSION = 2


def _url(item: Item, site_url: str) -> str:
    return f"{site_url.rstrip('/')}/{item.url}" if site_url else item.url


def _derived(status: Status, item: Item) -> list[dict[str, str]]:
    return [{"code": b.code, "label": b.label, "explanation": b.explanation} for b in status.badges(item)]


def registry_json(model: Model, status: Status, today: datetime.date, site_url: str = "") -> bytes:
    """Every published record with its page and derived state; registry.schema.json describes it."""
    data: dict[str, Any] = {
        "$schema": "registry.schema.json",
        "version": FORMAT_VERSION,
        "generated_for": today.isoformat(),
        "site_url": site_url or None,
        "types": {},
    }
    for type_name in model.types:
        data["types"][type_name] = {
            "title": model.schemas.types[type_name].title,
            "schema": f"../{SCHEMAS}/{type_name}{SCHEMA_SUFFIX}",
            "records": [
                {"id": item.id, "url": _url(item, site_url), "example": item.example, "derived": _derived(status, item), "data": item.data}
                for item in model.of_type(type_name)
            ],
        }
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def registry_schema(model: Model) -> bytes:
    """The JSON Schema (draft 2020-12) of registry.json; each record's `data` is described by its
    type's own schema, published under schemas/."""
    derived = {
        "type": "array",
        "description": "生成网站时根据记录和当日日期计算的状态（逾期、即将到期、按期办结……），不写入登记册。",
        "items": {
            "type": "object",
            "required": ["code", "label", "explanation"],
            "properties": {
                "code": {"type": "string", "description": "状态代码，如 overdue、due-soon、on-time。"},
                "label": {"type": "string", "description": "网站上显示的中文标签，如“逾期 12 天”。"},
                "explanation": {"type": "string", "description": "标签的说明文字。"},
            },
        },
    }
    types: dict[str, Any] = {}
    for type_name in model.types:
        types[type_name] = {
            "type": "object",
            "required": ["title", "schema", "records"],
            "properties": {
                "title": {"type": "string"},
                "schema": {"type": "string", "description": "该类型记录的 JSON Schema（相对本文件的地址）。"},
                "records": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["id", "url", "example", "derived", "data"],
                        "properties": {
                            "id": {"type": "string"},
                            "url": {"type": "string", "description": "记录页面的地址：知道网站地址时为完整地址，否则相对网站根目录。"},
                            "example": {"type": "boolean", "description": "true 表示示例记录，不是正式数据。"},
                            "derived": {"$ref": "#/$defs/derived"},
                            "data": {"$ref": f"../{SCHEMAS}/{type_name}{SCHEMA_SUFFIX}"},
                        },
                    },
                },
            },
        }
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "联动登记册数据（registry.json）",
        "description": "网站发布的全部记录，按类型分组；每条记录带页面地址和派生状态。",
        "type": "object",
        "required": ["version", "generated_for", "types"],
        "properties": {
            "version": {"const": FORMAT_VERSION},
            "generated_for": {"type": "string", "format": "date", "description": "数据截至的日期（生成网站时的“今天”）。"},
            "site_url": {"type": ["string", "null"], "description": "网站地址；未设置时页面地址是相对地址。"},
            "types": {"type": "object", "properties": types, "additionalProperties": False},
        },
        "$defs": {"derived": derived},
    }
    return (json.dumps(schema, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def published_schemas(folder: Path) -> dict[str, bytes]:
    """The registry's schemas and lifecycles as they are, under schemas/ on the site."""
    return {f"{SCHEMAS}/{path.name}": path.read_bytes() for path in sorted(folder.iterdir()) if path.name.endswith((SCHEMA_SUFFIX, LIFECYCLE_SUFFIX))}


def _column(value: Any) -> Any:
    if value is None or (isinstance(value, (str, int, float)) and not isinstance(value, bool)):
        return value
    if isinstance(value, bool):
        return int(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


def registry_sqlite(model: Model, status: Status, site_url: str = "") -> bytes:
    """One table per type (a column per top-level field; lists and mappings as JSON), `refs` with
    every reference between records, and `search`, a full-text index (FTS5, trigram tokenizer:
    it matches any three or more characters, so Chinese needs no word segmentation)."""
    db = sqlite3.connect(":memory:")
    try:
        for type_name in model.types:
            fields = list(model.schemas.types[type_name].schema.get("properties", {}))
            # The page and the derived state take names no schema field has (fields are snake_case words).
            columns = ["id", *[f for f in fields if f != "id"], "page_url", "derived_state", "derived_codes"]
            db.execute(f"CREATE TABLE {_quoted(type_name)} ({', '.join(_quoted(c) + (' TEXT PRIMARY KEY' if c == 'id' else '') for c in columns)})")
            rows = []
            for item in model.of_type(type_name):
                derived = _derived(status, item)
                values = [_column(item.data.get(f)) for f in fields if f != "id"]
                rows.append([item.id, *values, _url(item, site_url), _column(derived), " ".join(d["code"] for d in derived)])
            db.executemany(f"INSERT INTO {_quoted(type_name)} VALUES ({', '.join('?' * len(columns))})", rows)
        db.execute("CREATE TABLE refs (source_type TEXT, source_id TEXT, field TEXT, pointer TEXT, target_type TEXT, target_id TEXT)")
        db.executemany(
            "INSERT INTO refs VALUES (?, ?, ?, ?, ?, ?)",
            [
                (item.type, item.id, str(pointer[0]), "/".join(str(p) for p in pointer), target, value)
                for item in sorted(model.items.values(), key=lambda i: (i.type, i.id))
                for path, target in item.schema.ref_paths
                for pointer, value in values_at(item.data, path)
                if isinstance(value, str) and value in model.items
            ],
        )
        db.execute("CREATE VIRTUAL TABLE search USING fts5(type UNINDEXED, id UNINDEXED, title, text, tokenize='trigram')")
        db.executemany(
            "INSERT INTO search VALUES (?, ?, ?, ?)",
            [(item.type, item.id, item.title, "\n".join(_texts(item.data))) for t in model.types for item in model.of_type(t)],
        )
        db.commit()
        db.execute("VACUUM")
        return db.serialize()
    finally:
        db.close()
