"""`liandong import`: a sheet's rows become records, checked with the whole registry first and
written all at once, or not at all. The formats are described in tabular/__init__.py.

Every finding is reported at the cell it is about, `清单.xlsx!权力事项:12:4`: problems reading a
cell (an unknown name, a label that is not one of the choices, a date that is not one), then the
validator's findings on the records the rows would write, and the pull-request gate's on the
records they would change (changes/rules.py: history lists only grow, states follow the
lifecycle, a deadline moves only with an extension), each mapped back through its pointer to
the row and the column of the field."""

from __future__ import annotations

import copy
import datetime
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from liandong.changes.compare import Comparison, Pair, Version
from liandong.changes.rules import check_pair, new_record_state
from liandong.diagnostics import Diagnostic, sort_diagnostics
from liandong.errors import SetupError, UsageError
from liandong.model.visibility import hidden_ids, without
from liandong.repo import REGISTRY_DIR
from liandong.scaffold import next_id, record_text
from liandong.tabular.columns import DERIVED, IGNORED, NOTE_PREFIX, TOO_LONG, Column, Layout, cell_text, header_key, parse, render
from liandong.tabular.names import NameIndex
from liandong.tabular.reader import Sheet, read_sheet
from liandong.validation.files import Record
from liandong.validation.pipeline import validate
from liandong.validation.schema import SchemaSet, TypeSchema
from liandong.yamlio.dumper import dump
from liandong.yamlio.loader import compose, load_bytes

TEMP_SUFFIX = ".liandong-import.tmp"  # `.<id>.yaml.liandong-import.tmp` beside its target while writing
HEADER_SEARCH = 10  # the header row is among the first rows that have anything (a title may stand above it)


@dataclass
class Write:
    path: str  # registry/<type>/<id>.yaml
    text: str
    old: Record | None  # the record it replaces; None for a new one
    row: int
    data: dict[str, Any]
    before: bytes | None = None  # the file it replaces, as read


@dataclass
class ImportPlan:
    schemas: SchemaSet
    type_name: str
    sheet: Sheet
    diagnostics: list[Diagnostic]
    writes: list[Write]
    rows: int  # data rows read
    unchanged: int  # rows of existing records that change nothing

    @property
    def errors(self) -> int:
        return sum(d.severity == "error" for d in self.diagnostics)

    @property
    def added(self) -> list[Write]:
        return [w for w in self.writes if w.old is None]

    @property
    def changed(self) -> list[Write]:
        return [w for w in self.writes if w.old is not None]

    def comparison(self) -> Comparison:
        """The writes as check-changes sees a change (for changes/summary.py)."""
        pairs = [Pair(_version(w.old.path, w.old.type, w.old.id, w.old.data, w.old.text), self._version(w)) for w in self.changed if w.old]
        return Comparison(pairs, [self._version(w) for w in self.added], [], [])

    def _version(self, write: Write) -> Version:
        return _version(write.path, self.type_name, str(write.data.get("id", "")), write.data, write.text)


def _version(path: str, type_name: str, record_id: str, data: dict[str, Any], text: str) -> Version:
    return Version(path, type_name, record_id, data, text)


@dataclass
class _Row:
    number: int
    cells: list[Any]
    record: Record | None = None  # the record a row with an id updates
    new_id: str = ""
    problems: list[Diagnostic] = field(default_factory=list)

    def cell(self, index: int | None) -> Any:
        return self.cells[index] if index is not None and index < len(self.cells) else None


def _blank(raw: Any) -> bool:
    return cell_text(raw) == ""


