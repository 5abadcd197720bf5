"""Dates in order: nothing ends before it starts. Valid ISO dates compare as strings."""

from __future__ import annotations

from typing import Any, Iterator

from ..diagnostics import Diagnostic, Pointer
from ..registry import Record
from ..schema import TypeSchema
from . import Context


def _get(data: Any, pointer: Pointer) -> Any:
    for part in pointer:
        if isinstance(part, int):
            data = data[part] if isinstance(data, list) and part < len(data) else None
        else:
            data = data.get(part) if isinstance(data, dict) else None
    return data


def _pairs(record: Record) -> Iterator[tuple[Pointer, Pointer]]:
    """(earlier, later) pointers that must be in that order when both are filled."""
    data = record.data
    if record.type == "tasks":
        yield ("assigned",), ("deadline",)
        yield ("assigned",), ("completion", "date")
        yield ("assigned",), ("termination", "date")
        yield ("completion", "date"), ("closure", "date")
        for i, _ in enumerate(data.get("progress", [])):
            yield ("assigned",), ("progress", i, "date")
        for i, _ in enumerate(data.get("extensions", [])):
            yield ("assigned",), ("extensions", i, "requested")
            yield ("extensions", i, "requested"), ("extensions", i, "new_deadline")
    elif record.type == "coordination":
        yield ("raised_on",), ("deadline",)
        yield ("raised_on",), ("resolution", "date")
        yield ("raised_on",), ("withdrawal", "date")
        yield ("raised_on",), ("escalation", "reported_on")
        yield ("escalation", "reported_on"), ("escalation", "answer", "date")
        for i, _ in enumerate(data.get("progress", [])):
            yield ("raised_on",), ("progress", i, "date")
    elif record.type == "meetings":
        yield ("date",), ("minutes", "issued")
    elif record.type == "powers":
        yield ("delegation", "effective_from"), ("delegation", "effective_to")


def _order(ts: TypeSchema, record: Record, early: Pointer, late: Pointer, first: Any, second: Any) -> Diagnostic:
    return Diagnostic(record.path, "dates.order",
                      f"{ts.label(late)} {second} 早于{ts.label(early)} {first}",
                      f"{ts.label(late)}不能早于{ts.label(early)}；请核对两个日期。", pointer=late)


def check(ctx: Context) -> Iterator[Diagnostic]:
    for record in ctx.valid:
        ts = ctx.schemas.types[record.type]
        for early, late in _pairs(record):
            first, second = _get(record.data, early), _get(record.data, late)
            if isinstance(first, str) and isinstance(second, str) and second < first:
                yield _order(ts, record, early, late, first, second)
        yield from _progress_sorted(ts, record)
        yield from _extensions(ts, record)
        yield from _after_meeting(ctx, ts, record)


def _progress_sorted(ts: TypeSchema, record: Record) -> Iterator[Diagnostic]:
    entries = record.data.get("progress", [])
    for i in range(1, len(entries)):
        if entries[i]["date"] < entries[i - 1]["date"]:
            yield Diagnostic(record.path, "dates.order", f"办理进度第 {i + 1} 条的日期 {entries[i]['date']} 早于上一条 {entries[i - 1]['date']}",
                             "进度按日期先后排列，新的写在最后。", pointer=("progress", i, "date"))


def _extensions(ts: TypeSchema, record: Record) -> Iterator[Diagnostic]:
    """The current deadline is the one the last extension granted, and each extension moves it later."""
    extensions = record.data.get("extensions", [])
    if not extensions:
        return
    for i in range(1, len(extensions)):
        if extensions[i]["new_deadline"] <= extensions[i - 1]["new_deadline"]:
            yield Diagnostic(record.path, "dates.order", f"第 {i + 1} 次延期的新时限 {extensions[i]['new_deadline']} 不晚于上一次 {extensions[i - 1]['new_deadline']}",
                             "每次延期的新办理时限应晚于上一次。", pointer=("extensions", i, "new_deadline"))
    last = extensions[-1]["new_deadline"]
    if record.data.get("deadline") != last:
        yield Diagnostic(record.path, "dates.deadline-extension", f"办理时限 {record.data.get('deadline', '（未填）')} 与最近一次延期批准的新时限 {last} 不一致",
                         f"延期后请把 deadline 改为 {last}。", pointer=("deadline",) if "deadline" in record.data else ("extensions", len(extensions) - 1, "new_deadline"))


def _after_meeting(ctx: Context, ts: TypeSchema, record: Record) -> Iterator[Diagnostic]:
    """A task created by a decision is assigned on or after the meeting; a matter is discussed after it was raised."""
    if record.type == "tasks":
        source = record.data["source"]
        meeting = ctx.get(source.get("meeting", "")) if "meeting" in source else None
        assigned = record.data.get("assigned")
        if meeting is not None and meeting.type == "meetings" and isinstance(assigned, str):
            held = meeting.data.get("date")
            if isinstance(held, str) and assigned < held:
                yield Diagnostic(record.path, "dates.order", f"交办日期 {assigned} 早于来源会议 {meeting.id} 的召开日期 {held}",
                                 "由会议议定事项产生的任务，交办日期不能早于会议日期。", pointer=("assigned",))
    elif record.type == "coordination":
        for i, item in enumerate(record.data.get("discussed_at", [])):
            meeting = ctx.get(item["meeting"])
            held = meeting.data.get("date") if meeting is not None and meeting.type == "meetings" else None
            if isinstance(held, str) and held < record.data["raised_on"]:
                yield Diagnostic(record.path, "dates.order", f"会议 {meeting.id} 的日期 {held} 早于事项提出日期 {record.data['raised_on']}",  # type: ignore[union-attr]
                                 "只能记录事项提出之后召开的会议。", pointer=("discussed_at", i, "meeting"))
