"""Counts by state at each month's end (#20), read from a real Git history made in a temp folder:
each item counts as it was recorded at the time, the current month's figures are today's figures
of the site, and the chart draws those same numbers (the table lists them all)."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

from liandong.history.reader import read_history
from liandong.history.trend import monthly
from liandong.model.model import Model
from liandong.model.status import Status, is_open
from liandong.site.trend_chart import trend_svg
from liandong.validation.pipeline import validate
from tests.helpers import Git, case_repo, clause_task, record

TODAY = datetime.date(2026, 4, 10)


def _task(task_id: str, status: str, **fields: Any) -> str:
    return record("tasks", clause_task(task_id, status, **fields))


def _repo(tmp_path: Path) -> Path:
    root = case_repo(tmp_path / "repo", "valid/minimal")
    git = Git(root)
    git.commit("登记册", date="2026-01-15T10:00:00+08:00")
    git.commit(
        "两项任务",
        date="2026-01-20T10:00:00+08:00",
        files={
            "registry/tasks/task-0101.yaml": _task("task-0101", "assigned", deadline="2026-02-15"),
            "registry/tasks/task-0102.yaml": _task("task-0102", "assigned", deadline="2026-06-30"),
        },
    )
    done = _task("task-0101", "completed", deadline="2026-02-15", completion={"date": "2026-03-02", "result": "完成"})
    git.commit("task-0101 办结", date="2026-03-05T10:00:00+08:00", files={"registry/tasks/task-0101.yaml": done})
    return root


def _status(root: Path) -> tuple[Status, Any]:
    result = validate(root, today=TODAY)
    assert result.diagnostics == []
    model = Model.build(result.schemas, result.valid)
    return Status(model, TODAY), read_history(root, model.schemas.append_only)


def test_each_month_counts_the_items_as_recorded_then(tmp_path: Path) -> None:
    status, history = _status(_repo(tmp_path))
    tasks = [i for i in status.tracked_items() if i.id.startswith("task-01")]
    months = monthly(history, tasks, TODAY)
    assert [(m.label, m.day.isoformat(), m.open, m.overdue, m.done) for m in months] == [
        ("2026年1月", "2026-01-31", 2, 0, 0),
        ("2026年2月", "2026-02-28", 2, 1, 0),  # task-0101's deadline passed on 15 February, still recorded open
        ("2026年3月", "2026-03-31", 1, 0, 1),  # its completion was committed on 5 March
        ("2026年4月", "2026-04-10", 1, 0, 1),  # the current month ends today
    ]


def test_the_current_month_is_the_sites_figures_of_today(tmp_path: Path) -> None:
    status, history = _status(_repo(tmp_path))
    tracked = status.tracked_items()
    now = monthly(history, tracked, TODAY)[-1]
    overdue = {late.item.id for late in status.overdue()}
    assert (now.open, now.overdue, now.done) == (sum(is_open(i) for i in tracked), len(overdue), sum(not is_open(i) for i in tracked))


def test_the_chart_draws_the_same_numbers(tmp_path: Path) -> None:
    status, history = _status(_repo(tmp_path))
    months = monthly(history, status.tracked_items(), TODAY)
    view = trend_svg(months, "各月底的情况", "t")
    svg = str(view.svg)
    drawn = re.findall(r'<g class="ld-trend-month" data-day="([^"]+)"><title>[^<]*未办结 (\d+) 项，其中逾期 (\d+) 项；已办结 (\d+) 项</title>', svg)
    assert drawn == [(m.day.isoformat(), str(m.open), str(m.overdue), str(m.done)) for m in months]
    assert svg.count('class="ld-trend-overdue"') == sum(1 for m in months if m.overdue)
    assert trend_svg(months, "各月底的情况", "t").svg == view.svg


def test_no_history_no_trend(tmp_path: Path) -> None:
    root = case_repo(tmp_path / "plain", "valid/minimal")
    status, history = _status(root)
    assert not history.available and monthly(history, status.tracked_items(), TODAY) == []
