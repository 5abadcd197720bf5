"""A type's columns, read from its schema, and the cell format both ways: `render` writes a value
as the export does, `parse` reads a cell back. `parse(render(v)) == v` for every value a record
can hold in a column (tests/unit/test_export.py holds every record of the bundled registry to it)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from liandong.tabular.names import NameIndex, Unresolved, key
from liandong.validation.schema import TypeSchema

TITLE_JOIN = "·"  # 事项来源·来源文件
ENTRY_JOIN = "｜"  # one entry's fields
LIST_JOIN = "、"  # the items of a list of names or codes
NOTE_PREFIX = "说明："  # the template's note row: every note cell begins so
IGNORED = ("序号",)  # a column many sheets have, which no record holds
DERIVED = ("逾期天数", "状态说明")  # the export's derived columns (model/status.py), not read back
CELL_LIMIT = 32767  # characters an Excel cell holds
TOO_LONG = f"（内容超过 Excel 单元格的 {CELL_LIMIT} 字上限，未导出；请直接修改 YAML 文件）"

DATE_HINT = "日期写成 2026-05-06、2026/5/6 或 2026年5月6日（或用 Excel 的日期格式），且必须是日历上存在的日子。"
_YES = {"是", "true", "√", "✓", "y", "yes"}
_NO = {"否", "false", "×", "✗", "n", "no"}
_TITLE_JOINS = re.compile(r"[·・•.．]")
_LIST_SPLIT = re.compile(r"[、，,；;\n]")
_ENTRY_SPLIT = re.compile(r"[｜|]")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")

Kind = Literal["text", "list-text", "date", "integer", "boolean", "enum", "ref"]
Shape = Literal["one", "list", "entries"]
Raw = Any  # what a reader gives for a cell: None, str, int, float, bool, date, datetime, time
Cell = str | int | datetime.date | None  # what an export writes


class BadCell(Exception):
    """A cell that cannot be read: the rule id, the message and the next step."""

    def __init__(self, rule: str, message: str, hint: str) -> None:
        super().__init__(message)
        self.rule, self.message, self.hint = rule, message, hint


@dataclass(frozen=True)
class Leaf:
    """One value: a column's, a list item's, or one field of an entry."""

    path: tuple[str, ...]  # from the record (a column) or from the entry (an entry's field)
    label: str  # Chinese title
    kind: Kind
    choices: tuple[tuple[str, str], ...] = ()  # (code, label) of a fixed list
    ref: str | None = None  # the type a reference names
    many: bool = False  # an entry's field holding a list of such values (分工's 承担单位), joined with 、


@dataclass(frozen=True)
class Column:
    path: tuple[str, ...]  # ("source", "document")
    header: str  # 事项来源·来源文件
    shape: Shape
    leaf: Leaf  # the value (one), the items (list), or the list itself (entries: kind unused)
    parts: tuple[Leaf, ...] = ()  # entries: the fields of one entry, in schema order
    description: str = ""
    required: str = ""  # 必填 / 填写…时必填 / ""
    append_only: bool = False

    @property
    def code(self) -> str:
        return ".".join(self.path)

    @property
    def choices(self) -> tuple[tuple[str, str], ...]:
        return self.leaf.choices


def _kind(node: dict[str, Any]) -> Kind | None:
    if "x-ref" in node:
        return "ref"
    if "enum" in node:
        return "enum"
    kind = node.get("type")
    if kind == "boolean":
        return "boolean"
    if kind == "integer":
        return "integer"
    if kind == "string":
        return "date" if node.get("format") == "date" else "text"
    return None


def _leaf(ts: TypeSchema, pointer: tuple[str | int, ...], path: tuple[str, ...]) -> Leaf | None:
    node = ts.subschema(pointer) or {}
    kind = _kind(node)
    if kind is None:
        return None
    labels = node.get("x-enum-labels", {})
    choices = tuple((str(c), str(labels.get(c, c))) for c in node.get("enum", []))
    return Leaf(path, ts.label(pointer), kind, choices, node.get("x-ref"))


def _parts(ts: TypeSchema, item: tuple[str | int, ...], inner: tuple[str, ...] = ()) -> list[Leaf] | None:
    """The fields of one entry, nested mappings flattened; None when an entry holds a list of
    anything but names or codes (a list of names is one field, its items joined with 、)."""
    found: list[Leaf] = []
    node = ts.subschema(item + inner) or {}
    for name in node.get("properties", {}):
        child = ts.subschema(item + inner + (name,)) or {}
        if child.get("type") == "object" and child.get("properties"):
            deeper = _parts(ts, item, inner + (name,))
            if deeper is None:
                return None
            found += deeper
            continue
        if child.get("type") == "array":
            one = _leaf(ts, item + inner + (name, 0), inner + (name,))
            if one is None or one.kind not in ("ref", "enum"):
                return None
            found.append(Leaf(one.path, ts.label(item + inner + (name,)), one.kind, one.choices, one.ref, many=True))
            continue
        leaf = _leaf(ts, item + inner + (name,), inner + (name,))
        if leaf is None:
            return None
        found.append(leaf)
    return found


def _required(ts: TypeSchema, path: tuple[str, ...]) -> str:
    parent = ts.subschema(path[:-1]) or {}
    if path[-1] not in parent.get("required", []):
        return ""
    return "必填" if len(path) == 1 else f"填写“{ts.label(path[:-1])}”时必填"


def columns(ts: TypeSchema) -> list[Column]:
    """Every column of the type's sheet, in schema order. A field no cell can hold (a list of
    lists) has no column; none of today's schemas has one."""
    found: list[Column] = []

    def add(path: tuple[str, ...], shape: Shape, leaf: Leaf, parts: tuple[Leaf, ...] = ()) -> None:
        node = ts.subschema(path) or {}
        header = TITLE_JOIN.join(ts.label(path[: n + 1]) for n in range(len(path)))
        append_only = len(path) == 1 and path[0] in ts.append_only
        found.append(Column(path, header, shape, leaf, parts, str(node.get("description", "")), _required(ts, path), append_only))

    def walk(path: tuple[str, ...]) -> None:
        for name in (ts.subschema(path) or {}).get("properties", {}):
            here = path + (name,)
            node = ts.subschema(here) or {}
            if node.get("type") == "object" and node.get("properties"):
                walk(here)
            elif node.get("type") == "array":
                item = ts.subschema(here + (0,)) or {}
                if item.get("type") == "object":
                    parts = _parts(ts, here + (0,))
                    if parts:
                        add(here, "entries", Leaf(here, ts.label(here), "text"), tuple(parts))
                elif (leaf := _leaf(ts, here + (0,), here)) is not None:
                    add(here, "list", Leaf(here, ts.label(here), "list-text" if leaf.kind == "text" else leaf.kind, leaf.choices, leaf.ref))
            elif (leaf := _leaf(ts, here, here)) is not None:
                add(here, "one", leaf)

    walk(())
    # A record's translations are secondary to its Chinese text: their columns come last.
    found.sort(key=lambda column: column.path[0] == "translations")
    seen: dict[str, int] = {}
    for column in found:
        seen[column.header] = seen.get(column.header, 0) + 1
    # Two fields with one title (none today): each header says its code too.
    return [c if seen[c.header] == 1 else Column(c.path, f"{c.header}（{c.code}）", *_rest(c)) for c in found]


