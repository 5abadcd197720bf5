"""`liandong new`: write a new record that already passes validation, with the next free id."""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from liandong.diagnostics import Diagnostic
from liandong.errors import UsageError
from liandong.repo import REGISTRY_DIR
from liandong.validation.files import Record
from liandong.validation.pipeline import validate, within
from liandong.validation.rules.header import expected_line
from liandong.validation.schema import SchemaSet, TypeSchema
from liandong.yamlio.dumper import dump

# Dates the scaffold may fill with today's date when they are required (by the schema, or by the
# record's kind: an inspection application's 申报日期).
TODAY_FIELDS = {"date", "raised_on", "assigned", "submitted"}


@dataclass
class Scaffold:
    path: str
    text: str
    diagnostics: list[Diagnostic]
    # Findings the new record brings to other files, which still need editing (an arrangement
    # names an application whose state must become 已安排); the record is written all the same.
    elsewhere: list[Diagnostic] = field(default_factory=list)


def next_id(ts: TypeSchema, ids: Iterable[str]) -> str:
    """The type's id after the highest numbered one among `ids`."""
    pattern = re.compile(rf"^{re.escape(ts.id_prefix)}-(\d+)$")
    numbers = [int(m.group(1)) for i in ids if (m := pattern.match(i))]
    return f"{ts.id_prefix}-{max(numbers, default=0) + 1:04d}"


def _convert(ts: TypeSchema, pointer: tuple[str, ...], raw: str) -> Any:
    node = ts.subschema(pointer)
    if node is None:
        raise UsageError(f"--set {'.'.join(pointer)}：{ts.title}没有这个字段")
    kind = node.get("type")
    if kind == "array":
        values = [item.strip() for item in raw.split(",") if item.strip()]
        items = ts.resolve(node.get("items", {}))
        required = items.get("required", [])
        if items.get("type") == "object" and len(required) == 1:
            # A list of mappings with one required field (企业: name; 依据: name) takes that field,
            # e.g. --set enterprises=甲公司,乙公司; the others are added in the file.
            return [{required[0]: value} for value in values]
        return values
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


def _put(ts: TypeSchema, data: dict[str, Any], key: str, raw: str, setting: str) -> None:
    pointer = tuple(key.split("."))
    target = data
    for part in pointer[:-1]:
        target = target.setdefault(part, {})
        if not isinstance(target, dict):
            raise UsageError(f"--set {setting}：{part} 不是映射字段")
    target[pointer[-1]] = _convert(ts, pointer, raw)


def build_record(ts: TypeSchema, record_id: str, title: str | None, settings: list[str], today: datetime.date) -> dict[str, Any]:
    data: dict[str, Any] = {"id": record_id, "title": title, "status": ts.lifecycle.initial[0], "visibility": "public"}
    if title is None:  # to be asked for, like any other missing required field
        del data["title"]
    for setting in settings:
        key, sep, raw = setting.partition("=")
        if not sep or not key:
            raise UsageError(f"--set {setting}：应写成 字段=值，例如 --set lead=org-city-gov")
        _put(ts, data, key, raw, setting)
    for name in ts.schema.get("required", []):
        if name not in data and name in TODAY_FIELDS:
            data[name] = today.isoformat()
    return data


@dataclass(frozen=True)
class Question:
    """One field `liandong new` asks for when it is required, missing and cannot be defaulted."""

    key: str  # dotted field path, as in --set, e.g. "source.document"
    label: str  # the schema's Chinese title
    help: str  # the schema's description
    choices: dict[str, str]  # code → Chinese label, for fields with a fixed list of values
    optional: bool  # a member of a mapping asked field by field: an empty answer skips it
    ref: str | None  # the record type the value must name, if any


# ask(question, complaint about the previous answer or "") → the raw answer, as after --set key=
Ask = Callable[[Question, str], str]


def _names(value: Any) -> list[str]:
    """A `required` keyword's names (jsonschema types the value loosely)."""
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def missing_required(schemas: SchemaSet, ts: TypeSchema, data: dict[str, Any]) -> list[str]:
    """Top-level fields the schema says are missing (conditional requirements included), in schema order."""
    missing = {
        name
        for e in schemas.errors(ts.name, data)
        if e.validator == "required" and not e.absolute_path
        for name in _names(e.validator_value)
        if name not in data
    }
    return [name for name in ts.schema["properties"] if name in missing]


def questions(ts: TypeSchema, name: str) -> list[Question]:
    node = ts.subschema((name,)) or {}
    if node.get("type") == "object" and node.get("properties"):
        return [_question(ts, (name, sub), optional=True) for sub in node["properties"]]
    return [_question(ts, (name,), optional=False)]


