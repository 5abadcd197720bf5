"""Dates in order: nothing ends before it starts, history lists in date order and none dated after
today. Valid ISO dates compare as strings.

History lists are append-only (change.append-only), so an entry dated after today, or out of order,
could never be corrected and would push every later honest entry out of order: both are refused
before they are merged."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator
from typing import Any

from liandong.diagnostics import Diagnostic, Pointer
from liandong.validation.files import Record
from liandong.validation.rules import Context
from liandong.validation.schema import TypeSchema


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
        yield ("assigned",), ("acknowledgement", "date")
        yield ("assigned",), ("completion", "date")
        yield ("assigned",), ("termination", "date")
        yield ("completion", "date"), ("closure", "date")
        for i, _ in enumerate(data.get("progress", [])):
            yield ("assigned",), ("progress", i, "date")
        for i, _ in enumerate(data.get("extensions", [])):
            yield ("assigned",), ("extensions", i, "requested")
            yield ("extensions", i, "requested"), ("extensions", i, "new_deadline")
            yield ("assigned",), ("extensions", i, "previous_deadline")
        for i, _ in enumerate(data.get("reminders", [])):
            yield ("assigned",), ("reminders", i, "date")
    elif record.type == "coordination":
        yield ("raised_on",), ("deadline",)
        yield ("raised_on",), ("acknowledgement", "date")
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
    elif record.type == "reviews":  # 受理 → 通知 → 签收, 会议, 答复 → 决定; 受理 → 承诺补正, 补正
        notice = ("notice", "date")
        yield ("intake", "accepted"), notice
        yield notice, ("notice", "meeting_date")
        for i, _ in enumerate(data.get("departments", [])):
            yield notice, ("departments", i, "signed")
            yield notice, ("departments", i, "answer", "date")
        for i, _ in enumerate((data.get("intake") or {}).get("missing", [])):
            yield ("intake", "accepted"), ("intake", "missing", i, "promised")
            yield ("intake", "accepted"), ("intake", "missing", i, "supplied")
        yield notice, ("decision", "date")
        yield ("notice", "meeting_date"), ("decision", "date")
        yield notice, ("withdrawal", "date")


def _order(ts: TypeSchema, record: Record, early: Pointer, late: Pointer, first: Any, second: Any) -> Diagnostic:
    return Diagnostic(
        record.path,
        "dates.order",
        f"{ts.label(late)} {second} 早于{ts.label(early)} {first}",
        f"{ts.label(late)}不能早于{ts.label(early)}；请核对两个日期。",
        pointer=late,
    )


def check(ctx: Context) -> Iterator[Diagnostic]:
    today = ctx.today.isoformat() if ctx.today is not None else None
    for record in ctx.valid:
        ts = ctx.schemas.types[record.type]
        yield from ctx.alone("dates in order", record, functools.partial(_in_order, ts))
        yield from _after_meeting(ctx, ts, record)
        if today is not None:
            yield from ctx.alone("dates not after today", record, functools.partial(_future, ts, today=today))


def _in_order(ts: TypeSchema, record: Record) -> Iterator[Diagnostic]:
    """What one record's own dates show."""
    for early, late in _pairs(record):
        first, second = _get(record.data, early), _get(record.data, late)
        if isinstance(first, str) and isinstance(second, str) and second < first:
            yield _order(ts, record, early, late, first, second)
    yield from _history_sorted(ts, record)
    yield from _extensions(ts, record)
    yield from _late_extensions(record)
    yield from _reopenings(record)


# Append-only history lists: (list, the date each entry is filed under, how hints name the list).
HISTORY = (("progress", "date", "进度"), ("extensions", "requested", "延期记录"), ("reminders", "date", "催办记录"), ("reopenings", "date", "退回重办记录"))


def _dated(record: Record, field: str, key: str) -> Iterator[tuple[int, str]]:
    for i, entry in enumerate(record.data.get(field, [])):
        if isinstance(entry, dict) and isinstance(entry.get(key), str):
            yield i, entry[key]


def _which(ts: TypeSchema, field: str, key: str) -> str:
    """How a message names the date an entry is filed under (asked only for a finding)."""
    return "日期" if key == "date" else ts.label((field, 0, key))


