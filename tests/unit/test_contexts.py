"""Page contexts (site/contexts.py): the templates use nothing but their documented context, and
the builders compute what the pages show from a small model built by hand."""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path
from typing import Any

import jinja2
import pytest
from jinja2 import meta, nodes

from liandong.history.timeline import Timeline
from liandong.history.types import Commit, Event, History, RecordHistory
from liandong.model.model import Model
from liandong.model.status import Status
from liandong.site import contexts
from liandong.site.contexts import Unit
from liandong.site.lists import filter_options
from liandong.site.render import environment, markdown_report
from liandong.validation.files import Record
from liandong.validation.schema import SchemaSet

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = REPO / "src/liandong/site/templates"
# What render.py handed templates before #11 (item 4): data and lookups, now in the contexts.
REMOVED = {
    "model",
    "status",
    "timeline",
    "upcoming_meetings",
    "recent_decisions",
    "role_summary",
    "list_options",
    "today",
    "internal",
    "DERIVED_LABELS",
    "ptr",
    "tokens",
    "value_at",
}
PAGE_NAMES = {"c", "page_url", "r"}  # what Renderer._page passes besides the globals

# -- the templates --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def env() -> jinja2.Environment:
    return environment()


def _parsed(env: jinja2.Environment, name: str) -> nodes.Template:
    return env.parse((TEMPLATES / name).read_text(encoding="utf-8"))


def _names() -> list[str]:
    return sorted(p.name for p in TEMPLATES.glob("*.j2"))


def test_every_template_has_a_documented_context() -> None:
    undocumented = [n for n in _names() if n not in contexts.TEMPLATES and n not in contexts.CONTRIB_TEMPLATES and not n.startswith("_")]
    assert undocumented == []
    assert set(contexts.TEMPLATES) | set(contexts.CONTRIB_TEMPLATES) <= set(_names())


def test_the_removed_globals_are_gone(env: jinja2.Environment) -> None:
    assert REMOVED.isdisjoint(env.globals)
    for name in _names():
        assert REMOVED.isdisjoint(meta.find_undeclared_variables(_parsed(env, name))), name


@pytest.mark.parametrize("name", _names())
def test_a_template_uses_only_its_documented_context(env: jinja2.Environment, name: str) -> None:
    used = meta.find_undeclared_variables(_parsed(env, name)) - set(env.globals)
    if name in contexts.TEMPLATES:
        allowed = {"c"} if name.endswith(".txt.j2") else PAGE_NAMES
        assert used <= allowed
    elif name in contexts.CONTRIB_TEMPLATES:
        assert used - {"page_url", "r"} <= set(contexts.CONTRIB_TEMPLATES[name])
    else:  # a macro file: everything comes in as arguments
        assert used == set()


@pytest.mark.parametrize("name", sorted(contexts.TEMPLATES))
def test_a_template_reads_only_fields_of_its_context(env: jinja2.Environment, name: str) -> None:
    fields = {f.name for f in dataclasses.fields(contexts.TEMPLATES[name])}
    read = {node.attr for node in _parsed(env, name).find_all(nodes.Getattr) if isinstance(node.node, nodes.Name) and node.node.name == "c"}
    assert read <= fields


def test_every_context_field_is_documented() -> None:
    for cls in vars(contexts).values():
        if not (isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == contexts.__name__):
            continue
        inherited = {f.name for base in cls.__mro__[1:] if dataclasses.is_dataclass(base) for f in dataclasses.fields(base)}
        doc = [line.strip() for line in (cls.__doc__ or "").splitlines()]
        missing = [f.name for f in dataclasses.fields(cls) if f.name not in inherited and not any(line.startswith(f"{f.name}:") for line in doc)]
        assert missing == [], cls.__name__


# -- the builders, on a model built by hand ------------------------------------------------------

TODAY = datetime.date(2026, 3, 1)


def _record(type_name: str, data: dict[str, Any]) -> Record:
    return Record(type_name, data["id"], f"registry/{type_name}/{data['id']}.yaml", {"visibility": "public", **data}, "")


def _task(task_id: str, status: str, lead: str, **extra: Any) -> Record:
    return _record("tasks", {"id": task_id, "title": f"任务 {task_id}", "status": status, "lead": [lead], "assigned": "2026-01-10", **extra})


