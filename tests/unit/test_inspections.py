"""model/inspections.py: joint inspections read together — enterprises by code or exact name, an
arrangement's enterprises and departments from its applications, separate inspections of one
enterprise by several departments (facts without a rule, a verdict with one), examples apart from
real records, the inspection-week rule, and each record's derived states with their explanation."""

from __future__ import annotations

import datetime
from typing import Any

from liandong.model.inspections import NO_RULE, Inspections, enterprise_key
from liandong.model.model import Model
from liandong.validation.files import Record
from liandong.validation.schema import SchemaSet
from tests.helpers import REPO

SCHEMAS = SchemaSet.for_root(REPO)
TODAY = datetime.date(2026, 11, 25)
A = {"name": "甲建材有限公司", "uscc": "91000000EXAMPLE01P"}
A_OTHER_NAME = {"name": "甲建材公司", "uscc": "91000000EXAMPLE01P"}
B = {"name": "乙物流有限公司"}
B_SHORT = {"name": "乙物流公司"}


def rec(type_name: str, record_id: str, **data: Any) -> Record:
    return Record(type_name, record_id, f"registry/{type_name}/{record_id}.yaml", {"id": record_id, "title": record_id, "visibility": "public", **data}, "")


def org(record_id: str, title: str, level: str = "county", **data: Any) -> Record:
    return rec("organizations", record_id, title=title, status="active", level=level, kind="department", **data)


def mechanism(**data: Any) -> Record:
    return rec(
        "mechanisms", "mech-i", title="联合检查和检查周制度", status="active", kind="joint_inspection", source={"document": "doc-a", "clause": "一"}, **data
    )


def application(record_id: str, department: str, enterprises: list[dict[str, Any]], status: str = "submitted", **data: Any) -> Record:
    fields = {"status": status, "kind": "application", "mechanism": "mech-i", "department": department, "enterprises": enterprises, "matter": "检查"}
    return rec("inspections", record_id, **{**fields, "submitted": "2026-05-01", "proposed": {"from": "2026-06-01"}, **data})


def arrangement(record_id: str, applications: list[str], date: str, status: str = "inspected", **data: Any) -> Record:
    fields = {"status": status, "kind": "arrangement", "mechanism": "mech-i", "applications": applications, "arranged_by": "org-zone"}
    return rec("inspections", record_id, **fields, form=data.pop("form", "inspection_week"), date=date, **data)


def separate(record_id: str, department: str, enterprises: list[dict[str, Any]], date: str, **data: Any) -> Record:
    fields = {"status": "inspected", "kind": "separate", "mechanism": "mech-i", "department": department, "enterprises": enterprises}
    return rec("inspections", record_id, **fields, matter="检查", date=date, result="无", **data)


BASE = [
    rec("documents", "doc-a", title="某规定", status="issued", doc_type="notice", clauses=[{"number": "一", "heading": "检查周"}]),
    org("org-zone", "管委会", level="zone"),
    org("org-a", "甲局"),
    org("org-b", "乙局", level="prefecture"),
    org("org-c", "丙局"),
]


def index(*records: Record, mech: Record | None = None, today: datetime.date = TODAY) -> Inspections:
    return Inspections(Model.build(SCHEMAS, [*BASE, mech or mechanism(), *records]), today)


def test_an_enterprise_is_its_code_when_given_else_its_exact_name() -> None:
    assert enterprise_key(A) == enterprise_key(A_OTHER_NAME) == ("uscc", "91000000EXAMPLE01P")
    assert enterprise_key(B) != enterprise_key(B_SHORT)
    found = index(separate("insp-1", "org-a", [A, B], "2026-08-04"), separate("insp-2", "org-b", [A_OTHER_NAME, B_SHORT], "2026-08-20"))
    by_name = {e.name: e for e in found.enterprises}
    assert sorted(by_name) == ["乙物流公司", "乙物流有限公司", "甲建材有限公司"]
    assert by_name["甲建材有限公司"].names == ("甲建材有限公司", "甲建材公司") and by_name["甲建材有限公司"].identified_by == "统一社会信用代码"
    assert [v.item.id for v in found.visits_of(by_name["甲建材有限公司"])] == ["insp-1", "insp-2"]
    assert [v.item.id for v in found.visits_of(by_name["乙物流公司"])] == ["insp-2"]


