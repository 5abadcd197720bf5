"""iCalendar files for staff to subscribe to: meetings (timed where a start time is known) and
deadlines (all-day) in calendar.ics; the inspection calendar (三(一)3) in inspections.ics. Written by
hand: RFC 5545 needs little, and the output stays stable."""

from __future__ import annotations

import datetime
import re

from liandong.model.inspections import Inspections
from liandong.model.model import Model
from liandong.model.status import deadline, is_open

PRODID = "-//Liandong//Registry//ZH"
# Asia/Shanghai has had no daylight saving since 1991: one standard component is exact.
VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    "TZID:Asia/Shanghai",
    "BEGIN:STANDARD",
    "DTSTART:19700101T000000",
    "TZOFFSETFROM:+0800",
    "TZOFFSETTO:+0800",
    "TZNAME:CST",
    "END:STANDARD",
    "END:VTIMEZONE",
]
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def _text(value: str) -> str:
    """RFC 5545 TEXT: escaped, and one line whatever the record holds (CR, LF and other control
    characters would end the property and start lines of the attacker's choosing)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub(" ", value.replace("\n", "\\n"))


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space, never inside a character."""
    out: list[str] = []
    current = ""
    for ch in line:
        if len((current + ch).encode("utf-8")) > (75 if not out else 74):
            out.append(current)
            current = ""
        current += ch
    out.append(current)
    return "\r\n ".join(out)


def calendar(model: Model, today: datetime.date, site_url: str = "") -> bytes:
    stamp = today.strftime("%Y%m%dT000000Z")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:联动 会议和办理时限",
        "X-WR-TIMEZONE:Asia/Shanghai",
        *VTIMEZONE,
    ]
    for meeting in model.of_type("meetings"):
        day = datetime.date.fromisoformat(meeting.data["date"])
        event = ["BEGIN:VEVENT", f"UID:{meeting.id}@liandong", f"DTSTAMP:{stamp}"]
        start = meeting.data.get("start_time")
        if start:
            begin = datetime.datetime.combine(day, datetime.time.fromisoformat(start))
            event += [f"DTSTART;TZID=Asia/Shanghai:{begin:%Y%m%dT%H%M%S}", f"DTEND;TZID=Asia/Shanghai:{begin + datetime.timedelta(hours=2):%Y%m%dT%H%M%S}"]
        else:
            event += [f"DTSTART;VALUE=DATE:{day:%Y%m%d}", f"DTEND;VALUE=DATE:{day + datetime.timedelta(days=1):%Y%m%d}"]
        summary = f"{meeting.title}（{meeting.status_label}）" + ("〔示例〕" if meeting.example else "")
        event.append(f"SUMMARY:{_text(summary)}")
        if meeting.data.get("place"):
            event.append(f"LOCATION:{_text(meeting.data['place'])}")
        if meeting.status == "cancelled":
            event.append("STATUS:CANCELLED")
        if site_url:
            event.append(f"URL:{site_url.rstrip('/')}/{meeting.url}")
        lines += [*event, "END:VEVENT"]
    for type_name in (t for t in model.types if model.schemas.types[t].tracked):
        for item in model.of_type(type_name):
            due = deadline(item)
            if due is None or not is_open(item):
                continue
            summary = f"办理时限：{item.title}" + ("〔示例〕" if item.example else "")
            lines += [
                "BEGIN:VEVENT",
                f"UID:{item.id}-deadline@liandong",
                f"DTSTAMP:{stamp}",
                f"DTSTART;VALUE=DATE:{due:%Y%m%d}",
                f"DTEND;VALUE=DATE:{due + datetime.timedelta(days=1):%Y%m%d}",
                f"SUMMARY:{_text(summary)}",
                "TRANSP:TRANSPARENT",
            ]
            if site_url:
                lines.append(f"URL:{site_url.rstrip('/')}/{item.url}")
            lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")


def inspection_calendar(inspections: Inspections, today: datetime.date, site_url: str = "") -> bytes:
    """data/inspections.ics (三(一)3): the inspection weeks and joint inspections arranged (not
    cancelled) and the separate inspections on record, each an all-day event over its days, with
    its inspecting departments and enterprises. calendar.ics keeps meetings and deadlines only."""
    stamp = today.strftime("%Y%m%dT000000Z")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "X-WR-CALNAME:联动 检查日历", "X-WR-TIMEZONE:Asia/Shanghai"]
    for item in inspections.calendar():
        period = inspections.period(item)
        if period is None:
            continue
        start, end = period
        arranged = inspections.kind(item) == "arrangement"
        form = inspections.form_label(item) if arranged else "单独检查"
        summary = f"{form}：{item.title}（{item.status_label}）" + ("〔示例〕" if item.example else "")
        enterprises = "、".join(str(e.get("name", "")) for e in inspections.enterprises_of(item))
        description = f"检查部门：{inspections.units(inspections.departments_of(item))}\n企业：{enterprises or '（未写明）'}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{item.id}-inspection@liandong",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{start:%Y%m%d}",
            f"DTEND;VALUE=DATE:{end + datetime.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_text(summary)}",
            f"DESCRIPTION:{_text(description)}",
        ]
        if item.status == "scheduled":
            lines.append("STATUS:CONFIRMED")
        if site_url:
            lines.append(f"URL:{site_url.rstrip('/')}/{item.url}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")
