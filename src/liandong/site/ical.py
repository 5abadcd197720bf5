"""iCalendar files for staff to subscribe to: meetings (timed where a start time is known, ending
only where the record says) and deadlines (all-day: tasks and matters, joint reviews' answers) in
calendar.ics, and the same for one unit in unit_feeds.py; the inspection calendar (三(一)3) in
inspections.ics. Each event's DTSTAMP is its record's last commit, so a file changes only when a
record does. Written by hand: RFC 5545 needs little, and the output stays stable."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from liandong.model.inspections import Inspections
from liandong.model.model import Item, Model
from liandong.model.reviews import limit_of
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


Changed = Mapping[str, datetime.datetime]  # record id → the date of the last commit that touched it


def stamp(changed: Changed, today: datetime.date, record_id: str) -> str:
    """DTSTAMP: when the event's information was last revised (RFC 5545 3.8.7.2, without METHOD),
    i.e. the last commit that touched its record, in UTC; so the file changes when a record does,
    not every day. Without Git history for the record, the build's day at midnight."""
    if record_id not in changed:
        return today.strftime("%Y%m%dT000000Z")
    return changed[record_id].astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


@dataclass(frozen=True)
class Event:
    """One VEVENT: the record it belongs to (a unit's calendar picks events by it) and its lines."""

    record_id: str
    lines: list[str]


def _unit_names(model: Model, ids: list[str]) -> str:
    return "、".join(unit.title if (unit := model.get(i)) is not None else "（未公开的单位）" for i in ids)


def _description(parts: list[str], site_url: str, item: Item) -> list[str]:
    """DESCRIPTION, with the page's address last when the site's address is known (many calendar
    programs show no URL property); none when there is nothing to say."""
    if site_url:
        parts = [*parts, f"详情：{site_url.rstrip('/')}/{item.url}"]
    return [f"DESCRIPTION:{_text(chr(10).join(parts))}"] if parts else []


def _url(site_url: str, item: Item) -> list[str]:
    # A calendar has no page to resolve a relative address against: no URL without the site's.
    return [f"URL:{site_url.rstrip('/')}/{item.url}"] if site_url else []


def _meeting(model: Model, meeting: Item, changed: Changed, today: datetime.date, site_url: str) -> Event:
    day = datetime.date.fromisoformat(meeting.data["date"])
    mechanism = model.get(str(meeting.data.get("mechanism", "")))
    lines = [f"UID:{meeting.id}@liandong", f"DTSTAMP:{stamp(changed, today, meeting.id)}"]
    start, end = meeting.data.get("start_time"), meeting.data.get("end_time")
    # An end only where the record states one (validation: after the start, the same day). No end
    # is no invented duration: a timed event without DTEND is its start, a dated one its day.
    if start:
        lines.append(f"DTSTART;TZID=Asia/Shanghai:{day:%Y%m%d}T{start.replace(':', '')}00")
        if end:
            lines.append(f"DTEND;TZID=Asia/Shanghai:{day:%Y%m%d}T{end.replace(':', '')}00")
    else:
        lines.append(f"DTSTART;VALUE=DATE:{day:%Y%m%d}")
    lines.append(f"SUMMARY:{_text(f'{meeting.title}（{meeting.status_label}）' + ('〔示例〕' if meeting.example else ''))}")
    if meeting.data.get("place"):
        lines.append(f"LOCATION:{_text(meeting.data['place'])}")
    if meeting.status == "cancelled":
        lines.append("STATUS:CANCELLED")
    parts = [f"{meeting.schema.label(('mechanism',))}：{mechanism.title}"] if mechanism is not None else []
    agenda = [str(a) for a in meeting.data.get("agenda") or []]
    if agenda:
        parts += [f"{meeting.schema.label(('agenda',))}："] + [f"{n}. {a}" for n, a in enumerate(agenda, 1)]
    lines += _description(parts, site_url, meeting) + _url(site_url, meeting)
    return Event(meeting.id, lines)


# The field that says what a tracked record is about: a task's duty, a matter's description.
DUTY_FIELDS = ("duty", "description")