def test_an_arrangement_takes_enterprises_and_departments_from_its_applications_unless_it_names_its_own() -> None:
    found = index(
        application("insp-1", "org-a", [A, B], status="arranged"),
        application("insp-2", "org-b", [A_OTHER_NAME], status="arranged"),
        arrangement("insp-3", ["insp-1", "insp-2"], "2026-06-15", end_date="2026-06-19"),
        arrangement("insp-4", ["insp-1"], "2026-07-01", enterprises=[B], team=["org-c"], form="joint_inspection"),
    )
    week, joint = found.model.items["insp-3"], found.model.items["insp-4"]
    assert found.enterprises_of(week) == [A, B] and found.departments_of(week) == ["org-a", "org-b"]
    assert found.enterprises_of(joint) == [B] and found.departments_of(joint) == ["org-c"]
    assert found.period_text(week) == "2026-06-15 至 2026-06-19" and found.period_text(joint) == "2026-07-01"
    assert [a.id for a in found.arrangements_of(found.model.items["insp-1"])] == ["insp-3", "insp-4"]
    assert found.form_label(joint) == "联合检查"


def test_several_departments_inspecting_one_enterprise_separately_are_stated_without_a_verdict() -> None:
    found = index(
        separate("insp-1", "org-a", [A], "2026-08-04", reason="投诉举报核查。"),
        separate("insp-2", "org-b", [A_OTHER_NAME], "2026-08-20"),
        separate("insp-3", "org-a", [B], "2026-08-21"),
        separate("insp-4", "org-a", [B], "2026-09-01"),  # the same department twice: not several departments
        application("insp-5", "org-c", [A], status="arranged"),
        arrangement("insp-6", ["insp-5"], "2026-09-14"),  # arranged: not a separate inspection
    )
    assert len(found.findings) == 1
    finding = found.findings[0]
    assert (finding.enterprise.name, finding.departments, finding.rule, finding.breaches) == ("甲建材有限公司", ("org-a", "org-b"), None, ())
    assert finding.explanation == "甲建材有限公司在统筹安排的检查周、联合检查之外，由 2 个部门分别单独检查：甲局 2026-08-04；乙局 2026-08-20。" + NO_RULE
    assert "不符合" not in finding.explanation
    codes = {item_id: [(d.code, d.label) for d in found.derived(found.model.items[item_id])] for item_id in ("insp-1", "insp-3")}
    assert codes["insp-1"] == [("separate", "单独检查"), ("separate-repeated", "甲建材有限公司：2 个部门单独检查")]
    assert codes["insp-3"] == [("separate", "单独检查")]
    assert found.derived(found.model.items["insp-1"])[0].explanation == "甲局 2026-08-04 单独检查，未列入统筹安排的检查周或联合检查；原因：投诉举报核查。"


def test_a_window_stated_on_the_mechanism_with_its_source_is_checked() -> None:
    rules = {"source": {"document": "doc-a", "clause": "一"}, "separate_window_days": 30}
    records = (separate("insp-1", "org-a", [A], "2026-08-04"), separate("insp-2", "org-b", [A], "2026-08-20"), separate("insp-3", "org-c", [A], "2026-10-10"))
    found = index(*records, mech=mechanism(inspection_rules=rules))
    finding = found.findings[0]
    assert finding.rule is not None and finding.rule.days == 30 and finding.rule.source == "一（某规定）"
    assert [(b.first.item.id, b.second.item.id, b.days) for b in finding.breaches] == [("insp-1", "insp-2", 16)]
    assert "依据 一（某规定），同一企业由不同部门分别单独检查应相隔至少 30 天，不符合：甲局 2026-08-04 与 乙局 2026-08-20 相隔 16 天。" in finding.explanation
    assert [d.code for d in found.derived(found.model.items["insp-2"])] == ["separate", "separate-rule"]
    assert [d.code for d in found.derived(found.model.items["insp-3"])] == ["separate", "separate-repeated"]  # 51 and 67 days after the others
    kept = index(*records, mech=mechanism(inspection_rules={**rules, "separate_window_days": 10}))
    assert kept.findings[0].breaches == () and "以上检查相隔均不少于 10 天" in kept.findings[0].explanation


def test_examples_make_their_own_findings_apart_from_real_records() -> None:
    found = index(
        separate("insp-1", "org-a", [A], "2026-08-04"),
        separate("insp-2", "org-b", [A], "2026-08-20", example=True),
        separate("insp-3", "org-c", [A], "2026-08-25", example=True),
    )
    assert [(f.example, f.departments) for f in found.findings] == [(True, ("org-b", "org-c"))]
    assert [d.code for d in found.derived(found.model.items["insp-1"])] == ["separate"]


