"""What each page shows, computed once: one dataclass per page kind, and the functions that build
them from the model, its derived status (model/status.py) and the timeline (history/timeline.py).

A template receives its context as `c`, with `page_url` (the page's own site URL) and the
formatting helpers of render.py: `r.link`, `r.ref`, `r.value`, `r.fields_html`, the globals
`href` and `clause_anchor`, the filters `tojson_text`, `beijing` and `md_cell`. A template
computes nothing: every count, derived badge, list, label and lookup it shows is a field here,
each documented in its class's docstring. The values stay raw (items, codes, dates, record data):
turning them into escaped HTML is the templates' and render.py's job, so every record value still
goes through autoescape or markupsafe there.

TEMPLATES says which context each template receives, CONTRIB_TEMPLATES what the contributor
pages (contribute.py) pass instead of a `c`; tests/unit/test_contexts.py checks every template
against them (no name but the documented ones, no attribute of `c` its class lacks)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from liandong.history.timeline import Change, Entry, Timeline
from liandong.history.trend import monthly
from liandong.history.types import Commit
from liandong.model import examples
from liandong.model import funds as ledgers
from liandong.model import inspections as joint_inspections
from liandong.model import pushes as information_pushes
from liandong.model import reviews as joint_reviews
from liandong.model import status as derived
from liandong.model.chains import clause_chain, decision_chain
from liandong.model.model import Item, Model
from liandong.model.schedule import schedule
from liandong.model.status import Badge, Lapse, Late, Period, Role, Status
from liandong.model.vocabulary import TYPE_ORDER
from liandong.site import funds_chart, unit_feeds
from liandong.site.chain_diagram import ChainView, chain_view
from liandong.site.citations import citation
from liandong.site.clause_roles import ClauseRolesContext
from liandong.site.downloads import FUNDS_ENTRIES, REPORT_DOCX, csv_path, template_path, workbook_path
from liandong.site.forms import Forge, RecordActions, record_actions
from liandong.site.gantt import MAX_BARS, ScheduleView, gantt_svg
from liandong.site.i18n import schema_path
from liandong.site.lists import FIRST_ROWS, LISTS, UNIT_COLUMNS, column_label, filter_options, list_spec, pointer, row_file_names, shown, tokens, value_at
from liandong.site.trend_chart import TrendView, trend_svg
from liandong.validation import hierarchy
from liandong.validation.schema import TypeSchema

# The derived-status filter on list pages: code → label.
DERIVED_LABELS = {
    "overdue": "逾期",
    "due-soon": "{due_soon_days} 天内到期",  # the registry's warning windows: see derived_labels()
    "stale": "{stale_days} 天无进展",
    "awaiting-answer": "待上级答复",
    "unsigned": "未签收",
    "late": "逾期办结",
    "on-time": "按期办结",
}


def derived_labels(model: Model) -> dict[str, str]:
    """DERIVED_LABELS with the registry's warning windows filled in."""
    windows = model.schemas.configuration.data["windows"]
    return {code: label.format_map(windows) for code, label in DERIVED_LABELS.items()}


# Shown in a record page's header, not in its field list.
HEADER_FIELDS = {"id", "title", "status", "visibility", "example", "translations"}  # translations: shown in their edition (i18n.py)
# Rendered by a type's own section (minutes, clauses) instead of the generic field list.
OWN_SECTION = {
    "meetings": {"mechanism", "date", "start_time", "end_time", "place", "chair", "attendees", "observers", "absentees", "agenda", "minutes", "decisions"},
    "documents": {"clauses"},
    "reviews": {"mechanism", "project", "measures", "powers", "convener", "notice", "departments", "intake", "decision"},
    "funds": {"inflows", "financing", "outflows", "land_revenue", "supervision"},
    "mechanisms": {"lead", "secretariat", "parent", "escalation"},  # its 召集和报请决策 section
}
HOME_CHANGES = 5  # commits on the home page
HOME_CHANGE_RECORDS = 3  # records named per commit there


def field_keys(item: Item, at: tuple[Any, ...], data: dict[str, Any]) -> list[str]:
    """The keys of `data` (the record, or a mapping inside it at `at`) its field list shows, in
    the schema's order and then the record's; at the top without the header's and the type's
    own sections' fields."""
    node = item.schema.subschema(at) or {}
    order = list(node.get("properties", {}))
    skip = HEADER_FIELDS | OWN_SECTION.get(item.type, set()) if not at else set()
    return [k for k in order if k in data and k not in skip] + [k for k in data if k not in order and k not in skip]