def _question(ts: TypeSchema, pointer: tuple[str, ...], optional: bool) -> Question:
    node = ts.subschema(pointer) or {}
    items = ts.resolve(node.get("items", {})) if node.get("type") == "array" else {}
    ref = node.get("x-ref") or items.get("x-ref")
    return Question(".".join(pointer), ts.label(pointer), str(node.get("description", "")), dict(node.get("x-enum-labels", {})), optional, ref)


def ask_missing(schemas: SchemaSet, ts: TypeSchema, data: dict[str, Any], records: list[Record], ask: Ask) -> None:
    """Ask once for each required field still missing; references are checked against the registry."""
    known = {r.id: r.type for r in records}
    for name in missing_required(schemas, ts, data):
        for question in questions(ts, name):
            complaint = ""
            for _attempt in range(3):  # then give up: the final check lists what is still missing
                raw = ask(question, complaint).strip()
                if not raw:
                    if question.optional:
                        break
                    complaint = f"{question.label}必须填写"
                    continue
                try:
                    value = _convert(ts, tuple(question.key.split(".")), raw)
                except UsageError as err:
                    complaint = str(err).replace("--set ", "", 1)
                    continue
                if question.choices and raw not in question.choices:
                    complaint = f"“{raw}” 不是可选值；可选：{'、'.join(f'{c}（{label}）' for c, label in question.choices.items())}"
                    continue
                wrong = [str(v) for v in (value if isinstance(value, list) else [value]) if known.get(v) != question.ref]
                if question.ref and wrong:
                    complaint = f"{'、'.join(wrong)} 不是已有的{schemas.types[question.ref].title}编号"
                    continue
                _put(ts, data, question.key, raw, question.key)
                break


def _fill_for_kind(schemas: SchemaSet, ts: TypeSchema, data: dict[str, Any], today: datetime.date, status_given: bool) -> None:
    """What depends on the record's kind (inspections: application, arrangement, separate): the
    first initial state its kind allows, unless --set status was given, and today's date in the
    dates its kind requires (TODAY_FIELDS)."""
    if not status_given:
        for state in ts.lifecycle.initial:
            trial = {**data, "status": state}
            if not any(e.validator == "enum" and tuple(e.absolute_path) == ("status",) for e in schemas.errors(ts.name, trial)):
                data["status"] = state
                break
    for name in missing_required(schemas, ts, data):
        if name in TODAY_FIELDS:
            data[name] = today.isoformat()


def record_text(ts: TypeSchema, data: dict[str, Any]) -> str:
    """The file `liandong new` writes: the modeline, then the fields in the schema's order."""
    order = {name: n for n, name in enumerate(ts.schema["properties"])}  # fields in the schema's order
    data = {key: data[key] for key in sorted(data, key=lambda key: order.get(key, len(order)))}
    body = dump(data)
    return f"{expected_line(ts.name)}\n{body}"


def scaffold(
    root: Path, schemas: SchemaSet, type_name: str, title: str | None, settings: list[str], record_id: str | None, today: datetime.date, ask: Ask | None = None
) -> Scaffold:
    """The record `liandong new` would write, checked in the company of the whole registry.
    With `ask`, required fields that are still missing are asked for (interactive use)."""
    if type_name not in schemas.types:
        raise UsageError(f"没有记录类型 “{type_name}”；可用类型：{'、'.join(schemas.types)}")
    ts = schemas.types[type_name]
    current = validate(root, schemas)
    record_id = record_id or next_id(ts, (r.id for r in current.records))
    if any(r.id == record_id for r in current.records):
        raise UsageError(f"编号 “{record_id}” 已经存在，请换一个（或不写 --id，自动取下一个可用编号）")
    if not schemas.id_pattern.match(record_id):
        raise UsageError(f"编号 “{record_id}” 无效：只能用小写英文字母、数字和连字符，以字母开头，例如 {ts.id_prefix}-0001")
    path = f"{REGISTRY_DIR}/{type_name}/{record_id}.yaml"
    data = build_record(ts, record_id, title, settings, today)
    status_given = any(s.partition("=")[0] == "status" for s in settings)
    _fill_for_kind(schemas, ts, data, today, status_given)  # before asking: no question about what has a default
    if ask is not None:
        ask_missing(schemas, ts, data, current.records, ask)
        _fill_for_kind(schemas, ts, data, today, status_given)  # the kind may have been asked
    text = record_text(ts, data)
    checked = validate(root, schemas, overlay={path: text.encode("utf-8")})
    before = set(current.diagnostics)
    elsewhere = [d for d in checked.diagnostics if d.path != path and d.severity == "error" and d not in before]
    return Scaffold(path, text, within(checked.diagnostics, [path]), elsewhere)


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
