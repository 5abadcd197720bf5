"""The two sides of a change, record by record: the working tree's versions, and the pairs,
additions and deletions found by matching them with the base's (by path, then by id)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from liandong.validation.files import load_registry


@dataclass
class Version:
    """One side of a record: its file and, when it parsed, its data."""

    path: str  # repository-relative POSIX path
    type: str  # folder name
    id: str  # file stem
    data: dict[str, Any] | None  # None when the file does not parse
    text: str | None
    link: bool = False  # a symlink in the base (its data, if any, is what it pointed to there)

    @property
    def title(self) -> str:
        title = self.data.get("title") if self.data else None
        return title if isinstance(title, str) else ""


@dataclass
class Pair:
    base: Version
    head: Version

    @property
    def renamed(self) -> bool:
        return self.base.id != self.head.id

    @property
    def unchanged(self) -> bool:
        return self.base.path == self.head.path and self.base.text == self.head.text and not self.base.link

    @property
    def made_internal(self) -> bool:
        """A public record (visibility public or left out) made internal: it leaves the public site."""
        old, new = self.base.data or {}, self.head.data or {}
        return old.get("visibility") != "internal" and new.get("visibility") == "internal"


@dataclass
class Comparison:
    pairs: list[Pair]  # present on both sides and parsed on both (moved and renamed included)
    added: list[Version]
    deleted: list[Version]
    skipped: list[tuple[str, str]]  # (path, which side) not compared because that side does not parse


def read_head(root: Path, types: list[str]) -> list[Version]:
    """The working tree's records; a file that is there but does not parse is a Version without
    data. A symlink (or FIFO, or folder) where a record belongs is not the record."""
    loaded = load_registry(root, types)
    found = [Version(r.path, r.type, r.id, r.data, r.text) for r in loaded.records]
    parsed = {v.path for v in found}
    for diagnostic in loaded.diagnostics:
        parts = PurePosixPath(diagnostic.path).parts
        if len(parts) == 3 and parts[1] in types and parts[2].endswith(".yaml") and diagnostic.path not in parsed:
            file = root / diagnostic.path
            if file.is_symlink() or not file.is_file():
                continue
            parsed.add(diagnostic.path)
            found.append(Version(diagnostic.path, parts[1], parts[2][:-5], None, None))
    return found


def compare(base: list[Version], head: list[Version]) -> Comparison:
    by_path = {v.path: v for v in head}
    matched: list[tuple[Version, Version]] = []
    unmatched: list[Version] = []
    for old in sorted(base, key=lambda v: v.path):
        new = by_path.pop(old.path, None)
        if new is None:
            unmatched.append(old)
        else:
            matched.append((old, new))
    by_id: dict[str, list[Version]] = {}
    for new in sorted(by_path.values(), key=lambda v: v.path):
        by_id.setdefault(new.id, []).append(new)
    deleted = []
    for old in unmatched:  # in another folder, same id: the same record (check_changes judges the move)
        candidates = by_id.get(old.id)
        if candidates:
            matched.append((old, candidates.pop(0)))
        else:
            deleted.append(old)
    added = sorted((v for vs in by_id.values() for v in vs), key=lambda v: v.path)
    # A base symlink that led nowhere is still a record position: deleting it is deleting a record.
    skipped = sorted(
        {(new.path, _unparsed(old, new)) for old, new in matched if old.data is None or new.data is None}
        | {(v.path, "基准版本") for v in deleted if v.data is None and not v.link}
        | {(v.path, "当前版本") for v in added if v.data is None}
    )
    pairs = [Pair(old, new) for old, new in matched if old.data is not None and new.data is not None]
    deleted = [v for v in deleted if v.data is not None or v.link]
    added = [v for v in added if v.data is not None]
    # A record that vanished while one of the same type and title appeared: its id was changed.
    for old in list(deleted):
        twin = next((v for v in added if v.type == old.type and v.title and v.title == old.title), None)
        if twin is not None:
            deleted.remove(old)
            added.remove(twin)
            pairs.append(Pair(old, twin))
    pairs.sort(key=lambda p: p.head.path)
    return Comparison(pairs, added, deleted, skipped)


def _unparsed(old: Version, new: Version) -> str:
    return "两个版本都" if old.data is None and new.data is None else "基准版本" if old.data is None else "当前版本"