def _rest(c: Column) -> tuple[Any, ...]:
    return (c.shape, c.leaf, c.parts, c.description, c.required, c.append_only)


def header_key(text: str) -> str:
    """Headers compare without spaces, full-width forms, a required mark (*) or the join used."""
    return _TITLE_JOINS.sub(".", key(text).rstrip("*＊"))


@dataclass
class Layout:
    """The columns of one type and every header that names one of them."""

    ts: TypeSchema
    columns: list[Column] = field(init=False)
    _by_header: dict[str, Column] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.columns = columns(self.ts)
        by_header: dict[str, Column] = {}
        inner: dict[str, list[Column]] = {}
        for column in self.columns:
            by_header[header_key(column.header)] = column
            by_header[header_key(column.code)] = column
            if len(column.path) > 1:
                inner.setdefault(header_key(self.ts.label(column.path)), []).append(column)
        for name, found in inner.items():  # an inner title alone (来源文件), when only one column has it
            if len(found) == 1:
                by_header.setdefault(name, found[0])
        self._by_header = by_header

    def find(self, header: str) -> Column | None:
        return self._by_header.get(header_key(header))

    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


# -- render: a value as the export writes it -----------------------------------------------------


def _scalar_text(leaf: Leaf, value: Any, names: NameIndex) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if leaf.kind == "enum":
        return dict(leaf.choices).get(str(value), str(value))
    if leaf.kind == "ref" and isinstance(value, str) and leaf.ref:
        return names.name_for(leaf.ref, value)
    return str(value)


