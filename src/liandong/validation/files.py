"""Find and read the registry's files: `registry/<type>/<id>.yaml`, nothing else, nothing skipped."""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from liandong.diagnostics import Diagnostic
from liandong.repo import REGISTRY_DIR, no_gc
from liandong.validation.configuration import CONFIG_FILE
from liandong.yamlio.loader import load_bytes


@dataclass
class Record:
    type: str  # folder name, e.g. "tasks"
    id: str  # file name without .yaml; the record's `id` must equal it
    path: str  # repository-relative POSIX path
    data: dict[str, Any]
    text: str

    @property
    def public(self) -> bool:
        return self.data.get("visibility") != "internal"

    @property
    def example(self) -> bool:
        return self.data.get("example") is True


@dataclass
class Loaded:
    records: list[Record]
    diagnostics: list[Diagnostic]
    file_count: int


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _misplaced(path: str, types: Iterable[str]) -> Diagnostic:
    return Diagnostic(
        path,
        "files.unknown-folder",
        "文件不在任何记录类型的文件夹中，不会被读取",
        f"记录应放在 registry/<类型>/<编号>.yaml，类型为：{'、'.join(types)}。",
        line=1,
        col=1,
    )


def _walk(root: Path, types: list[str]) -> Iterable[tuple[str, str, str] | Diagnostic]:
    """Every file under registry/, as (type, relative path, absolute path) when it is where a
    record belongs, else a finding. os.scandir's cached entry types keep 10,000 files cheap."""
    real_root = root.resolve()

    def visit(folder: str, rel: str, depth: int) -> Iterable[tuple[str, str, str] | Diagnostic]:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
        for entry in entries:
            path = f"{rel}/{entry.name}"
            if entry.is_symlink():  # never followed, wherever it points: see _symlink
                yield _symlink(root, Path(entry.path), real_root)
                continue
            if entry.is_dir():
                yield from visit(entry.path, path, depth + 1)
            elif depth == 0 and entry.name == CONFIG_FILE and entry.is_file():
                continue  # the registry's configuration (validation/configuration.py), not a record
            elif depth != 1 or rel.rsplit("/", 1)[1] not in types:
                yield _misplaced(path, types)
            elif not entry.is_file():  # a FIFO or device would block or mislead the reader
                yield Diagnostic(path, "files.unreadable", "不是普通文件，无法作为记录读取", "请换成普通的 .yaml 文本文件。", line=1, col=1)
            elif not entry.name.endswith(".yaml"):
                name = entry.name
                hint = f"请把文件改名为 {name[:-4]}.yaml。" if name.endswith(".yml") else "类型文件夹中只能放 .yaml 记录文件。"
                yield Diagnostic(path, "files.wrong-extension", "记录文件的扩展名必须是 .yaml", hint, line=1, col=1)
            else:
                yield rel.rsplit("/", 1)[1], path, entry.path

    top = root / REGISTRY_DIR
    if top.is_symlink():
        yield _symlink(root, top, real_root)
        return
    yield from visit(str(top), REGISTRY_DIR, 0)


def _symlink(root: Path, link: Path, real_root: Path) -> Diagnostic:
    """Every symlink under registry/ is refused, not only those that point outside: a link where a
    record was lets the record leave the registry in one pull request and vanish in the next with
    nothing to notice, and a link to another record makes one record appear twice."""
    shown = os.readlink(link)
    hint = "请把记录文件本身放在这里，不要用链接：登记册中不接受任何符号链接。"
    try:
        target = link.resolve()
    except (OSError, RuntimeError):  # a loop of links
        return Diagnostic(_rel(root, link), "files.symlink", f"符号链接 {shown} 无法解析（链接循环），已拒绝读取", hint, line=1, col=1)
    if not target.is_relative_to(real_root):
        message = f"符号链接指向仓库以外的 {shown}，已拒绝读取"
    elif target.is_dir():
        message = f"符号链接指向文件夹 {shown}，已拒绝读取"
    elif not target.exists():
        message = f"符号链接指向的 {shown} 不存在"
    else:
        message = f"这是指向 {shown} 的符号链接，已拒绝读取"
        hint = f"请用 {_rel(real_root, target)} 的内容替换这个链接（把记录文件本身放在这里）：登记册中不接受任何符号链接。"
    return Diagnostic(_rel(root, link), "files.symlink", message, hint, line=1, col=1)


class ParseCache:
    """What the last validation read, by path: a file whose bytes are unchanged is not parsed
    again, and its record is the same object (the live preview validates on every save).
    `schema_ok` remembers, by path, whether that record object passed its schema; `findings`,
    what the rules that look at one record alone found in it, on the day `findings_day`."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[bytes, list[Diagnostic], Record | None]] = {}
        self.schema_ok: dict[str, tuple[Record, bool]] = {}
        self.findings: dict[tuple[str, str], tuple[Record, list[Diagnostic]]] = {}
        self.findings_day: datetime.date | None = None


def load_registry(root: Path, types: list[str], overlay: dict[str, bytes] | None = None, cache: ParseCache | None = None) -> Loaded:
    """Read every file; `overlay` adds files not yet on disk (path → content), e.g. a record
    that `liandong new` is about to write, so it is checked in the company of all the others."""
    records: list[Record] = []
    diagnostics: list[Diagnostic] = []
    overlay = dict(overlay or {})
    seen: dict[str, tuple[bytes, list[Diagnostic], Record | None]] = {}

    def add(type_name: str, rel: str, raw: bytes) -> None:
        known = cache.files.get(rel) if cache is not None else None
        if known is not None and known[0] == raw and (known[2] is None or known[2].type == type_name):
            found, record = known[1], known[2]
        else:
            loaded = load_bytes(rel, raw)
            found, record = loaded.diagnostics, None
            if loaded.data is not None and loaded.text is not None:
                record = Record(type_name, rel.rsplit("/", 1)[1][:-5], rel, loaded.data, loaded.text)
        seen[rel] = (raw, found, record)
        diagnostics.extend(found)
        if record is not None:
            records.append(record)

    with no_gc():
        for rel, raw in overlay.items():
            add(rel.split("/")[1], rel, raw)
        count = len(overlay)
        for item in _walk(root, types):
            if isinstance(item, Diagnostic):
                diagnostics.append(item)
                continue
            type_name, rel, file = item
            if rel in overlay:
                continue
            count += 1
            try:
                with open(file, "rb") as handle:
                    raw = handle.read()
            except OSError as err:
                diagnostics.append(Diagnostic(rel, "files.unreadable", f"无法读取文件：{err.strerror}", "请检查文件权限。", line=1, col=1))
                continue
            add(type_name, rel, raw)
    if cache is not None:
        cache.files = seen  # files gone since are forgotten
    return Loaded(records, diagnostics, count)
