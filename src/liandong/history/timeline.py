"""What the site tells of a record's history: its events grouped by commit, in plain terms.

history.py says what changed in Git; this module decides what a reader is shown of it: one
entry per commit, oldest first on a record page and newest first registry-wide, with the
status, deadline and append-only entries spelled out and any other field edit named. The
values stay raw (ids, codes, dates): the templates turn them into links and Chinese labels."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from liandong.history.types import Commit, Event, History
from liandong.model.model import Model

RECENT_COMMITS = 200  # on the recent-changes page
FEED_COMMITS = 50  # in the Atom feed
# Fields whose changes are told by an event of their own, or are bookkeeping (and the schemas'
# history lists, passed to entries()).
_TOLD = frozenset({"status", "deadline", "id"})
# A block filled once, at a step of the lifecycle, and told like a new history entry when it is:
# the 签收 of a task or matter (#15): "新增签收情况：2026-09-10（某市住房和城乡建设局）".
_TOLD_WHEN_FILLED = frozenset({"acknowledgement"})


@dataclass
class Entry:
    """What one commit did to one record."""

    commit: Commit
    created: bool = False
    deleted: bool = False
    status: tuple[Any, Any] | None = None  # (old, new) codes
    deadline: tuple[Any, Any] | None = None  # (old, new) dates
    extension: dict[str, Any] | None = None  # the extension that justified the deadline change
    added: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (list field, new entry)
    fields: list[str] = field(default_factory=list)  # other top-level fields edited

    @property
    def changed(self) -> bool:
        """Whether the commit did more to the record than create it."""
        return bool(self.deleted or self.status or self.deadline or self.added or self.fields)

    @property
    def empty(self) -> bool:
        return not (self.created or self.changed)

    @property
    def only_created(self) -> bool:
        return self.created and not self.changed


def entries(events: list[Event], history_lists: Iterable[str]) -> list[Entry]:
    """A record's events (oldest first) as one entry per commit, oldest first. A change to one of
    `history_lists` (the schemas' x-append-only fields) is told by its new entries, not as 修改."""
    told = _TOLD | set(history_lists)
    out: list[Entry] = []
    for event in events:
        if not out or out[-1].commit.sha != event.commit.sha:
            out.append(Entry(event.commit))
        entry = out[-1]
        if event.kind == "created":
            entry.created = True
        elif event.kind == "deleted":
            entry.deleted = True
        elif event.kind == "status":
            entry.status = (event.old, event.new)
        elif event.kind == "deadline":
            entry.deadline = (event.old, event.new)
            entry.extension = event.extension
        elif event.kind == "extension":
            # Told with the deadline it moved; on its own only when the deadline stayed put.
            if not _same_extension(event.new, entry.extension):
                entry.added.append(("extensions", event.new))
        elif event.kind in ("progress", "decision", "entry"):
            entry.added.append((event.field or "", event.new))
        elif event.kind == "changed" and event.field in _TOLD_WHEN_FILLED and event.old is None and isinstance(event.new, dict) and not entry.created:
            entry.added.append((event.field or "", event.new))
        elif event.kind == "changed" and event.field not in told and not entry.created:
            entry.fields.append(event.field or "")
    # An extension read before its deadline event in the same commit is told twice otherwise.
    for entry in out:
        if entry.extension is not None:
            entry.added = [(name, value) for name, value in entry.added if not (name == "extensions" and _same_extension(value, entry.extension))]
    return [entry for entry in out if not entry.empty]


def _same_extension(a: Any, b: Any) -> bool:
    return a is not None and b is not None and a == b


@dataclass
class Change:
    """One commit on the recent-changes page or in the feed, with what it did to each record."""

    commit: Commit
    records: list[tuple[str, Entry]]  # (record id, what happened to it), by id

    @property
    def created(self) -> list[str]:
        """Records the commit only created: an import of seventy records is named in one list."""
        return [rid for rid, entry in self.records if entry.only_created]

    @property
    def edited(self) -> list[tuple[str, Entry]]:
        return [(rid, entry) for rid, entry in self.records if not entry.only_created]


class Timeline:
    """The history the site shows: per record, and registry-wide."""

    def __init__(self, history: History, model: Model) -> None:
        self.history = history
        self.model = model
        lists = model.schemas.append_only
        self._entries = {rid: entries(record.events, lists) for rid, record in history.records.items() if rid in model.items}

    @property
    def available(self) -> bool:
        return self.history.available

    @property
    def note(self) -> str:
        return self.history.note

    def of(self, record_id: str) -> list[Entry]:
        return self._entries.get(record_id, [])

    def complete(self, record_id: str) -> bool:
        """False when the record's first commits are missing (a shallow clone's boundary)."""
        record = self.history.records.get(record_id)
        return record is None or record.complete

    def url(self, commit: Commit) -> str | None:
        return self.history.url(commit)

    def recent(self, limit: int = RECENT_COMMITS) -> list[Change]:
        """The newest commits that changed published records, newest first."""
        changes = []
        for commit, touched in self.history.commits:
            records = [
                (rid, entry) for rid in sorted(touched) if rid in self.model.items for entry in self._entries.get(rid, []) if entry.commit.sha == commit.sha
            ]
            if records:
                changes.append(Change(commit, records))
                if len(changes) == limit:
                    break
        return changes


# Who made a commit, as a reader is shown it: the Git author names the maintainers' tools set
# (often English) mapped to a Chinese name; any other name with Latin letters is shown as
# FALLBACK_AUTHOR, a name written in Chinese ("某市自然资源局 李明") as it is.
AUTHOR_NAMES = {
    "Seed b3e27ae3 maintainers": "登记册维护人员",
    "github-actions[bot]": "自动更新",
}
FALLBACK_AUTHOR = "登记册维护人员"


def display_author(name: str) -> str:
    """The author of a commit as the site and the feed show it, never an English name."""
    if name in AUTHOR_NAMES:
        return AUTHOR_NAMES[name]
    return FALLBACK_AUTHOR if any("a" <= c.lower() <= "z" for c in name) or not name.strip() else name


def summary(item: Any, entry: Entry) -> str:
    """An entry in one line of plain Chinese text, for the feed: 状态 已交办 → 办理中；新增办理进度 …"""
    schema = item.schema
    parts = []
    if entry.created:
        parts.append("创建记录")
    if entry.deleted:
        parts.append("删除记录")
    if entry.status:
        labels = schema.enum_labels(("status",))
        old, new = (labels.get(s, s) if s else "（无）" for s in entry.status)
        parts.append(f"状态 {old} → {new}")
    if entry.deadline:
        old, new = (d or "（无）" for d in entry.deadline)
        parts.append(f"{schema.label(('deadline',))} {old} → {new}")
    parts.extend(f"新增{schema.label((name, 0))}" for name, _ in entry.added)
    if entry.fields:
        parts.append("修改" + "、".join(schema.label((name,)) for name in entry.fields))
    return "；".join(parts)
