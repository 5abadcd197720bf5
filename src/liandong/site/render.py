"""Model → Markdown pages (with HTML blocks) via jinja2. No file I/O, no MkDocs.

Every value from a record goes through Jinja's autoescape or markupsafe's `Markup.format`,
so a title like `<script>` is text on the page. Pages put record content in raw HTML blocks,
which Python-Markdown leaves alone: no record text is ever read as Markdown, except fields the
schema marks as Markdown, and those go through safe_markdown."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from liandong.history.timeline import Timeline
from liandong.history.types import History
from liandong.model import status
from liandong.model.model import Item, Model
from liandong.model.vocabulary import DUE_SOON_DAYS, STALE_DAYS
from liandong.site.lists import LISTS, ListSpec, filter_options, pointer, tokens, value_at
from liandong.site.markdown import render_markdown

BEIJING = datetime.timezone(datetime.timedelta(hours=8))  # commit times are shown in the zone's local time
NOTE_NOT_READ = "本次生成没有读取修改历史。"
# Shown in the page header, not in the field list.
HEADER_FIELDS = {"id", "title", "status", "visibility", "example"}
# Rendered by a type's own section (minutes, clauses) instead of the generic field list.
OWN_SECTION = {
    "meetings": {"mechanism", "date", "start_time", "place", "chair", "attendees", "observers", "absentees", "agenda", "minutes", "decisions"},
    "documents": {"clauses"},
}
HIDDEN = "（未公开）"
# The derived-status filter on list pages: code → label.
DERIVED_LABELS = {
    "overdue": "逾期",
    "due-soon": f"{DUE_SOON_DAYS} 天内到期",
    "stale": f"{STALE_DAYS} 天无进展",
    "awaiting-answer": "待上级答复",
    "late": "逾期办结",
    "on-time": "按期办结",
}


def href(from_url: str, to_url: str) -> str:
    """A relative link between two site URLs like "tasks/task-0001/" (directory URLs): up to
    the site root, then down. Not the shortest form, but cheap, and every page is a folder."""
    up = "../" * from_url.count("/")
    return (up + to_url) or "./"


def clause_anchor(number: str) -> str:
    """The id of a clause's section, e.g. clause-三(一)1 (links percent-encode it)."""
    return "clause-" + number


@dataclass
class Page:
    path: str  # docs-relative Markdown path, e.g. "tasks/task-0001.md"
    url: str  # site URL of the page, e.g. "tasks/task-0001/"
    text: str