# -- shared parts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """An organization a record names by id (a lead, say).

    id: the id as the record writes it
    item: the organization's record, None when it is not in the model (not published)
    name: its title, or the id when it is not in the model (the plain-text report prints it)
    """

    id: str
    item: Item | None
    name: str


def _units(model: Model, ids: list[str]) -> list[Unit]:
    found = []
    for unit_id in ids:
        target = model.get(unit_id)
        found.append(Unit(unit_id, target, target.title if target is not None else unit_id))
    return found


@dataclass(frozen=True)
class OverdueRow:
    """An open task or matter past its deadline (home page and report).

    item: the record
    deadline: its deadline in force
    days: days past it, as of today
    leads: the units that lead it (its schema's x-lead field)
    last_progress: the date of its latest progress entry, None without one
    """

    item: Item
    deadline: datetime.date
    days: int
    leads: list[Unit]
    last_progress: datetime.date | None


def _overdue(status: Status) -> list[OverdueRow]:
    return [OverdueRow(e.item, e.deadline, e.days, _units(status.model, e.item.leads), status.last_progress(e.item)) for e in status.overdue()]


@dataclass(frozen=True)
class EscalationRow:
    """A matter reported to a higher level and not yet answered (home page and report).

    item: the coordination matter
    to: the records of whom it was reported to (those published)
    to_name: their titles joined with 、, or 上级 without a record
    reported_on: when it was reported
    days: days waited since, as of today
    """

    item: Item
    to: tuple[Item, ...]
    to_name: str
    reported_on: datetime.date
    days: int


def _escalations(status: Status) -> list[EscalationRow]:
    return [EscalationRow(w.item, w.to, "、".join(t.title for t in w.to) or "上级", w.reported_on, w.days) for w in status.escalations]


@dataclass(frozen=True)
class AddedEntry:
    """An entry a commit appended to one of a record's history lists.

    name: the list field, e.g. progress
    label: the Chinese name of one of its entries, e.g. 办理进度
    value: the entry as written (raw record data)
    """

    name: str
    label: str
    value: Any


@dataclass(frozen=True)
class EntryView:
    """What one commit did to one record (a record's history, the recent-changes page).

    entry: the timeline's entry: created, deleted, status (old, new), deadline (old, new) and the
        extension that justified it, all raw
    commit_url: the forge's page of the commit, None without a forge
    deadline_label: the record type's name of its deadline field ("" when the deadline did not change)
    added: the entries the commit appended to history lists, in order
    fields: the names (labels) of the other top-level fields it edited
    """

    entry: Entry
    commit_url: str | None
    deadline_label: str
    added: list[AddedEntry]
    fields: list[str]


def _entry_view(timeline: Timeline, item: Item, entry: Entry) -> EntryView:
    schema = item.schema
    return EntryView(
        entry,
        timeline.url(entry.commit),
        schema.label(("deadline",)) if entry.deadline else "",
        [AddedEntry(name, schema.label((name, 0)), value) for name, value in entry.added],
        [schema.label((name,)) for name in entry.fields],
    )


@dataclass(frozen=True)
class RecordHistory:
    """A record's history as its page tells it.

    available: whether the history was read at all
    note: why it is missing or partial, "" when complete
    complete: False when the record's first commits are missing (a shallow clone's boundary)
    entries: one per commit that changed the record, oldest first
    """

    available: bool
    note: str
    complete: bool
    entries: list[EntryView]


# -- home -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HomeDocument:
    """A policy document in the home page's list.

    item: the document
    doc_number: its 文号, None without one
    clause_count: how many clauses it has, None when it has no clause list
    """

    item: Item
    doc_number: str | None
    clause_count: int | None


@dataclass(frozen=True)
class StateCount:
    """How many records of a type are in one state.

    code: the state's code
    label: its Chinese label
    count: the number of records in it (never 0: empty states are left out)
    """

    code: str
    label: str
    count: int


@dataclass(frozen=True)
class TypeCard:
    """A record type's card in the home page's overview.

    type_name: the type's folder name, e.g. tasks (its list page is type_name/)
    title: its Chinese title
    count: how many real records it has
    states: the states that have real records, in the lifecycle's order
    examples: how many example records it has, never in count or states
    """

    type_name: str
    title: str
    count: int
    states: list[StateCount]
    examples: int


@dataclass(frozen=True)
class ChangeSummary:
    """A recent commit, in one line of the home page.

    commit: the commit
    records: the first records it changed (at most HOME_CHANGE_RECORDS), None for one not in the model
    count: how many records it changed in all
    more: whether there are more than `records` names
    """

    commit: Commit
    records: list[Item | None]
    count: int
    more: bool


@dataclass(frozen=True)
class HomeContext:
    """home.md.j2, the site's front page (index.md).

    today: the day the site describes
    internal: whether this is the staff edition (internal records included)
    title: the registry's title (registry/liandong.yaml site.title)
    description: its one-line description, "" when the configuration gives none
    documents: the policy documents: the configuration's zone.documents first, in its order, then the others by id
    cards: one per record type, in the site's type order
    overdue: open tasks and matters past their deadline, most overdue first
    due_soon_label: the heading of the due-soon list (N 天内到期)
    due_soon: open items due within the configured due_soon_days, soonest first (days: days left)
    escalations: matters waiting for a higher level's answer, longest wait first
    upcoming: planned meetings from today on, by date
    decisions: the latest meeting decisions, as (meeting, decision as written), newest meeting first
    changes: the latest commits that changed published records, newest first
    history_available: whether the history was read
    history_note: why it is missing or partial, "" when complete
    next_week: the inspection week under way or next (三(一)3), None when none is arranged
    calendar_url: the inspection calendar's page
    awaiting_decision: real reviews still awaiting a decision (集中审理), by notice date, with their state
    awaiting_decision_examples: the example ones, shown apart and never counted with the real ones
    trend: the real tracked items open, overdue and carried out at each month's end, None without a history
    """

    today: datetime.date
    internal: bool
    title: str
    description: str
    documents: list[HomeDocument]
    cards: list[TypeCard]
    overdue: list[OverdueRow]
    due_soon_label: str
    due_soon: list[Late]
    escalations: list[EscalationRow]
    upcoming: list[Item]
    decisions: list[tuple[Item, dict[str, Any]]]
    changes: list[ChangeSummary]
    history_available: bool
    history_note: str
    next_week: CalendarEntry | None
    calendar_url: str
    awaiting_decision: list[ReviewRow]
    awaiting_decision_examples: list[ReviewRow]
    trend: TrendView | None


def _trend(status: Status, timeline: Timeline, items: list[Item], title: str, ident: str, real_only: bool = True) -> TrendView | None:
    months = monthly(timeline.history, items, status.today)
    return trend_svg(months, title, ident, real_only) if months else None


def _card(model: Model, type_name: str) -> TypeCard:
    ts = model.schemas.types[type_name]
    items, apart = examples.split(None, model.of_type(type_name))
    labels = ts.enum_labels(("status",))
    counts = [(state, sum(i.status == state for i in items)) for state in ts.states]
    return TypeCard(type_name, ts.title, len(items), [StateCount(state, labels[state], n) for state, n in counts if n], len(apart))


def _change_summary(model: Model, change: Change) -> ChangeSummary:
    shown = [model.get(record_id) for record_id, _entry in change.records[:HOME_CHANGE_RECORDS]]
    return ChangeSummary(change.commit, shown, len(change.records), len(change.records) > HOME_CHANGE_RECORDS)


def home_context(status: Status, timeline: Timeline, internal: bool) -> HomeContext:
    """The front page of `status.model` on `status.today`."""
    model = status.model
    settings = model.schemas.configuration
    named = list(settings.zone.get("documents") or [])
    ordered = sorted(model.of_type("documents"), key=lambda d: (named.index(d.id) if d.id in named else len(named), d.id))
    documents = [HomeDocument(d, d.data.get("doc_number"), len(d.data["clauses"]) if "clauses" in d.data else None) for d in ordered]
    return HomeContext(
        today=status.today,
        internal=internal,
        title=settings.title,
        description=settings.description,
        documents=documents,
        cards=[_card(model, t) for t in model.types],
        overdue=_overdue(status),
        due_soon_label=derived_labels(model)["due-soon"],
        due_soon=status.due_soon(),
        escalations=_escalations(status),
        upcoming=derived.upcoming_meetings(model, status.today),
        decisions=derived.recent_decisions(model),
        changes=[_change_summary(model, change) for change in timeline.recent(HOME_CHANGES)],
        history_available=timeline.available,
        history_note=timeline.note,
        next_week=_calendar_entry(status, week) if (week := status.inspections.next_week()) is not None else None,
        calendar_url=CALENDAR_URL,
        awaiting_decision=_awaiting_decision(status, examples=False),
        awaiting_decision_examples=_awaiting_decision(status, examples=True),
        trend=_trend(status, timeline, examples.split(None, status.tracked_items())[0], "各月底的督办任务和协调事项", "trend-home"),
    )


# -- list pages -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListFilter:
    """A <select> filter of a list page.

    path: the dotted field path it filters on (the rows' data-f-… attribute)
    label: the field's Chinese name
    options: (value, label) of each value some row has: codes by label, references by title
    """

    path: str
    label: str
    options: list[tuple[str, str]]


@dataclass(frozen=True)
class ListDate:
    """The date field of a list page: its date-range filter and each row's data-date.

    path: the dotted field path
    label: the field's Chinese name
    """

    path: str
    label: str


@dataclass(frozen=True)
class RowFilter:
    """A row's values for one filter.

    name: the attribute's suffix, data-f-<name> (the path with - for .)
    tokens: the row's codes or ids in that field
    """

    name: str
    tokens: list[str]


@dataclass(frozen=True)
class Cell:
    """One cell of a list row.

    label: the column's Chinese name (the cell's data-label)
    kind: title (link and derived badges), status, unassigned (a lead the source did not name),
        units (lists.UNIT_COLUMNS: unit ids, each shown with r.ref), none (no value) or value (shown with r.value)
    at: the field's pointer, for r.value
    value: the field's value as written, None when absent
    """

    label: str
    kind: str
    at: tuple[str, ...]
    value: Any


@dataclass(frozen=True)
class ListRow:
    """One record's row on its type's list page.

    item: the record
    example: "example" for an example record, else "real" (the data filter)
    filters: its values for each of the page's filters, in the filters' order
    date: its value of the page's date field, "" without one (or without a date field)
    codes: its derived-status codes (overdue, due-soon, …), for the derived filter
    badges: its derived badges, shown with their explanation in the title cell
    cells: one per column
    """

    item: Item
    example: str
    filters: list[RowFilter]
    date: Any
    codes: list[str]
    badges: list[Badge]
    cells: list[Cell]


@dataclass(frozen=True)
class ListContext:
    """list.md.j2, a type's list page (<type>/index.md).

    type_name: the type's folder name, e.g. tasks
    type_label: its Chinese title
    filters: the <select> filters (lists.LISTS), with their options
    date: the date field with its range filter, None for types without one
    tracked: whether the type is tracked (a lead and a deadline)
    derived_label: the derived filter's name (办理情况; a type with states of its own names its own)
    derived_options: (code, label) of the derived filter; [] when the type has no derived states
    columns: the columns' Chinese names
    rows: one per record, by id
    count: how many records there are
    first: the rows the page's HTML holds: the first lists.FIRST_ROWS of rows, all of them for a short list
    rest: how many rows are not in the page's HTML (count minus first), 0 for a short list
    row_files: the list's row files, relative to the page (lists.row_file_names: rows/0.json, …), each a
        JSON array of rows' <tr> markup, in rows' order; [] when first holds every row. lists.js loads them
        when a filter, a sort or 显示更多 needs them
    batch: how many rows 显示更多 adds (lists.FIRST_ROWS)
    csv: the site path of the type's CSV (the whole list without JavaScript)
    workbook: the site path of its 台账 (.xlsx)
    schedule: the timeline of its records (tracked types: tasks, matters; examples marked), None for other types
    """

    type_name: str
    type_label: str
    filters: list[ListFilter]
    date: ListDate | None
    tracked: bool
    derived_label: str
    derived_options: list[tuple[str, str]]
    columns: list[str]
    rows: list[ListRow]
    count: int
    first: list[ListRow]
    rest: int
    row_files: list[str]
    batch: int
    csv: str
    workbook: str
    schedule: ScheduleView | None


def _options(model: Model, ts: TypeSchema, items: list[Item], path: str, titles: dict[str, str]) -> list[tuple[str, str]]:
    node: dict[str, Any] = {"x-ref": "organizations"} if path in UNIT_COLUMNS else ts.subschema(pointer(path)) or {}
    if node.get("type") == "array":
        node = ts.resolve(node.get("items", {}))
    if "x-ref" in node:
        return [(v, label) for v, label in filter_options(items, path, titles) if v in titles]
    return filter_options(items, path, node.get("x-enum-labels", {}))


def _cell(item: Item, path: str, label: str) -> Cell:
    value = value_at(item, path)
    if path in ("title", "status"):
        kind = path
    elif value is None and path == "leads" and item.data.get("unassigned_in_source"):
        kind = "unassigned"
    elif value is not None and path in UNIT_COLUMNS:
        kind = "units"
    else:
        kind = "none" if value is None else "value"
    return Cell(label, kind, pointer(path), value)


def list_context(status: Status, type_name: str) -> ListContext:
    """The list page of one type of `status.model`."""
    model = status.model
    spec = shown(
        list_spec(type_name, model.schemas.configuration) or LISTS[type_name], model.of_type(type_name)
    )  # without the optional columns no record fills
    ts = model.schemas.types[type_name]
    items = model.of_type(type_name)
    titles = {i.id: i.title for i in model.items.values()}
    columns = [column_label(ts, path) for path in spec.columns]
    rows = [
        ListRow(
            item=item,
            example="example" if item.example else "real",
            filters=[RowFilter(path.replace(".", "-"), tokens(item, path)) for path in spec.filters],
            date=(value_at(item, spec.date) or "") if spec.date else "",
            codes=status.codes(item),
            badges=status.badges(item),
            cells=[_cell(item, path, label) for path, label in zip(spec.columns, columns)],
        )
        for item in items
    ]
    return ListContext(
        type_name=type_name,
        type_label=ts.title,
        filters=[ListFilter(path, column_label(ts, path), _options(model, ts, items, path, titles)) for path in spec.filters],
        date=ListDate(spec.date, column_label(ts, spec.date)) if spec.date else None,
        tracked=ts.tracked,
        derived_label=OWN_DERIVED[type_name][0] if type_name in OWN_DERIVED else "办理情况",
        derived_options=list(OWN_DERIVED[type_name][1].items()) if type_name in OWN_DERIVED else list(derived_labels(model).items()) if ts.tracked else [],
        columns=columns,
        rows=rows,
        count=len(items),
        first=rows[:FIRST_ROWS],
        rest=max(0, len(rows) - FIRST_ROWS),
        row_files=row_file_names(len(rows)),
        batch=FIRST_ROWS,
        csv=csv_path(type_name),
        workbook=workbook_path(type_name),
        schedule=gantt_svg(schedule(status, items, MAX_BARS), f"{ts.title}时间表", f"gantt-{type_name}") if ts.tracked else None,
    )


# -- record pages -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackReference:
    """A record that refers to the page's record, as the page's reader reads it.

    label: what that record is to this one, said by the referring field's x-inverse: on the 63号
        page the opinion is one of the 据此制定的文件, not its 贯彻落实的文件
    source: the record that refers
    """

    label: str
    source: Item


UNNAMED_INVERSE = "引用本记录"  # a reference whose schema names no inverse (tests/unit/test_inverse.py requires one)


def back_references(model: Model, item: Item) -> list[BackReference]:
    """The records that refer to `item`, each once per inverse label, by type, label and id."""
    found: dict[tuple[str, str], BackReference] = {}
    for relation in model.referred_by(item):
        role = relation.source.schema.role_at(relation.source.data, relation.pointer)
        label = f"分工：{role}" if role else relation.source.schema.inverse_label(relation.pointer) or UNNAMED_INVERSE
        found.setdefault((relation.source.id, label), BackReference(label, relation.source))
    order = {name: index for index, name in enumerate(TYPE_ORDER)}
    return sorted(found.values(), key=lambda b: (order.get(b.source.type, len(order)), b.label, b.source.id))


@dataclass(frozen=True)
class RecordContext:
    """record.md.j2, a record's page (<type>/<id>.md), and the base of the per-type contexts.

    item: the record
    badges: its derived badges (逾期 12 天, 按期办结, …), each with its explanation
    days_open: days since it was assigned or raised, until today or until it was carried out;
        None for untracked types and records without a start date
    days_open_label: 已办理 while it is open, 办理用时 once it is settled
    has_fields: whether its field list (详细信息) has anything to show
    relations: the records that refer to it, one per record and what it is to this one
    history: its history
    actions: its 修改此记录 link and where its 追加进度 form's lines go (forms.RecordActions)
    """

    item: Item
    badges: list[Badge]
    days_open: int | None
    days_open_label: str
    has_fields: bool
    relations: list[BackReference]
    history: RecordHistory
    actions: RecordActions


@dataclass(frozen=True)
class DecisionView:
    """A decision of a meeting, with what it set in motion.

    number: its number in the meeting
    text: what was decided
    report_to: the ids of whom it is to be reported to for a decision, [] when not
    state: none (no tasks), done (all carried out), overdue (one is) or in-progress
    state_label: the state in Chinese
    tasks: the tasks it created (their source is this decision)
    chain: from the decision to where each task and matter it set in motion stands, drawn (None when none)
    """

    number: int
    text: str
    report_to: list[str]
    state: str
    state_label: str
    tasks: list[Item]
    chain: ChainView | None


@dataclass(frozen=True)
class MeetingRecordContext(RecordContext):
    """record-meetings.md.j2: a meeting's page, with its minutes. The fields of RecordContext, and

    decisions: its decisions in order, None when the record has no decision list
    decisions_done: how many of the decisions that created tasks are carried out
    decisions_with_tasks: how many decisions created tasks
    """

    decisions: list[DecisionView] | None
    decisions_done: int
    decisions_with_tasks: int


@dataclass(frozen=True)
class Cadence:
    """A mechanism's prescribed cadence and how it was kept.

    every_label: the period in Chinese, e.g. 每季度
    times: how many meetings each period must have
    note: how the first period was chosen when the start date is unknown, "" otherwise
    periods: each period from the start up to the first one after today, with its meetings
    rule: the cadence in the text's words, e.g. 每季度召开一次 (三(三)1)
    examples: a real mechanism's example meetings, listed apart: they never keep or miss a period
    """

    every_label: str
    times: Any
    note: str
    periods: list[Period]
    rule: str
    examples: list[Item]


@dataclass(frozen=True)
class EscalationRuleView:
    """One of a mechanism's rules of whom matters go up to, and when (报请决策).

    condition: when, in the text's words (协商不一致的, 需要某市人民政府决策的事项)
    to: whom they are reported to
    via: the unit that gathers and reports them, None when the rule names none
    """

    condition: str
    to: list[Unit]
    via: Unit | None


@dataclass(frozen=True)
class MechanismStructure:
    """Who runs a mechanism and where it sits (#19).

    conveners: the units that lead or convene it: its leads (Model.leads: its 牵头单位, or the units
        of its leading roles), then the units of its 召集 roles, each once
    secretariats: its 办事机构 (a co-convened mechanism may have one for each convener)
    parent: the mechanism it sits under, None when none or not published
    children: the mechanisms under it (下设机制: their parent names it), by id
    escalation: its rules of whom matters go up to, with their conditions
    """

    conveners: list[Unit]
    secretariats: list[Unit]
    parent: Item | None
    children: list[Item]
    escalation: list[EscalationRuleView]

    @property
    def empty(self) -> bool:
        return not (self.conveners or self.secretariats or self.parent or self.children or self.escalation)


@dataclass(frozen=True)
class MechanismRecordContext(RecordContext):
    """record-mechanisms.md.j2: a mechanism's page. The fields of RecordContext, and

    cadence: its cadence, None when the record sets none
    running: the records that run under it (their `mechanism` names it), by type, with their derived states
    inspection: what a joint-inspection mechanism adds (rules, figures, findings), None for other kinds
    push: what an information-push mechanism adds (figures), None for other kinds
    schedule: the timeline of the tasks its meetings assigned (for a real mechanism, the real ones), None when there are none
    structure: its conveners, secretariats, parent and child mechanisms, and whom it reports to
    trend: those open, overdue and carried out at each month's end, None when there are none or without a history
    """

    cadence: Cadence | None
    running: list[RunningGroup]
    inspection: InspectionMechanism | None
    push: PushMechanism | None
    schedule: ScheduleView | None
    structure: MechanismStructure
    trend: TrendView | None = None


@dataclass(frozen=True)
class ClauseView:
    """A clause of a document.

    number: its number, e.g. 三(一)1 (its section's id is clause_anchor(number); shown as 三（一）1)
    heading: its heading
    text: its text, None without one
    citing: the records made from it (tasks, mechanisms, powers…), each once, by type and id; not the
        units whose record merely names it as where they are mentioned (their sources, other names)
    leads: who carries it out: the units that lead those records (Model.leads), each once, in order
    chain: from the clause to where each real record made from it stands, drawn (None when there is none)
    """

    number: str
    heading: str
    text: str | None
    citing: list[Item]
    leads: list[Item]
    chain: ChainView | None


@dataclass(frozen=True)
class DocumentRecordContext(RecordContext):
    """record-documents.md.j2: a document's page. The fields of RecordContext, and

    clauses: its clauses in order, None when the record has no clause list
    reprint_only: whether it is known only from reprints (转载 listed, no official 原文网址)
    """

    clauses: list[ClauseView] | None
    reprint_only: bool


@dataclass(frozen=True)
class OrgRecord:
    """The tasks and matters an organization leads, counted.

    led: how many it leads
    open: how many of them are open
    overdue: how many are overdue
    completed: how many are carried out (with a completion date)
    judged: how many of those had a deadline
    on_time: how many of those were carried out on time
    on_time_percent: on_time of judged, in whole percent; None when judged is 0
    examples: for a real organization, the example items it leads, never counted above
    """

    led: int
    open: int
    overdue: int
    completed: int
    judged: int
    on_time: int
    on_time_percent: int | None
    examples: int


@dataclass(frozen=True)
class OrganizationRecordContext(RecordContext):
    """record-organizations.md.j2: an organization's page. The fields of RecordContext, and

    record: what it leads, counted
    roles: how often it appears in each role (牵头单位（督办任务）…), with how many are open or overdue
    pushes: what it pushed and received (信息推送, facts only), None when it did neither
    feeds: its own Atom feed and calendar to subscribe to (unit_feeds.UnitFeeds)
    schedule: the timeline of the tasks and matters it leads (for a real unit, its real ones), None when it leads none
    trend: those open, overdue and carried out at each month's end, None when it leads none or without a history
    """

    record: OrgRecord
    roles: list[Role]
    pushes: information_pushes.OrgPushes | None
    feeds: unit_feeds.UnitFeeds
    schedule: ScheduleView | None
    trend: TrendView | None = None


def _history(timeline: Timeline, item: Item) -> RecordHistory:
    entries = [_entry_view(timeline, item, entry) for entry in timeline.of(item.id)]
    return RecordHistory(timeline.available, timeline.note, timeline.complete(item.id), entries)


def _record(status: Status, timeline: Timeline, item: Item, forge: Forge | None) -> dict[str, Any]:
    days = status.days_open(item) if item.schema.tracked else None
    return {
        "item": item,
        "badges": status.badges(item),
        "days_open": days,
        "days_open_label": "已办理" if derived.is_open(item) else "办理用时",
        "has_fields": bool(field_keys(item, (), item.data)),
        "relations": back_references(status.model, item),
        "history": _history(timeline, item),
        "actions": record_actions(item, forge),
    }


def _meeting(status: Status, item: Item) -> dict[str, Any]:
    decisions = None
    if "decisions" in item.data:
        decisions = []
        for decision in item.data["decisions"]:
            state, label = status.decision_state(item, decision["number"])
            tasks = status.model.created_by_decision(item, decision["number"])
            chain = chain_view(decision_chain(status, item, decision["number"]), f"chain-decision-{decision['number']}")
            decisions.append(DecisionView(decision["number"], decision["text"], list(decision.get("report_to", [])), state, label, tasks, chain))
    done, with_tasks = status.meeting_share(item)
    return {"decisions": decisions, "decisions_done": done, "decisions_with_tasks": with_tasks}


def _assigned_by_meetings(model: Model, mechanism: Item) -> list[Item]:
    """The tasks the mechanism's meetings assigned (their source is one of its meetings' decisions)."""
    # Through the relations, not a scan of every task: a thousand mechanisms × 50,000 tasks was a
    # minute of the build at 100,000 records.
    meetings = [r.source for r in model.referred_by(mechanism) if r.source.type == "meetings" and r.pointer == ("mechanism",)]
    tasks = {r.source.id: r.source for m in meetings for r in model.incoming.get(m.id, []) if r.source.type == "tasks" and r.pointer == ("source", "meeting")}
    return [tasks[tid] for tid in sorted(tasks)]


def _mechanism(status: Status, item: Item) -> dict[str, Any]:
    kind = item.data.get("kind")
    found: dict[str, Any] = {
        "cadence": None,
        "running": _running(status, item),
        "inspection": _inspection_mechanism(status, item) if kind == "joint_inspection" else None,
        "push": _push_mechanism(status, item) if kind == "information_push" else None,
        "schedule": _schedule(status, examples.split(item, TREND_KINDS["mechanisms"](status, item))[0], f"{item.title}交办的任务时间表", f"gantt-{item.id}"),
        "structure": _structure(status.model, item),
    }
    if "cadence" not in item.data:
        return found
    cadence = item.data["cadence"]
    periods, note = status.cadence(item)
    every = item.schema.enum_labels(("cadence", "every"))[cadence["every"]]
    rule = f"{every}召开{times_in_words(cadence['times'])}"
    return {**found, "cadence": Cadence(every, cadence["times"], note, periods, rule, status.example_meetings(item))}


def _structure(model: Model, item: Item) -> MechanismStructure:
    convening = [u for r in item.schema.roles_in(item.data) if r.get("role") == "convene" for u in r.get("units", []) if isinstance(u, str)]
    conveners = list(dict.fromkeys([*model.leads(item), *convening]))
    secretariats = [u for u in item.data.get("secretariat", []) if isinstance(u, str)]
    parent = next((model.get(p) for p in hierarchy.parents(item.data)), None)
    children = [m for m in model.of_type(item.type) if item.id in hierarchy.parents(m.data)]
    rules = [
        EscalationRuleView(str(rule.get("condition", "")), _units(model, list(rule.get("to", []))), _units(model, [rule["via"]])[0] if "via" in rule else None)
        for rule in item.data.get("escalation", [])
        if isinstance(rule, dict)
    ]
    return MechanismStructure(_units(model, conveners), _units(model, secretariats), parent, sorted(children, key=lambda m: m.id), rules)


_DIGITS = "零一二三四五六七八九"


def times_in_words(count: int) -> str:
    """How often, as the text writes it: 1 → 一次, 2 → 两次, 12 → 十二次 (a cadence has at most 12)."""
    if count == 2:
        return "两次"
    if 0 < count < 10:
        return f"{_DIGITS[count]}次"
    if 10 <= count < 20:
        return f"十{_DIGITS[count - 10] if count > 10 else ''}次"
    return f"{count} 次"


def _document(status: Status, item: Item) -> dict[str, Any]:
    reprint_only = bool(item.data.get("reprints")) and "url" not in item.data
    if "clauses" not in item.data:
        return {"clauses": None, "reprint_only": reprint_only}
    clauses = []
    for clause in item.data["clauses"]:
        citing = _made_from(status.model, item, clause["number"])
        units = dict.fromkeys(unit for record in citing for unit in status.model.leads(record))
        leads = [unit for unit in (status.model.get(u) for u in units) if unit is not None]
        chain = chain_view(clause_chain(status, item, clause["number"], clause["heading"]), f"chain-{clause['number']}")
        clauses.append(ClauseView(clause["number"], clause["heading"], clause.get("text"), citing, leads, chain))
    return {"clauses": clauses, "reprint_only": reprint_only}


def _made_from(model: Model, document: Item, clause: str) -> list[Item]:
    """The records made from a clause, each once: an organization citing it says where the text
    mentions the unit (its sources, the source of another name), not that the unit carries it out."""
    found = {r.source.id: r.source for r in model.citing_clause(document, clause) if r.source.type != "organizations"}
    return list(found.values())


def _organization(status: Status, item: Item) -> dict[str, Any]:
    counts = status.org_record(item)
    judged = counts["judged"]
    percent = int(round(100 * counts["on_time"] / judged, 0)) if judged else None
    record = OrgRecord(counts["led"], counts["open"], counts["overdue"], counts["completed"], judged, counts["on_time"], percent, counts["examples"])
    pushes = status.pushes.of_organization(item)
    led = examples.split(item, TREND_KINDS["organizations"](status, item))[0]
    return {
        "record": record,
        "roles": derived.role_summary(status, item),
        "pushes": None if pushes.empty else pushes,
        "feeds": unit_feeds.feeds_of(item),
        "schedule": _schedule(status, led, f"{item.title}牵头的事项时间表", f"gantt-{item.id}"),
    }


def _schedule(status: Status, items: list[Item], title: str, ident: str) -> ScheduleView | None:
    return gantt_svg(schedule(status, items, MAX_BARS), title, ident) if items else None


# -- joint inspections and information pushes (三(一)3) -----------------------------------------------

CALENDAR_URL = "inspections/calendar/"  # the pages' names are reserved ids (vocabulary.PAGE_NAMES)
ENTERPRISES_URL = "inspections/enterprises/"
FEED_URL = "data/inspections.ics"


@dataclass(frozen=True)
class RunningRow:
    """A record that runs under a mechanism (its `mechanism` field names it).

    item: the record
    date: its date as its type's list page shows it (the list's date field), "" without one
    badges: its derived states, each with its explanation
    """

    item: Item
    date: Any
    badges: list[Badge]


@dataclass(frozen=True)
class RunningGroup:
    """The records of one type that run under a mechanism, on the mechanism's page.

    type_name: the type's folder name (its list page is type_name/)
    type_label: its Chinese title
    rows: the records, newest first
    count: how many of them are real records
    examples: how many are examples (listed with their badge, never in `count`)
    """

    type_name: str
    type_label: str
    rows: list[RunningRow]
    count: int
    examples: int


def _running(status: Status, mechanism: Item) -> list[RunningGroup]:
    """Every record whose `mechanism` field names this mechanism, by type (the site's order)."""
    model = status.model
    by_type: dict[str, list[Item]] = {}
    for relation in model.referred_by(mechanism):
        if relation.pointer == ("mechanism",):
            by_type.setdefault(relation.source.type, []).append(relation.source)
    groups = []
    for type_name in (t for t in model.types if t in by_type):
        spec = list_spec(type_name, model.schemas.configuration)
        rows = [RunningRow(i, (value_at(i, spec.date) or "") if spec and spec.date else "", status.badges(i)) for i in by_type[type_name]]
        rows.sort(key=lambda row: (str(row.date), row.item.id), reverse=True)
        real = sum(not i.example for i in by_type[type_name])
        groups.append(RunningGroup(type_name, model.schemas.types[type_name].title, rows, real, len(by_type[type_name]) - real))
    return groups


@dataclass(frozen=True)
class Figure:
    """A count a mechanism's page shows: real records, and examples apart.

    label: what is counted, e.g. 待安排的检查申报
    count: how many real records
    examples: how many example records (never added to `count`)
    """

    label: str
    count: int
    examples: int


def _figure(label: str, items: list[Item]) -> Figure:
    real = sum(not i.example for i in items)
    return Figure(label, real, len(items) - real)


@dataclass(frozen=True)
class InspectionMechanism:
    """What the page of a joint-inspection mechanism (kind joint_inspection) adds.

    figures: its running records counted: applications (and those awaiting arrangement),
        arrangements, separate inspections, enterprises inspected separately by several departments
    rules_source: the clause its inspection_rules name, "" when it states none
    window_days: the separate-inspection window it states, None without one
    no_rule_note: what the page says when it states no window (the policy gives none), "" with one
    weeks: how its inspection-week rule was kept period by period, None without one
    findings: enterprises inspected separately by two or more departments, with their explanation
    next_week: the inspection week under way or next, None when none is arranged
    calendar_url: the inspection calendar's page
    enterprises_url: the by-enterprise page
    feed_url: the iCalendar feed of the inspections
    """

    figures: list[Figure]
    rules_source: str
    window_days: int | None
    no_rule_note: str
    weeks: joint_inspections.WeeksRule | None
    findings: list[joint_inspections.SeparateFinding]
    next_week: CalendarEntry | None
    calendar_url: str
    enterprises_url: str
    feed_url: str


def _inspection_mechanism(status: Status, mechanism: Item) -> InspectionMechanism:
    index = status.inspections
    mine = index.for_mechanism(mechanism)
    kinds = (joint_inspections.APPLICATION, joint_inspections.ARRANGEMENT, joint_inspections.SEPARATE)
    of = {kind: [i for i in mine if index.kind(i) == kind] for kind in kinds}
    findings = [f for f in index.findings if any(v.item in mine for v in f.visits)]
    repeated = Figure("被多个部门分别单独检查的企业", sum(not f.example for f in findings), sum(f.example for f in findings))
    figures = [
        _figure("检查申报", of[joint_inspections.APPLICATION]),
        _figure("其中待安排", [i for i in of[joint_inspections.APPLICATION] if i.status == "submitted"]),
        _figure("统筹安排的检查周和联合检查", [i for i in of[joint_inspections.ARRANGEMENT] if i.status != "cancelled"]),
        _figure("单独检查", of[joint_inspections.SEPARATE]),
        repeated,
    ]
    rules = mechanism.data.get("inspection_rules")
    rules = rules if isinstance(rules, dict) else {}
    window = rules.get("separate_window_days")
    window_days = window if isinstance(window, int) else None
    upcoming = index.next_week()
    return InspectionMechanism(
        figures=figures,
        rules_source=joint_inspections.source_text(status.model, rules["source"]) if "source" in rules else "",
        window_days=window_days,
        no_rule_note="" if window_days is not None else joint_inspections.NO_RULE,
        weeks=index.weeks_rule(mechanism),
        findings=findings,
        next_week=_calendar_entry(status, upcoming) if upcoming is not None and upcoming.data.get("mechanism") == mechanism.id else None,
        calendar_url=CALENDAR_URL,
        enterprises_url=ENTERPRISES_URL,
        feed_url=FEED_URL,
    )


@dataclass(frozen=True)
class PushMechanism:
    """What the page of an information-push mechanism (kind information_push) adds.

    figures: its pushes counted by kind (each direction), and those some receiver has not signed for
    """

    figures: list[Figure]


def _push_mechanism(status: Status, mechanism: Item) -> PushMechanism:
    index = status.pushes
    mine = [i for i in index.for_mechanism(mechanism) if i.status != "withdrawn"]
    labels = status.model.schemas.types["pushes"].enum_labels(("kind",)) if "pushes" in status.model.schemas.types else {}
    figures = [
        _figure(f"{label}（{information_pushes.DIRECTIONS.get(kind, '')}）", [i for i in mine if i.data.get("kind") == kind]) for kind, label in labels.items()
    ]
    figures.append(_figure("尚有接收单位未签收", [i for i in mine if any(r.signed_by is None for r in index.view(i).receivers)]))
    return PushMechanism(figures)


@dataclass(frozen=True)
class EnterpriseRow:
    """An enterprise as one inspection record writes it.

    name: the name this record writes
    uscc: the code this record gives, None without one
    other_names: the other names the inspection records write for the same enterprise (same code)
    """

    name: str
    uscc: str | None
    other_names: list[str]


@dataclass(frozen=True)
class InspectionRecordContext(RecordContext):
    """record-inspections.md.j2: an inspection record's page. The fields of RecordContext, and

    kind_label: 检查申报, 统筹安排 or 单独检查
    period: its inspection dates as text (an arrangement or separate inspection), "" for an application
    enterprises: the enterprises it is about as it writes them (an arrangement's own, else its applications')
    enterprises_derived: True when they are taken from the applications it arranges
    departments: who inspects (an arrangement's team, else its applications' departments)
    departments_derived: True when they are taken from the applications it arranges
    arrangements: for an application, the arrangements that name it (live ones first)
    applications: for an arrangement, the applications it arranges
    findings: for a separate inspection, the enterprises it and other departments inspected separately
    enterprises_url: the by-enterprise page
    enterprise_note: how an enterprise is identified (by its code, else by its exact name)
    """

    kind_label: str
    period: str
    enterprises: list[EnterpriseRow]
    enterprises_derived: bool
    departments: list[Unit]
    departments_derived: bool
    arrangements: list[Item]
    applications: list[Item]
    findings: list[joint_inspections.SeparateFinding]
    enterprises_url: str
    enterprise_note: str


def _enterprise_rows(index: joint_inspections.Inspections, item: Item) -> list[EnterpriseRow]:
    known = {e.key: e for e in index.enterprises_named(item)}
    rows = []
    for written in index.enterprises_of(item):
        name, code = str(written.get("name", "")), written.get("uscc")
        same = known.get(joint_inspections.enterprise_key(written))
        rows.append(EnterpriseRow(name, code if isinstance(code, str) else None, [n for n in (same.names if same else ()) if n != name]))
    return rows


def _inspection(status: Status, item: Item) -> dict[str, Any]:
    index = status.inspections
    kind = index.kind(item)
    arrangement = kind == joint_inspections.ARRANGEMENT
    return {
        "kind_label": item.schema.enum_labels(("kind",)).get(kind, kind),
        "period": index.period_text(item) if kind != joint_inspections.APPLICATION else "",
        "enterprises": _enterprise_rows(index, item),
        "enterprises_derived": arrangement and not item.data.get("enterprises"),
        "departments": _units(status.model, index.departments_of(item)),
        "departments_derived": arrangement and not item.data.get("team"),
        "arrangements": index.arrangements_of(item) if kind == joint_inspections.APPLICATION else [],
        "applications": index.applications_of(item) if arrangement else [],
        "findings": index.findings_of(item),
        "enterprises_url": ENTERPRISES_URL,
        "enterprise_note": joint_inspections.ENTERPRISE_NOTE,
    }


@dataclass(frozen=True)
class ReceiverRow:
    """A receiver of a push and its receipt.

    unit: the receiver
    signed_by: the unit whose receipt counts for it (itself, or a unit under it), None while unsigned
    date: the receipt's date, None while unsigned
    """

    unit: Unit
    signed_by: Unit | None
    date: datetime.date | None


@dataclass(frozen=True)
class PushRecordContext(RecordContext):
    """record-pushes.md.j2: a push's page. The fields of RecordContext, and

    kind_label: 行政审批信息, 上级有关政策 or 监督信息
    direction: 管委会 → 部门 or 部门 → 管委会
    receivers: each receiver with its receipt, in the record's order
    signed: how many receivers have signed for it
    """

    kind_label: str
    direction: str
    receivers: list[ReceiverRow]
    signed: int


def _push(status: Status, item: Item) -> dict[str, Any]:
    view = status.pushes.view(item)
    rows = []
    for state in view.receivers:
        signer = _units(status.model, [state.signed_by])[0] if state.signed_by else None
        rows.append(ReceiverRow(_units(status.model, [state.receiver])[0], signer, state.date))
    return {"kind_label": view.kind_label, "direction": view.direction, "receivers": rows, "signed": view.signed}


@dataclass(frozen=True)
class PowerRecordContext(RecordContext):
    """record-powers.md.j2: a power's page. The fields of RecordContext, and

    pushes: the pushes about it (approval results pushed, supervision information received), newest
        first; on a real power only the real ones
    example_pushes: on a real power, the example pushes about it, listed apart
    mode: how it is held (its `mode` code: authorized, delegated, devolved, direct), "" when unknown
    mode_label: that mode in Chinese (授权, 委托, 下放, 直接行使)
    granted_by: the unit that authorised, delegated or devolved it (id), None for 直接行使
    implementer: the unit that exercises it (id); for 委托 in the name of granted_by
    """

    pushes: list[information_pushes.PushView]
    example_pushes: list[information_pushes.PushView]
    mode: str
    mode_label: str
    granted_by: str | None
    implementer: str | None


def _power(status: Status, item: Item) -> dict[str, Any]:
    counted, examples = status.pushes.about_power(item)
    mode = item.data.get("mode") or ""
    return {
        "pushes": list(counted),
        "example_pushes": list(examples),
        "mode": mode,
        "mode_label": item.schema.enum_labels(("mode",)).get(mode, mode),
        "granted_by": item.data.get("granted_by"),
        "implementer": item.data.get("implementer"),
    }


@dataclass(frozen=True)
class CalendarEntry:
    """An inspection on the calendar page.

    item: the arrangement or separate inspection
    form_label: 检查周, 联合检查 or 单独检查
    period: its dates as text
    departments: who inspects
    enterprises: how many enterprises
    badges: its derived states
    """

    item: Item
    form_label: str
    period: str
    departments: list[Unit]
    enterprises: int
    badges: list[Badge]


@dataclass(frozen=True)
class CalendarMonth:
    """The inspections that begin in one month.

    label: e.g. 2026年9月
    entries: by date
    """

    label: str
    entries: list[CalendarEntry]


@dataclass(frozen=True)
class PendingApplication:
    """An application not yet arranged (已申报).

    item: the application
    department: who applied
    proposed: its proposed period as text
    enterprises: how many enterprises
    badges: its derived states (待安排, with the dates)
    """

    item: Item
    department: Unit | None
    proposed: str
    enterprises: int
    badges: list[Badge]


@dataclass(frozen=True)
class InspectionCalendarContext:
    """inspections-calendar.md.j2, the inspection calendar (inspections/calendar.md).

    today: the day it describes
    next_week: the inspection week under way or next, None when none is arranged
    months: the months with an arranged (not cancelled) or separate inspection, in date order
    pending: applications not yet arranged, oldest first
    feed_url: the iCalendar feed of the same inspections
    enterprises_url: the by-enterprise page
    list_url: the inspections' list page
    """

    today: datetime.date
    next_week: CalendarEntry | None
    months: list[CalendarMonth]
    pending: list[PendingApplication]
    feed_url: str
    enterprises_url: str
    list_url: str


def _calendar_entry(status: Status, item: Item) -> CalendarEntry:
    index = status.inspections
    label = index.form_label(item) if index.kind(item) == joint_inspections.ARRANGEMENT else "单独检查"
    departments = _units(status.model, index.departments_of(item))
    return CalendarEntry(item, label, index.period_text(item), departments, len(index.enterprises_of(item)), status.badges(item))


def inspection_calendar_context(status: Status) -> InspectionCalendarContext:
    index = status.inspections
    months: dict[str, list[CalendarEntry]] = {}
    for item in index.calendar():
        period = index.period(item)
        if period is not None:
            months.setdefault(f"{period[0].year}年{period[0].month}月", []).append(_calendar_entry(status, item))
    pending = []
    for application in index.pending():
        proposed = application.data.get("proposed", {})
        text = f"{proposed.get('from', '')}" + (f" 至 {proposed['to']}" if "to" in proposed else " 起")
        department = _units(status.model, [application.data["department"]])[0] if "department" in application.data else None
        pending.append(PendingApplication(application, department, text, len(index.enterprises_of(application)), status.badges(application)))
    upcoming = index.next_week()
    return InspectionCalendarContext(
        today=status.today,
        next_week=_calendar_entry(status, upcoming) if upcoming is not None else None,
        months=[CalendarMonth(label, entries) for label, entries in months.items()],
        pending=pending,
        feed_url=FEED_URL,
        enterprises_url=ENTERPRISES_URL,
        list_url="inspections/",
    )


@dataclass(frozen=True)
class VisitRow:
    """One inspection of an enterprise, on the by-enterprise page.

    visit: the inspection (its record, dates, whether arranged, whether it took place)
    form_label: 检查周, 联合检查 or 单独检查
    period: its dates as text
    departments: who inspected
    """

    visit: joint_inspections.Visit
    form_label: str
    period: str
    departments: list[Unit]


@dataclass(frozen=True)
class EnterpriseView:
    """An enterprise and the inspections it received.

    enterprise: its identity (code or exact name) and the names the records write
    visits: its inspections, by date
    separate: how many of them were separate inspections
    departments: the departments that inspected it separately, in order
    applications: the applications that name it
    flagged: whether it is in a finding (several departments inspected it separately)
    """

    enterprise: joint_inspections.Enterprise
    visits: list[VisitRow]
    separate: int
    departments: list[Unit]
    applications: list[Item]
    flagged: bool


@dataclass(frozen=True)
class EnterprisesContext:
    """inspections-enterprises.md.j2, the inspections by enterprise (inspections/enterprises.md).

    today: the day it describes
    note: how an enterprise is identified
    findings: enterprises inspected separately by two or more departments (facts; a verdict only
        where a mechanism states a window with its source)
    enterprises: every enterprise the inspection records name, by name
    count: how many
    calendar_url: the inspection calendar
    """

    today: datetime.date
    note: str
    findings: list[joint_inspections.SeparateFinding]
    enterprises: list[EnterpriseView]
    count: int
    calendar_url: str


def enterprises_context(status: Status) -> EnterprisesContext:
    index = status.inspections
    flagged = {f.enterprise.key for f in index.findings}
    views = []
    for enterprise in index.enterprises:
        visits = index.visits_of(enterprise)
        rows = [
            VisitRow(v, index.form_label(v.item) if v.arranged else "单独检查", index.period_text(v.item), _units(status.model, list(v.departments)))
            for v in visits
        ]
        separate = [v for v in visits if not v.arranged]
        departments = list(dict.fromkeys(d for v in separate for d in v.departments))
        views.append(
            EnterpriseView(enterprise, rows, len(separate), _units(status.model, departments), index.applications_for(enterprise), enterprise.key in flagged)
        )
    return EnterprisesContext(status.today, joint_inspections.ENTERPRISE_NOTE, index.findings, views, len(views), CALENDAR_URL)


# Derived states of the types that have their own (model/inspections.py, model/pushes.py): the list
# filter's label and options; types tracked to a deadline use DERIVED_LABELS under 办理情况.
OWN_DERIVED: dict[str, tuple[str, dict[str, str]]] = {
    "inspections": ("检查情况", joint_inspections.LABELS),
    "pushes": ("签收情况", information_pushes.LABELS),
    "reviews": ("审理情况", joint_reviews.FILTER_LABELS),
}


# -- joint reviews (集中审理, 三(三)2) --------------------------------------------------------------


@dataclass(frozen=True)
class ReviewRow:
    """A review awaiting a decision, on the home page.

    item: the review
    notice_date: its notice date as written
    badges: its derived state (待答复, 待补正, 补正逾期, 可作出决定), with the explanation
    """

    item: Item
    notice_date: Any
    badges: list[Badge]


def _awaiting_decision(status: Status, examples: bool) -> list[ReviewRow]:
    found = [r for r in status.awaiting_decision() if r.example == examples]
    return [ReviewRow(r, r.data["notice"]["date"], status.badges(r)) for r in found]


@dataclass(frozen=True)
class DepartmentView:
    """A notified department on a review's page.

    unit: the department
    signed: its 签收 date as written, None without one
    delivery: its delivery record as written ({method, evidence}), None without one
    delivery_method: the delivery method's label, "" without a delivery record
    attendance: the attendance's label (出席, 缺席, 书面意见), "" when not recorded
    answer: its answer as written ({date, opinion, conditions, reasons}), None without one
    opinion: the answer's label (同意, 有条件同意, 不同意), "" without an answer
    position: its derived position (model/reviews.py Position: code, label, explanation, tone)
    """

    unit: Unit
    signed: Any
    delivery: Any
    delivery_method: str
    attendance: str
    answer: Any
    opinion: str
    position: joint_reviews.Position


@dataclass(frozen=True)
class MeasureView:
    """A measure a review applies.

    code: its code as the review writes it
    name: its name on the mechanism, the code when the mechanism is not published
    """

    code: str
    name: str


@dataclass(frozen=True)
class ReviewRecordContext(RecordContext):
    """record-reviews.md.j2: a 集中审理's page, read as a 联合审查 record is filed. The fields of RecordContext, and

    review: what is derived (model/reviews.py Review): the day judged on, the limit and when it runs
        out, each position and material with its explanation, the state
    mechanism: its mechanism's record, None when not published
    rules: the deemed-consent rules the mechanism has, as labels (缺席默认, 超时默认)
    measures: the measures it applies, with their names
    convener: the convening unit
    notice: the notice as written
    unit_label: the label of the limit's unit (工作日, 自然日), "" without a limit
    departments: one per notified department, in the record's order
    deemed: those deemed to agree (缺席默认, 超时默认), with their reason
    intake: the 容缺预审 block as written, None without one
    outstanding: the materials not yet supplied on the day judged on
    decision: the decision as written, None without one
    outcome: the decision's label, "" without one
    """

    review: joint_reviews.Review
    mechanism: Item | None
    rules: list[str]
    measures: list[MeasureView]
    convener: Unit
    notice: dict[str, Any]
    unit_label: str
    departments: list[DepartmentView]
    deemed: list[DepartmentView]
    intake: dict[str, Any] | None
    outstanding: list[joint_reviews.Material]
    decision: dict[str, Any] | None
    outcome: str


def _review(status: Status, item: Item) -> dict[str, Any]:
    data, ts = item.data, item.schema
    review = status.review(item)
    mechanism = status.model.get(str(data.get("mechanism", "")))
    names = {m.get("code"): m.get("name", "") for m in (mechanism.data.get("measures") or [] if mechanism else []) if isinstance(m, dict)}
    rule_labels = mechanism.schema.enum_labels(("measures", 0, "rule")) if mechanism else {}
    rules = [rule_labels.get(r, r) for r in (joint_reviews.ABSENT_RULE, joint_reviews.TIMEOUT_RULE) if r in review.rules]
    departments = []
    for department, position in zip(data.get("departments") or [], review.positions):
        answer = department.get("answer")
        delivery = department.get("delivery")
        departments.append(
            DepartmentView(
                _units(status.model, [department["organization"]])[0],
                department.get("signed"),
                delivery,
                ts.enum_labels(("departments", 0, "delivery", "method")).get(delivery["method"], "") if delivery else "",
                ts.enum_labels(("departments", 0, "attendance")).get(department.get("attendance", ""), ""),
                answer,
                ts.enum_labels(("departments", 0, "answer", "opinion")).get(answer["opinion"], "") if answer else "",
                position,
            )
        )
    limit = data["notice"].get("limit")
    decision = data.get("decision")
    return {
        "review": review,
        "mechanism": mechanism,
        "rules": rules,
        "measures": [MeasureView(code, names.get(code) or code) for code in data.get("measures") or []],
        "convener": _units(status.model, [data["convener"]])[0],
        "notice": data["notice"],
        "unit_label": ts.enum_labels(("notice", "limit", "unit")).get(limit["unit"], "") if limit else "",
        "departments": departments,
        "deemed": [d for d in departments if d.position.code in ("absent-deemed", "timeout-deemed")],
        "intake": data.get("intake"),
        "outstanding": [m for m in review.materials if m.outstanding],
        "decision": decision,
        "outcome": ts.enum_labels(("decision", "outcome")).get(decision["outcome"], "") if decision else "",
    }


# -- the funds ledger (资金台账, 三(四)) ----------------------------------------------------------------

# The lists of a ledger the funds page shows as tables, in its order: list → the heading of the
# column that says what each entry is, and of the column of the unit it names.
FUNDS_SECTIONS = {
    "inflows": ("资金来源方", "拨付单位", "document"),
    "financing": ("融资渠道", "", "document"),
    "outflows": ("项目", "用款单位", "approval"),
    "land_revenue": ("收支类别", "收取或返还单位", "document"),
    "supervision": ("检查类别", "检查单位", "document"),
}


@dataclass(frozen=True)
class FundsDocument:
    """A document an entry names.

    title: its name
    number: its 发文字号, "" when it has none
    item: its record when the entry names one that is published, else None
    """

    title: str
    number: str
    item: Item | None


@dataclass(frozen=True)
class FundsEntryRow:
    """One entry of a ledger's list, as its table shows it.

    date: its date (YYYY-MM-DD)
    what: what it is in words: the source (其他来源：… with its name), channel, project, 收取 or
        返还, or the kind of check
    level: an inflow's source level in words (the policy's bodies have theirs; another source
        states it), "" in the other lists
    level_path: the level's schema path (funds/inflows/*/level=central), for its label in an
        edition (lang.label), "" with no level
    amount: its amount in 元 with separators (1,250,000.00), "" for a check
    unit: the unit it names (拨付单位, 用款单位, 检查单位…), None when it names none
    document: its document (拨付文件, 批准文件…), None when it names none
    text: the rest in words: 说明, 地块, or a check's scope and findings
    """

    date: str
    what: str
    level: str
    level_path: str
    amount: str
    unit: Unit | None
    document: FundsDocument | None
    text: str


@dataclass(frozen=True)
class FundsSection:
    """One list of a ledger as a table.

    key: the list's field name (the section's anchor)
    heading: its Chinese title
    what_label: the heading of the column that says what each entry is
    unit_label: the heading of the column of the unit an entry names, "" when it has none
    document_label: the heading of the column of an entry's document
    has_level: whether it has a 来源层级 column (inflows)
    has_amount: whether it has a 金额 column (not the checks)
    rows: its entries in the record's order
    total: their sum in 元, "" for checks and for land revenue (collected and returned are not summed)
    """

    key: str
    heading: str
    what_label: str
    unit_label: str
    document_label: str
    has_level: bool
    has_amount: bool
    rows: list[FundsEntryRow]
    total: str


@dataclass(frozen=True)
class FundsDayRow:
    """The account at the end of a day on which something moved (amounts in 元, with separators).

    date: the day
    incoming: what came in that day, "" when nothing did
    outgoing: what went out that day, "" when nothing did
    balance: the balance at the end of the day
    what: that day's entries in words (某市 +15,000,000.00)
    """

    date: str
    incoming: str
    outgoing: str
    balance: str
    what: list[str]


@dataclass(frozen=True)
class FundsTotalRow:
    """A total.

    label: a source, channel or project in words
    amount: the sum in 元
    count: how many entries it sums
    """

    label: str
    amount: str
    count: int


@dataclass(frozen=True)
class FundsYearRow:
    """A calendar year of a ledger (amounts in 元).

    year: the year
    incoming: what came in during it
    outgoing: what went out during it
    net: incoming − outgoing
    balance: the balance at its end
    """

    year: int
    incoming: str
    outgoing: str
    net: str
    balance: str


@dataclass(frozen=True)
class LandPeriodRow:
    """Land-transfer revenue in one period (model/funds.LandPeriod), amounts in 元.

    label: 第1年 …, 起算日期前, 5年期满后, or 2026年
    span: its first and last day in words
    collected: collected in the zone in the period
    returned: returned in the period
    unreturned: collected − returned
    in_window: whether it lies in the five years, None while the start is unknown
    """

    label: str
    span: str
    collected: str
    returned: str
    unreturned: str
    in_window: bool | None


@dataclass(frozen=True)
class FundsLand:
    """A pool's land-transfer revenue against the years within which the policy has it returned
    (registry/liandong.yaml land_revenue).

    mechanism: the mechanism record whose land_revenue_return_from gives the start, None if unpublished
    recipient: the body it is returned to, None when the configuration has no land_revenue
    recipient_name: its name ("" when none)
    years: the years within which it is returned, None when the configuration has no land_revenue
    basis: where the policy says so (《…》三（四）2), "" when the configuration cites no clause
    start: the window's first day, "" while no document gives it
    end: the window's last day, "" while the start is unknown
    note: what the table can and cannot say (原文未规定5年期限的起算日期… while the start is unknown)
    rows: per year of the window (or per calendar year while the start is unknown)
    collected: collected over all entries (元)
    returned: returned over all entries
    unreturned: collected − returned over all entries
    window_collected: collected within the years, "" while the start is unknown
    window_returned: returned within the years, "" while the start is unknown
    empty: whether there are no entries at all
    """

    mechanism: Item | None
    recipient: Item | None
    recipient_name: str
    years: int | None
    basis: str
    start: str
    end: str
    note: str
    rows: list[LandPeriodRow]
    collected: str
    returned: str
    unreturned: str
    window_collected: str
    window_returned: str
    empty: bool


@dataclass(frozen=True)
class FundsRecordContext(RecordContext):
    """record-funds.md.j2: a ledger's page (资金台账, 三(四)). The fields of RecordContext, and

    kind_label: 资金池 or 投融资平台公司
    incoming_label: 资金来源 or 融资 (what fills the account)
    incoming: the sum of what came in, in 元 with separators, computed exactly (model/funds.py)
    outgoing: the sum of what went out
    balance: the balance after the last entry
    chart: the balance at the end of each day (funds_chart.BalanceChart), drawn by r.funds_svg
    days: the same balances as a table, one row per day on which something moved
    by_source_label: 按来源 or 按融资渠道
    source_column: 来源 or 融资渠道, the heading of by_source's first column
    by_source: incoming by source or channel
    by_project: outgoing by project
    by_year: each calendar year
    sections: the ledger's lists as tables, in FUNDS_SECTIONS' order, the empty ones left out
    land: a pool's land-transfer revenue (None for a platform company's account)
    download: the site path of every ledger's entries as CSV (site/downloads.py)
    """

    kind_label: str
    incoming_label: str
    incoming: str
    outgoing: str
    balance: str
    chart: funds_chart.BalanceChart
    days: list[FundsDayRow]
    by_source_label: str
    source_column: str
    by_source: list[FundsTotalRow]
    by_project: list[FundsTotalRow]
    by_year: list[FundsYearRow]
    sections: list[FundsSection]
    land: FundsLand | None
    download: str


def _funds_document(model: Model, value: Any) -> FundsDocument | None:
    if not isinstance(value, dict):
        return None
    record = model.get(value["record"]) if isinstance(value.get("record"), str) else None
    return FundsDocument(str(value.get("title", "")), str(value.get("number", "")), record)


def _funds_rows(model: Model, item: Item, key: str) -> list[FundsEntryRow]:
    ts = item.schema
    what_field = {"inflows": "source", "financing": "channel", "outflows": "project", "land_revenue": "kind", "supervision": "kind"}[key]
    unit_field = {"inflows": "organization", "outflows": "spender", "land_revenue": "organization", "supervision": "by"}.get(key)
    document_field = FUNDS_SECTIONS[key][2]
    labels = ts.enum_labels((key, 0, what_field))
    levels = ts.enum_labels(("inflows", 0, "level"))
    implied = (ts.subschema(("inflows", 0, "source")) or {}).get("x-code-levels", {})
    rows = []
    for entry in item.data.get(key) or []:
        if key == "inflows":
            what = ledgers.source_label(ts, entry)
            code = str(entry.get("level") or implied.get(entry["source"], ""))
            level = levels.get(code, "")
            level_path = f"{schema_path(item.type, ('inflows', 0, 'level'))}={code}" if level else ""
        else:
            what, level, level_path = labels.get(str(entry[what_field]), str(entry[what_field])), "", ""
        unit = _units(model, [entry[unit_field]])[0] if unit_field and isinstance(entry.get(unit_field), str) else None
        if key == "supervision":
            text = "：".join(str(entry[k]) for k in ("scope", "findings") if k in entry)
        else:
            text = "；".join(str(entry[k]) for k in ("parcel", "note") if k in entry)
        amount = ledgers.yuan(ledgers.amount(entry["amount"])) if "amount" in entry else ""
        rows.append(FundsEntryRow(str(entry["date"]), what, level, level_path, amount, unit, _funds_document(model, entry.get(document_field)), text))
    return rows


def _funds_sections(model: Model, item: Item) -> list[FundsSection]:
    ts = item.schema
    found = []
    for key, (what_label, unit_label, document_field) in FUNDS_SECTIONS.items():
        entries = item.data.get(key) or []
        if not entries:
            continue
        has_amount = key != "supervision"
        total = ledgers.yuan(sum((ledgers.amount(e["amount"]) for e in entries), ledgers.ZERO)) if has_amount and key != "land_revenue" else ""
        found.append(
            FundsSection(
                key,
                ts.label((key,)),
                what_label,
                unit_label,
                ts.label((key, 0, document_field)),
                key == "inflows",
                has_amount,
                _funds_rows(model, item, key),
                total,
            )
        )
    return found


def _funds_land(model: Model, item: Item, land: ledgers.LandRevenue) -> FundsLand:
    mechanism = model.get(item.data["mechanism"]) if isinstance(item.data.get("mechanism"), str) else None
    rows = []
    for p in land.periods:
        span = " 至 ".join(d.isoformat() for d in (p.start, p.end) if d is not None)
        if p.start is None and p.end is not None:
            span = f"{p.end.isoformat()} 以前"
        elif p.end is None and p.start is not None:
            span = f"{p.start.isoformat()} 以后"
        rows.append(LandPeriodRow(p.label, span, ledgers.yuan(p.collected), ledgers.yuan(p.returned), ledgers.yuan(p.unreturned), p.in_window))

    def shown(value: Decimal | None) -> str:
        return "" if value is None else ledgers.yuan(value)

    rule = model.schemas.configuration.land_revenue
    recipient_id = str(rule["return_to"]) if rule else ""
    recipient = model.get(recipient_id) if recipient_id else None
    basis = rule.get("basis") if rule else None
    document = model.get(basis["document"]) if isinstance(basis, dict) else None
    return FundsLand(
        mechanism,
        recipient,
        recipient.title if recipient is not None else recipient_id,
        int(rule["years"]) if rule else None,
        citation(document.title, basis["clause"]) if document is not None and isinstance(basis, dict) else "",
        land.start.isoformat() if land.start else "",
        land.end.isoformat() if land.end else "",
        land.note,
        rows,
        ledgers.yuan(land.collected),
        ledgers.yuan(land.returned),
        ledgers.yuan(land.unreturned),
        shown(land.in_window_collected),
        shown(land.in_window_returned),
        land.empty,
    )


def _funds(status: Status, item: Item) -> dict[str, Any]:
    model = status.model
    mechanism = model.get(item.data["mechanism"]) if isinstance(item.data.get("mechanism"), str) else None
    start_text = mechanism.data.get("land_revenue_return_from") if mechanism is not None else None
    start = datetime.date.fromisoformat(start_text) if isinstance(start_text, str) else None
    rule = model.schemas.configuration.land_revenue
    ledger = ledgers.ledger(item.data, item.schema, start, int(rule["years"]) if rule else None)
    kind = ledger.kind
    kind_label = item.schema.enum_labels(("kind",)).get(kind, kind)
    incoming_label = item.schema.label((ledgers.INFLOWS.get(kind, "inflows"),))
    days = [
        FundsDayRow(
            d.date.isoformat(),
            ledgers.yuan(d.incoming) if d.incoming else "",
            ledgers.yuan(d.outgoing) if d.outgoing else "",
            ledgers.yuan(d.balance),
            [f"{m.label} {'+' if m.incoming else '−'}{ledgers.yuan(m.value)}" for m in d.movements],
        )
        for d in ledger.days
    ]
    chart = funds_chart.BalanceChart([(d.date, d.balance) for d in ledger.days], item.title, kind_label, ledger.balance, f"funds-chart-{item.id}")
    return {
        "kind_label": kind_label,
        "incoming_label": incoming_label,
        "incoming": ledgers.yuan(ledger.incoming),
        "outgoing": ledgers.yuan(ledger.outgoing),
        "balance": ledgers.yuan(ledger.balance),
        "chart": chart,
        "days": days,
        "by_source_label": "按来源" if kind == "pool" else "按融资渠道",
        "source_column": "来源" if kind == "pool" else "融资渠道",
        "by_source": [FundsTotalRow(t.label, ledgers.yuan(t.value), t.count) for t in ledger.by_source],
        "by_project": [FundsTotalRow(t.label, ledgers.yuan(t.value), t.count) for t in ledger.by_project],
        "by_year": [
            FundsYearRow(y.year, ledgers.yuan(y.incoming), ledgers.yuan(y.outgoing), ledgers.yuan(y.net), ledgers.yuan(y.balance)) for y in ledger.by_year
        ],
        "sections": _funds_sections(model, item),
        "land": _funds_land(model, item, ledger.land) if ledger.land is not None else None,
        "download": FUNDS_ENTRIES,
    }


# Per-type record contexts: the type's class, and what it adds to RecordContext's fields.
RECORD_KINDS: dict[str, tuple[type[RecordContext], Callable[[Status, Item], dict[str, Any]]]] = {
    "meetings": (MeetingRecordContext, _meeting),
    "mechanisms": (MechanismRecordContext, _mechanism),
    "documents": (DocumentRecordContext, _document),
    "organizations": (OrganizationRecordContext, _organization),
    "inspections": (InspectionRecordContext, _inspection),
    "pushes": (PushRecordContext, _push),
    "powers": (PowerRecordContext, _power),
    "reviews": (ReviewRecordContext, _review),
    "funds": (FundsRecordContext, _funds),
}


def record_context(status: Status, timeline: Timeline, item: Item, forge: Forge | None = None) -> RecordContext:
    """The page of one record of `status.model`: its type's context (RECORD_KINDS), or RecordContext."""
    fields = _record(status, timeline, item, forge)
    if item.type not in RECORD_KINDS:
        return RecordContext(**fields)
    kind, extra = RECORD_KINDS[item.type]
    more = extra(status, item)
    if item.type in TREND_KINDS:  # the pages that also chart their items over time (history/trend.py)
        items = examples.split(item, TREND_KINDS[item.type](status, item))[0]
        more["trend"] = _trend(status, timeline, items, f"{item.title}：各月底的情况", f"trend-{item.id}", not item.example) if items else None
    return kind(**fields, **more)


# The items a record's page charts over time: a unit's the ones it leads, a mechanism's the tasks its meetings assigned.
TREND_KINDS: dict[str, Callable[[Status, Item], list[Item]]] = {
    "organizations": lambda status, item: status.led_by(item),
    "mechanisms": lambda status, item: _assigned_by_meetings(status.model, item),
}


# -- report -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LapsedRow:
    """An open item whose deadline ran out before it was extended (a late extension).

    item: the record
    lapse: the deadline that ran out, when the extension was requested, how many days late
    leads: the units that lead it
    deadline: its deadline now, as written ("" without one)
    """

    item: Item
    lapse: Lapse
    leads: list[Unit]
    deadline: Any


@dataclass(frozen=True)
class UnsignedRow:
    """An open task or matter its lead has not signed for (未签收, #15).

    item: the record
    leads: the units that lead it, who are to sign
    since: the day it was assigned (a matter: raised), from which the days count
    days: days since, as of today
    """

    item: Item
    leads: list[Unit]
    since: datetime.date
    days: int


@dataclass(frozen=True)
class ReportContext:
    """The overdue and escalation report: report.md.j2 (the site's report page) and report.txt.j2
    (the plain Markdown of `liandong report`), both from report_context.

    today: the day it describes
    overdue: open tasks and matters past their deadline, most overdue first
    overdue_count: how many real ones (examples are listed with their badge, counted apart)
    lapsed: open items extended only after their deadline had run out, each lapse, oldest first
    lapsed_count: how many real ones
    escalations: matters waiting for a higher level's answer, longest wait first
    escalation_count: how many real ones
    unsigned: open items their lead has not signed for, longest first
    unsigned_count: how many real ones
    examples: per section (overdue, lapsed, escalations, unsigned), how many of its rows are examples
    docx: the site path of the same report as a Word 督办通报 (site/report_docx.py)
    """

    today: datetime.date
    overdue: list[OverdueRow]
    overdue_count: int
    lapsed: list[LapsedRow]
    lapsed_count: int
    escalations: list[EscalationRow]
    escalation_count: int
    unsigned: list[UnsignedRow]
    unsigned_count: int
    examples: dict[str, int]
    docx: str = REPORT_DOCX


def report_context(status: Status) -> ReportContext:
    """The report of `status.model` on `status.today`; it needs neither the history nor any other page."""
    overdue = _overdue(status)
    lapsed = [LapsedRow(item, lapse, _units(status.model, item.leads), item.data.get("deadline", "")) for item, lapse in status.lapsed()]
    escalations = _escalations(status)
    unsigned = [UnsignedRow(u.item, _units(status.model, u.item.leads), u.since, u.days) for u in status.unsigned()]
    sections: dict[str, list[Any]] = {"overdue": overdue, "lapsed": lapsed, "escalations": escalations, "unsigned": unsigned}
    counts = {name: len(examples.split(None, (row.item for row in rows))[0]) for name, rows in sections.items()}
    apart = {name: len(rows) - counts[name] for name, rows in sections.items()}
    return ReportContext(
        status.today, overdue, counts["overdue"], lapsed, counts["lapsed"], escalations, counts["escalations"], unsigned, counts["unsigned"], apart
    )


# -- recent changes, downloads, search --------------------------------------------------------------


@dataclass(frozen=True)
class EditedRecord:
    """A record a commit changed (beyond creating it).

    item: the record
    view: what the commit did to it
    """

    item: Item
    view: EntryView


@dataclass(frozen=True)
class ChangeView:
    """One commit on the recent-changes page.

    commit: the commit
    commit_url: the forge's page of it, None without a forge
    created: the records it only created, by id (None for one not in the model)
    created_count: how many
    edited: the records it changed otherwise, by id
    heading: what it did, in Chinese (新建 3 条记录、修改 1 条记录)
    subject: the commit's subject in the staff edition; None on the public site, where it is not
        shown: commit messages are written for the registry's maintainers, in any language, with
        file names and field codes (the Atom feed does the same, atom.entry_title)
    """

    commit: Commit
    commit_url: str | None
    created: list[Item | None]
    created_count: int
    edited: list[EditedRecord]
    heading: str
    subject: str | None


@dataclass(frozen=True)
class ChangesContext:
    """changes.md.j2, the recent-changes page (changes.md).

    available: whether the history was read
    note: why it is missing or partial, "" when complete
    changes: the newest commits that changed published records (timeline.RECENT_COMMITS at most), newest first
    count: how many
    """

    available: bool
    note: str
    changes: list[ChangeView]
    count: int


def _change_heading(created: int, edited: int) -> str:
    parts = ([f"新建 {created} 条记录"] if created else []) + ([f"修改 {edited} 条记录"] if edited else [])
    return "、".join(parts) or "修改记录"


def changes_context(model: Model, timeline: Timeline, internal: bool = False) -> ChangesContext:
    changes = []
    for change in timeline.recent() if timeline.available else []:
        created = [model.get(record_id) for record_id in change.created]
        edited = [EditedRecord(model.items[rid], _entry_view(timeline, model.items[rid], entry)) for rid, entry in change.edited]
        heading = _change_heading(len(created), len(edited))
        subject = change.commit.subject if internal else None
        changes.append(ChangeView(change.commit, timeline.url(change.commit), created, len(created), edited, heading, subject))
    return ChangesContext(timeline.available, timeline.note, changes, len(changes))


@dataclass(frozen=True)
class DownloadType:
    """One type's downloads (site/downloads.py).

    type_name: the type's folder name
    title: its Chinese title
    count: how many records the files hold
    csv: the site path of its CSV (data/<type_name>.csv)
    workbook: the site path of its 台账 (.xlsx)
    template: the site path of its import template (.xlsx)
    """

    type_name: str
    title: str
    count: int
    csv: str
    workbook: str
    template: str


@dataclass(frozen=True)
class DownloadsContext:
    """downloads.md.j2, the data downloads page (downloads.md).

    today: the day the data describes
    internal: whether the files include internal records
    types: one per record type, in the site's type order
    units: every organisation's own feed and calendar (unit_feeds.UnitFeeds), by id
    report: the site path of the overdue/escalation report as a Word 督办通报
    """

    today: datetime.date
    internal: bool
    types: list[DownloadType]
    units: list[unit_feeds.UnitFeeds]
    report: str = REPORT_DOCX


def downloads_context(model: Model, today: datetime.date, internal: bool) -> DownloadsContext:
    types = [DownloadType(t, model.schemas.types[t].title, len(model.of_type(t)), csv_path(t), workbook_path(t), template_path(t)) for t in model.types]
    return DownloadsContext(today, internal, types, [unit_feeds.feeds_of(unit) for unit in model.of_type("organizations")])


@dataclass(frozen=True)
class SearchContext:
    """search.md.j2, the search page (search.md): the page is a form for Pagefind's index, and
    needs nothing from the registry; no fields."""


# Which context each template receives as `c`. The macro files (_badges, _macros, _timeline)
# receive theirs as arguments.
TEMPLATES: dict[str, type] = {
    "home.md.j2": HomeContext,
    "clause-roles.md.j2": ClauseRolesContext,
    "list.md.j2": ListContext,
    "record.md.j2": RecordContext,
    "record-meetings.md.j2": MeetingRecordContext,
    "record-mechanisms.md.j2": MechanismRecordContext,
    "record-documents.md.j2": DocumentRecordContext,
    "record-organizations.md.j2": OrganizationRecordContext,
    "record-inspections.md.j2": InspectionRecordContext,
    "record-pushes.md.j2": PushRecordContext,
    "record-powers.md.j2": PowerRecordContext,
    "record-reviews.md.j2": ReviewRecordContext,
    "record-funds.md.j2": FundsRecordContext,
    "inspections-calendar.md.j2": InspectionCalendarContext,
    "inspections-enterprises.md.j2": EnterprisesContext,
    "report.md.j2": ReportContext,
    "report.txt.j2": ReportContext,
    "changes.md.j2": ChangesContext,
    "downloads.md.j2": DownloadsContext,
    "search.md.j2": SearchContext,
}

# The contributor pages (contribute.py) pass their own names rather than a `c`; what each of
# their templates receives, besides `page_url`, `r` and the globals:
_CONTRIB_COMMON = {
    "types": "the record types' schemas (TypeSchema) by folder name, in the schemas' order",
    "BASE": "the pages' folder, contribute",
}
CONTRIB_TEMPLATES: dict[str, dict[str, str]] = {
    "contrib_index.md.j2": {
        **_CONTRIB_COMMON,
        "registry": "the registry's folder in the repository, registry",
        "first_line": "the editor comment a task file starts with",
    },
    "contrib_form.md.j2": {
        **_CONTRIB_COMMON,
        "ts": "the type's schema (TypeSchema)",
        "forge": "where a change is proposed (forms.Forge), None when the site has no repository address",
        "form_json": "the site path of the type's form data (forms.form_json), which contribute.js draws",
    },
    "contrib_type.md.j2": {
        **_CONTRIB_COMMON,
        "ts": "the type's schema (TypeSchema)",
        "fields": "its fields (contribute.Field), walked from the schema, nested ones after their parent",
        "svg": "its lifecycle diagram (SVG markup, built from escaped labels)",
        "notes": "(number, text) of the diagram's numbered notes",
        "mermaid": "the same diagram as Mermaid source",
        "field_labels": "top-level field name → Chinese name",
        "state_labels": "state code → Chinese label",
        "first_line": "the editor comment a file of the type starts with",
    },
    "contrib_rules.md.j2": {
        **_CONTRIB_COMMON,
        "entries": "every rule of the catalog (contribute.RuleEntry), with its example from its test case",
        "stages": "stage code → Chinese heading, in the page's order",
    },
}
