"""Derived status: computed from the records and `today`, with an explanation for every badge."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from liandong.cli import main
from liandong.model.model import Model
from liandong.model.status import Lapse, Status
from liandong.model.today import resolve_today
from liandong.site.render import Renderer
from liandong.validation.pipeline import validate
from tests.helpers import case_repo, clause_task, record, write

MINIMAL = "valid/minimal"  # tests/cases/valid/minimal on the shared registry


def _status(tmp_path: Path, today: str, records: dict[str, str]) -> Status:
    """The status of the minimal registry plus `records` (path under registry/ → file text) on `today`."""
    root = case_repo(tmp_path / "repo", MINIMAL)
    for rel, text in records.items():
        write(root, f"registry/{rel}", text)
    result = validate(root, today=datetime.date.fromisoformat(today))
    assert result.diagnostics == []
    return Status(Model.build(result.schemas, result.valid), datetime.date.fromisoformat(today))


def _task(task_id: str, status: str = "in_progress", **fields: Any) -> dict[str, str]:
    """A task (tests/helpers.clause_task) as the file registry/tasks/<id>.yaml."""
    return {f"tasks/{task_id}.yaml": record("tasks", clause_task(task_id, status, **fields))}


def _progress(*dates: str) -> list[dict[str, str]]:
    return [{"date": date, "text": "进行中"} for date in dates]


def _completion(date: str) -> dict[str, str]:
    return {"date": date, "result": "完成"}


def test_overdue_due_soon_and_stale_explain_themselves(tmp_path: Path) -> None:
    status = _status(
        tmp_path,
        "2026-03-10",
        {
            **_task("task-0101", deadline="2026-03-01", progress=_progress("2026-03-05")),
            **_task("task-0102", deadline="2026-03-13", progress=_progress("2026-03-05")),
            **_task("task-0103", deadline="2026-03-18"),
            **_task("task-0104", status="completed", deadline="2026-03-01", completion=_completion("2026-02-20")),
        },
    )
    badges = {i: [(b.code, b.label, b.explanation) for b in status.badges(status.model.items[i])] for i in ("task-0101", "task-0102", "task-0103", "task-0104")}
    assert badges["task-0101"] == [("overdue", "逾期 9 天", "办理时限 2026-03-01，至 2026-03-10 未办结")]
    assert badges["task-0102"] == [("due-soon", "3 天后到期", "办理时限 2026-03-13，尚未办结")]
    assert badges["task-0103"] == [("stale", "59 天无进展", "交办以来没有进度，交办日期 2026-01-10，超过 30 天未更新")]
    assert badges["task-0104"] == [("on-time", "按期办结", "办理时限 2026-03-01，2026-02-20 办结")]
    assert [entry.item.id for entry in status.overdue()] == ["task-0101"]
    assert [entry.item.id for entry in status.due_soon()] == ["task-0102"]
    assert status.days_open(status.model.items["task-0104"]) == 41


def test_completed_late_is_not_overdue(tmp_path: Path) -> None:
    status = _status(tmp_path, "2026-05-01", _task("task-0101", status="completed", deadline="2026-03-01", completion=_completion("2026-03-04")))
    assert [(b.code, b.label) for b in status.badges(status.model.items["task-0101"])] == [("late", "逾期办结（晚 3 天）")]
    assert status.overdue() == []


def test_escalation_waiting_for_an_answer(tmp_path: Path) -> None:
    coord = {
        "id": "coord-0001",
        "title": "上报事项",
        "status": "escalated",
        "visibility": "public",
        "origin": "department",
        "raised_by": "org-a",
        "raised_on": "2026-01-05",
        "responsible": ["org-a"],
        "escalation": {"to": ["org-fcg"], "reported_on": "2026-02-01"},
    }
    status = _status(tmp_path, "2026-03-01", {"coordination/coord-0001.yaml": record("coordination", coord)})
    (waiting,) = status.escalations
    assert (waiting.item.id, [t.id for t in waiting.to], waiting.days) == ("coord-0001", ["org-fcg"], 28)
    answered = {**coord, "escalation": {**coord["escalation"], "answer": {"date": "2026-02-20", "text": "同意"}}}
    assert _status(tmp_path / "b", "2026-03-01", {"coordination/coord-0001.yaml": record("coordination", answered)}).escalations == []


def test_quarterly_cadence_held_missed_current_and_upcoming(tmp_path: Path) -> None:
    def meeting(mid: str, status: str, date: str, title: str | None = None, **fields: Any) -> str:
        return record("meetings", id=mid, title=title or f"会议 {mid}", status=status, visibility="public", mechanism="mech-a", date=date, **fields)

    mechanism = record(
        "mechanisms",
        id="mech-a",
        title="联席会议",
        status="active",
        visibility="public",
        kind="joint_meeting",
        source={"document": "doc-a", "clause": "三(三)1"},
        cadence={"every": "quarter", "times": 1},
        started="2026-01-01",
    )
    status = _status(
        tmp_path,
        "2026-08-15",
        {
            "meetings/mtg-0001.yaml": meeting(
                "mtg-0001", "held", "2024-03-01", title="第一次联席会议", attendees=["org-a"], decisions=[{"number": 1, "text": "议定事项一"}]
            ),
            "mechanisms/mech-a.yaml": mechanism,
            "meetings/mtg-0002.yaml": meeting("mtg-0002", "held", "2026-02-10", attendees=["org-a"]),
            "meetings/mtg-0003.yaml": meeting("mtg-0003", "planned", "2026-09-20"),
        },
    )
    periods, note = status.cadence(status.model.items["mech-a"])
    assert note == ""
    assert [(p.label, p.state, [m.id for m in p.meetings]) for p in periods] == [
        ("2026年第一季度", "held", ["mtg-0002"]),
        ("2026年第二季度", "missed", []),
        ("2026年第三季度", "current", ["mtg-0003"]),
        ("2026年第四季度", "upcoming", []),
    ]


def test_decision_states_and_meeting_share(tmp_path: Path) -> None:
    from_meeting = {"title": "会议任务", "source": {"meeting": "mtg-0001", "decision": 1}, "assigned": "2026-03-02"}
    status = _status(
        tmp_path,
        "2026-05-01",
        {
            **_task("task-0101", status="completed", **from_meeting, completion=_completion("2026-03-20")),
            **_task("task-0102", status="in_progress", **from_meeting, deadline="2026-04-01"),
        },
    )
    meeting = status.model.items["mtg-0001"]
    assert status.decision_state(meeting, 1) == ("overdue", "有逾期")
    assert status.meeting_share(meeting) == (0, 1)
    org = status.org_record(status.model.items["org-a"])
    assert org == {"led": 3, "open": 2, "overdue": 1, "completed": 1, "judged": 0, "on_time": 0, "examples": 0}


def test_today_comes_from_the_option_then_source_date_epoch() -> None:
    assert resolve_today(datetime.date(2026, 1, 2), {"SOURCE_DATE_EPOCH": "0"}) == datetime.date(2026, 1, 2)
    assert resolve_today(None, {"SOURCE_DATE_EPOCH": "1767196800"}) == datetime.date(2026, 1, 1)  # 2025-12-31T16:00Z = 00:00 in Shanghai
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH"):
        resolve_today(None, {"SOURCE_DATE_EPOCH": "yesterday"})


def test_validate_takes_today_from_the_argument_then_source_date_epoch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = case_repo(tmp_path / "repo", MINIMAL)
    (text,) = _task("task-0101", progress=_progress("2026-03-02")).values()
    write(root, "registry/tasks/task-0101.yaml", text)

    def rules(today: datetime.date | None = None) -> list[str]:
        return [d.rule for d in validate(root, today=today).diagnostics]

    assert rules(datetime.date(2026, 3, 2)) == []
    assert rules(datetime.date(2026, 3, 1)) == ["dates.future-entry"]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1772294400")  # 2026-02-28T16:00Z = 2026-03-01 00:00 in Beijing
    assert rules() == ["dates.future-entry"]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1772380800")  # 2026-03-02 00:00 in Beijing
    assert rules() == []
    for today, exit_code in (("2026-03-01", 1), ("2026-03-02", 0)):
        assert CliRunner().invoke(main, ["validate", "--root", str(root), "--today", today]).exit_code == exit_code


LATE_EXTENSION = {
    "requested": "2026-07-08",
    "previous_deadline": "2026-06-30",
    "approved_by": "org-a",
    "new_deadline": "2026-09-30",
    "reason": "等待批复",
    "late": {"approved_by": "org-a", "reason": "经批准补办延期"},
}
LATE = {"deadline": "2026-09-30", "progress": _progress("2026-07-20"), "extensions": [LATE_EXTENSION]}


def test_a_late_extension_keeps_the_overdue_period_in_view(tmp_path: Path) -> None:
    status = _status(tmp_path, "2026-08-01", _task("task-0101", status="extended", **LATE))
    item = status.model.items["task-0101"]
    assert [(b.code, b.label, b.explanation) for b in status.badges(item)] == [
        ("lapsed", "曾逾期 8 天", "办理时限 2026-06-30 到期后，2026-07-08 才申请延期（经批准延至 2026-09-30）")
    ]
    assert status.overdue() == []
    assert status.lapsed() == [(item, Lapse(datetime.date(2026, 6, 30), datetime.date(2026, 7, 8), datetime.date(2026, 9, 30)))]
    report = Renderer(status.model, status.today).report_markdown()
    assert "## 办理时限到期后才延期的未办结事项（1 项）" in report
    assert "| task-0101 | 任务 task-0101 | 甲单位 | 2026-06-30 | 2026-07-08 | 8 | 2026-09-30 |" in report


def test_completion_after_a_late_extension_is_judged_by_the_deadline_that_lapsed(tmp_path: Path) -> None:
    status = _status(tmp_path, "2026-10-01", _task("task-0101", status="completed", **LATE, completion=_completion("2026-09-10")))
    item = status.model.items["task-0101"]
    assert [(b.code, b.label, b.explanation) for b in status.badges(item)] == [
        ("lapsed", "曾逾期 8 天", "办理时限 2026-06-30 到期后，2026-07-08 才申请延期（经批准延至 2026-09-30）"),
        (
            "late",
            "逾期办结（晚 72 天）",
            "办理时限 2026-06-30 到期时未办结，2026-07-08 才申请延期；按当时的办理时限计，2026-09-10 办结（延期后的办理时限 2026-09-30）",
        ),
    ]
    assert status.org_record(status.model.items["org-a"])["on_time"] == 0
    assert status.lapsed() == []  # the report lists open items only; the record keeps both badges
    assert "到期后才延期" not in Renderer(status.model, status.today).report_markdown()


def test_an_extension_requested_in_time_is_completed_on_time(tmp_path: Path) -> None:
    in_time = {k: v for k, v in LATE_EXTENSION.items() if k != "late"} | {"requested": "2026-06-25"}
    status = _status(tmp_path, "2026-10-01", _task("task-0101", status="completed", **LATE | {"extensions": [in_time]}, completion=_completion("2026-09-10")))
    assert [(b.code, b.label) for b in status.badges(status.model.items["task-0101"])] == [("on-time", "按期办结")]