class _Importer:
    def __init__(self, root: Path, schemas: SchemaSet, ts: TypeSchema, sheet: Sheet, today: datetime.date | None) -> None:
        self.root, self.schemas, self.ts, self.sheet, self.today = root, schemas, ts, sheet, today
        self.layout = Layout(ts)
        self.found: list[Diagnostic] = []
        self.at: dict[tuple[str, ...], int] = {}  # column path → 0-based index in the row
        self.names = NameIndex(schemas)
        self.hidden: frozenset[str] = frozenset()

    def problem(self, row: int, col: int, rule: str, message: str, hint: str) -> Diagnostic:
        return Diagnostic(self.sheet.where, rule, message, hint, line=row, col=col)

    # -- the header ------------------------------------------------------------------------------

    def header(self) -> int:
        """Map the header row's cells to columns; the index in sheet.rows of the header row."""
        best, best_count = 0, 0
        for n, (_number, cells) in enumerate(self.sheet.rows[:HEADER_SEARCH]):
            count = sum(1 for c in cells if not _blank(c) and self._known(cell_text(c)))
            if count > best_count:
                best, best_count = n, count
        if best_count == 0:
            examples = "、".join(self.layout.headers()[:6])
            raise UsageError(
                f"{self.sheet.where}：前 {HEADER_SEARCH} 行中没有{self.ts.title}的表头。表头应为字段的中文名称（{examples}……）或英文代码；"
                f"liandong export --template --type {self.ts.name} 可生成带表头的模板。"
            )
        number, cells = self.sheet.rows[best]
        for index, raw in enumerate(cells):
            text = cell_text(raw)
            if not text or header_key(text) in {header_key(h) for h in (*DERIVED, *IGNORED)}:
                continue
            column = self.layout.find(text)
            if column is None:
                self.found.append(self.problem(number, index + 1, "schema.unknown-field", f"表头“{text}”不是{self.ts.title}的字段", self._header_hint(text)))
            elif column.path in self.at:
                first = self.at[column.path] + 1
                self.found.append(
                    self.problem(
                        number,
                        index + 1,
                        "yaml.duplicate-key",
                        f"表头“{text}”与第 {first} 列重复（都是 {column.code}）",
                        "同一字段只能有一列：请删去其中一列。",
                    )
                )
            else:
                self.at[column.path] = index
        self._unheaded(number, cells, best)
        return best

    def _known(self, text: str) -> bool:
        return self.layout.find(text) is not None

    def _header_hint(self, text: str) -> str:
        import difflib

        headers = self.layout.headers()
        close = difflib.get_close_matches(text, headers, n=3, cutoff=0.5)
        if close:
            return f"是否想写{'或'.join(f'“{c}”' for c in close)}？不导入的列请删除。"
        return f"{self.ts.title}的表头：{'、'.join(headers)}。不导入的列请删除（“序号”列可以保留）。"

    def _unheaded(self, number: int, header: list[Any], at: int) -> None:
        """Cells under a column without a header would be dropped silently: report the first of each."""
        reported: set[int] = set()
        for row_number, cells in self.sheet.rows[at + 1 :]:
            for index, raw in enumerate(cells):
                if index in reported or _blank(raw) or (index < len(header) and not _blank(header[index])):
                    continue
                reported.add(index)
                self.found.append(
                    self.problem(
                        row_number,
                        index + 1,
                        "schema.unknown-field",
                        f"第 {index + 1} 列有内容，但第 {number} 行（表头）这一列是空的",
                        "请填写表头（字段的中文名称），或删除这一列。",
                    )
                )

    # -- the rows --------------------------------------------------------------------------------

    def rows(self, header_at: int) -> list[_Row]:
        following = self.sheet.rows[header_at + 1 :]
        if following and all(cell_text(c).startswith(NOTE_PREFIX) for c in following[0][1] if not _blank(c)):
            following = following[1:]  # the template's note row
        return [_Row(number, cells) for number, cells in following]

    def plan(self) -> ImportPlan:
        header_at = self.header()
        rows = self.rows(header_at)
        baseline = validate(self.root, self.schemas, today=self.today)
        self.names = NameIndex(self.schemas, baseline.records)
        self.hidden = hidden_ids(baseline.records)
        self._identify(rows, baseline.records)
        writes: list[Write] = []
        unchanged = 0
        for row in rows:
            if row.record is None and not row.new_id:
                continue  # its id was refused
            write = self._write(row)
            if write is None:
                unchanged += 1
            else:
                writes.append(write)
        for row in rows:
            self.found += row.problems
        self.found += self._checked(writes, rows, baseline.diagnostics)
        return ImportPlan(self.schemas, self.ts.name, self.sheet, sort_diagnostics(self.found), writes, len(rows), unchanged)

    def _identify(self, rows: list[_Row], records: list[Record]) -> None:
        """Which record each row updates, or which id a new one gets; new titles join the names."""
        by_id = {r.id: r for r in records}
        id_at = self.at.get(("id",))
        title_at = self.at.get(("title",))
        seen: dict[str, int] = {}
        last = ""
        for row in rows:
            given = cell_text(row.cell(id_at))
            col = (id_at or 0) + 1
            if given:
                record = by_id.get(given)
                if not self.schemas.id_pattern.match(given):
                    row.problems.append(
                        self.problem(
                            row.number,
                            col,
                            "schema.pattern",
                            f"编号“{given}”的写法不正确",
                            f"编号只能用小写英文字母、数字和连字符，例如 {self.ts.id_prefix}-0001；新增的行请不填编号。",
                        )
                    )
                elif given in seen:
                    twice = f"编号 {given} 在第 {seen[given]} 行已经出现"
                    row.problems.append(self.problem(row.number, col, "id.duplicate", twice, "一条记录在表中只能有一行：请合并这两行。"))
                elif record is None:
                    row.problems.append(
                        self.problem(
                            row.number,
                            col,
                            "ref.unknown-id",
                            f"没有编号为 {given} 的{self.ts.title}",
                            "修改已有记录时填写它的编号；新增的行请不填编号，导入时自动取下一个可用编号。",
                        )
                    )
                elif record.type != self.ts.name:
                    other = self.schemas.types[record.type].title
                    row.problems.append(
                        self.problem(row.number, col, "ref.wrong-type", f"{given} 是{other}，不是{self.ts.title}", f"请在 --type {record.type} 的表中修改它。")
                    )
                else:
                    row.record = record
                seen.setdefault(given, row.number)
                continue
            last = self._next_id(records, last)
            row.new_id = last
            title = cell_text(row.cell(title_at))
            if title:
                self.names.add(self.ts.name, last, {"title": title})

    def _next_id(self, records: list[Record], last: str) -> str:
        """`liandong new`'s next free id, then the one after it, skipping any file that is in the way."""
        candidate = next_id(self.ts, [last] if last else (r.id for r in records))
        while (self.root / REGISTRY_DIR / self.ts.name / f"{candidate}.yaml").exists() or candidate in self.names.types:
            candidate = next_id(self.ts, [candidate])
        return candidate

    def _exported(self, column: Column, current: Any) -> set[str]:
        """The cell texts an export writes for the current value (internal or public)."""
        return {cell_text(render(column, current, self.names)), cell_text(render(column, without(current, self.hidden), self.names))}

    def _fill(self, row: _Row, data: dict[str, Any], existing: dict[str, Any] | None) -> None:
        for column in self.layout.columns:
            index = self.at.get(column.path)
            raw = row.cell(index)
            if index is None or column.path == ("id",) or _blank(raw):
                continue
            current = _get(existing, column.path) if existing is not None else None
            if current is not None and cell_text(raw) in self._exported(column, current):
                continue  # reads as the export writes it: unchanged
            if cell_text(raw) == TOO_LONG:
                if current is None:
                    row.problems.append(self.problem(row.number, index + 1, "schema.size", f"{column.header}只有“内容过长”的提示，没有内容", "请填写内容。"))
                continue
            value, problems = parse(column, raw, self.names, current)
            for bad in problems:
                row.problems.append(self.problem(row.number, index + 1, bad.rule, bad.message, bad.hint))
            if value is None or value == [] or (problems and column.shape == "one"):
                continue
            _put(data, column.path, value)

    def _write(self, row: _Row) -> Write | None:
        if row.record is None:
            data: dict[str, Any] = {"id": row.new_id, "status": self.ts.lifecycle.initial[0], "visibility": "public"}
            self._fill(row, data, None)
            data = _ordered(self.ts, data)
            return Write(f"{REGISTRY_DIR}/{self.ts.name}/{row.new_id}.yaml", record_text(self.ts, data), None, row.number, data)
        old = row.record
        data = copy.deepcopy(old.data)
        self._fill(row, data, old.data)
        if data == old.data:
            return None
        changed = [k for k in data if data[k] != old.data.get(k)]
        data = {k: (_ordered(self.ts, v, (k,)) if k in changed else v) for k, v in data.items()}
        before = (self.root / old.path).read_bytes()
        return Write(old.path, updated_text(self.ts, old.text, old.data, data), old, row.number, data, before)

    # -- the check -------------------------------------------------------------------------------

    def _checked(self, writes: list[Write], rows: list[_Row], before: list[Diagnostic]) -> list[Diagnostic]:
        if not writes:
            return []
        overlay = {w.path: w.text.encode("utf-8") for w in writes}
        after = validate(self.root, self.schemas, overlay=overlay, today=self.today)
        gate: list[Diagnostic] = []
        for w in writes:
            version = _version(w.path, self.ts.name, str(w.data.get("id")), w.data, w.text)
            if w.old is None:
                gate += new_record_state(self.ts, version)
            else:
                gate += check_pair(self.schemas, Pair(_version(w.old.path, w.old.type, w.old.id, w.old.data, w.old.text), version))
        by_path = {w.path: w for w in writes}
        taken = {(p.line, p.col) for row in rows for p in row.problems}
        old = {(d.path, d.rule, d.message) for d in before}
        found: list[Diagnostic] = []
        for d in [*after.diagnostics, *gate]:
            write = by_path.get(d.path)
            if write is None:
                if (d.path, d.rule, d.message) not in old:  # made by this import elsewhere in the registry
                    found.append(d)
                continue
            located = self._locate(d, write.row)
            if (located.line, located.col) not in taken:
                found.append(located)
        return found

    def _locate(self, d: Diagnostic, row: int) -> Diagnostic:
        """A finding on a record → the row it comes from and the column of the field it points at."""
        path = tuple(p for p in (d.pointer or ()) if isinstance(p, str))
        if d.rule == "schema.required" and (named := re.search(r"“([A-Za-z_]+)”", d.message)):
            path += (named.group(1),)
        column = _column_for(self.layout.columns, path)
        index = self.at.get(column.path) if column else None
        hint = d.hint
        if column is not None and d.rule == "schema.required":
            hint = f"请填写“{column.header}”列。" if index is not None else f"表中没有“{column.header}”列：请添加这一列并填写。"
        elif column is not None and index is None:
            hint = f"{hint}（表中没有“{column.header}”列）"
        return replace(d, path=self.sheet.where, line=row, col=(index if index is not None else self.at.get(("id",), 0)) + 1, hint=hint)


