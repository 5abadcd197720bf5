"""Each tracked item's schedule (#20), the facts the task timeline draws: when it was assigned, the
deadline it was first given, each approved extension, the deadline now, when it was carried out,
and its state today in the badges' own words. Items are grouped by where they come from (a clause
or a meeting's decision). site/gantt.py draws it; the page's table lists the same bars in text."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from liandong.model import clauses
from liandong.model.model import Item, Model
from liandong.model.status import Status, as_date, deadline, finished, is_open, started
from liandong.validation.rules.dates import extended_deadline


@dataclass(frozen=True)
class Extension:
    """One approved extension: requested on `requested`, from `previous` (None when not recorded) to `new`."""

    requested: datetime.date
    previous: datetime.date | None
    new: datetime.date
    approver: str  # the approving unit's name


@dataclass(frozen=True)
class Bar:
    """One item on the timeline.

    item: the task or matter
    start: 交办 (or 提出) date
    first_deadline: the deadline it was given before any extension; None when no extension records it
    deadline: its deadline now
    extensions: the approved extensions, oldest first
    done: when it was carried out, None while open
    state: overdue, due-soon, on-time, late, open or closed (a closed item without a completion date)
    label: the state in the badges' words (逾期 12 天, 按期办结…)
    """

    item: Item
    start: datetime.date
    first_deadline: datetime.date | None
    deadline: datetime.date
    extensions: tuple[Extension, ...]
    done: datetime.date | None
    state: str
    label: str


@dataclass(frozen=True)
class Group:
    """The bars of one source: a clause (三(一)1 明确园区管理权限) or a meeting's decision."""

    label: str
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Schedule:
    """The timeline of a set of items.

    groups: the items drawn, by source, each group by start: those with both a start and a
        deadline, the most pressing first when there are more than the limit (open ones by
        deadline, then the latest carried out)
    omitted: how many items with a start and a deadline were left out by the limit
    undrawn: how many items have no start or no deadline (nothing to draw)
    first, last: the span the timeline covers (today included)
    today: the day it describes
    """

    groups: tuple[Group, ...]
    omitted: int
    undrawn: int
    first: datetime.date
    last: datetime.date
    today: datetime.date

    @property
    def bars(self) -> list[Bar]:
        return [bar for group in self.groups for bar in group.bars]


STATE_BADGES = ("overdue", "due-soon", "late", "on-time")  # the badges that say how a deadline stands, in that order


def _extensions(status: Status, item: Item) -> tuple[Extension, ...]:
    entries = [e for e in item.data.get("extensions", []) if isinstance(e, dict)]
    found = []
    for i, entry in enumerate(entries):
        requested, new = as_date(entry.get("requested")), as_date(entry.get("new_deadline"))
        if requested is not None and new is not None:
            found.append(Extension(requested, as_date(extended_deadline(entries, i)), new, status.unit_name(str(entry.get("approved_by", "")))))
    return tuple(found)


def _state(status: Status, item: Item) -> tuple[str, str]:
    badges = {b.code: b.label for b in status.badges(item)}
    for code in STATE_BADGES:
        if code in badges:
            return code, badges[code]
    return ("open", "办理中") if is_open(item) else ("closed", item.status_label)


def _source(model: Model, item: Item) -> tuple[str, str]:
    """(sort key, label) of where an item comes from."""
    source: Any = item.data.get("source") or {}
    if item.type == "coordination":
        return "~coordination", "协调事项"
    if "meeting" in source:
        meeting = model.get(str(source["meeting"]))
        name = meeting.title if meeting is not None else "会议"
        return (
            f"m{meeting.data.get('date', '') if meeting else ''}{source['meeting']}#{source.get('decision', 0):04d}",
            f"{name} 第 {source.get('decision')} 项议定事项",
        )
    if "clause" in source:
        document = model.get(str(source.get("document", "")))
        # One group per clause however its brackets are written, in the document's order; a part the
        # document does not list (第六条第二款 of 第六条) by its own number, without the article's heading.
        cited = str(source["clause"])
        listed = clauses.entry(cited, document.data.get("clauses")) if document else None
        label = f"{listed['number']} {listed.get('heading', '')}" if listed is not None and clauses.same(listed["number"], cited) else cited
        return f"c{source.get('document')}#{clauses.sort_text(cited)}", label.strip()
    return "~", "其他"


def _pressing(bar: Bar) -> tuple[int, int, str]:
    """Open items by deadline first, then the latest carried out."""
    return (0, bar.deadline.toordinal(), bar.item.id) if bar.done is None else (1, -bar.done.toordinal(), bar.item.id)


def schedule(status: Status, items: list[Item], limit: int) -> Schedule:
    """The timeline of `items` (tracked ones: tasks and matters) on status.today, at most `limit` bars."""
    bars, undrawn = [], 0
    for item in items:
        begin, due = started(item), deadline(item)
        if begin is None or due is None:
            undrawn += 1
            continue
        extensions = _extensions(status, item)
        first = extensions[0].previous if extensions else due
        state, label = _state(status, item)
        bars.append(Bar(item, begin, first, due, extensions, finished(item), state, label))
    kept = sorted(bars, key=_pressing)[:limit]
    groups: dict[tuple[str, str], list[Bar]] = {}
    for bar in kept:
        groups.setdefault(_source(status.model, bar.item), []).append(bar)
    days = [status.today] + [d for b in kept for d in (b.start, b.deadline, b.done, b.first_deadline) if d is not None]
    ordered = tuple(Group(label, tuple(sorted(found, key=lambda b: (b.start, b.item.id)))) for (_key, label), found in sorted(groups.items()))
    return Schedule(ordered, len(bars) - len(kept), undrawn, min(days), max(days), status.today)
