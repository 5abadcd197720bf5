"""Subscriptions per unit (#15 part 4): each published organisation has its own Atom feed of the
changes to what concerns it and its own iCalendar file of its meetings and deadlines, beside the
site-wide data/changes.atom and data/calendar.ics, so its staff can subscribe in a mail program,
WPS or DingTalk's calendar without reading the whole registry's.

What concerns a unit is what its page lists: the unit itself, every record that names it
(Model.referred_by: as cooperating unit, attendee, notified department, member…), and every record
it leads (Model.leads, which also follows x-lead: via, so a meeting is its mechanism's lead's). The
entries and events are the site-wide ones (atom.py's wording, ical.py's events), picked by record."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from liandong.history.timeline import FEED_COMMITS, Change, Entry, Timeline
from liandong.model.model import Item, Model
from liandong.site import atom, ical

FOLDER = "data/organizations"


def atom_path(unit_id: str) -> str:
    """data/organizations/<id>.atom, beside the site-wide data/changes.atom."""
    return f"{FOLDER}/{unit_id}.atom"


def calendar_path(unit_id: str) -> str:
    """data/organizations/<id>.ics, beside the site-wide data/calendar.ics."""
    return f"{FOLDER}/{unit_id}.ics"


# The files are in Chinese; an edition's page names them in its words (plugin.py, the labels files).
ATOM_TITLE = "联动登记册 · {unit} · 最近修改"
CALENDAR_TITLE = "联动 {unit} 会议和办理时限"


def atom_title(unit: Item) -> str:
    return ATOM_TITLE.format(unit=unit.title)


def calendar_title(unit: Item) -> str:
    return CALENDAR_TITLE.format(unit=unit.title)


@dataclass(frozen=True)
class UnitFeeds:
    """One unit's two subscriptions, as its page and the downloads page link them.

    unit: the organisation
    atom_url: its Atom feed, site-relative (data/organizations/<id>.atom)
    calendar_url: its iCalendar file, site-relative (data/organizations/<id>.ics)
    atom_title: the feed's title, as feed readers show it
    calendar_title: the calendar's name, as calendar programs show it
    """

    unit: Item
    atom_url: str
    calendar_url: str
    atom_title: str
    calendar_title: str


def feeds_of(unit: Item) -> UnitFeeds:
    return UnitFeeds(unit, atom_path(unit.id), calendar_path(unit.id), atom_title(unit), calendar_title(unit))


def concerning(model: Model) -> dict[str, set[str]]:
    """Unit id → the ids of the records that concern it (the module's docstring), for every
    published organisation; one pass over the records for the leads."""
    found = {unit.id: {unit.id} | {r.source.id for r in model.referred_by(unit)} for unit in model.of_type("organizations")}
    for item in model.items.values():
        for lead in model.leads(item):
            if lead in found:
                found[lead].add(item.id)
    return found


def _unit_changes(timeline: Timeline, concern: dict[str, set[str]]) -> dict[str, list[Change]]:
    """Unit id → the newest FEED_COMMITS commits that changed a record concerning it, newest
    first, each holding only those records (its entry names them, not the commit's others)."""
    by_record: dict[str, list[str]] = {}
    for unit_id, ids in concern.items():
        for record_id in ids:
            by_record.setdefault(record_id, []).append(unit_id)
    found: dict[str, list[Change]] = {unit_id: [] for unit_id in concern}
    for change in timeline.recent(len(timeline.history.commits)):
        picked: dict[str, list[tuple[str, Entry]]] = {}
        for record_id, entry in change.records:
            for unit_id in by_record.get(record_id, []):
                if len(found[unit_id]) < FEED_COMMITS:
                    picked.setdefault(unit_id, []).append((record_id, entry))
        for unit_id, records in picked.items():
            found[unit_id].append(Change(change.commit, records))
    return found


def unit_files(model: Model, timeline: Timeline, today: datetime.date, site_url: str = "", changed: ical.Changed | None = None) -> dict[str, bytes]:
    """Every unit's feed and calendar, by site path. `changed` (record id → last commit) dates the
    calendars' events and an empty feed (the unit's own last change): no file changes by itself
    from one day to the next."""
    changed = changed or {}
    concern = concerning(model)
    changes = _unit_changes(timeline, concern)
    events = ical.events(model, today, site_url, changed)
    positions: dict[str, list[int]] = {}
    for n, event in enumerate(events):
        positions.setdefault(event.record_id, []).append(n)
    files: dict[str, bytes] = {}
    for unit in model.of_type("organizations"):
        ids = concern[unit.id]
        feeds = feeds_of(unit)
        files[feeds.atom_url] = atom.feed(
            changes[unit.id], model, today, site_url, path=feeds.atom_url, title=feeds.atom_title, page=unit.url, updated=changed.get(unit.id)
        )
        picked = sorted(n for record_id in ids for n in positions.get(record_id, []))  # calendar.ics's order
        files[feeds.calendar_url] = ical.render(feeds.calendar_title, (events[n] for n in picked))
    return files
