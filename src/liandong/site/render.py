"""Model → Markdown pages (with HTML blocks) via jinja2. No file I/O, no MkDocs.

What a page shows is its context (contexts.py), computed before the page is rendered; a template
gets it as `c`, with `page_url` and the formatting helpers here (`r`: link, ref, value,
fields_html; the globals href and clause_anchor; the filters tojson_text, beijing, chinese_date,
chinese_time, clause_number, author, md_cell).

Every value from a record goes through Jinja's autoescape or markupsafe's `Markup.format`,
so a title like `<script>` is text on the page. Pages put record content in raw HTML blocks,
which Python-Markdown leaves alone: no record text is ever read as Markdown, except fields the
schema marks as Markdown, and those go through safe_markdown."""

from __future__ import annotations

import copy
import datetime
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from liandong.history.timeline import AUTHOR_NAMES, FALLBACK_AUTHOR, Timeline, display_author
from liandong.history.types import History
from liandong.model import clauses
from liandong.model.chains import Step, _latest_progress
from liandong.model.model import Item, Model
from liandong.model.status import Status, finished, is_open
from liandong.site import contexts
from liandong.site.chain_diagram import ChainView, chain_svg
from liandong.site.citations import citation, clause_number
from liandong.site.clause_roles import clause_roles_context
from liandong.site.contexts import RecordContext, ReportContext, field_keys
from liandong.site.forms import Forge
from liandong.site.funds_chart import BalanceChart, balance_svg
from liandong.site.gantt import ScheduleView, gantt_svg, group_words
from liandong.site.i18n import CHINESE, Language, chinese_clock, schema_path
from liandong.site.markdown import render_markdown
from liandong.site.trend_chart import TrendView, trend_svg

BEIJING = datetime.timezone(datetime.timedelta(hours=8))  # commit times are shown in the zone's local time
NOTE_NOT_READ = "本次生成没有读取修改历史。"
HIDDEN = "（未公开）"
AUTHOR_LABELS = {*AUTHOR_NAMES.values(), FALLBACK_AUTHOR}  # the site's own names for commit authors (labels, not names)


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