class Renderer:
    def __init__(self, model: Model, today: datetime.date, internal: bool = False, timeline: Timeline | None = None) -> None:
        self.model = model
        self.timeline = timeline or Timeline(History(False, note=NOTE_NOT_READ), model)
        self.today = today
        self.internal = internal
        self.status = status.Status(model, today)
        self.env = jinja2.Environment(
            loader=jinja2.PackageLoader("liandong.site", "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        # Front-matter titles: the theme prints page.meta.title unescaped (<title>, header), so
        # the value is HTML-escaped here and then written as a JSON string, which YAML reads.
        self.env.filters["tojson_text"] = lambda value: Markup(json.dumps(str(escape(value)), ensure_ascii=False))
        self.env.filters["beijing"] = lambda moment: moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")
        # Plain-Markdown table cells (the `report` command): no pipes or line breaks from records.
        self.env.filters["md_cell"] = lambda value: str(value).replace("|", "｜").replace("\n", " ")
        self.env.globals.update(
            model=model,
            today=today,
            internal=internal,
            href=href,
            clause_anchor=clause_anchor,
            ptr=pointer,
            tokens=tokens,
            value_at=value_at,
            list_options=list_options,
            status=self.status,
            upcoming_meetings=status.upcoming_meetings,
            recent_decisions=status.recent_decisions,
            role_summary=status.role_summary,
            DERIVED_LABELS=DERIVED_LABELS,
            timeline=self.timeline,
        )

    # -- values ---------------------------------------------------------------------------------

    # The helpers below build HTML with f-strings around markupsafe.escape (C speedups) rather
    # than Markup.format, which was the single largest cost of rendering 10,000 pages.

    def link(self, item: Item | None, from_url: str, fallback: str = "") -> Markup:
        if item is None:
            return Markup(f'<span class="ld-hidden">{escape(fallback or HIDDEN)}</span>')
        badge = ' <span class="ld-badge ld-badge--example">示例</span>' if item.example else ""
        return Markup(f'<a href="{escape(href(from_url, item.url))}">{escape(item.title)}</a>{badge}')

    def ref(self, value: Any, from_url: str) -> Markup:
        target = self.model.get(value) if isinstance(value, str) else None
        return self.link(target, from_url)

    def value(self, item: Item, pointer: tuple[Any, ...], value: Any, from_url: str) -> Markup:
        node = item.schema.subschema(pointer) or {}
        if "x-ref" in node:
            return self.ref(value, from_url)
        if isinstance(value, dict) and {"document", "clause"} <= set(value):
            return self._clause_link(value, from_url)
        if isinstance(value, dict) and {"meeting", "decision"} <= set(value):
            return self._decision_link(value, from_url)
        if "x-enum-labels" in node and isinstance(value, str):
            return escape(node["x-enum-labels"].get(value, value))
        if node.get("contentMediaType") == "text/markdown" and isinstance(value, str):
            return render_markdown(value)
        if isinstance(value, bool):
            return Markup("是") if value else Markup("否")
        if isinstance(value, list):
            parts = [self.value(item, pointer + (i,), v, from_url) for i, v in enumerate(value)]
            if all(not isinstance(v, (dict, list)) for v in value):
                return Markup("、".join(parts))
            return Markup('<ol class="ld-entries">' + "".join(f"<li>{p}</li>" for p in parts) + "</ol>")
        if isinstance(value, dict):
            return self.fields_html(item, pointer, value, from_url)
        return escape(value)

    def _clause_link(self, value: dict[str, Any], from_url: str) -> Markup:
        document = self.model.get(value["document"])
        if document is None:
            return Markup(f"{HIDDEN} {escape(value['clause'])}")
        heading = next((c.get("heading", "") for c in document.data.get("clauses", []) if c.get("number") == value["clause"]), "")
        target = escape(href(from_url, f"{document.url}#{quote(clause_anchor(value['clause']))}"))
        return Markup(f'<a href="{target}">{escape(value["clause"])} {escape(heading)}</a>（{escape(document.title)}）')

    def _decision_link(self, value: dict[str, Any], from_url: str) -> Markup:
        meeting = self.model.get(value["meeting"])
        number = escape(value["decision"])
        if meeting is None:
            return Markup(f"{HIDDEN} 第 {number} 项议定事项")
        text = next((d.get("text", "") for d in meeting.data.get("decisions", []) if d.get("number") == value["decision"]), "")
        target = escape(href(from_url, f"{meeting.url}#decision-{value['decision']}"))
        return Markup(f'<a href="{target}">{escape(meeting.title)} 第 {number} 项议定事项</a>：{escape(text)}')

    def fields(self, item: Item, pointer: tuple[Any, ...], data: dict[str, Any], from_url: str) -> list[tuple[str, Markup]]:
        node = item.schema.subschema(pointer) or {}
        order = list(node.get("properties", {}))
        skip = HEADER_FIELDS | OWN_SECTION.get(item.type, set()) if not pointer else set()
        keys = [k for k in order if k in data and k not in skip] + [k for k in data if k not in order and k not in skip]
        return [(item.schema.label(pointer + (k,)), self.value(item, pointer + (k,), data[k], from_url)) for k in keys]

    def fields_html(self, item: Item, pointer: tuple[Any, ...], data: dict[str, Any], from_url: str) -> Markup:
        rows = "".join(f"<dt>{escape(label)}</dt><dd>{value}</dd>" for label, value in self.fields(item, pointer, data, from_url))
        return Markup(f'<dl class="ld-fields">{rows}</dl>')

    # -- pages ----------------------------------------------------------------------------------

    def _page(self, template: str, path: str, url: str, **context: Any) -> Page:
        text = self.env.get_template(template).render(page_url=url, r=self, **context)
        return Page(path, url, text)

    def record_page(self, item: Item) -> Page:
        return self._page("record.md.j2", item.source_path, item.url, item=item)

    def list_page(self, type_name: str) -> Page:
        spec: ListSpec = LISTS[type_name]
        items = self.model.of_type(type_name)
        return self._page(
            "list.md.j2",
            f"{type_name}/index.md",
            f"{type_name}/",
            type_name=type_name,
            type_label=self.model.schemas.types[type_name].title,
            spec=spec,
            items=items,
        )

    def report_markdown(self) -> str:
        """The overdue/escalation report as plain Markdown, for `liandong report`."""
        return self.env.get_template("report.txt.j2").render(page_url="report/", r=self)

    def home_page(self) -> Page:
        return self._page("home.md.j2", "index.md", "")

    def pages(self) -> list[Page]:
        pages = [self.home_page()]
        for type_name in self.model.types:
            pages.append(self.list_page(type_name))
            pages.extend(self.record_page(item) for item in self.model.of_type(type_name))
        pages.append(self._page("report.md.j2", "report.md", "report/"))
        pages.append(self._page("changes.md.j2", "changes.md", "changes/"))
        pages.append(self._page("downloads.md.j2", "downloads.md", "downloads/"))
        pages.append(self._page("search.md.j2", "search.md", "search/"))
        return pages


def list_options(renderer: Renderer, type_name: str, items: list[Item], path: str) -> list[tuple[str, str]]:
    ts = renderer.model.schemas.types[type_name]
    node = ts.subschema(pointer(path)) or {}
    if node.get("type") == "array":
        node = ts.resolve(node.get("items", {}))
    if "x-ref" in node:
        labels = {i.id: i.title for i in renderer.model.items.values()}
        return [(v, label) for v, label in filter_options(items, path, labels) if v in labels]
    return filter_options(items, path, node.get("x-enum-labels", {}))
