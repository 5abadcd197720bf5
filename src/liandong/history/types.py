"""The history's data: commits, events, each record's history and the whole history.

Event values share objects with each other (an unchanged list is the same list in every
version): treat them as read-only."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field
from typing import Any

KINDS = ("created", "status", "deadline", "progress", "extension", "decision", "entry", "changed", "deleted")


@dataclass(frozen=True)
class Commit:
    sha: str
    date: datetime.datetime  # author date, timezone-aware, in the author's own offset
    author: str
    subject: str

    @property
    def short(self) -> str:
        return self.sha[:7]


@dataclass(frozen=True)
class Event:
    """One change to one record in one commit.

    kind       field        old → new
    created    None         None → title (None when that first version did not parse)
    status     "status"     previous status → new status
    deadline   "deadline"   previous deadline → new one; `extension` is the extension entry
                            added in the same commit (approved_by, new_deadline, reason…) or None
    progress   "progress"   None → the new progress entry
    extension  "extensions" None → the new extension entry
    decision   "decisions"  None → the new meeting decision
    entry      field name   None → the new entry of another history list (a reminder, a reopening)
    changed    field name   previous value → new value (None when absent), one per top-level field
    deleted    None         last known title → None
    """

    commit: Commit
    kind: str
    field: str | None
    old: Any
    new: Any
    extension: dict[str, Any] | None = None


@dataclass
class RecordHistory:
    id: str
    events: list[Event] = field(default_factory=list)  # oldest first
    created: Commit | None = None  # None when unknown: first seen at a shallow clone's boundary
    last_changed: Commit | None = None  # the last commit that touched the record's file
    complete: bool = True  # False when the first appearance is at a shallow boundary
    path: str = ""  # the last path the record had, e.g. registry/tasks/task-0001.yaml
    skipped: list[Commit] = field(default_factory=list)  # versions that did not parse, left out


@dataclass
class History:
    available: bool  # False: no Git history at all (`note` says why)
    shallow: bool = False
    note: str = ""  # Chinese, for the site; "" when the history is complete
    commit_url: str | None = None  # e.g. "https://github.com/OWNER/REPO/commit/{sha}"
    records: dict[str, RecordHistory] = field(default_factory=dict)  # by id, sorted
    commits: list[tuple[Commit, list[str]]] = field(default_factory=list)  # newest first, ids touched
    detail: str = ""  # the underlying error, for the command line, never for the site

    def for_records(self, ids: set[str]) -> History:
        """The same history restricted to `ids`: other records are gone, and so are the commits
        that touched none of them (their subjects may speak of internal records). As in
        Model.public(), a kept record's events lose their references to the records left out
        (a lead that was once an internal organisation), and an event left with nothing to
        tell is dropped."""
        commits = []
        for commit, touched in self.commits:
            kept = [i for i in touched if i in ids]
            if kept:
                commits.append((commit, kept))
        hidden = frozenset(self.records) - ids
        records = {i: _redacted(r, hidden) if hidden else r for i, r in self.records.items() if i in ids}
        return History(self.available, self.shallow, self.note, self.commit_url, records, commits, self.detail)

    def url(self, commit: Commit) -> str | None:
        return self.commit_url.replace("{sha}", commit.sha) if self.commit_url else None


def _redacted(record: RecordHistory, hidden: frozenset[str]) -> RecordHistory:
    # Imported here: a history loaded from the cache needs none of the validation it brings.
    from liandong.model.visibility import mentions, without

    events, changed = [], False
    for event in record.events:
        if not any(mentions(v, hidden) for v in (event.old, event.new, event.extension)):
            events.append(event)
            continue
        changed = True
        old, new = without(event.old, hidden), without(event.new, hidden)
        if old != new or event.kind in ("created", "deleted"):
            events.append(dataclasses.replace(event, old=old, new=new, extension=without(event.extension, hidden)))
    return dataclasses.replace(record, events=events) if changed else record