@functools.cache
def environment(language: Language = CHINESE) -> jinja2.Environment:
    """The templates' environment for one edition: autoescape on, undefined names fail. Its
    globals and filters are formatting only; what a page shows comes in its context (contexts.py).
    One per edition and process: the templates are compiled once (the live preview makes a
    Renderer on every save). `_` is the edition's label (i18n.Language.marked: record text its patterns quote comes out marked), `zh` marks a record's
    Chinese text in the other editions, and the dates and times are the edition's."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("liandong.site", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["tojson_text"] = tojson_text
    env.filters["beijing"] = functools.partial(beijing, language=language)
    env.filters["chinese_date"] = language.date
    env.filters["chinese_time"] = language.clock
    env.filters["local_time"] = language.local_clock
    env.filters["clause_number"] = clause_number
    env.filters["author"] = display_author
    env.filters["md_cell"] = md_cell
    env.filters["zh"] = language.zh
    env.globals.update(href=language.href, clause_anchor=clause_anchor, _=language.marked, lang=language)
    return env


def tojson_text(value: Any) -> Markup:
    """Front-matter titles: the theme prints page.meta.title unescaped (<title>, header), so the
    value is HTML-escaped here and then written as a JSON string, which YAML reads."""
    return Markup(json.dumps(str(escape(value)), ensure_ascii=False))


def beijing(moment: datetime.datetime, language: Language = CHINESE) -> str:
    """A moment in Beijing time, the usual way of the edition: 2026年7月16日上午9:30."""
    local = moment.astimezone(BEIJING)
    return f"{language.date(local.date())}{' ' if language.translates else ''}{language.clock(local.strftime('%H:%M'))}"


def chinese_date(day: datetime.date | str) -> str:
    """2026-07-16 → 2026年7月16日 (an ISO date string, as records hold dates, or a date)."""
    return CHINESE.date(day)


def chinese_time(clock: str) -> str:
    """09:30 → 上午9:30, 14:00 → 下午2:00 (a 24-hour HH:MM, as meeting records hold times)."""
    hour, minute = (int(part) for part in clock.split(":")[:2])
    return chinese_clock(hour, minute)


def md_cell(value: Any) -> str:
    """Plain-Markdown table cells (the `report` command): no pipes or line breaks from records."""
    return str(value).replace("|", "｜").replace("\n", " ")


def markdown_report(context: ReportContext, env: jinja2.Environment | None = None) -> str:
    """The overdue/escalation report as plain Markdown (`liandong report`): report.txt.j2 alone."""
    return (env or environment()).get_template("report.txt.j2").render(c=context)


class Renderer:
    """Renders the site's pages: each page's context (contexts.py) through its template, with
    `page_url` and the formatting helpers below (as `r`)."""

    def __init__(
        self,
        model: Model,
        today: datetime.date,
        internal: bool = False,
        timeline: Timeline | None = None,
        forge: Forge | None = None,
        languages: list[Language] | None = None,
    ) -> None:
        self.model = model
        self.forge = forge  # where 修改此记录 and the forms send a change (forms.py); None: copy or download
        self.timeline = timeline or Timeline(History(False, note=NOTE_NOT_READ), model)
        self.today = today
        self.internal = internal
        self.status = Status(model, today)
        self.languages = languages or [CHINESE]  # the site's editions, Chinese first (i18n.py)
        self.language = self.languages[0]
        self.env = environment(self.language)
        self._record_templates: dict[str, jinja2.Template] = {}
        self._editions: list[Renderer] = [self]

    def editions(self) -> list[Renderer]:
        """This renderer and one per other edition, sharing the model, its status and history:
        a page's context is computed once and rendered in each edition's words."""
        if len(self._editions) < len(self.languages):
            self._editions = [self] + [self._in(language) for language in self.languages[1:]]
        return self._editions

    def _in(self, language: Language) -> Renderer:
        other = copy.copy(self)
        other.language, other.env, other._record_templates = language, environment(language), {}
        return other

    # -- values ---------------------------------------------------------------------------------

    # The helpers below build HTML with f-strings around markupsafe.escape (C speedups) rather
    # than Markup.format, which was the single largest cost of rendering 10,000 pages.

    def link(self, item: Item | None, from_url: str, fallback: str = "") -> Markup:
        t = self.language.t
        if item is None:
            return Markup(f'<span class="ld-hidden">{escape(t(fallback or HIDDEN))}</span>')
        badge = f' <span class="ld-badge ld-badge--example">{escape(t("示例"))}</span>' if item.example else ""
        return Markup(f'<a href="{escape(href(from_url, item.url))}">{self.title(item)}</a>{badge}')

    def title(self, item: Item) -> Markup:
        """A record's title in this edition: its translation, else the Chinese marked lang="zh"."""
        if self.language.translates:
            translated = (item.data.get("translations") or {}).get(self.language.code, {}).get("title")
            if translated:
                return escape(translated)
        return self.language.zh(item.title)

    def plain_title(self, item: Item) -> str:
        """A record's title as plain text (the page's front matter): its translation, else Chinese."""
        return self._translation(item).get("title") or item.title

    def _translation(self, item: Item) -> dict[str, Any]:
        if not self.language.translates:
            return {}
        return (item.data.get("translations") or {}).get(self.language.code) or {}

    def clause_heading(self, document: Item, number: str, heading: str) -> Markup:
        """A clause's heading in this edition: the document's translation of it (by the clause's
        number), else the Chinese heading marked lang="zh"."""
        translated = (self._translation(document).get("clauses") or {}).get(number)
        return escape(translated) if translated else self.language.zh(heading)

    def translated(self, item: Item) -> bool:
        """Whether the record carries a translation into this edition (shown as unofficial)."""
        return bool(self._translation(item))

    def chinese_href(self, page_url: str) -> str:
        """The Chinese page of the page at `page_url`, from this edition's page."""
        return "../" * (page_url.count("/") + self.language.prefix.count("/")) + page_url or "./"

    def say(self, text: str, /, **values: Any) -> Markup:
        """A label whose {fields} are links or record text: the edition's words, escaped, then filled
        (Markup values as they are, any other value escaped)."""
        return Markup(escape(self.language.t(text))).format(**values)

    def type_label(self, item: Item) -> str:
        """The record's type in this edition (its schema's title)."""
        return self.language.label(item.type, item.type_label)

    def status_label(self, item: Item) -> str:
        """The record's status in this edition (tasks/status=open)."""
        return self.code_label(item, ("status",), item.status)

    def author(self, name: str) -> Markup:
        """Who made a commit: the site's own names for the maintainers' tools translated, a person's
        or a body's name as it is, marked Chinese."""
        shown = display_author(name)
        if shown in AUTHOR_LABELS:
            return escape(self.language.t(shown))
        return self.language.zh(shown)

    # -- figures, in the edition's words (the context draws them once, in Chinese) ---------------

    def gantt_svg(self, view: ScheduleView, heading: str) -> Markup:
        if not self.language.translates:
            return view.svg
        return gantt_svg(view.schedule, self.language.t(heading), view.ident, self.language.t, translated=True).svg

    def funds_svg(self, chart: BalanceChart) -> Markup:
        return balance_svg(chart, self.language.t) if self.language.translates else chart.svg

    def trend_svg(self, view: TrendView, heading: str) -> Markup:
        if not self.language.translates:
            return view.svg
        return trend_svg(view.months, self.language.t(heading), view.ident, view.real_only, self.language.t, char_width=6.5).svg

    def chain_svg(self, view: ChainView) -> Markup:
        if not self.language.translates:
            return view.svg
        return chain_svg(view.chain, view.ident, self.language.t, [self._short_outcome(s) for s in view.chain.steps])

    def group_label(self, label: str) -> Markup:
        """A timeline group's source (a clause, a meeting's decision, 协调事项) in this edition."""
        words = group_words(label, self.language.t, self.language.translates)
        return Markup(words.replace("<tspan ", "<span ").replace("</tspan>", "</span>"))

    def outcome(self, step: Step) -> Markup:
        """Where a record made from a clause or decision stands (model/chains.py outcome), in this
        edition's words with the record's own text marked."""
        if not self.language.translates:
            return escape(step.outcome)
        t, zh, item = self.language.t, self.language.zh, step.item
        done = finished(item)
        state = self.status_label(item)
        if not is_open(item):
            return escape(f"{done.isoformat()} {state}" if done else state)
        waiting = self.status.waiting_answer(item)
        if waiting is not None:
            to = Markup(escape(t("、"))).join(zh(u.title) for u in waiting.to) or escape(t("上级"))
            return self.say("{date} 报{to}，待答复 {days} 天", date=waiting.reported_on.isoformat(), to=to, days=waiting.days)
        escalation = item.data.get("escalation")
        if isinstance(escalation, dict) and isinstance(escalation.get("answer"), dict):
            return self.say("{date} 上级已答复；{status}", date=escalation["answer"].get("date"), status=state)
        latest = _latest_progress(item)
        if latest:
            said = self.say("最新进度 {date}：{text}", date=latest["date"], text=zh(str(latest.get("text", "")).rstrip("。")))
        else:
            said = escape(t("尚无进度记录"))
        badges = {b.code: b.label for b in self.status.badges(item)}
        return self.say("{state}；{said}", state=t(badges["overdue"]) if "overdue" in badges else state, said=said)

    def _short_outcome(self, step: Step) -> str:
        """The outcome in the figure's box, in the edition's words alone (the caption gives it in full)."""
        t, item = self.language.t, step.item
        done = finished(item)
        state = self.status_label(item)
        if not is_open(item):
            return f"{done.isoformat()} {state}" if done else state
        waiting = self.status.waiting_answer(item)
        if waiting is not None:
            return t("{date} 报上级，待答复 {days} 天", date=waiting.reported_on.isoformat(), days=waiting.days)
        badges = {b.code: b.label for b in self.status.badges(item)}
        return t(badges["overdue"]) if "overdue" in badges else state

    def ref(self, value: Any, from_url: str) -> Markup:
        target = self.model.get(value) if isinstance(value, str) else None
        return self.link(target, from_url)

    def label(self, item: Item, pointer: tuple[Any, ...]) -> str:
        """A field's title in this edition (i18n: translated by its schema path)."""
        return self.language.label(schema_path(item.type, pointer), item.schema.label(pointer))

    def code_label(self, item: Item, pointer: tuple[Any, ...], code: str) -> str:
        """A code's label in this edition (tasks/status=open), from the schema's x-enum-labels."""
        chinese = item.schema.enum_labels(pointer).get(code, code)
        return self.language.label(f"{schema_path(item.type, pointer)}={code}", chinese)

    def value(self, item: Item, pointer: tuple[Any, ...], value: Any, from_url: str) -> Markup:
        node = item.schema.subschema(pointer) or {}
        t = self.language.t
        if pointer == (item.schema.roles_field,) and isinstance(value, list):
            return self._roles_table(item, from_url)
        if "x-ref" in node:
            return self.ref(value, from_url)
        if isinstance(value, dict) and {"document", "clause"} <= set(value):
            return self._clause_link(value, from_url)
        if isinstance(value, dict) and {"meeting", "decision"} <= set(value):
            return self._decision_link(value, from_url)
        if "x-enum-labels" in node and isinstance(value, str):
            return escape(self.code_label(item, pointer, value))
        if node.get("contentMediaType") == "text/markdown" and isinstance(value, str):
            html = render_markdown(value)
            return Markup(f'<div lang="zh">{html}</div>') if self.language.translates else html
        if isinstance(value, bool):
            return escape(t("是") if value else t("否"))
        if isinstance(value, int) and node.get("x-unit"):
            # a time limit with its unit (x-unit): 7个工作日
            return escape(f"{value} {t(node['x-unit'])}" if self.language.translates else f"{value}{node['x-unit']}")
        if isinstance(value, list):
            parts = [self.value(item, pointer + (i,), v, from_url) for i, v in enumerate(value)]
            if all(not isinstance(v, (dict, list)) for v in value):
                return Markup(t("、").join(parts))
            return Markup('<ol class="ld-entries">' + "".join(f"<li>{p}</li>" for p in parts) + "</ol>")
        if isinstance(value, dict):
            return self.fields_html(item, pointer, value, from_url)
        if isinstance(value, str):
            return self.language.zh(value)
        return escape(value)

    def _roles_table(self, item: Item, from_url: str) -> Markup:
        """分工 as a table: each role, its units, and the text's words for it; an inference is marked
        登记册推定 with its reason, so it is never mistaken for the text."""
        t, zh = self.language.t, self.language.zh
        pointer = (item.schema.roles_field or "", 0, "role")
        rows = []
        for entry in item.schema.roles_in(item.data):
            role = escape(self.code_label(item, pointer, entry["role"]))
            units = t("、").join(self.ref(u, from_url) for u in entry["units"])
            if entry.get("inferred"):
                role += Markup(f' <span class="ld-badge ld-badge--inferred">{escape(t("登记册推定"))}</span>')
                basis = Markup(f'<span class="ld-inferred">{zh(entry.get("basis", ""))}</span>')
                if entry.get("as_written"):
                    basis = Markup(f"“{zh(entry['as_written'])}”；") + basis
            else:
                basis = Markup(f"“{zh(entry['as_written'])}”") if entry.get("as_written") else Markup("—")
            role_h, units_h, basis_h = (escape(t(h)) for h in ("角色", "承担单位", "原文依据"))
            rows.append(f'<tr><td data-label="{role_h}">{role}</td><td data-label="{units_h}">{units}</td><td data-label="{basis_h}">{basis}</td></tr>')
        head = "".join(f'<th scope="col">{escape(t(h))}</th>' for h in ("角色", "承担单位", "原文依据"))
        return Markup(f'<table class="ld-table ld-roles"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')

    def _clause_link(self, value: dict[str, Any], from_url: str) -> Markup:
        t, zh = self.language.t, self.language.zh
        document = self.model.get(value["document"])
        if document is None:
            return Markup(f"{escape(t(HIDDEN))} {zh(clause_number(value['clause']))}")
        # The listed clause the reference names: itself, or the one a paragraph-level citation
        # (第六条第二款 of a document listing 第六条) lies within, whose section the link opens.
        listed = clauses.entry(value["clause"], document.data.get("clauses"))
        number = listed["number"] if listed is not None else value["clause"]
        heading = listed.get("heading", "") if listed is not None else ""
        target = escape(href(from_url, f"{document.url}#{quote(clause_anchor(number))}"))
        link = Markup(f'<a href="{target}">{zh(citation(document.title, value["clause"]))}</a>')
        if listed is not None and not clauses.same(number, value["clause"]):
            if not self.language.translates:
                return link + Markup(f"（{zh(' '.join(filter(None, (clause_number(number), heading))))}）")
            shown = zh(clause_number(number)) + (Markup(" ") + self.clause_heading(document, number, heading) if heading else Markup(""))
            return link + Markup(f" ({shown})")
        return link + Markup(" ") + self.clause_heading(document, number, heading) if heading or not self.language.translates else link

    def _decision_link(self, value: dict[str, Any], from_url: str) -> Markup:
        t, zh = self.language.t, self.language.zh
        meeting = self.model.get(value["meeting"])
        number = escape(t("第 {number} 项议定事项", number=value["decision"]))
        if meeting is None:
            return Markup(f"{escape(t(HIDDEN))} {number}")
        text = next((d.get("text", "") for d in meeting.data.get("decisions", []) if d.get("number") == value["decision"]), "")
        target = escape(href(from_url, f"{meeting.url}#decision-{value['decision']}"))
        return Markup(f'<a href="{target}">{self.title(meeting)} {number}</a>：{zh(text)}')

    def fields(self, item: Item, pointer: tuple[Any, ...], data: dict[str, Any], from_url: str) -> list[tuple[str, Markup]]:
        return [(self.label(item, pointer + (k,)), self.value(item, pointer + (k,), data[k], from_url)) for k in field_keys(item, pointer, data)]

    def fields_html(self, item: Item, pointer: tuple[Any, ...], data: dict[str, Any], from_url: str) -> Markup:
        rows = "".join(f"<dt>{escape(label)}</dt><dd>{value}</dd>" for label, value in self.fields(item, pointer, data, from_url))
        return Markup(f'<dl class="ld-fields">{rows}</dl>')

    # -- pages ----------------------------------------------------------------------------------

    def _page(self, template: str | jinja2.Template, path: str, url: str, context: Any) -> Page:
        """A page in this renderer's edition: under its folder, linking as the Chinese page does
        (`page_url` is the Chinese URL; i18n.Language.href)."""
        found = self.env.get_template(template) if isinstance(template, str) else template
        return self._place(path, url, found.render(c=context, page_url=url, r=self))

    def _place(self, path: str, url: str, text: str = "") -> Page:
        """The page of the Chinese page at `path` and `url` in this edition: under its folder."""
        prefix = self.language.prefix
        return Page(prefix + path, prefix + url, text)

    def _pages(self, template: str, path: str, url: str, context: Any) -> list[Page]:
        """A page in every edition, from one context."""
        return [edition._page(template, path, url, context) for edition in self.editions()]

    def _record_template(self, type_name: str) -> jinja2.Template:
        """The type's own record template, or record.md.j2 (chosen once per type)."""
        if type_name not in self._record_templates:
            self._record_templates[type_name] = self.env.select_template([f"record-{type_name}.md.j2", "record.md.j2"])
        return self._record_templates[type_name]

    def record_page_places(self, item: Item) -> list[Page]:
        """The record's pages in every edition with no text: where they go (record_pages)."""
        return [edition._place(item.source_path, item.url) for edition in self.editions()]

    def record_pages(self, item: Item) -> list[Page]:
        context: RecordContext = contexts.record_context(self.status, self.timeline, item, self.forge)
        return [edition._page(edition._record_template(item.type), item.source_path, item.url, context) for edition in self.editions()]

    def list_pages(self, type_name: str) -> list[Page]:
        return self._pages("list.md.j2", f"{type_name}/index.md", f"{type_name}/", contexts.list_context(self.status, type_name))

    def home_pages(self) -> list[Page]:
        return self._pages("home.md.j2", "index.md", "", contexts.home_context(self.status, self.timeline, self.internal))

    def report_markdown(self) -> str:
        """The overdue/escalation report as plain Markdown, for `liandong report`."""
        return markdown_report(contexts.report_context(self.status), self.env)

    def inspection_pages(self) -> list[Page]:
        """三(一)3: the inspection calendar and the inspections by enterprise, beside the inspections' list."""
        status = self.status
        return [
            *self._pages("inspections-calendar.md.j2", "inspections/calendar.md", contexts.CALENDAR_URL, contexts.inspection_calendar_context(status)),
            *self._pages("inspections-enterprises.md.j2", "inspections/enterprises.md", contexts.ENTERPRISES_URL, contexts.enterprises_context(status)),
        ]

    def pages(self, only: set[str] | None = None, site_pages: bool = True, later: frozenset[str] = frozenset()) -> list[Page]:
        """Every page in every edition; with `only`, the record pages of those ids, and unless not
        `site_pages` every page that is not a record's (the live preview re-renders what an edit
        can change: site/live.py). The records in `later` get their places only (record_page_places):
        another process renders them (plugin.on_env)."""
        return [page for job in self.page_jobs(only, site_pages, later) for page in job()]

    def page_jobs(self, only: set[str] | None = None, site_pages: bool = True, later: frozenset[str] = frozenset()) -> list[Callable[[], list[Page]]]:
        """The pages of `pages`, in its order, as steps that each make a record's or a site page's
        editions: the live preview stops between two when a newer save waits."""
        records = (item for item_id in sorted(only or ()) if (item := self.model.get(item_id)) is not None)
        if not site_pages:
            return [functools.partial(self.record_pages, item) for item in records]
        jobs: list[Callable[[], list[Page]]] = [self.home_pages]
        for type_name in self.model.types:
            jobs.append(functools.partial(self.list_pages, type_name))
            for item in self.model.of_type(type_name):
                if item.id in later:
                    jobs.append(functools.partial(self.record_page_places, item))
                elif only is None or item.id in only:
                    jobs.append(functools.partial(self.record_pages, item))
            if type_name == "inspections":
                jobs.append(self.inspection_pages)
        jobs += [
            lambda: self._pages("report.md.j2", "report.md", "report/", contexts.report_context(self.status)),
            lambda: self._pages("clause-roles.md.j2", "roles.md", "roles/", clause_roles_context(self.model)),
            lambda: self._pages("changes.md.j2", "changes.md", "changes/", contexts.changes_context(self.model, self.timeline, self.internal)),
            lambda: self._pages("downloads.md.j2", "downloads.md", "downloads/", contexts.downloads_context(self.model, self.today, self.internal)),
            lambda: self._pages("search.md.j2", "search.md", "search/", contexts.SearchContext()),
        ]
        return jobs
