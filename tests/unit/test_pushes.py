"""model/pushes.py: who signed for a push (a receiver, or a unit under it), what was pushed about a
power, and what an organization pushed and received — facts and counts, examples apart, no rate."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from liandong.model.model import Model
from liandong.model.pushes import OrgPushes, Pushes
from liandong.validation.files import Record
from liandong.validation.schema import SchemaSet
from tests.helpers import REPO

SCHEMAS = SchemaSet.for_root(REPO)
TODAY = datetime.date(2026, 11, 25)


def rec(type_name: str, record_id: str, **data: Any) -> Record:
    return Record(type_name, record_id, f"registry/{type_name}/{record_id}.yaml", {"id": record_id, "title": record_id, "visibility": "public", **data}, "")


def push(record_id: str, kind: str, sender: str, receivers: list[str], date: str, **data: Any) -> Record:
    return rec("pushes", record_id, status=data.pop("status", "sent"), kind=kind, mechanism="mech-p", sender=sender, receivers=receivers, date=date, **data)


BASE = [
    rec("organizations", "org-zone", title="管委会", status="active", level="zone", kind="management_committee"),
    rec("organizations", "org-depts", title="甲市相关部门", status="active", level="county", kind="collective"),
    rec("organizations", "org-a", title="甲局", status="active", level="county", kind="department", parent="org-depts"),
    rec("organizations", "org-b", title="乙局", status="active", level="prefecture", kind="department"),
    rec("organizations", "org-x", title="示例局", status="active", level="county", kind="department", example=True),
    rec("powers", "power-1", title="施工许可", status="in_force", category="licensing", implementer="org-a"),
]


def pushes(*records: Record) -> Pushes:
    return Pushes(Model.build(SCHEMAS, [*BASE, *records]), TODAY)


def test_a_receipt_by_a_unit_under_a_receiver_counts_for_it() -> None:
    found = pushes(push("push-1", "approval", "org-zone", ["org-depts", "org-b"], "2026-07-03", receipts=[{"organization": "org-a", "date": "2026-07-04"}]))
    view = found.view(found.model.items["push-1"])
    assert [(r.receiver, r.signed_by, r.date) for r in view.receivers] == [("org-depts", "org-a", datetime.date(2026, 7, 4)), ("org-b", None, None)]
    assert (view.kind_label, view.direction, view.signed) == ("行政审批信息", "管委会 → 部门", 1)
    (state,) = view.derived
    assert (state.code, state.label, state.tone) == ("awaiting-receipt", "1 个单位待签收", "info")
    assert state.explanation == "乙局 尚未签收（2026-07-03 推送，至 2026-11-25 已 145 天；没有规定签收时限，只列事实）。"


def test_a_push_every_receiver_signed_for_says_when_and_a_withdrawn_one_says_nothing() -> None:
    signed = push("push-1", "supervision", "org-b", ["org-zone"], "2026-09-25", receipts=[{"organization": "org-zone", "date": "2026-09-26"}])
    withdrawn = push("push-2", "policy", "org-a", ["org-zone"], "2026-09-25", status="withdrawn", withdrawal={"date": "2026-09-26", "reason": "有误"})
    found = pushes(signed, withdrawn)
    assert [(d.code, d.explanation) for d in found.derived(found.model.items["push-1"])] == [("all-signed", "接收单位均已签收：管委会 2026-09-26。")]
    assert found.derived(found.model.items["push-2"]) == []


def test_the_pushes_about_a_power_leave_examples_apart_on_a_real_power() -> None:
    found = pushes(
        push("push-1", "approval", "org-zone", ["org-a"], "2026-07-03", powers=["power-1"]),
        push("push-2", "supervision", "org-a", ["org-zone"], "2026-09-01", powers=["power-1"]),
        push("push-3", "approval", "org-zone", ["org-a"], "2026-10-01", powers=["power-1"], example=True),
        push("push-4", "approval", "org-zone", ["org-a"], "2026-10-02"),
    )
    counted, examples = found.about_power(found.model.items["power-1"])
    assert [v.item.id for v in counted] == ["push-2", "push-1"] and [v.item.id for v in examples] == ["push-3"]


def test_an_organization_sees_what_it_sent_and_received_counted_without_examples_and_without_a_rate() -> None:
    found = pushes(
        push("push-1", "approval", "org-zone", ["org-a", "org-b"], "2026-07-03", receipts=[{"organization": "org-b", "date": "2026-07-04"}]),
        push("push-2", "supervision", "org-a", ["org-zone"], "2026-09-01"),
        push("push-3", "policy", "org-a", ["org-zone"], "2026-09-05", example=True),
        push("push-4", "approval", "org-zone", ["org-a"], "2026-10-01", status="withdrawn", withdrawal={"date": "2026-10-02", "reason": "有误"}),
    )
    a = found.of_organization(found.model.items["org-a"])
    assert [v.item.id for v in a.sent] == ["push-2"] and [v.item.id for v in a.examples_sent] == ["push-3"]
    assert [v.item.id for v in a.received] == ["push-4", "push-1"]
    assert [(k.label, k.count) for k in a.received_by_kind] == [("行政审批信息", 2)] and [(k.label, k.count) for k in a.sent_by_kind] == [("监督信息", 1)]
    assert [v.item.id for v in a.unsigned] == ["push-1"]  # a withdrawn push waits for nobody
    assert a.counted_real_only and not a.empty
    fields = {f.name for f in dataclasses.fields(OrgPushes)}
    assert not {name for name in fields if any(word in name for word in ("rate", "rank", "score", "percent"))}
    example_org = found.of_organization(found.model.items["org-x"])
    assert example_org.empty and not example_org.counted_real_only