def test_applications_awaiting_arrangement_and_arranged_ones_explain_themselves() -> None:
    found = index(
        application("insp-1", "org-a", [A]),
        application("insp-2", "org-a", [A], proposed={"from": "2026-06-01", "to": "2026-06-30"}),
        application("insp-3", "org-b", [B], status="arranged", submitted="2026-04-01"),
        arrangement("insp-4", ["insp-3"], "2026-12-07", status="scheduled", end_date="2026-12-11"),
        today=datetime.date(2026, 5, 20),
    )
    first = found.derived(found.model.items["insp-1"])[0]
    assert (first.code, first.label, first.explanation, first.tone) == (
        "awaiting-arrangement",
        "待安排",
        "2026-05-01 申报，尚未列入统筹安排；拟检查时间 2026-06-01 起。",
        "info",
    )
    later = Inspections(found.model, datetime.date(2026, 7, 2))
    lapsed = later.derived(found.model.items["insp-2"])[0]
    assert (lapsed.label, lapsed.tone) == ("待安排（拟检查时间已过）", "warning") and "至 2026-07-02 已过" in lapsed.explanation
    arranged = found.derived(found.model.items["insp-3"])[0]
    assert (arranged.code, arranged.label) == ("arranged-in", "已列入检查周 2026-12-07")
    assert arranged.explanation == "由管委会统筹安排：insp-4（检查周，2026-12-07 至 2026-12-11）。"
    assert [a.id for a in found.pending()] == ["insp-1", "insp-2"]


def test_an_arrangement_says_when_it_begins_that_it_is_under_way_or_that_its_result_is_missing() -> None:
    week = arrangement("insp-2", ["insp-1"], "2026-12-07", status="scheduled", end_date="2026-12-11")
    records = (application("insp-1", "org-a", [A, B], status="arranged"), week)
    states = []
    for today in (datetime.date(2026, 11, 25), datetime.date(2026, 12, 6), datetime.date(2026, 12, 9), datetime.date(2026, 12, 12)):
        found = index(*records, today=today)
        derived = found.derived(found.model.items["insp-2"])
        states.append((derived[0].code, derived[0].label))
    assert states == [("upcoming", "12 天后开始"), ("upcoming", "明天开始"), ("ongoing", "检查进行中"), ("result-missing", "未登记检查结果")]
    found = index(*records)
    assert found.derived(found.model.items["insp-2"])[0].explanation == "检查周 2026-12-07 至 2026-12-11，检查部门：甲局；企业 2 家。"
    assert found.next_week() is found.model.items["insp-2"]
    assert index(*records, today=datetime.date(2026, 12, 12)).next_week() is None


def test_follow_up_tasks_of_an_inspection_are_counted_open_or_done() -> None:
    task = rec("tasks", "task-1", title="整改", status="in_progress", lead=["org-a"], source={"document": "doc-a", "clause": "一"})
    done = rec("tasks", "task-2", title="复查", status="completed", lead=["org-a"], source={"document": "doc-a", "clause": "一"})
    found = index(
        application("insp-1", "org-a", [A], status="arranged"), arrangement("insp-2", ["insp-1"], "2026-06-15", follow_up=["task-1", "task-2"]), task, done
    )
    derived = found.derived(found.model.items["insp-2"])
    assert [(d.code, d.label, d.explanation) for d in derived] == [("follow-up-open", "后续任务未办结 1 项", "检查后交办任务 2 项，未办结：整改（办理中）。")]


def test_an_inspection_week_rule_is_kept_period_by_period_with_real_weeks_only() -> None:
    rules = {"source": {"document": "doc-a", "clause": "一"}, "weeks": {"every": "quarter", "times": 1}}
    found = index(
        application("insp-1", "org-a", [A], status="arranged"),
        arrangement("insp-2", ["insp-1"], "2026-02-09"),
        arrangement("insp-3", ["insp-1"], "2026-08-10", example=True),  # an example does not keep a real rule
        arrangement("insp-4", ["insp-1"], "2026-12-07", status="scheduled"),
        mech=mechanism(inspection_rules=rules, started="2026-01-01"),
    )
    rule = found.weeks_rule(found.model.items["mech-i"])
    assert rule is not None and (rule.every_label, rule.times, rule.source) == ("每季度", 1, "一（某规定）")
    assert [(p.label, p.state, [w.id for w in p.weeks]) for p in rule.periods] == [
        ("2026年第一季度", "held", ["insp-2"]),
        ("2026年第二季度", "missed", []),
        ("2026年第三季度", "missed", []),
        ("2026年第四季度", "held", ["insp-4"]),
        ("2027年第一季度", "upcoming", []),
    ]
    assert found.weeks_rule(mechanism()) is None


def test_a_cancelled_arrangement_is_no_inspection() -> None:
    found = index(
        application("insp-1", "org-a", [A]),
        arrangement("insp-2", ["insp-1"], "2026-06-15", status="cancelled", cancellation={"date": "2026-06-10", "reason": "台风"}),
    )
    assert found.calendar() == [] and found.visits_of(found.enterprises[0]) == []
    assert found.derived(found.model.items["insp-2"]) == []