RECORDS = [
    _record("organizations", {"id": "org-a", "title": "甲单位", "status": "active", "level": "county", "kind": "department"}),
    _record("organizations", {"id": "org-city", "title": "乙市人民政府", "status": "active", "level": "prefecture", "kind": "government"}),
    _record(
        "documents",
        {
            "id": "doc-a",
            "title": "实施意见",
            "status": "issued",
            "doc_type": "opinion",
            "clauses": [{"number": "一", "heading": "总则"}, {"number": "二", "heading": "分工", "text": "分工如下"}],
        },
    ),
    _record(
        "meetings",
        {
            "id": "mtg-1",
            "title": "联席会议",
            "status": "held",
            "date": "2026-01-05",
            "decisions": [{"number": 1, "text": "落实一"}, {"number": 2, "text": "研究二"}],
        },
    ),
    _task("task-1", "in_progress", "org-a", deadline="2026-02-01", source={"meeting": "mtg-1", "decision": 1}),
    _task(
        "task-2", "completed", "org-a", deadline="2026-03-01", completion={"date": "2026-02-20", "result": "完成"}, source={"document": "doc-a", "clause": "二"}
    ),
    _task("task-3", "completed", "org-a", deadline="2026-02-01", completion={"date": "2026-02-10", "result": "完成"}),
    _task("task-4", "assigned", "org-gone", deadline="2026-01-20", title="任务 | 四"),  # its lead is not published
    _record(
        "coordination",
        {
            "id": "coord-1",
            "title": "用地事项",
            "status": "escalated",
            "raised_on": "2026-01-05",
            "responsible": ["org-a"],
            "escalation": {"to": ["org-city"], "reported_on": "2026-02-01"},
        },
    ),
]


@pytest.fixture(scope="module")
def status() -> Status:
    return Status(Model.build(SchemaSet.for_root(REPO), RECORDS), TODAY)


def _timeline(model: Model) -> Timeline:
    commit = Commit("a" * 40, datetime.datetime(2026, 2, 2, 9, 0, tzinfo=datetime.UTC), "张三", "报送进度")
    events = [
        Event(commit, "status", "status", "assigned", "in_progress"),
        Event(commit, "progress", "progress", None, {"date": "2026-02-02", "text": "已开工"}),
        Event(commit, "changed", "title", "旧名称", "任务 task-1"),
    ]
    history = History(True, commit_url="https://example.org/commit/{sha}", records={"task-1": RecordHistory("task-1", events)}, commits=[(commit, ["task-1"])])
    return Timeline(history, model)


def test_the_report_context_and_its_markdown(status: Status) -> None:
    report = contexts.report_context(status)
    assert [(row.item.id, row.days, row.deadline.isoformat()) for row in report.overdue] == [("task-4", 40, "2026-01-20"), ("task-1", 28, "2026-02-01")]
    assert report.overdue[0].leads == [Unit("org-gone", None, "org-gone")]
    assert report.overdue[1].leads == [Unit("org-a", status.model.items["org-a"], "甲单位")]
    assert (report.overdue_count, report.lapsed_count, report.escalation_count) == (2, 0, 1)
    wait = report.escalations[0]
    assert (wait.item.id, wait.to_name, wait.days) == ("coord-1", "乙市人民政府", 28)
    text = markdown_report(report)
    assert "## 逾期未办结的任务和协调事项（2 项）" in text
    assert "| task-4 | 任务 ｜ 四 | org-gone | 2026-01-20 | 40 |" in text  # the unpublished lead by its id, the pipe made harmless
    assert "| coord-1 | 用地事项 | 乙市人民政府 | 2026-02-01 | 28 |" in text


def test_an_organization_counts_what_it_leads(status: Status) -> None:
    timeline = _timeline(status.model)
    org = contexts.record_context(status, timeline, status.model.items["org-a"])
    assert isinstance(org, contexts.OrganizationRecordContext)
    # task-1 open and overdue, coord-1 open; task-2 on time, task-3 late.
    assert org.record == contexts.OrgRecord(led=4, open=2, overdue=1, completed=2, judged=2, on_time=1, on_time_percent=50, examples=0)
    assert [(role.label, role.total, role.open, role.overdue) for role in org.roles] == [("牵头单位（督办任务）", 3, 1, 1), ("责任单位（协调事项）", 1, 1, 0)]
    city = contexts.record_context(status, timeline, status.model.items["org-city"])
    assert isinstance(city, contexts.OrganizationRecordContext)
    assert city.record.on_time_percent is None  # nothing judged: no percentage


