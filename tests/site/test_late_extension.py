"""A task extended only after its deadline had lapsed, on the built site: the record page keeps the
lapse visible (曾逾期, judged 逾期办结 against the deadline that lapsed) and shows who approved the
late request and why; the report lists open items extended after their deadline ran out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ..helpers import write
from .conftest import TODAY, case_project, liandong

# A full build.
pytestmark = pytest.mark.slow


CASE = "valid/late-extension-approved"


def _text(page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    body = html[html.index("<article") :]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_a_late_extension_keeps_the_lapse_on_the_record_page_and_in_the_report(tmp_path: Path) -> None:
    root = case_project(tmp_path / "project", CASE)
    open_task = (root / "registry/tasks/task-0001.yaml").read_text(encoding="utf-8")
    open_task = open_task.replace("id: task-0001", "id: task-0002").replace("status: closed", "status: extended")
    open_task = open_task[: open_task.index("completion:")]
    write(root, "registry/tasks/task-0002.yaml", open_task)
    out = tmp_path / "out"
    result = liandong(root, "build", "--today", TODAY, "-o", str(out))
    assert result.returncode == 0, result.stderr

    closed = _text(out / "tasks/task-0001/index.html")
    assert "曾逾期 8 天" in closed
    assert "办理时限 2024-06-30 到期后，2024-07-08 才申请延期（经批准延至 2024-09-30）" in closed
    assert "逾期办结（晚 112 天）" in closed and "按期办结" not in closed
    assert "逾期后申请" in closed and "经督办单位同意补办延期手续" in closed

    report = _text(out / "report/index.html")
    row = report[report.index("曾逾期天数") :]
    assert "2024-06-30 2024-07-08 8 天 2024-10-31" in row
