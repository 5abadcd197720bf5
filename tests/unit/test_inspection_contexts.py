"""The 三(一)3 page contexts (site/contexts.py), on a model built by hand: a mechanism lists every
record that runs under it with its derived states, counting examples apart; the joint-inspection
and push mechanisms add their figures; an organization without pushes gets no push section; the
list filters of types with derived states of their own."""

from __future__ import annotations

import datetime
from typing import Any

from liandong.history.timeline import Timeline
from liandong.history.types import History
from liandong.model.model import Model
from liandong.model.status import Status
from liandong.site import contexts
from liandong.validation.files import Record
from liandong.validation.schema import SchemaSet
from tests.helpers import REPO

TODAY = datetime.date(2026, 11, 25)


def rec(type_name: str, record_id: str, **data: Any) -> Record:
    return Record(type_name, record_id, f"registry/{type_name}/{record_id}.yaml", {"id": record_id, "title": record_id, "visibility": "public", **data}, "")


SOURCE = {"document": "doc-a", "clause": "一"}
RECORDS = [
    rec("documents", "doc-a", title="某规定", status="issued", doc_type="notice", clauses=[{"number": "一", "heading": "检查周"}]),
    rec("organizations", "org-zone", title="管委会", status="active", level="zone", kind="management_committee"),
    rec("organizations", "org-a", title="甲局", status="active", level="county", kind="department"),
    rec("mechanisms", "mech-i", title="联合检查", status="active", kind="joint_inspection", source=SOURCE),
    rec("mechanisms", "mech-p", title="信息推送", status="active", kind="information_push", source=SOURCE),
    rec("meetings", "mtg-1", title="会商", status="held", mechanism="mech-i", date="2026-05-01"),
    rec("inspections", "insp-1", status="submitted", kind="application", mechanism="mech-i", department="org-a", enterprises=[{"name": "甲公司"}]),
    rec(
        "inspections", "insp-2", status="submitted", kind="application", mechanism="mech-i", department="org-a", enterprises=[{"name": "乙公司"}], example=True
    ),
    rec("pushes", "push-1", status="sent", kind="approval", mechanism="mech-p", sender="org-zone", receivers=["org-a"], date="2026-11-20"),
]


def status() -> Status:
    return Status(Model.build(SchemaSet.for_root(REPO), RECORDS), TODAY)


def page(found: Status, item_id: str) -> contexts.RecordContext:
    return contexts.record_context(found, Timeline(History(False, note="未读取"), found.model), found.model.items[item_id])


def test_a_mechanism_lists_what_runs_under_it_with_derived_states_and_examples_apart() -> None:
    found = status()
    mechanism = page(found, "mech-i")
    assert isinstance(mechanism, contexts.MechanismRecordContext)
    groups = [(g.type_name, [r.item.id for r in g.rows], g.count, g.examples) for g in mechanism.running]
    assert groups == [("meetings", ["mtg-1"], 1, 0), ("inspections", ["insp-2", "insp-1"], 1, 1)]
    awaiting = next(r for r in mechanism.running[1].rows if r.item.id == "insp-1")
    assert [(b.code, b.label) for b in awaiting.badges] == [("awaiting-arrangement", "待安排")]
    assert mechanism.inspection is not None and mechanism.push is None
    figures = {f.label: (f.count, f.examples) for f in mechanism.inspection.figures}
    assert figures["检查申报"] == (1, 1) and figures["其中待安排"] == (1, 1) and figures["单独检查"] == (0, 0)
    assert (mechanism.inspection.rules_source, mechanism.inspection.window_days, mechanism.inspection.weeks) == ("", None, None)
    assert mechanism.inspection.no_rule_note.startswith("联合检查机制记录未规定单独检查的间隔")
    push = page(found, "mech-p")
    assert isinstance(push, contexts.MechanismRecordContext) and push.inspection is None and push.push is not None
    assert (push.push.figures[0].label, push.push.figures[0].count) == ("行政审批信息（管委会 → 部门）", 1)
    assert (push.push.figures[-1].label, push.push.figures[-1].count) == ("尚有接收单位未签收", 1)


def test_organizations_get_a_push_section_only_when_they_pushed_or_received() -> None:
    found = status()
    zone, a = page(found, "org-zone"), page(found, "org-a")
    assert isinstance(zone, contexts.OrganizationRecordContext) and isinstance(a, contexts.OrganizationRecordContext)
    assert zone.pushes is not None and [v.item.id for v in zone.pushes.sent] == ["push-1"]
    assert a.pushes is not None and [v.item.id for v in a.pushes.unsigned] == ["push-1"]
    only = Status(Model.build(SchemaSet.for_root(REPO), RECORDS[:3]), TODAY)
    lonely = page(only, "org-a")
    assert isinstance(lonely, contexts.OrganizationRecordContext) and lonely.pushes is None


def test_types_with_derived_states_of_their_own_get_their_own_filter() -> None:
    found = status()
    inspections, mechanisms, tasks = (contexts.list_context(found, t) for t in ("inspections", "mechanisms", "tasks"))
    assert inspections.derived_label == "检查情况" and ("awaiting-arrangement", "待安排") in inspections.derived_options
    assert tasks.derived_label == "办理情况" and tasks.derived_options == list(contexts.derived_labels(found.model).items())
    assert ("due-soon", "3 天内到期") in tasks.derived_options  # the registry's window, registry/liandong.yaml
    assert mechanisms.derived_options == []  # no filter offered
    assert next(r for r in inspections.rows if r.item.id == "insp-1").codes == ["awaiting-arrangement"]
