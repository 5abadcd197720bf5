"""Every history list (x-append-only) is told on the built site as new entries: a reminder
appended in a commit reads 新增催办记录 with its date, text and unit, not "修改：催办记录"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ..helpers import Git
from .conftest import TODAY, case_project, liandong

# A full build.
pytestmark = pytest.mark.slow


CASE = "valid/late-extension-approved"
REMINDER = "reminders:\n  - date: 2024-07-02\n    by: org-b\n    text: 该事项已超过办理时限，请书面报送办理情况。\n"


def test_an_appended_reminder_is_a_new_entry_on_the_record_timeline(tmp_path: Path) -> None:
    root = case_project(tmp_path / "project", CASE)
    task = root / "registry/tasks/task-0001.yaml"
    text = task.read_text(encoding="utf-8")
    assert REMINDER in text
    git = Git(root)
    git.commit("登记", files={"registry/tasks/task-0001.yaml": text.replace(REMINDER, "")})
    git.commit("催办", files={"registry/tasks/task-0001.yaml": text})
    out = tmp_path / "out"
    result = liandong(root, "build", "--today", TODAY, "-o", str(out))
    assert result.returncode == 0, result.stderr
    html = (out / "tasks/task-0001/index.html").read_text(encoding="utf-8")
    history = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[html.index("修改历史") :]))
    assert "新增催办记录：2024-07-02 该事项已超过办理时限，请书面报送办理情况。（ 督办单位 ）" in history
    assert "修改：催办记录" not in history
