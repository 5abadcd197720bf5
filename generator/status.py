"""Status derived at build time from the records and `today`; never stored in the registry."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .model import Item, Model

DUE_SOON_DAYS = 7


def is_open(item: Item) -> bool:
    return item.status not in item.schema.lifecycle.done


def deadline(item: Item) -> datetime.date | None:
    value = item.data.get("deadline")
    return datetime.date.fromisoformat(value) if isinstance(value, str) else None


@dataclass(frozen=True)
class Late:
    item: Item
    deadline: datetime.date
    days: int  # days past the deadline


def overdue(model: Model, today: datetime.date) -> list[Late]:
    """Open items whose deadline has passed, most overdue first."""
    late = []
    for item in model.items.values():
        due = deadline(item)
        if due is not None and due < today and is_open(item):
            late.append(Late(item, due, (today - due).days))
    return sorted(late, key=lambda l: (-l.days, l.item.id))


def due_soon(model: Model, today: datetime.date) -> list[Late]:
    """Open items due within the next week (days = days left)."""
    soon = []
    for item in model.items.values():
        due = deadline(item)
        if due is not None and today <= due <= today + datetime.timedelta(days=DUE_SOON_DAYS) and is_open(item):
            soon.append(Late(item, due, (due - today).days))
    return sorted(soon, key=lambda l: (l.days, l.item.id))


def upcoming_meetings(model: Model, today: datetime.date) -> list[Item]:
    return sorted((m for m in model.of_type("meetings") if m.status == "planned" and m.data.get("date", "") >= today.isoformat()),
                  key=lambda m: (m.data["date"], m.id))


def recent_decisions(model: Model, limit: int = 8) -> list[tuple[Item, dict]]:
    held = sorted((m for m in model.of_type("meetings") if m.data.get("decisions")), key=lambda m: (m.data["date"], m.id), reverse=True)
    return [(m, d) for m in held for d in m.data["decisions"]][:limit]


@dataclass(frozen=True)
class Role:
    label: str  # e.g. 牵头单位 (督办任务)
    total: int
    open: int
    overdue: int


def role_summary(model: Model, organization: Item, today: datetime.date) -> list[Role]:
    """How often an organization appears in each role, and how many of those items are open or late."""
    groups: dict[str, list[Item]] = {}
    for relation in model.referred_by(organization):
        groups.setdefault(f"{relation.label}（{relation.source.type_label}）", []).append(relation.source)
    roles = []
    for label, items in groups.items():
        unique = list({i.id: i for i in items}.values())
        late = [i for i in unique if (d := deadline(i)) is not None and d < today and is_open(i)]
        roles.append(Role(label, len(unique), sum(is_open(i) for i in unique), len(late)))
    return roles
