"""Find and read the registry's files: `registry/<type>/<id>.yaml`, nothing else, nothing skipped."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from .diagnostics import Diagnostic
from .load import load_bytes

REGISTRY_DIR = "registry"
SCHEMAS_DIR = "schemas"


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


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` that holds both registry/ and schemas/."""
    for folder in (start, *start.parents):
        if (folder / REGISTRY_DIR).is_dir() and (folder / SCHEMAS_DIR).is_dir():
            return folder
    return None


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _misplaced(path: str, types: Iterable[str]) -> Diagnostic:
    return Diagnostic(path, "files.unknown-folder", "文件不在任何记录类型的文件夹中，不会被读取",
                      f"记录应放在 registry/<类型>/<编号>.yaml，类型为：{'、'.join(types)}。", line=1, col=1)


def _walk(root: Path, types: list[str]) -> Iterable[tuple[str, Path] | Diagnostic]:
    """Every file under registry/, as (type, path) when it is where a record belongs."""
    registry = root / REGISTRY_DIR
    real_root = root.resolve()
    for folder, dirnames, filenames in os.walk(registry):
        here = Path(folder)
        for name in sorted(dirnames):
            sub = here / name
            if sub.is_symlink():
                yield _symlink(root, sub, real_root, directory=True)
        dirnames[:] = sorted(d for d in dirnames if not (here / d).is_symlink())
        for name in sorted(filenames):
            file = here / name
            rel = _rel(root, file)
            if file.is_symlink():
                target = file.resolve()
                if not target.is_relative_to(real_root) or not target.is_file():
                    yield _symlink(root, file, real_root, directory=False)
                    continue
            parts = file.relative_to(registry).parts
            if len(parts) != 2 or parts[0] not in types:
                yield _misplaced(rel, types)
            elif not file.is_file():  # a FIFO or device would block or mislead the reader
                yield Diagnostic(rel, "files.unreadable", "不是普通文件，无法作为记录读取", "请换成普通的 .yaml 文本文件。", line=1, col=1)
            elif not name.endswith(".yaml"):
                hint = f"请把文件改名为 {name[:-4]}.yaml。" if name.endswith(".yml") else "类型文件夹中只能放 .yaml 记录文件。"
                yield Diagnostic(rel, "files.wrong-extension", "记录文件的扩展名必须是 .yaml", hint, line=1, col=1)
            else:
                yield parts[0], file


def _symlink(root: Path, link: Path, real_root: Path, directory: bool) -> Diagnostic:
    target = link.resolve()
    if not target.is_relative_to(real_root):
        message = f"符号链接指向仓库以外的 {os.readlink(link)}，已拒绝读取"
    elif directory:
        message = "不支持指向文件夹的符号链接"
    else:
        message = f"符号链接指向的 {os.readlink(link)} 不存在"
    return Diagnostic(_rel(root, link), "files.symlink", message, "请把记录文件本身放进登记册，而不是链接。", line=1, col=1)


def load_registry(root: Path, types: list[str], overlay: dict[str, bytes] | None = None) -> Loaded:
    """Read every file; `overlay` adds files not yet on disk (path → content), e.g. a record
    that `liandong new` is about to write, so it is checked in the company of all the others."""
    records: list[Record] = []
    diagnostics: list[Diagnostic] = []
    count = 0
    overlay = dict(overlay or {})
    for rel, raw in overlay.items():
        type_name = rel.split("/")[1]
        count += 1
        loaded = load_bytes(rel, raw)
        diagnostics.extend(loaded.diagnostics)
        if loaded.data is not None and loaded.text is not None:
            records.append(Record(type_name, rel.rsplit("/", 1)[1][:-5], rel, loaded.data, loaded.text))
    for item in _walk(root, types):
        if isinstance(item, Diagnostic):
            diagnostics.append(item)
            continue
        type_name, file = item
        rel = _rel(root, file)
        if rel in overlay:
            continue
        count += 1
        try:
            raw = file.read_bytes()
        except OSError as err:
            diagnostics.append(Diagnostic(rel, "files.unreadable", f"无法读取文件：{err.strerror}", "请检查文件权限。", line=1, col=1))
            continue
        loaded = load_bytes(rel, raw)
        diagnostics.extend(loaded.diagnostics)
        if loaded.data is not None and loaded.text is not None:
            records.append(Record(type_name, file.name[:-5], rel, loaded.data, loaded.text))
    return Loaded(records, diagnostics, count)