def _column_for(columns: list[Column], path: tuple[str, ...]) -> Column | None:
    """The column of a field: the longest column path the field's path starts with, else the first
    column inside the field (a finding on source as a whole → its first column)."""
    best: Column | None = None
    for column in columns:
        if path[: len(column.path)] == column.path and (best is None or len(column.path) > len(best.path)):
            best = column
    if best is None and path:
        best = next((c for c in columns if c.path[: len(path)] == path), None)
    return best


def _get(data: Any, path: tuple[str, ...]) -> Any:
    for name in path:
        data = data.get(name) if isinstance(data, dict) else None
    return data


def _put(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    target = data
    for name in path[:-1]:
        if not isinstance(target.get(name), dict):
            target[name] = {}
        target = target[name]
    target[path[-1]] = value


def _ordered(ts: TypeSchema, value: Any, path: tuple[str, ...] = ()) -> Any:
    """Mappings (not list entries) with their keys in schema order, unknown keys last as they were."""
    if not isinstance(value, dict):
        return value
    order = list((ts.subschema(path) or {}).get("properties", {}))
    keys = sorted(value, key=lambda k: order.index(k) if k in order else len(order))
    return {k: _ordered(ts, value[k], path + (k,)) for k in keys}


# -- an existing file, edited where it changed ---------------------------------------------------


def updated_text(ts: TypeSchema, text: str, old: dict[str, Any], new: dict[str, Any]) -> str:
    """The record's file with only the changed top-level fields rewritten (by yamlio/dumper, as
    `liandong new` writes them); comments and the layout of every other field stay as they were.
    A file whose top level is not a plain block mapping is written whole, as `new` writes one."""
    edited = _splice(ts, text, old, new)
    if edited is not None and load_bytes("edited.yaml", edited.encode("utf-8")).data == new:
        return edited
    return record_text(ts, new)


def _splice(ts: TypeSchema, text: str, old: dict[str, Any], new: dict[str, Any]) -> str | None:
    try:
        root = compose(text)
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        return None
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    starts: list[tuple[str, int]] = []
    for key_node, _value in root.value:
        if key_node.start_mark.column != 0 or not isinstance(key_node.value, str):
            return None
        starts.append((key_node.value, key_node.start_mark.line))
    blocks: dict[str, tuple[int, int]] = {}
    for n, (name, start) in enumerate(starts):
        end = starts[n + 1][1] if n + 1 < len(starts) else len(lines)
        while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
            end -= 1  # blank lines and comments before the next field stay with it
        blocks[name] = (start, end)
    edits: list[tuple[int, int, str]] = []
    for name, (start, end) in blocks.items():
        if name not in new:
            edits.append((start, end, ""))
        elif new[name] != old.get(name):
            edits.append((start, end, dump({name: new[name]})))
    order = list(ts.schema.get("properties", {}))
    for name in (k for k in order if k in new and k not in blocks):
        before = [k for k in order[: order.index(name)] if k in blocks and k in new]
        at = blocks[before[-1]][1] if before else (starts[0][1] if starts else len(lines))
        edits.append((at, at, dump({name: new[name]})))
    for name in (k for k in new if k not in blocks and k not in order):
        edits.append((len(lines), len(lines), dump({name: new[name]})))
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        lines[start:end] = [replacement] if replacement else []
    return "".join(lines)


# -- planning and writing ------------------------------------------------------------------------


def plan_import(root: Path, type_name: str, file: Path, shown: str, sheet: str | None = None, today: datetime.date | None = None) -> ImportPlan:
    """What importing `file` into records of `type_name` would write, and every finding; nothing is written."""
    schemas = SchemaSet.for_root(root)
    if type_name not in schemas.types:
        raise UsageError(f"没有记录类型 “{type_name}”；可用类型：{'、'.join(f'{n}（{t.title}）' for n, t in schemas.types.items())}")
    ts = schemas.types[type_name]
    return _Importer(root, schemas, ts, read_sheet(file, shown, sheet, ts.title), today).plan()


def _temp(target: Path) -> Path:
    return target.with_name(f".{target.name}{TEMP_SUFFIX}")


def _sync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def stale_temporaries(root: Path) -> Iterator[Path]:
    """Temporary files an interrupted import left (never in place of a record)."""
    registry = root / REGISTRY_DIR
    if registry.is_dir():
        yield from sorted(registry.glob(f"*/.*{TEMP_SUFFIX}"))


def apply(root: Path, plan: ImportPlan) -> list[str]:
    """Write the plan: every file to a temporary file beside it first, then each renamed into place.
    A new record never replaces a file; an existing one is replaced only if it is still the file
    that was checked. If anything fails, the files already renamed are put back as they were."""
    if plan.errors:
        raise SetupError("导入有错误，未写入任何文件。")
    for stale in stale_temporaries(root):
        stale.unlink()
    written: list[Write] = []
    temps: list[Path] = []
    try:
        for write in plan.writes:
            target = root / write.path
            target.parent.mkdir(parents=True, exist_ok=True)
            temp = _temp(target)
            temps.append(temp)
            with open(temp, "w", encoding="utf-8", newline="") as out:
                out.write(write.text)
                if not hasattr(os, "sync"):
                    out.flush()
                    os.fsync(out.fileno())
        if hasattr(os, "sync"):
            os.sync()  # every temporary file on disk before the first rename, in one call instead of one per file
        for write, temp in zip(plan.writes, temps):
            target = root / write.path
            if write.old is None:
                try:
                    os.link(temp, target)  # fails if the file appeared meanwhile: nothing is overwritten
                except FileExistsError:
                    raise SetupError(f"{write.path} 在导入期间出现了，未覆盖；已写入的文件已恢复原状，请重新导入。") from None
                written.append(write)
                temp.unlink()
            else:
                if target.read_bytes() != write.before:
                    raise SetupError(f"{write.path} 在导入期间被修改了，未覆盖；已写入的文件已恢复原状，请重新导入。")
                os.replace(temp, target)
                written.append(write)
        for folder in {(root / w.path).parent for w in plan.writes}:
            _sync(folder)
    except BaseException:
        _restore(root, written)
        raise
    finally:
        for temp in temps:
            temp.unlink(missing_ok=True)
    return [w.path for w in written]


def _restore(root: Path, written: list[Write]) -> None:
    for write in reversed(written):
        target = root / write.path
        if write.old is None:
            target.unlink(missing_ok=True)
        else:
            temp = _temp(target)
            temp.write_bytes(write.before or b"")
            os.replace(temp, target)
