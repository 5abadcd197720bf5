"""An Atom feed (RFC 4287) of the registry's recent changes: one entry per commit.

Written with ElementTree, so every text is escaped; the content is plain text, so a feed reader
never renders markup that came from a record or a commit message."""

from __future__ import annotations

import datetime
import re
import uuid
import xml.etree.ElementTree as ET

from liandong.history.timeline import FEED_COMMITS, Change, Timeline, summary
from liandong.model.model import Model

ATOM = "http://www.w3.org/2005/Atom"
FEED_PATH = "data/changes.atom"
TITLE = "联动登记册 · 最近修改"
# XML 1.0 has no place for these, and a commit subject may hold any of them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _urn(name: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, name).urn


def entry_title(model: Model, change: Change) -> str:
    """What the commit changed, in Chinese: 督办任务《…》：状态 办理中 → 已办结; a commit that touched
    several records names the first and counts the rest. Never the commit subject, which may be
    in any language and say nothing to a reader."""
    first_id, what = change.records[0]
    item = model.items[first_id]
    title = f"{item.type_label}《{item.title}》：{summary(item, what)}"
    if len(change.records) > 1:
        title += f"（等 {len(change.records)} 条记录）"
    return _clean(title)


def atom(timeline: Timeline, model: Model, today: datetime.date, site_url: str = "") -> bytes:
    """The feed. Links need the site's address: a feed reader has no page to resolve a relative
    link against, so without one (an unpublished build) the feed carries no links at all, and the
    downloads page says so."""
    base = site_url.rstrip("/") + "/" if site_url else ""
    changes = [change for change in timeline.recent(FEED_COMMITS) if change.records]
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "zh-CN"})
    ET.SubElement(feed, f"{{{ATOM}}}title").text = TITLE
    ET.SubElement(feed, f"{{{ATOM}}}id").text = base + FEED_PATH if site_url else _urn("liandong:" + FEED_PATH)
    updated = changes[0].commit.date if changes else datetime.datetime.combine(today, datetime.time(), datetime.UTC)
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = updated.isoformat()
    if site_url:
        ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": base + FEED_PATH})
        ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": base + "changes/"})
    ET.SubElement(ET.SubElement(feed, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = "联动登记册"
    for change in changes:
        commit = change.commit
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = _urn("liandong:commit:" + commit.sha)
        ET.SubElement(entry, f"{{{ATOM}}}title").text = entry_title(model, change)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = commit.date.isoformat()
        ET.SubElement(ET.SubElement(entry, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = _clean(commit.author)
        if site_url:
            # One record: its page. Several: the commit on the recent-changes page.
            target = model.items[change.records[0][0]].url if len(change.records) == 1 else f"changes/#commit-{commit.sha}"
            ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": base + target})
        lines = []
        for record_id, what in change.records:
            item = model.items[record_id]
            link = f"  {base}{item.url}" if site_url else ""
            lines.append(f"{item.title}（{item.type_label} {record_id}）：{summary(item, what)}{link}")
        ET.SubElement(entry, f"{{{ATOM}}}content", {"type": "text"}).text = _clean("\n".join(lines))
    ET.indent(feed)
    xml: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return xml + b"\n"
