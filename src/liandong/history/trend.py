"""How many tracked items were open, overdue and carried out at each month's end (#20), as the
registry recorded them then: each item's state and deadline at a moment are read from its
history (the status and deadline it had after the last commit before that moment). The current
month ends today, so its figures are the site's figures of today. Facts, not scores: a trend is
of one set of items (the registry, a unit's, a mechanism's), never a comparison of units."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from liandong.history.types import Event, History
from liandong.model.model import Item
from liandong.model.today import ZONE


@dataclass(frozen=True)
class MonthCount:
    """The items at the end of one month (for the current month: today).

    day: the day counted (a month's last day, or today)
    label: 2026年11月
    open: recorded and not carried out, overdue ones included
    overdue: open with a deadline before that day
    done: carried out (or otherwise settled: the lifecycle's done states)
    """

    day: datetime.date
    label: str
    open: int
    overdue: int
    done: int


def _day(event: Event) -> datetime.date:
    return event.commit.date.astimezone(ZONE).date()


def _value_at(events: list[Event], kind: str, now: Any, day: datetime.date) -> Any:
    """A field's value at the end of `day`: the `new` of the last change by then, else the `old`
    of the first change after it, else its value now."""
    changes = [e for e in events if e.kind == kind]
    before = [e for e in changes if _day(e) <= day]
    if before:
        return before[-1].new
    return changes[0].old if changes else now


def _month_ends(first: datetime.date, today: datetime.date) -> list[datetime.date]:
    found = []
    year, month = first.year, first.month
    while (year, month) <= (today.year, today.month):
        following = datetime.date(year + month // 12, month % 12 + 1, 1)
        found.append(min(following - datetime.timedelta(days=1), today))
        year, month = following.year, following.month
    return found


def monthly(history: History, items: list[Item], today: datetime.date) -> list[MonthCount]:
    """The counts at each month's end from the month the first of `items` was recorded; [] without
    a history, or when none of them has one."""
    if not history.available:
        return []
    recorded = {i.id: history.records[i.id] for i in items if i.id in history.records and history.records[i.id].created is not None}
    if not recorded:
        return []
    created = {rid: r.created.date.astimezone(ZONE).date() for rid, r in recorded.items() if r.created is not None}
    counts = []
    for day in _month_ends(min(created.values()), today):
        opened = overdue = done = 0
        for item in items:
            if item.id not in created or created[item.id] > day:
                continue
            events = recorded[item.id].events
            state = _value_at(events, "status", item.status, day)
            if state in item.schema.lifecycle.done:
                done += 1
                continue
            opened += 1
            deadline = _value_at(events, "deadline", item.data.get("deadline"), day)
            if isinstance(deadline, str) and deadline < day.isoformat():
                overdue += 1
        counts.append(MonthCount(day, f"{day.year}年{day.month}月", opened, overdue, done))
    return counts
