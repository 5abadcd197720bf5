"""Consecutive versions of a record compared field by field into events.

A record's history is built by a RecordState fed the record's steps in order; the state keeps
what the next step needs (where the file is, the last version that parsed, the entries already
seen), so the history cache (cache.py) can save it and later feed it only the commits made
since. record_history() is the whole history in one call."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from liandong.history.gitlog import BLOB_MODES, Step, is_null
from liandong.history.types import Commit, Event, RecordHistory

# The history lists (x-append-only in the schemas) whose new entries are events of their own:
# these three have a kind of their own, every other one (reminders, reopenings…) is an "entry".
ENTRY_KINDS = {"extensions": "extension", "progress": "progress", "decisions": "decision"}


def entry_events(append_only: Iterable[str]) -> dict[str, str]:
    """Field name → event kind for each history list; the three of their own first, in their
    order, so a commit's events keep a fixed order (extension, progress, decision, others)."""
    own = list(ENTRY_KINDS)
    ordered = sorted(dict.fromkeys(append_only), key=lambda name: own.index(name) if name in own else len(own))
    return {name: ENTRY_KINDS.get(name, "entry") for name in ordered}


@dataclass
class RecordState:
    """One record's history so far, and what the next step needs to go on with it."""

    history: RecordHistory
    paths: set[str] = field(default_factory=set)  # where the record is after the latest step
    last_sha: str | None = None
    last: dict[str, Any] | None = None  # the last version that parsed
    seen: dict[str, set[str]] = field(default_factory=dict)  # keys of the entries ever seen, per history list
    deleted_in: Commit | None = None
    touches: int = 0  # steps that were not at a shallow boundary
    first: bool = True  # no step yet
    # The lists already counted into `seen` (the parser shares unchanged items): only spares work.
    seen_lists: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def feed(self, steps: Iterable[Step], versions: Mapping[str, dict[str, Any] | None], strip: int, events: dict[str, str], unknown_boundary: bool) -> None:
        """Go on with the record's next steps, oldest first; `versions`: blob → parsed version."""
        history = self.history
        for step in steps:
            commit = step.commit
            old_sha: str | None = None
            new: tuple[str, str, str] | None = None  # (mode, blob, path) of the version the commit leaves
            for mode, before, after, path in step.changes:
                if not is_null(before):
                    old_sha = before  # a modification, or the path a moved record left
                if is_null(after):
                    self.paths.discard(path)
                else:
                    self.paths.add(path)
                    new = (mode, after, path)
            if not step.boundary:
                history.last_changed = commit
                self.touches += 1
            if new is None:  # gone from every path it had
                if not self.paths and not step.boundary:
                    self.deleted_in = commit
                continue
            mode, sha, path = new
            history.path = path[strip:]
            data = versions.get(sha) if mode in BLOB_MODES else None
            if data is None and not step.boundary:
                history.skipped.append(commit)
            if self.first:
                self.first = False
                if step.boundary or unknown_boundary:
                    history.complete = False
                else:
                    history.created = commit
                    history.events.append(Event(commit, "created", None, None, data.get("title") if data else None))
            elif data is not None and not step.boundary:
                # Compared with this commit's own parent version where there is one (right across
                # merged branches), else with the last version seen (after a deletion or a bad one).
                last = self.last
                old = last if old_sha is None or old_sha == self.last_sha else (versions.get(old_sha) or last)
                if old is not None:
                    history.events.extend(_diff(commit, old, data, self.seen, events))
            if data is not None:
                self._remember(sha, data, events)

    def _remember(self, sha: str, data: dict[str, Any], events: dict[str, str]) -> None:
        seen, seen_lists = self.seen, self.seen_lists
        for name in events:
            entries, previous = data.get(name), seen_lists.get(name)
            if isinstance(entries, list) and entries is not previous:
                counted = {id(e) for e in previous} if isinstance(previous, list) else set()
                seen.setdefault(name, set()).update(_entry_key(e) for e in entries if id(e) not in counted)
                seen_lists[name] = entries
        self.last_sha, self.last = sha, data

    def result(self, at_head: bool) -> RecordHistory | None:
        """The history as it stands, for a record that is (`at_head`) or is not in HEAD's tree; the
        state itself is left as it is, to go on with. None: only ever seen at a shallow boundary,
        and gone since: nothing is known."""
        if self.touches == 0 and not at_head:
            return None
        if not at_head and self.deleted_in is not None:
            last = self.last
            deleted = Event(self.deleted_in, "deleted", None, last.get("title") if last else None, None)
            return dataclasses.replace(self.history, events=[*self.history.events, deleted], skipped=list(self.history.skipped))
        return self.history

    def __getstate__(self) -> dict[str, Any]:
        # seen_lists holds only identities, which mean nothing once saved.
        return {**self.__dict__, "seen_lists": {}}


def record_history(
    rid: str, steps: list[Step], versions: Mapping[str, dict[str, Any] | None], strip: int, at_head: bool, events: dict[str, str], unknown_boundary: bool
) -> RecordHistory | None:
    """One record's history from its steps and parsed versions (None: did not parse)."""
    state = RecordState(RecordHistory(rid))
    state.feed(steps, versions, strip, events, unknown_boundary)
    return state.result(at_head)


def _entry_key(entry: Any) -> str:
    return repr(sorted(entry.items())) if isinstance(entry, dict) else repr(entry)


def _diff(commit: Commit, old: dict[str, Any], new: dict[str, Any], seen: dict[str, set[str]], entry_kinds: dict[str, str]) -> list[Event]:
    """The events between two parsed versions, in a fixed order: status, deadline, new extension,
    progress and decision entries, then every other changed top-level field in the file's order."""
    events: list[Event] = []
    if old.get("status") != new.get("status"):
        events.append(Event(commit, "status", "status", old.get("status"), new.get("status")))
    added: dict[str, list[Any]] = {}
    for name in entry_kinds:
        before, after = old.get(name), new.get(name)
        if before is not after and before != after and isinstance(after, list) and (before is None or isinstance(before, list)):
            # New: neither seen before nor in the version it is compared with. The identities
            # only spare work (items the parser carried over); the answer is by value, so it is
            # the same whichever versions were parsed together.
            known, previous = seen.get(name, set()), before or []
            kept = {id(e) for e in previous}
            added[name] = [e for e in after if id(e) not in kept and _entry_key(e) not in known and e not in previous]
    if old.get("deadline") != new.get("deadline"):
        extension = next((e for e in reversed(added.get("extensions", [])) if isinstance(e, dict)), None)
        events.append(Event(commit, "deadline", "deadline", old.get("deadline"), new.get("deadline"), extension))
    for name, kind in entry_kinds.items():
        events.extend(Event(commit, kind, name, None, entry) for entry in added.get(name, []))
    for name in _ordered_keys(old, new):
        # A list that gained entries is told by those entries; one that only lost or reordered
        # some (which `check-changes` refuses) is an ordinary change.
        if name in ("status", "deadline") or added.get(name):
            continue
        before, after = old.get(name), new.get(name)
        if (name in old) != (name in new) or (before is not after and before != after):
            events.append(Event(commit, "changed", name, before, after))
    return events


def _ordered_keys(old: dict[str, Any], new: dict[str, Any]) -> Iterable[str]:
    yield from new
    yield from (k for k in old if k not in new)
