"""The derived states #15 adds (model/status.py), each with its explanation: 未签收 N 天 for a task or
matter nobody has signed for, 纪要未印发 for a meeting whose minutes are late, 未按期召开 for the
periods a mechanism missed in a row; and who leads a meeting (its mechanism's 牵头单位, x-lead: via)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from liandong.model.model import Model
from liandong.model.status import Status
from liandong.validation.configuration import defaults
from liandong.validation.pipeline import validate
from tests.helpers import case_repo, record, write

# The window of a registry without a configuration file (schemas/liandong.schema.json's default).
MINUTES_DUE_DAYS = defaults(Path(__file__).parents[2] / "schemas").minutes_due_days


def _status(tmp_path: Path, today: str, *records: tuple[str, dict[str, Any]]) -> Status:
    root = case_repo(tmp_path / "repo", "valid/minimal")
    for type_name, data in records:
        write(root, f"registry/{type_name}/{data['id']}.yaml", record(type_name, data))
    result = validate(root, today=datetime.date.fromisoformat(today))
    assert result.diagnostics == [], [d.message for d in result.diagnostics]
    return Status(Model.build(result.schemas, result.valid), datetime.date.fromisoformat(today))


def _task(task_id: str, status: str, **fields: Any) -> tuple[str, dict[str, Any]]:
    base = {"id": task_id, "title": f"任务 {task_id}", "status": status, "visibility": "public", "source": {"document": "doc-a", "clause": "三(一)1"}}
    return "tasks", {**base, "lead": ["org-a"], **fields}


def _badges(status: Status, item_id: str) -> list[tuple[str, str, str]]:
    return [(b.code, b.label, b.explanation) for b in status.badges(status.model.items[item_id])]


def test_unsigned_counts_from_the_day_it_was_assigned(tmp_path: Path) -> None:
    status = _status(
        tmp_path,
        "2026-11-25",
        _task("task-0001", "assigned", assigned="2026-11-20"),
        _task("task-0002", "signed", assigned="2026-11-20", acknowledgement={"date": "2026-11-21", "by": "org-a"}),
        _task("task-0003", "in_progress", assigned="2026-11-20"),  # under way before any 签收: none needed
        _task("task-0004", "assigned"),  # no 交办 date to count from
        _task("task-0005", "assigned", assigned="2026-11-25"),
        (
            "coordination",
            {
                "id": "coord-0001",
                "title": "协调事项",
                "status": "open",
                "visibility": "public",
                "origin": "department",
                "raised_by": "org-a",
                "raised_on": "2026-11-01",
                "responsible": ["org-a"],
            },
        ),
    )
    assert _badges(status, "task-0001") == [("unsigned", "未签收 5 天", "交办日期 2026-11-20，至 2026-11-25 牵头单位尚未签收")]
    assert _badges(status, "task-0002") == []
    assert _badges(status, "task-0003") == []
    assert _badges(status, "task-0004") == []
    assert _badges(status, "task-0005") == [("unsigned", "未签收", "交办日期 2026-11-25，至 2026-11-25 牵头单位尚未签收")]
    assert _badges(status, "coord-0001") == [("unsigned", "未签收 24 天", "提出日期 2026-11-01，至 2026-11-25 牵头的责任单位尚未签收")]
    assert [(u.item.id, u.since.isoformat(), u.days) for u in status.unsigned()] == [
        ("coord-0001", "2026-11-01", 24),
        ("task-0001", "2026-11-20", 5),
        ("task-0005", "2026-11-25", 0),
    ]


MECHANISM = {
    "id": "mech-a",
    "title": "联席会议",
    "status": "active",
    "visibility": "public",
    "kind": "joint_meeting",
    "source": {"document": "doc-a", "clause": "三(一)1"},
    "lead": ["org-a"],
    "cadence": {"every": "quarter", "times": 1},
    "started": "2026-01-01",
}


def _meeting(meeting_id: str, status: str, date: str, **fields: Any) -> tuple[str, dict[str, Any]]:
    data = {"id": meeting_id, "title": f"会议 {meeting_id}", "status": status, "visibility": "public", "mechanism": "mech-a", "date": date, **fields}
    if status != "planned":
        data.setdefault("attendees", ["org-a"])
    return "meetings", data


def test_minutes_missing_after_the_window_and_who_leads_a_meeting(tmp_path: Path) -> None:
    status = _status(
        tmp_path,
        "2026-11-25",
        ("mechanisms", MECHANISM),
        _meeting("mtg-0001", "held", "2026-11-10"),
        _meeting("mtg-0002", "held", f"2026-11-{25 - MINUTES_DUE_DAYS:02d}"),  # exactly the window: not yet
        _meeting("mtg-0003", "planned", "2026-11-01"),
        _meeting("mtg-0004", "minutes_issued", "2026-10-10", minutes={"number": "第1期", "issued": "2026-10-20"}, decisions=[{"number": 1, "text": "议定"}]),
    )
    assert _badges(status, "mtg-0001") == [("minutes-missing", "纪要未印发（会后 15 天）", "会议 2026-11-10 召开，超过 7 天仍未登记纪要印发")]
    assert _badges(status, "mtg-0002") == []
    assert _badges(status, "mtg-0003") == [
        ("minutes-missing", "会议情况未登记（计划日期后 24 天）", "会议计划 2026-11-01 召开，超过 7 天仍为“计划召开”，没有召开情况和纪要")
    ]
    assert _badges(status, "mtg-0004") == []
    assert status.model.leads(status.model.items["mtg-0001"]) == ["org-a"]
    assert status.model.leads(status.model.items["mech-a"]) == ["org-a"]


def test_a_mechanism_names_the_periods_it_missed_in_a_row(tmp_path: Path) -> None:
    held = {"minutes": {"number": "第1期", "issued": "2026-02-20"}, "decisions": [{"number": 1, "text": "议定"}]}
    status = _status(tmp_path, "2026-11-25", ("mechanisms", MECHANISM), _meeting("mtg-0001", "minutes_issued", "2026-02-10", **held))
    assert _badges(status, "mech-a") == [
        ("missed-period", "连续 2 期未按期召开", "每季度应召开 1 次；2026年第二季度至2026年第三季度（2026-04-01 至 2026-09-30）召开 0 次")
    ]
    status = _status(
        tmp_path / "kept",
        "2026-11-25",
        ("mechanisms", MECHANISM),
        _meeting("mtg-0001", "minutes_issued", "2026-02-10", **held),
        _meeting("mtg-0002", "minutes_issued", "2026-08-10", **{**held, "minutes": {"number": "第2期", "issued": "2026-08-20"}}),
    )
    assert _badges(status, "mech-a") == []  # the last finished quarter was kept; the missed 2nd is history, shown on its page
    status = _status(tmp_path / "one", "2026-10-01", ("mechanisms", {**MECHANISM, "started": "2026-07-01"}))
    why = "每季度应召开 1 次；2026年第三季度（2026-07-01 至 2026-09-30）召开 0 次"
    assert _badges(status, "mech-a") == [("missed-period", "2026年第三季度未按期召开", why)]
