"""A standing rule (nature: standing, 长期执行的规定) is never overdue, due soon or stale, and so never
in the report or the reminders; the one rule is model/status.py's is_standing. Its record may say
how the text states the time (timing_as_written), which its badge repeats."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from liandong.model.model import Model
from liandong.model.status import Status
from liandong.remind.digest import reminders
from liandong.site.contexts import report_context
from liandong.validation.pipeline import validate
from tests.helpers import case_repo, record, write

TODAY = "2026-11-25"


def _status(tmp_path: Path, *tasks: dict[str, Any]) -> Status:
    root = case_repo(tmp_path / "repo", "valid/minimal")
    for data in tasks:
        base = {"title": f"任务 {data['id']}", "visibility": "public", "source": {"document": "doc-a", "clause": "三(一)1"}, "lead": ["org-a"]}
        write(root, f"registry/tasks/{data['id']}.yaml", record("tasks", {**base, **data}))
    result = validate(root, today=datetime.date.fromisoformat(TODAY))
    # A standing rule with a deadline is refused (nature.standing-deadline); the model still holds
    # it, so that the status shows it would not be counted even if someone ignored the finding.
    assert {d.rule for d in result.diagnostics} <= {"nature.standing-deadline"}, [d.message for d in result.diagnostics]
    return Status(Model.build(result.schemas, result.valid), datetime.date.fromisoformat(TODAY))


def test_a_standing_rule_is_never_late_and_a_task_is(tmp_path: Path) -> None:
    late = {"status": "in_progress", "assigned": "2026-01-05", "deadline": "2026-03-31"}  # overdue, and no progress for months
    soon = {"status": "in_progress", "assigned": "2026-11-20", "deadline": "2026-11-26"}
    status = _status(
        tmp_path,
        {"id": "task-0001", **late, "nature": "standing", "timing_as_written": "每季度召开一次"},
        {"id": "task-0002", **late, "nature": "task"},
        {"id": "task-0003", **late},  # 未标注: judged as a task
        {"id": "task-0004", **soon, "nature": "standing"},
        {"id": "task-0005", **soon},
    )
    codes = {i: status.codes(status.model.items[i]) for i in ("task-0001", "task-0002", "task-0003", "task-0004", "task-0005")}
    assert codes == {
        "task-0001": ["standing"],
        "task-0002": ["overdue", "stale"],
        "task-0003": ["overdue", "stale"],
        "task-0004": ["standing"],
        "task-0005": ["due-soon"],
    }
    badge = status.badges(status.model.items["task-0001"])[0]
    assert (badge.label, badge.explanation, badge.tone) == (
        "长期执行",
        "原文时限：每季度召开一次；长期执行的规定，没有办结的一天：至 2026-11-25 不计逾期、即将到期和无进展",
        "info",
    )
    assert [e.item.id for e in status.overdue()] == ["task-0002", "task-0003"]
    assert [e.item.id for e in status.due_soon()] == ["task-0005"]
    assert [i.id for i in status.stale()] == ["task-0002", "task-0003"]
    assert [row.item.id for row in report_context(status).overdue] == ["task-0002", "task-0003"]
    listed = {e.item.id for d in reminders(status.model, status.today).digests for e in d.entries}
    assert listed == {"task-0002", "task-0003", "task-0005"}


def test_a_standing_rule_still_waits_to_be_signed_for(tmp_path: Path) -> None:
    status = _status(tmp_path, {"id": "task-0001", "status": "assigned", "assigned": "2026-11-20", "nature": "standing"})
    assert [(b.code, b.label) for b in status.badges(status.model.items["task-0001"])] == [("standing", "长期执行"), ("unsigned", "未签收 5 天")]