def _entry_text(parts: tuple[Leaf, ...], entry: Any, names: NameIndex) -> str:
    if not isinstance(entry, dict):
        return str(entry)
    cells = []
    for part in parts:
        value: Any = entry
        for name in part.path:
            value = value.get(name) if isinstance(value, dict) else None
        if part.many and isinstance(value, list):
            cells.append(LIST_JOIN.join(_scalar_text(part, v, names) for v in value))
        else:
            cells.append("" if value is None else _scalar_text(part, value, names))
    while cells and not cells[-1]:
        cells.pop()
    return ENTRY_JOIN.join(cells)


def render(column: Column, value: Any, names: NameIndex) -> Cell:
    """The cell of `value` (None: an empty cell)."""
    if value is None:
        return None
    if column.shape == "one":
        leaf = column.leaf
        if leaf.kind == "date" and isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                return value
        if leaf.kind == "integer" and isinstance(value, int) and not isinstance(value, bool):
            return value
        text = _scalar_text(leaf, value, names)
    elif column.shape == "list":
        items = [_scalar_text(column.leaf, v, names) for v in (value if isinstance(value, list) else [value])]
        one_line = column.leaf.kind != "list-text" and not any(_LIST_SPLIT.search(i) for i in items)
        text = (LIST_JOIN if one_line else "\n").join(items)
    else:
        entries = [_entry_text(column.parts, e, names) for e in (value if isinstance(value, list) else [value])]
        text = ("\n\n" if any("\n" in e for e in entries) else "\n").join(entries)
    if not text:
        return None
    return text if len(text) <= CELL_LIMIT else TOO_LONG