def test_a_meeting_knows_what_each_decision_created(status: Status) -> None:
    meeting = contexts.record_context(status, _timeline(status.model), status.model.items["mtg-1"])
    assert isinstance(meeting, contexts.MeetingRecordContext)
    assert meeting.decisions is not None
    assert [(d.number, d.state, d.state_label, [t.id for t in d.tasks]) for d in meeting.decisions] == [
        (1, "overdue", "有逾期", ["task-1"]),
        (2, "none", "未交办任务", []),
    ]
    assert (meeting.decisions_done, meeting.decisions_with_tasks) == (0, 1)
    assert meeting.days_open is None  # meetings are not tracked
    assert not meeting.has_fields  # every field it has is in the header or the minutes


def test_a_document_lists_the_records_citing_each_clause(status: Status) -> None:
    document = contexts.record_context(status, _timeline(status.model), status.model.items["doc-a"])
    assert isinstance(document, contexts.DocumentRecordContext)
    assert document.clauses is not None
    assert [(c.number, c.text, [i.id for i in c.citing]) for c in document.clauses] == [("一", None, []), ("二", "分工如下", ["task-2"])]


def test_a_task_page_has_its_badges_days_and_history(status: Status) -> None:
    task = contexts.record_context(status, _timeline(status.model), status.model.items["task-1"])
    assert type(task) is contexts.RecordContext
    assert [b.code for b in task.badges] == ["overdue", "stale"]  # no progress since it was assigned
    assert (task.days_open, task.days_open_label) == (50, "已办理")
    done = contexts.record_context(status, _timeline(status.model), status.model.items["task-3"])
    assert (done.days_open, done.days_open_label) == (31, "办理用时")
    history = task.history
    assert (history.available, history.complete, len(history.entries)) == (True, True, 1)
    view = history.entries[0]
    assert view.commit_url == "https://example.org/commit/" + "a" * 40
    assert [(a.name, a.label) for a in view.added] == [("progress", "办理进度")]
    assert view.fields == ["任务名称"] and view.deadline_label == ""


def test_a_list_page_has_its_filters_rows_and_cells(status: Status) -> None:
    page = contexts.list_context(status, "tasks")
    assert page.count == 4 and page.tracked
    lead = next(f for f in page.filters if f.path == "leads")
    assert lead.options == [("org-a", "甲单位")]  # an unpublished unit is no option
    row = page.rows[0]
    assert (row.item.id, row.example, row.codes, row.date) == ("task-1", "real", ["overdue", "stale"], "2026-02-01")
    assert [(cell.kind, cell.value) for cell in row.cells] == [
        ("title", "任务 task-1"),
        ("status", "in_progress"),
        ("units", ["org-a"]),
        ("none", None),
        ("value", "2026-02-01"),
    ]
    assert [(f.name, f.tokens) for f in row.filters] == [
        ("status", ["in_progress"]),
        ("nature", []),
        ("leads", ["org-a"]),
        ("others", []),
        ("source-document", []),
    ]
    # task-1 comes from a meeting's decision; task-2 from a document, which the 来源文件 filter offers.
    by_document = next(r for r in page.rows if r.item.id == "task-2")
    assert ("source-document", ["doc-a"]) in [(f.name, f.tokens) for f in by_document.filters]


def test_the_home_page_counts_each_type_by_state(status: Status) -> None:
    home = contexts.home_context(status, _timeline(status.model), internal=False)
    tasks = next(card for card in home.cards if card.type_name == "tasks")
    assert (tasks.count, [(s.code, s.count) for s in tasks.states]) == (4, [("assigned", 1), ("in_progress", 1), ("completed", 2)])
    assert [d.clause_count for d in home.documents] == [2]
    assert [row.item.id for row in home.overdue] == ["task-4", "task-1"]
    assert [(c.count, c.more, [i.id for i in c.records if i]) for c in home.changes] == [(1, False, ["task-1"])]


def test_filter_options_with_the_same_label_are_ordered_by_value() -> None:
    twins = [_task(f"task-{n}", "assigned", lead) for n, lead in ((1, "org-b"), (2, "org-a"), (3, "org-c"))]
    items = Model.build(SchemaSet.for_root(REPO), twins).of_type("tasks")
    labels = {"org-a": "同名单位", "org-b": "同名单位", "org-c": "另一单位"}
    assert filter_options(items, "lead", labels) == [("org-c", "另一单位"), ("org-a", "同名单位"), ("org-b", "同名单位")]