def _deadline(model: Model, item: Item, due: datetime.date, changed: Changed, today: datetime.date, site_url: str) -> Event:
    leads = model.leads(item)
    lines = [
        f"UID:{item.id}-deadline@liandong",
        f"DTSTAMP:{stamp(changed, today, item.id)}",
        f"DTSTART;VALUE=DATE:{due:%Y%m%d}",
        f"DTEND;VALUE=DATE:{due + datetime.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{_text('办理时限：' + item.title + ('〔示例〕' if item.example else ''))}",
        "TRANSP:TRANSPARENT",
    ]
    parts = [f"{item.type_label}，{item.status_label}"]
    if leads:
        parts.append(f"牵头单位：{_unit_names(model, leads)}")
    duty = next((f for f in DUTY_FIELDS if isinstance(item.data.get(f), str)), None)
    if duty is not None:
        parts.append(f"{item.schema.label((duty,))}：{item.data[duty]}")
    return Event(item.id, lines + _description(parts, site_url, item) + _url(site_url, item))


def _review_answer(model: Model, review: Item, changed: Changed, today: datetime.date, site_url: str) -> Event | None:
    """The day a 集中审理's notified departments are to answer by (the notice's limit, working days
    counted with the registry's holidays), while the review is open."""
    notice = review.data.get("notice")
    limit = limit_of(notice, model.calendar) if isinstance(notice, dict) else None
    if limit is None or limit.end is None:
        return None
    departments = [str(d["organization"]) for d in review.data.get("departments") or [] if isinstance(d, dict) and "organization" in d]
    lines = [
        f"UID:{review.id}-answer@liandong",
        f"DTSTAMP:{stamp(changed, today, review.id)}",
        f"DTSTART;VALUE=DATE:{limit.end:%Y%m%d}",
        f"DTEND;VALUE=DATE:{limit.end + datetime.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{_text('集中审理答复期限：' + review.title + ('〔示例〕' if review.example else ''))}",
        "TRANSP:TRANSPARENT",
    ]
    parts = []
    project = review.data.get("project")
    if isinstance(project, dict) and project.get("name"):
        parts.append(f"{review.schema.label(('project', 'name'))}：{project['name']}")
    parts.append(f"审查通知 {limit.start.isoformat()}，{limit.described}")
    if departments:
        parts.append(f"通知部门：{_unit_names(model, departments)}")
    return Event(review.id, lines + _description(parts, site_url, review) + _url(site_url, review))


def events(model: Model, today: datetime.date, site_url: str = "", changed: Changed | None = None) -> list[Event]:
    """Every event of calendar.ics, in its order: meetings (timed where a start time is known),
    then the deadlines of open tasks and matters, then the answer deadlines of open joint reviews
    (all-day). A unit's calendar is the events of the records that concern it."""
    changed = changed or {}
    found = [_meeting(model, meeting, changed, today, site_url) for meeting in model.of_type("meetings")]
    for type_name in (t for t in model.types if model.schemas.types[t].tracked):
        for item in model.of_type(type_name):
            due = deadline(item)
            if due is not None and is_open(item):
                found.append(_deadline(model, item, due, changed, today, site_url))
    if "reviews" in model.schemas.types:
        for review in model.of_type("reviews"):
            if is_open(review) and (event := _review_answer(model, review, changed, today, site_url)) is not None:
                found.append(event)
    return found


def render(name: str, found: Iterable[Event]) -> bytes:
    """A VCALENDAR named `name` (X-WR-CALNAME) holding `found`."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_text(name)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
        *VTIMEZONE,
    ]
    for event in found:
        lines += ["BEGIN:VEVENT", *event.lines, "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")


CALENDAR_NAME = "联动 会议和办理时限"


def calendar(model: Model, today: datetime.date, site_url: str = "", changed: Changed | None = None) -> bytes:
    """data/calendar.ics: every meeting and open deadline. `changed` gives each record's last
    commit (DTSTAMP); `today` only stands in where Git says nothing."""
    return render(CALENDAR_NAME, events(model, today, site_url, changed))


def inspection_calendar(inspections: Inspections, today: datetime.date, site_url: str = "", changed: Changed | None = None) -> bytes:
    """data/inspections.ics (三(一)3): the inspection weeks and joint inspections arranged (not
    cancelled) and the separate inspections on record, each an all-day event over its days, with
    its inspecting departments and enterprises. calendar.ics keeps meetings and deadlines only."""
    changed = changed or {}
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
            f"DTSTAMP:{stamp(changed, today, item.id)}",
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
