"""`liandong new`: write a new record that already passes validation, with the next free id."""

from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic
from .load import _JsonLikeResolver
from .registry import REGISTRY_DIR, Record
from .schema import SchemaSet, TypeSchema
from .validate import validate, within

# Dates the scaffold may fill with today's date when they are required.
TODAY_FIELDS = {"date", "raised_on", "assigned"}


class UsageError(Exception):
    """A bad option; the message says which and what to write instead."""


@dataclass
class Scaffold:
    path: str
    text: str
    diagnostics: list[Diagnostic]


class _Dumper(yaml.SafeDumper):
    """Quotes exactly the strings our loader would otherwise read as another type."""


_Dumper.yaml_implicit_resolvers = _JsonLikeResolver.yaml_implicit_resolvers


def next_id(ts: TypeSchema, records: list[Record]) -> str:
    pattern = re.compile(rf"^{re.escape(ts.id_prefix)}-(\d+)$")
    numbers = [int(m.group(1)) for r in records if (m := pattern.match(r.id))]
    return f"{ts.id_prefix}-{max(numbers, default=0) + 1:04d}"


def _convert(ts: TypeSchema, pointer: tuple[str, ...], raw: str) -> Any:
    node = ts.subschema(pointer)
    if node is None:
        raise UsageError(f"--set {'.'.join(pointer)}：{ts.title}没有这个字段")
    kind = node.get("type")
    if kind == "array":
        return [item.strip() for item in raw.split(",") if item.strip()]
    if kind == "integer":
        try:
            return int(raw)
        except ValueError:
            raise UsageError(f"--set {'.'.join(pointer)}={raw}：应为整数") from None
    if kind == "boolean":
        if raw not in ("true", "false"):
            raise UsageError(f"--set {'.'.join(pointer)}={raw}：应为 true 或 false")
        return raw == "true"
    return raw


def build_record(ts: TypeSchema, record_id: str, title: str, settings: list[str], today: datetime.date) -> dict[str, Any]:
    data: dict[str, Any] = {"id": record_id, "title": title, "status": ts.lifecycle.initial[0], "visibility": "public"}
    for setting in settings:
        key, sep, raw = setting.partition("=")
        if not sep or not key:
            raise UsageError(f"--set {setting}：应写成 字段=值，例如 --set lead=org-dongxing-gov")
        pointer = tuple(key.split("."))
        target = data
        for part in pointer[:-1]:
            target = target.setdefault(part, {})
            if not isinstance(target, dict):
                raise UsageError(f"--set {setting}：{part} 不是映射字段")
        target[pointer[-1]] = _convert(ts, pointer, raw)
    for name in ts.schema.get("required", []):
        if name not in data and name in TODAY_FIELDS:
            data[name] = today.isoformat()
    return data


def render(ts: TypeSchema, data: dict[str, Any]) -> str:
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return f"# yaml-language-server: $schema=../../schemas/{ts.name}.schema.json\n{body}"


def scaffold(root: Path, schemas: SchemaSet, type_name: str, title: str, settings: list[str],
             record_id: str | None, today: datetime.date) -> Scaffold:
    if type_name not in schemas.types:
        raise UsageError(f"没有记录类型 “{type_name}”；可用类型：{'、'.join(schemas.types)}")
    ts = schemas.types[type_name]
    current = validate(root, schemas)
    record_id = record_id or next_id(ts, current.records)
    if any(r.id == record_id for r in current.records):
        raise UsageError(f"编号 “{record_id}” 已经存在，请换一个（或不写 --id，自动取下一个可用编号）")
    path = f"{REGISTRY_DIR}/{type_name}/{record_id}.yaml"
    text = render(ts, build_record(ts, record_id, title, settings, today))
    checked = validate(root, schemas, overlay={path: text.encode("utf-8")})
    return Scaffold(path, text, within(checked.diagnostics, [path]))


def write_new(root: Path, scaffold: Scaffold) -> None:
    """Create the file only if it does not exist, and never leave half a file behind."""
    target = root / scaffold.path
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.tmp")
    temp.write_text(scaffold.text, encoding="utf-8")
    try:
        os.link(temp, target)  # fails if the target appeared meanwhile: nothing is overwritten
    finally:
        temp.unlink()
