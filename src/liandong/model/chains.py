"""The chain from a clause or a meeting's decision to closure (#20): what was made from it (tasks,
mechanisms, powers; for a decision the tasks it assigned and the coordination matters discussed
under it) and where each stands — carried out, its latest progress, escalated and answered or
waiting. A real source's chain shows its real records; example ones are counted apart
(examples.py). site/chain_diagram.py draws it; the page lists the same steps in text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from liandong.model import examples
from liandong.model.model import Item
from liandong.model.status import Status, finished, is_open

CAP = 8  # steps drawn; a longer chain says how many more there are and links to the full list


@dataclass(frozen=True)
class Step:
    """A record made from the source, and where it stands.

    item: the record
    outcome: where it stands, in words (2026-08-18 办结；最新进度 2026-10-15：…；已上报某市人民政府，待答复 83 天)
    tone: done, danger (overdue, waiting), or open
    """

    item: Item
    outcome: str
    tone: str


@dataclass(frozen=True)
class Chain:
    """source: the clause or decision, in words; steps: at most CAP; more: how many were left out;
    examples: how many example records were made from a real source (never drawn)."""

    source: str
    steps: tuple[Step, ...]
    more: int
    examples: int


def _latest_progress(item: Item) -> dict[str, Any] | None:
    entries = [e for e in item.data.get("progress", []) if isinstance(e, dict) and isinstance(e.get("date"), str)]
    return max(entries, key=lambda e: e["date"]) if entries else None


def outcome(status: Status, item: Item) -> tuple[str, str]:
    """Where a record made from a source stands: (words, tone)."""
    done = finished(item)
    if not is_open(item):
        return (f"{done.isoformat()} {item.status_label}" if done else item.status_label), "done"
    waiting = status.waiting_answer(item)
    escalation = item.data.get("escalation")
    if waiting is not None:
        to = "、".join(t.title for t in waiting.to) or "上级"
        return f"{waiting.reported_on.isoformat()} 报{to}，待答复 {waiting.days} 天", "danger"
    if isinstance(escalation, dict) and isinstance(escalation.get("answer"), dict):
        return f"{escalation['answer'].get('date')} 上级已答复；{item.status_label}", "open"
    badges = {b.code: b.label for b in status.badges(item)}
    latest = _latest_progress(item)
    said = f"最新进度 {latest['date']}：{str(latest.get('text', '')).rstrip('。')}" if latest else "尚无进度记录"
    if "overdue" in badges:
        return f"{badges['overdue']}；{said}", "danger"
    return f"{item.status_label}；{said}", "open"


def _chain(status: Status, subject: Item, source: str, made: list[Item]) -> Chain | None:
    counted, apart = examples.split(subject, dict.fromkeys(made))
    if not counted and not apart:
        return None
    steps = tuple(Step(i, *outcome(status, i)) for i in counted[:CAP])
    return Chain(source, steps, max(len(counted) - CAP, 0), len(apart))


def clause_chain(status: Status, document: Item, number: str, heading: str) -> Chain | None:
    """The records made from a clause (their `source` names it), None when there are none."""
    made = [r.source for r in status.model.citing_clause(document, number) if r.pointer[0] == "source"]
    return _chain(status, document, f"{number} {heading}".strip(), sorted(made, key=lambda i: (i.type != "tasks", i.id)))


def decision_chain(status: Status, meeting: Item, number: int) -> Chain | None:
    """The tasks a meeting's decision assigned and the matters discussed under it, None when none."""
    tasks = status.model.created_by_decision(meeting, number)
    matters = [
        r.source
        for r in status.model.incoming.get(meeting.id, [])
        if r.source.type == "coordination" and r.pointer[0] == "discussed_at" and _decision_of(r.source, r.pointer) == number
    ]
    return _chain(status, meeting, f"第 {number} 项议定事项", [*tasks, *matters])


def _decision_of(item: Item, pointer: tuple[Any, ...]) -> Any:
    entry = item.data.get("discussed_at", [])[pointer[1]] if len(pointer) > 1 and isinstance(pointer[1], int) else {}
    return entry.get("decision") if isinstance(entry, dict) else None