def _history_sorted(ts: TypeSchema, record: Record) -> Iterator[Diagnostic]:
    for field, key, short in HISTORY:
        dates = list(_dated(record, field, key))
        for (_, before), (i, date) in itertools.pairwise(dates):
            if date < before:
                which = _which(ts, field, key)
                yield Diagnostic(
                    record.path,
                    "dates.order",
                    f"{ts.label((field,))}第 {i + 1} 条的{which} {date} 早于上一条 {before}",
                    f"{short}按{which}先后排列，新的写在最后。",
                    pointer=(field, i, key),
                )


def _future(ts: TypeSchema, record: Record, today: str) -> Iterator[Diagnostic]:
    """History records what has happened: no entry is dated after today (Beijing time)."""
    hint = (
        "只能记录已经发生的事，日期不能晚于今天（北京时间）。这类记录只增不改，合并后无法更正，"
        "此后按实际日期新增的记录也会排在它前面；请写报送当天或更早的实际日期，计划或预计的日期写在内容中。"
    )
    for field, key, _ in HISTORY:
        for i, date in _dated(record, field, key):
            if date > today:
                which = _which(ts, field, key)
                yield Diagnostic(
                    record.path, "dates.future-entry", f"{ts.label((field,))}第 {i + 1} 条的{which} {date} 晚于今天 {today}", hint, pointer=(field, i, key)
                )
    signed = _get(record.data, ("acknowledgement", "date"))
    if isinstance(signed, str) and signed > today:
        yield Diagnostic(
            record.path,
            "dates.future-entry",
            f"签收日期 {signed} 晚于今天 {today}",
            "签收记录的是牵头单位已经签收的事实：请填写实际签收的日期；尚未签收的，不要填写 acknowledgement，并保留原状态。",
            pointer=("acknowledgement", "date"),
        )
    held = record.data.get("date")
    if record.type == "meetings" and record.data.get("decisions") and isinstance(held, str) and held > today:
        yield Diagnostic(
            record.path,
            "dates.future-entry",
            f"会议日期 {held} 晚于今天 {today}，却已记录议定事项",
            "议定事项只增不改，只能在会议召开后记录；请核对会议日期，或等会议召开后再填写 decisions。",
            pointer=("decisions", 0),
        )


def _extensions(ts: TypeSchema, record: Record) -> Iterator[Diagnostic]:
    """The current deadline is the one the last extension granted, and each extension moves it later."""
    extensions = record.data.get("extensions", [])
    if not extensions:
        return
    for i in range(1, len(extensions)):
        if extensions[i]["new_deadline"] <= extensions[i - 1]["new_deadline"]:
            yield Diagnostic(
                record.path,
                "dates.order",
                f"第 {i + 1} 次延期的新时限 {extensions[i]['new_deadline']} 不晚于上一次 {extensions[i - 1]['new_deadline']}",
                "每次延期的新办理时限应晚于上一次。",
                pointer=("extensions", i, "new_deadline"),
            )
    first = extensions[0]
    if "previous_deadline" in first and first["new_deadline"] <= first["previous_deadline"]:
        yield Diagnostic(
            record.path,
            "dates.order",
            f"第 1 次延期的新时限 {first['new_deadline']} 不晚于原办理时限 {first['previous_deadline']}",
            "延期批准的新办理时限应晚于原办理时限。",
            pointer=("extensions", 0, "new_deadline"),
        )
    for i in range(1, len(extensions)):
        before, stated = extensions[i - 1]["new_deadline"], extensions[i].get("previous_deadline")
        if stated is not None and stated != before:
            yield Diagnostic(
                record.path,
                "dates.deadline-extension",
                f"第 {i + 1} 次延期的原办理时限 {stated} 与上一次延期批准的新时限 {before} 不一致",
                f"第 {i + 1} 次延期延长的是上一次延期后的时限，原办理时限应为 {before}。",
                pointer=("extensions", i, "previous_deadline"),
            )
    last = extensions[-1]["new_deadline"]
    if record.data.get("deadline") != last:
        yield Diagnostic(
            record.path,
            "dates.deadline-extension",
            f"办理时限 {record.data.get('deadline', '（未填）')} 与最近一次延期批准的新时限 {last} 不一致",
            f"延期后请把 deadline 改为 {last}。",
            pointer=("deadline",) if "deadline" in record.data else ("extensions", len(extensions) - 1, "new_deadline"),
        )


def extended_deadline(extensions: list[Any], i: int) -> str | None:
    """The deadline extension i extends: the one the previous extension granted, else the one it states."""
    found = extensions[i - 1].get("new_deadline") if i > 0 else extensions[0].get("previous_deadline")
    return found if isinstance(found, str) else None


