"""A meeting's end time (#16): said only where a notice or the minutes state it, on the meeting's
day and after its start. The calendar writes DTEND from it and invents no duration, so an end
before the start, or an end without a start, would publish an event that cannot be."""

from __future__ import annotations

from collections.abc import Iterator

from liandong.diagnostics import Diagnostic
from liandong.validation.rules import Context


def check(ctx: Context) -> Iterator[Diagnostic]:
    for record in ctx.valid:
        if record.type != "meetings":
            continue
        ts = ctx.schemas.types[record.type]
        start, end = record.data.get("start_time"), record.data.get("end_time")
        if not isinstance(end, str):
            continue
        if not isinstance(start, str):
            yield Diagnostic(
                record.path,
                "dates.meeting-end",
                f"填写了{ts.label(('end_time',))} {end}，没有{ts.label(('start_time',))}",
                "结束时间只和开始时间一起填写：请补填开始时间（北京时间 HH:MM），不知道开始时间时删去结束时间。",
                pointer=("end_time",),
            )
        elif end <= start:  # HH:MM compares as text
            yield Diagnostic(
                record.path,
                "dates.meeting-end",
                f"{ts.label(('end_time',))} {end} 不晚于{ts.label(('start_time',))} {start}",
                "结束时间必须晚于开始时间，且在会议日期当天（北京时间 24 小时制）；跨天的会议请只填开始时间，在备注中写明会期。",
                pointer=("end_time",),
            )
