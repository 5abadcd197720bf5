"""An Atom feed (RFC 4287) of the registry's recent changes: one entry per commit.

Written with ElementTree, so every text is escaped; the content is plain text, so a feed reader
never renders markup that came from a record or a commit message."""

from __future__ import annotations

import datetime
import re
import uuid
import xml.etree.ElementTree as ET

from liandong.history.timeline import FEED_COMMITS, Change, Timeline, display_author, summary
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
    """The registry's feed (data/changes.atom): the newest commits that changed published records."""
    changes = [change for change in timeline.recent(FEED_COMMITS) if change.records]
    return feed(changes, model, today, site_url, path=FEED_PATH, title=TITLE, page="changes/")


def feed(
    changes: list[Change], model: Model, today: datetime.date, site_url: str, *, path: str, title: str, page: str, updated: datetime.datetime | None = None
) -> bytes:
    """A feed at `path` (site-relative) of `changes`, newest first, whose web page is `page`; one
    organisation's feed (unit_feeds.py) is made the same way from the changes that concern it.

    Links need the site's address: a feed reader has no page to resolve a relative link against,
    so without one (an unpublished build) the feed carries no links at all, and the downloads page
    says so. `updated` is the feed's date when it has no entry (else its newest entry's); without
    one, the build's day."""
    base = site_url.rstrip("/") + "/" if site_url else ""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "zh-CN"})
    ET.SubElement(root, f"{{{ATOM}}}title").text = _clean(title)
    ET.SubElement(root, f"{{{ATOM}}}id").text = base + path if site_url else _urn("liandong:" + path)
    newest = changes[0].commit.date if changes else updated or datetime.datetime.combine(today, datetime.time(), datetime.UTC)
    ET.SubElement(root, f"{{{ATOM}}}updated").text = newest.isoformat()
    if site_url:
        ET.SubElement(root, f"{{{ATOM}}}link", {"rel": "self", "href": base + path})
        ET.SubElement(root, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": base + page})
    ET.SubElement(ET.SubElement(root, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = "联动登记册"
    for change in changes:
        commit = change.commit
        entry = ET.SubElement(root, f"{{{ATOM}}}entry")
        # The same commit is one entry in every feed that has it; a feed's own entries stay apart.
        ET.SubElement(entry, f"{{{ATOM}}}id").text = _urn("liandong:commit:" + commit.sha + ("" if path == FEED_PATH else ":" + path))
        ET.SubElement(entry, f"{{{ATOM}}}title").text = entry_title(model, change)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = commit.date.isoformat()
        ET.SubElement(ET.SubElement(entry, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = _clean(display_author(commit.author))
        if site_url:
            # One record: its page. Several: the commit on the recent-changes page.
            target = model.items[change.records[0][0]].url if len(change.records) == 1 else f"changes/#commit-{commit.sha}"
            ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": base + target})
        lines = []
        for record_id, what in change.records:
            item = model.items[record_id]
            link = f"  {base}{item.url}" if site_url else ""
            lines.append(f"{item.title}（{item.type_label}）：{summary(item, what)}{link}")
        ET.SubElement(entry, f"{{{ATOM}}}content", {"type": "text"}).text = _clean("\n".join(lines))
    ET.indent(root)
    xml: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return xml + b"\n"
