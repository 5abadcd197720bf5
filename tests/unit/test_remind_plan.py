"""remind/forge.py's plan, in-process (the end-to-end runs against the stand-in are tests/test_remind.py):
what it asks of the forge for each state an issue can be in, and the Markdown it writes."""

from __future__ import annotations

import datetime

import pytest

from liandong.remind import digest, forge
from tests.helpers import REPO

TODAY = datetime.date(2026, 12, 20)
HOUSING = "org-example-dongxing-housing"


@pytest.fixture(scope="module")
def found() -> digest.Reminders:
    return digest.reminders(digest.public_model(REPO, TODAY), TODAY, "https://example.org/liandong/")


def _digest(found: digest.Reminders, unit: str) -> digest.Digest:
    (one,) = [d for d in found.digests if d.unit_id == unit]
    return one


def _issue(number: int, found: digest.Reminders, unit: str = HOUSING, state: str = "open", **change: str) -> forge.Issue:
    d = _digest(found, unit)
    return forge.Issue(number, change.get("title", forge.TITLE.format(name=d.name)), change.get("body", forge.body(d, found)), state)


def test_a_unit_without_an_issue_gets_one_and_an_up_to_date_issue_nothing(found: digest.Reminders) -> None:
    made = forge.plan(found, [], "o/r")
    assert len(made.calls) == len(found.digests) and {c.method for c in made.calls} == {"POST"}
    assert set(made.outcome.values()) == {"新建"}
    kept = forge.plan(found, [_issue(i, found, d.unit_id) for i, d in enumerate(found.digests, 1)], "o/r")
    assert kept.calls == [] and set(kept.outcome.values()) == {"无变化"}


def test_a_changed_body_is_edited_and_only_new_overdue_items_are_commented(found: digest.Reminders) -> None:
    stale = _issue(7, found, body=forge.body(_digest(found, HOUSING), found).replace("overdue=task-0017", "overdue="))
    (edit, note) = forge.plan(found, [stale], "o/r", only=HOUSING).calls
    assert (edit.method, edit.path, set(edit.body or {})) == ("PATCH", "/repos/o/r/issues/7", {"body"})
    assert (note.method, note.path) == ("POST", "/repos/o/r/issues/7/comments")
    assert (note.body or {})["body"].startswith("截至 2026-12-20，以下 1 项新逾期：\n\n- **[某标准厂房项目联合图审和整体评勘]")
    renamed = forge.plan(found, [_issue(7, found, title="旧名称")], "o/r", only=HOUSING)
    assert [(c.method, c.body) for c in renamed.calls] == [("PATCH", {"title": "【催办】东兴市住房和城乡建设局"})]


def test_closed_issues_are_reopened_and_issues_of_units_with_nothing_pending_closed(found: digest.Reminders) -> None:
    closed = _issue(3, found, state="closed")
    (reopen,) = forge.plan(found, [closed], "o/r", only=HOUSING).calls
    assert reopen.body == {"state": "open"} and "重新打开" in reopen.why
    idle = forge.Issue(9, "【催办】某单位", "旧正文\n" + forge.marker("org-idle", ["task-0001"]), "open")
    result = forge.plan(found, [idle], "o/r")
    (close,) = [c for c in result.calls if c.path.endswith("/9")]
    assert close.body is not None and close.body["state"] == "closed" and close.body["state_reason"] == "completed"
    assert "某单位牵头的事项中没有需要提醒的事项" in close.body["body"] and forge.marker("org-idle", []) in close.body["body"]
    assert result.outcome["org-idle"] == "关闭"
    # Closed already, or not ours (no marker), or another unit's when only one is asked for: left alone.
    assert [c for c in forge.plan(found, [forge.Issue(9, "x", idle.body, "closed")], "o/r").calls if c.path.endswith("/9")] == []
    assert [c for c in forge.plan(found, [forge.Issue(5, "【催办】手写", "没有标记", "open")], "o/r").calls if c.path.endswith("/5")] == []
    assert forge.plan(found, [idle], "o/r", only=HOUSING).outcome == {HOUSING: "新建"}


def test_the_oldest_open_issue_of_a_unit_is_the_one_kept(found: digest.Reminders) -> None:
    first, second = _issue(4, found), _issue(8, found, body="另一份\n" + forge.marker(HOUSING, []))
    result = forge.plan(found, [second, first], "o/r", only=HOUSING)
    assert result.calls == [] and result.issues == {HOUSING: 4}


def test_record_text_cannot_mention_or_mark_up() -> None:
    assert digest.text("请 @someone 看 *这里* [链接](x) <b>") == "请 ＠someone 看 \\*这里\\* \\[链接\\](x) \\<b\\>"
    assert digest.text("第一行\n第二行") == "第一行 第二行"


def test_the_body_mentions_the_team_or_says_there_is_none(found: digest.Reminders) -> None:
    body = forge.body(_digest(found, HOUSING), found)
    assert body.startswith("### 东兴市住房和城乡建设局\n\n截至 2026-12-20，")
    assert "请 @liandong-registry/dongxing-gov 关注并督促办理。" in body
    assert body.rstrip().endswith(forge.marker(HOUSING, ["task-0017"]))
    without = digest.Digest("org-x", "某单位", None, [])
    assert "没有登记审核团队" in forge.mention(without)