def _late_extensions(record: Record) -> Iterator[Diagnostic]:
    """An extension is requested before the deadline it extends runs out, unless approved as a late exception."""
    extensions = record.data.get("extensions", [])
    for i, extension in enumerate(extensions):
        lapsed, requested, late = extended_deadline(extensions, i), extension["requested"], "late" in extension
        if lapsed is None:
            if late:
                yield Diagnostic(
                    record.path,
                    "dates.late-extension",
                    "第 1 次延期标注为逾期后申请（late），但没有填写原办理时限",
                    "请在这条延期记录中填写已过的原办理时限 previous_deadline，网站据此显示逾期的时段。",
                    pointer=("extensions", 0, "late"),
                )
        elif requested > lapsed and not late:
            yield Diagnostic(
                record.path,
                "dates.late-extension",
                f"第 {i + 1} 次延期的申请日期 {requested} 晚于原办理时限 {lapsed}",
                "延期应在原办理时限到期前申请。确系到期后申请并经批准作为例外处理的，"
                "请在这条延期记录中填写 late：approved_by（批准单位）和 reason（逾期申请的原因），"
                f"网站仍显示 {lapsed} 到期后至 {requested} 的逾期；否则请核对申请日期。",
                pointer=("extensions", i, "requested"),
            )
        elif requested <= lapsed and late:
            yield Diagnostic(
                record.path,
                "dates.late-extension",
                f"第 {i + 1} 次延期标注为逾期后申请（late），但申请日期 {requested} 并不晚于原办理时限 {lapsed}",
                "按期申请的延期不需要填写 late；请删去 late，或核对申请日期和原办理时限。",
                pointer=("extensions", i, "late"),
                severity="warning",
            )


def _reopenings(record: Record) -> Iterator[Diagnostic]:
    """The last reopening undoes the completion on record; a task completed again reports the new completion."""
    reopenings, completion = record.data.get("reopenings", []), record.data.get("completion")
    if record.type != "tasks" or not reopenings or not isinstance(completion, dict):
        return
    n, reopened, done = len(reopenings), reopenings[-1]["date"], completion["date"]
    if record.data.get("status") in ("completed", "closed"):
        if done < reopened:
            yield Diagnostic(
                record.path,
                "dates.order",
                f"办结日期 {done} 早于第 {n} 次退回重办的日期 {reopened}",
                "重新办结后，请把办结情况（completion）改为重新办结的日期和结果。",
                pointer=("completion", "date"),
            )
    elif reopened < done:
        yield Diagnostic(
            record.path,
            "dates.order",
            f"第 {n} 次退回重办的日期 {reopened} 早于它退回的办结日期 {done}",
            "只能退回已经报送的办结：退回重办的日期不能早于办结日期。",
            pointer=("reopenings", n - 1, "date"),
        )


def _after_meeting(ctx: Context, ts: TypeSchema, record: Record) -> Iterator[Diagnostic]:
    """A task created by a decision is assigned on or after the meeting; a matter is discussed after it was raised."""
    if record.type == "tasks":
        source = record.data["source"]
        meeting = ctx.get(source.get("meeting", "")) if "meeting" in source else None
        assigned = record.data.get("assigned")
        if meeting is not None and meeting.type == "meetings" and isinstance(assigned, str):
            held = meeting.data.get("date")
            if isinstance(held, str) and assigned < held:
                yield Diagnostic(
                    record.path,
                    "dates.order",
                    f"交办日期 {assigned} 早于来源会议 {meeting.id} 的召开日期 {held}",
                    "由会议议定事项产生的任务，交办日期不能早于会议日期。",
                    pointer=("assigned",),
                )
    elif record.type == "coordination":
        for i, item in enumerate(record.data.get("discussed_at", [])):
            meeting = ctx.get(item["meeting"])
            held = meeting.data.get("date") if meeting is not None and meeting.type == "meetings" else None
            if isinstance(held, str) and held < record.data["raised_on"]:
                yield Diagnostic(
                    record.path,
                    "dates.order",
                    f"会议 {meeting.id} 的日期 {held} 早于事项提出日期 {record.data['raised_on']}",  # type: ignore[union-attr]
                    "只能记录事项提出之后召开的会议。",
                    pointer=("discussed_at", i, "meeting"),
                )
