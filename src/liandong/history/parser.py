"""An incremental parser of a record's consecutive versions: only the top-level entries whose
text changed are parsed again, and of a list that grew only its new items."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from liandong.yamlio.loader import decode, parse_text

# A record's top-level entries each start on a line at column 0; lines that start with a space,
# a tab, '#' or '-' (a sequence written at column 0) continue the entry above them.
_ENTRY_BREAK = re.compile(r"\n(?![ \t\r\n#-])")
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?:[ \t\r\n]|\Z)")
_COMMENTS = re.compile(r"(?:[ \t]*(?:#[^\n]*)?(?:\n|\Z))*")


def _items(key: str, entry: str) -> list[str] | None:
    """The items of a block sequence written under `key:` (each "- …" line with the more
    indented lines after it), or None when the entry is anything else."""
    head, _, body = entry.partition("\n")
    if head.rstrip(" ") != f"{key}:" or not body:
        return None
    items: list[list[str]] = []
    indent = -1
    for line in body.split("\n"):
        stripped = line.lstrip(" ")
        if not stripped or stripped[0] == "#":
            if not items:
                return None
            items[-1].append(line)
            continue
        depth = len(line) - len(stripped)
        starts_item = stripped[:2] == "- " or stripped == "-"
        if starts_item and (depth == indent or indent < 0):
            indent = depth
            items.append([line])
        elif depth > indent >= 0:
            items[-1].append(line)
        else:
            return None
    return ["\n".join(lines) for lines in items]


@dataclass
class _Known:
    key: str | None  # None for the comments before the first entry
    value: Any  # the entry's parsed value
    items: list[str] | None = None  # a sequence's item texts, once they were needed


class VersionParser:
    """Parses one record's versions in turn, each top-level entry only when its text changed,
    and of a list that grew only the new items.

    Consecutive versions of a record differ in an entry or two (a status, one more progress
    entry), and parsing is most of the cost. An entry that starts at column 0 ends where the
    next one starts: nothing it opens (a quote, a bracket, a block scalar) can reach past a line
    at column 0 that begins with a key, so an entry that parses alone parses the same in its
    file; likewise the items of a block sequence. The changed pieces are parsed together as one
    small document by the same strict loader and must give back exactly their own keys and item
    counts; anything else (an error, an unusual layout) is decided by parsing the whole file,
    which also decides whether a version is readable at all."""

    def __init__(self) -> None:
        self.known: dict[str, _Known] = {}  # the last version that parsed: entry text → entry
        self.pieces: dict[str, str] = {}  # its entry texts by key

    def parse(self, raw: bytes | None) -> dict[str, Any] | None:
        if raw is None:
            return None
        text, _problems = decode("", raw)
        if text is None:
            return None
        pieces = _ENTRY_BREAK.split(text)
        if pieces[-1] == "":
            pieces.pop()
        unique = len(set(pieces)) == len(pieces)
        if self.known and pieces and unique:
            data = self._parse_changes(pieces)
            if data is not None:
                return data
        data, _problems = parse_text("", text)
        self.known, self.pieces = {}, {}
        if data is not None and unique:
            keys = [match[1] if (match := _KEY.match(piece)) else None for piece in pieces]
            if None not in keys[1:] and [k for k in keys if k is not None] == list(data):
                self._keep(pieces, {piece: _Known(key, data[key] if key is not None else None) for piece, key in zip(pieces, keys)})
        return data

    def _keep(self, pieces: list[str], entries: dict[str, _Known]) -> dict[str, Any] | None:
        """Remember a version's entries; its data, or None when a key is written twice."""
        data: dict[str, Any] = {}
        self.known, self.pieces = {}, {}
        for piece in pieces:
            entry = self.known[piece] = entries[piece]
            if entry.key is not None:
                if entry.key in data:
                    self.known, self.pieces = {}, {}
                    return None
                data[entry.key] = entry.value
                self.pieces[entry.key] = piece
        return data

    def _parse_changes(self, pieces: list[str]) -> dict[str, Any] | None:
        known = self.known
        texts: list[str] = []
        plan: list[tuple[str, str, list[Any] | None, int, list[str] | None]] = []  # piece, key, kept items, new items, item texts
        for piece in pieces:
            if piece in known:
                continue
            match = _KEY.match(piece)
            if match is None:
                if piece is pieces[0] and _COMMENTS.fullmatch(piece):
                    plan.append((piece, "", None, 0, None))  # comments before the first entry
                    continue
                return None
            key = match[1]
            before_piece = self.pieces.get(key)
            before = known[before_piece] if before_piece is not None else None
            items = _items(key, piece) if before is not None and isinstance(before.value, list) else None
            if items is not None and before is not None and before_piece is not None:
                if before.items is None:
                    before.items = _items(key, before_piece)
                same = 0
                if before.items is not None and len(before.items) == len(before.value):
                    for a, b in zip(before.items, items):
                        if a != b:
                            break
                        same += 1
                if same:
                    plan.append((piece, key, before.value[:same], len(items) - same, items))
                    if same < len(items):
                        texts.append(f"{key}:\n" + "\n".join(items[same:]))
                    continue
            plan.append((piece, key, None, 0, items))
            texts.append(piece)
        part: dict[str, Any] | None = {}
        if texts:
            part, _problems = parse_text("", "\n".join(texts) + "\n")
            if part is None or list(part) != [key for _, key, kept, count, _ in plan if key and (kept is None or count)]:
                return None
        assert part is not None
        entries = dict(known)
        for piece, key, kept, count, items in plan:
            if not key:
                entries[piece] = _Known(None, None)
                continue
            value = part[key] if kept is None else kept
            if kept is not None and count:
                tail = part[key]
                if not isinstance(tail, list) or len(tail) != count:
                    return None
                value = kept + tail
            entries[piece] = _Known(key, value, items)
        return self._keep(pieces, entries) or None  # None: no entry at all, or a key twice