def cell_text(raw: Raw) -> str:
    """A cell as text, the way two cells are compared: dates as YYYY-MM-DD, line breaks as \\n."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime.datetime):
        return raw.date().isoformat() if raw.time() == datetime.time() else raw.isoformat(sep=" ", timespec="minutes")
    if isinstance(raw, datetime.date):
        return raw.isoformat()
    if isinstance(raw, datetime.time):
        return raw.strftime("%H:%M")
    return str(raw).replace("\r\n", "\n").replace("\r", "\n").strip()


# -- parse: a cell back into a value -------------------------------------------------------------


def _date(label: str, raw: Raw) -> str:
    if isinstance(raw, datetime.datetime):
        return raw.date().isoformat()
    if isinstance(raw, datetime.date):
        return raw.isoformat()
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and 10_000 < raw < 100_000:  # an Excel serial number (1927–2173)
        from openpyxl.utils.datetime import from_excel

        converted = from_excel(raw)
        if isinstance(converted, datetime.datetime):
            return converted.date().isoformat()
    text = cell_text(raw)
    found = _DATE.match(text)
    if found:
        try:
            return datetime.date(int(found.group(1)), int(found.group(2)), int(found.group(3))).isoformat()
        except ValueError:
            pass
    raise BadCell("schema.format", f"{label}“{text}”不是有效的日期", DATE_HINT)


def _scalar(leaf: Leaf, raw: Raw, names: NameIndex) -> Any:
    label = leaf.label
    if leaf.kind == "date":
        return _date(label, raw)
    text = cell_text(raw)
    if leaf.kind == "integer":
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        try:
            return int(text)
        except ValueError:
            raise BadCell("schema.type", f"{label}应为整数，实际是“{text}”", "请只填写数字，例如 7。") from None
    if leaf.kind == "boolean":
        if isinstance(raw, bool):
            return raw
        if text.lower() in _YES:
            return True
        if text.lower() in _NO:
            return False
        raise BadCell("schema.type", f"{label}应为“是”或“否”，实际是“{text}”", "请填写 是 或 否（也可写 true 或 false）。")
    if leaf.kind == "enum":
        for code, shown in leaf.choices:
            if text in (code, shown):
                return code
        options = "、".join(f"{shown}（{code}）" for code, shown in leaf.choices)
        raise BadCell("schema.enum", f"{label}的取值“{text}”不在允许范围内", f"可选：{options}；填写中文或英文代码均可。")
    if leaf.kind == "ref" and leaf.ref:
        try:
            return names.resolve(leaf.ref, text)
        except Unresolved as err:
            raise BadCell(err.rule, f"{label}：{err.message}", err.hint) from None
    return text


def _split_entries(text: str) -> list[str]:
    if re.search(r"\n[ \t\u3000]*\n", text):
        return [e.strip() for e in re.split(r"\n[ \t\u3000]*\n", text) if e.strip()]
    return [e.strip() for e in text.split("\n") if e.strip()]


def _entry(column: Column, text: str, number: int, names: NameIndex) -> tuple[dict[str, Any], list[BadCell]]:
    cells = [c.strip() for c in _ENTRY_SPLIT.split(text)]
    problems: list[BadCell] = []
    order = ENTRY_JOIN.join(p.label for p in column.parts)
    if len(cells) > len(column.parts):
        problems.append(
            BadCell("schema.unknown-field", f"{column.header}第 {number} 条有 {len(cells)} 项，最多 {len(column.parts)} 项", f"每行一条，顺序为：{order}。")
        )
        cells = cells[: len(column.parts)]
    entry: dict[str, Any] = {}
    for part, cell in zip(column.parts, cells):
        if not cell:
            continue
        try:
            value = [_scalar(part, p.strip(), names) for p in _LIST_SPLIT.split(cell) if p.strip()] if part.many else _scalar(part, cell, names)
        except BadCell as err:
            problems.append(BadCell(err.rule, f"{column.header}第 {number} 条的{err.message}", err.hint))
            continue
        target = entry
        for name in part.path[:-1]:
            target = target.setdefault(name, {})
        target[part.path[-1]] = value
    return entry, problems


def parse(column: Column, raw: Raw, names: NameIndex, existing: Any = None) -> tuple[Any, list[BadCell]]:
    """The value of a filled cell, and what could not be read (those parts are left out). With
    `existing` (an entries list), an entry that reads exactly as the export writes the existing
    entry at its place stays that entry."""
    if column.shape == "one":
        try:
            return _scalar(column.leaf, raw, names), []
        except BadCell as err:
            return None, [err]
    text = cell_text(raw)
    problems: list[BadCell] = []
    if column.shape == "list":
        pieces = text.split("\n") if column.leaf.kind == "list-text" else _LIST_SPLIT.split(text)
        values = []
        for piece in (p.strip() for p in pieces if p.strip()):
            try:
                values.append(_scalar(column.leaf, piece, names))
            except BadCell as err:
                problems.append(err)
        return values, problems
    old = existing if isinstance(existing, list) else []
    entries = []
    for n, piece in enumerate(_split_entries(text)):
        if n < len(old) and piece == _entry_text(column.parts, old[n], names):
            entries.append(old[n])
            continue
        entry, wrong = _entry(column, piece, n + 1, names)
        problems += wrong
        if entry:
            entries.append(entry)
    return entries, problems
