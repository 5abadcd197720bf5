"""Consecutive versions of a record compared field by field into events."""

from __future__ import annotations

from collections.abc import Iterable
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


def record_history(
    rid: str, steps: list[Step], versions: dict[str, dict[str, Any] | None], strip: int, at_head: bool, events: dict[str, str], unknown_boundary: bool
) -> RecordHistory | None:
    """One record's history from its steps and parsed versions (None: did not parse)."""
    history = RecordHistory(rid)
    paths: set[str] = set()  # where the record is after the latest step
    last_sha: str | None = None
    last: dict[str, Any] | None = None  # the last version that parsed
    seen: dict[str, set[str]] = {}  # keys of the entries ever seen, per append-only list
    seen_lists: dict[str, Any] = {}  # the lists already counted (the parser shares unchanged items)
    deleted_in: Commit | None = None
    touches = 0
    first = True

    def remember(sha: str, data: dict[str, Any]) -> None:
        nonlocal last_sha, last
        for name in events:
            entries, previous = data.get(name), seen_lists.get(name)
            if isinstance(entries, list) and entries is not previous:
                counted = {id(e) for e in previous} if isinstance(previous, list) else set()
                seen.setdefault(name, set()).update(_entry_key(e) for e in entries if id(e) not in counted)
                seen_lists[name] = entries
        last_sha, last = sha, data

    for step in steps:
        commit = step.commit
        old_sha: str | None = None
        new: tuple[str, str, str] | None = None  # (mode, blob, path) of the version the commit leaves
        for mode, before, after, path in step.changes:
            if not is_null(before):
                old_sha = before  # a modification, or the path a moved record left
            if is_null(after):
                paths.discard(path)
            else:
                paths.add(path)
                new = (mode, after, path)
        if not step.boundary:
            history.last_changed = commit
            touches += 1
        if new is None:  # gone from every path it had
            if not paths and not step.boundary:
                deleted_in = commit
            continue
        mode, sha, path = new
        history.path = path[strip:]
        data = versions.get(sha) if mode in BLOB_MODES else None
        if data is None and not step.boundary:
            history.skipped.append(commit)
        if first:
            first = False
            if step.boundary or unknown_boundary:
                history.complete = False
            else:
                history.created = commit
                history.events.append(Event(commit, "created", None, None, data.get("title") if data else None))
        elif data is not None and not step.boundary:
            # Compared with this commit's own parent version where there is one (right across
            # merged branches), else with the last version seen (after a deletion or a bad one).
            old = last if old_sha is None or old_sha == last_sha else (versions.get(old_sha) or last)
            if old is not None:
                history.events.extend(_diff(commit, old, data, seen, events))
        if data is not None:
            remember(sha, data)
    if not at_head and deleted_in is not None:
        history.events.append(Event(deleted_in, "deleted", None, last.get("title") if last else None, None))
    if touches == 0 and not at_head:
        return None  # only ever seen at a shallow boundary, and gone since: nothing is known
    return history


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
            known, kept = seen.get(name, set()), {id(e) for e in before or ()}  # items the parser carried over
            added[name] = [e for e in after if id(e) not in kept and _entry_key(e) not in known]
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
