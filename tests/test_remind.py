"""`liandong remind` (#15) end to end: the real command in a child process on a copy of the bundled
registry, against a stand-in of GitHub's issue endpoints on 127.0.0.1 (tests/standins.py).

Checked: one issue per unit titled 【催办】<unit>, whose body is the unit's digest and mentions its
reviewer team; a second run the same day sends nothing; a later day edits bodies and comments only
on what became overdue since; a unit with nothing pending has its issue closed, and reopened when
something is pending again; --dry-run reads and prints but writes nothing; the token never shows;
the run's summary says how to keep the scheduled workflows alive. And the digests agree with the
site's own overdue and due-soon lists (the home page of the same day)."""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from liandong.model.model import Model
from liandong.remind import forge
from liandong.site.render import Renderer
from liandong.validation.pipeline import validate

from .helpers import REPO, Git, clean_env, make_repo
from .standins import StandInForge, StandInRobot, serving

pytestmark = pytest.mark.slow

TOKEN = "ghs_standin-token-7f3a9c"
HOUSING = "org-example-dongxing-housing"
TITLE = "【催办】东兴市住房和城乡建设局"
SITE = "https://example.org/liandong/"


def _project(root: Path, commit_date: str | None = None) -> Path:
    make_repo(root, REPO / "registry")
    (root / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    if commit_date is not None:
        Git(root).commit("登记册", date=commit_date)
    return root


def remind(root: Path, *args: str, token: str | None = TOKEN, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in clean_env().items() if not k.startswith("GITHUB_")} | (env or {})
    if token is not None:
        environment["GITHUB_TOKEN"] = token
    return subprocess.run(
        [sys.executable, "-m", "liandong", "remind", "--root", str(root), *args], capture_output=True, text=True, timeout=120, env=environment, cwd=root
    )


def sync(root: Path, service: StandInForge, today: str, *extra: str, **kw: Any) -> subprocess.CompletedProcess[str]:
    done = remind(root, "--today", today, "--forge-api", service.url, "--repo", service.repo, "--site-url", SITE, *extra, **kw)
    assert TOKEN not in done.stdout + done.stderr
    return done


def _issue(service: StandInForge, title: str) -> dict[str, Any]:
    (found,) = [i for i in service.issues if i["title"] == title]
    return found


def _units(root: Path, today: str) -> dict[str, list[str]]:
    done = remind(root, "--today", today, "--format", "json", "--site-url", SITE)
    assert done.returncode == 0, done.stderr
    return {u["name"]: [i["id"] for i in u["items"]] for u in json.loads(done.stdout)["units"]}


def _complete(root: Path, task: str, date: str) -> None:
    path = root / "registry" / "tasks" / f"{task}.yaml"
    text = path.read_text(encoding="utf-8").replace("status: in_progress", "status: completed")
    path.write_text(text + f"completion:\n  date: {date}\n  result: 已完成联合图审和整体评勘。\n", encoding="utf-8")


def test_issues_are_opened_updated_commented_closed_and_never_duplicated(tmp_path: Path) -> None:
    root = _project(tmp_path / "repo")
    service = StandInForge(TOKEN)
    with serving(service):
        units = _units(root, "2026-12-20")
        first = sync(root, service, "2026-12-20")
        assert first.returncode == 0, first.stderr
        # One issue per unit with something pending, labelled, the label created first.
        assert sorted(i["title"] for i in service.issues) == sorted(f"【催办】{name}" for name in units)
        assert [(r.method, r.path) for r in service.writes()][:1] == [("POST", f"/repos/{service.repo}/labels")]
        assert all([lab["name"] for lab in i["labels"]] == [forge.LABEL] for i in service.issues)
        housing = _issue(service, TITLE)
        body = housing["body"]
        assert "### 到期催办：逾期未办结（1 项）" in body
        assert f"[某标准厂房项目联合图审和整体评勘]({SITE}tasks/task-0017/)" in body
        assert "  - 逾期 20 天：办理时限 2026-11-30，至 2026-12-20 未办结" in body
        assert "请 @liandong-registry/dongxing-gov 关注并督促办理。" in body  # the parent's team (东兴市人民政府)
        assert f"<!-- liandong-remind unit={HOUSING} overdue=task-0017 -->" in body
        assert "POST /repos/liandong-registry/registry/issues  新建议题 【催办】东兴市住房和城乡建设局" in first.stdout

        # The same day again: read, and nothing else.
        before = len(service.requests)
        again = sync(root, service, "2026-12-20")
        assert again.returncode == 0, again.stderr
        assert [r.method for r in service.requests[before:]] == ["GET"]
        assert "个单位的催办议题，0 个已修改。" in again.stderr

        # The next day: every body says the new date; nothing new is overdue, so no comment.
        before = len(service.requests)
        assert sync(root, service, "2026-12-21").returncode == 0
        later = service.requests[before:]
        assert {r.method for r in later} == {"GET", "PATCH"} and not service.comments
        assert "逾期 21 天" in _issue(service, TITLE)["body"]

        # 2027-01-01: deadlines of 2026-12-31 have passed. Their units' issues get one comment each,
        # naming only what is newly overdue; a unit without an issue gets one.
        before_issues = {i["title"]: i["number"] for i in service.issues}
        assert sync(root, service, "2027-01-01").returncode == 0
        resources = _issue(service, "【催办】东兴市自然资源局")
        (said,) = service.comments[resources["number"]]
        assert said.startswith("截至 2027-01-01，以下 2 项新逾期：")
        assert "task-0018" in said and "coord-0002" in said and "task-0013" not in said  # task-0013 was overdue already
        assert housing["number"] not in service.comments
        assert {i["title"]: i["number"] for i in service.issues if i["title"] in before_issues} == before_issues  # no second issue

        # task-0017 is completed: its unit has nothing left, so its issue is closed (and stays closed).
        _complete(root, "task-0017", "2026-12-30")
        assert sync(root, service, "2027-01-01").returncode == 0
        housing = _issue(service, TITLE)
        assert housing["state"] == "closed" and "没有需要提醒的事项，本议题自动关闭" in housing["body"]
        before = len(service.requests)
        assert sync(root, service, "2027-01-01").returncode == 0
        assert [r.method for r in service.requests[before:]] == ["GET"]
        # Reopened (not a second issue) when the unit has something pending again, with a comment on it.
        task = root / "registry/tasks/task-0017.yaml"
        task.write_text(task.read_text(encoding="utf-8").replace("status: completed", "status: in_progress").split("completion:")[0], encoding="utf-8")
        assert sync(root, service, "2027-01-01").returncode == 0
        housing = _issue(service, TITLE)
        assert housing["state"] == "open" and len(service.comments[housing["number"]]) == 1
        assert len([i for i in service.issues if i["title"] == TITLE]) == 1


def test_dry_run_prints_the_calls_and_writes_nothing(tmp_path: Path) -> None:
    root = _project(tmp_path / "repo")
    service = StandInForge(TOKEN)
    with serving(service):
        done = sync(root, service, "2026-12-20", "--dry-run")
    assert done.returncode == 0, done.stderr
    assert service.writes() == [] and [r.method for r in service.requests] == ["GET"]
    lines = done.stdout.splitlines()
    assert lines[0] == f"GET /repos/{service.repo}/issues?labels=催办&state=all  读取带 “催办” 标签的议题"
    assert f"（试运行，未发送）POST /repos/{service.repo}/issues  新建议题 {TITLE}" in lines
    payload = json.loads(lines[lines.index(f"（试运行，未发送）POST /repos/{service.repo}/issues  新建议题 {TITLE}") + 1])
    assert payload["title"] == TITLE and payload["labels"] == ["催办"] and "task-0017" in payload["body"]
    # Without a token a dry run still reads (a public repository's issues need none); a real run refuses.
    public = StandInForge("")
    with serving(public):
        assert remind(root, "--today", "2026-12-20", "--forge-api", public.url, "--repo", public.repo, token=None).returncode == 2


def test_errors_name_the_request_and_never_the_token(tmp_path: Path) -> None:
    root = _project(tmp_path / "repo")
    service = StandInForge(TOKEN, fail={("POST", r".*/issues"): 500})
    with serving(service):
        done = sync(root, service, "2026-12-20")
        assert done.returncode == 2
        assert f"POST /repos/{service.repo}/issues 失败：HTTP 500：Server Error" in done.stderr
        wrong = sync(root, service, "2026-12-20", token="ghs_wrong-token")
    assert wrong.returncode == 2 and "HTTP 401：Bad credentials（请检查 GITHUB_TOKEN" in wrong.stderr
    assert "ghs_wrong-token" not in wrong.stdout + wrong.stderr
    assert "Traceback" not in done.stderr + wrong.stderr


def test_the_summary_says_how_to_keep_the_schedules_alive(tmp_path: Path) -> None:
    root = _project(tmp_path / "repo", commit_date="2026-11-01T09:00:00+0800")
    service = StandInForge(TOKEN)
    summary = tmp_path / "summary.md"
    with serving(service):
        done = sync(root, service, "2026-12-20", "--summary-file", str(summary), env={"GITHUB_ACTIONS": "true"})
    assert done.returncode == 0, done.stderr
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## 催办提醒（截至 2026-12-20）\n\n| 单位 | 议题 | 本次 |")
    assert f"| 东兴市住房和城乡建设局（`{HOUSING}`） | #" in text and "| 新建 |" in text
    assert "注意：仓库最近一次提交在 2026-11-01（49 天前）。公开仓库连续 60 天没有活动，GitHub 会停用定时工作流，再过 11 天" in text
    assert "Enable workflow" in text
    assert "::warning title=定时工作流即将被停用::注意：仓库最近一次提交在 2026-11-01（49 天前）" in done.stdout
    fresh = forge.keepalive(datetime.datetime(2026, 12, 19, 9, tzinfo=datetime.UTC), datetime.date(2026, 12, 20))
    assert fresh[1] is False and fresh[0].startswith("定时工作流：仓库最近一次提交在 2026-12-19（1 天前）。")


def _site_lists(root: Path, today: datetime.date) -> tuple[set[str], set[str]]:
    """The ids in the home page's overdue and due-soon lists, as the site renders them."""
    result = validate(root, today=today)
    model = Model.build(result.schemas, result.valid).public()
    (home,) = [p.text for p in Renderer(model, today).pages() if p.path == "index.md"]

    def ids(section: str) -> set[str]:
        match = re.search(rf'<h2 id="{section}">.*?(?=<h2 )', home, re.S)
        return set(re.findall(r'href="[^"]*?/?(?:tasks|coordination)/([a-z0-9-]+)/"', match[0])) if match else set()

    return ids("overdue"), ids("due-soon")


@pytest.mark.parametrize("today", ["2026-12-20", "2026-12-29"])
def test_the_digests_match_the_site_s_overdue_and_due_soon_lists(tmp_path: Path, today: str) -> None:
    root = _project(tmp_path / "repo")
    done = remind(root, "--today", today, "--format", "json")
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    states: dict[str, set[str]] = {}
    for unit in found["units"]:
        for item in unit["items"]:
            for state in item["states"]:
                states.setdefault(state["code"], set()).add(item["id"])
    overdue, due_soon = _site_lists(root, datetime.date.fromisoformat(today))
    assert states.get("overdue", set()) == overdue and overdue
    assert states.get("due-soon", set()) == due_soon
    assert bool(due_soon) is (today == "2026-12-29")
    # Facts, no scores: nothing but the states, their labels and explanations.
    assert not re.search(r"排名|得分|分数|score|rank", done.stdout)


def test_markdown_digest_of_one_unit_and_without_a_site_address(tmp_path: Path) -> None:
    root = _project(tmp_path / "repo")
    done = remind(root, "--today", "2026-12-20", "--unit", HOUSING)
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "# 催办提醒（截至 2026-12-20）\n\n"
        "逾期、即将到期、未签收、无进展和待答复的状态都按当天自动计算，说明与网站相同；按单位编号排列，不作排名。\n\n"
        "网站地址未配置（设置环境变量 LIANDONG_SITE_URL 或 mkdocs.yml 的 site_url），各项不带链接，只列编号。\n\n"
        "## 东兴市住房和城乡建设局\n\n"
        "截至 2026-12-20，东兴市住房和城乡建设局牵头的事项中，以下 1 项需要关注。\n\n"
        "### 到期催办：逾期未办结（1 项）\n\n"
        "- **某标准厂房项目联合图审和整体评勘**（督办任务 `task-0017`，示例）\n"
        "  - 逾期 20 天：办理时限 2026-11-30，至 2026-12-20 未办结\n"
        "  - 44 天无进展：最近一次进度 2026-11-06，超过 30 天未更新\n"
    )
    linked = remind(root, "--today", "2026-12-20", "--unit", HOUSING, env={"LIANDONG_SITE_URL": "https://example.org/site"})
    assert "**[某标准厂房项目联合图审和整体评勘](https://example.org/site/tasks/task-0017/)**" in linked.stdout
    unknown = remind(root, "--today", "2026-12-20", "--unit", "org-nobody")
    assert unknown.returncode == 2 and "没有编号为 “org-nobody” 的公开单位记录" in unknown.stderr


def test_robots_get_the_digests_signed(tmp_path: Path) -> None:
    root = _project(tmp_path / "repo")
    secret = "SEC-standin-secret"
    robot = StandInRobot("dingtalk", secret)
    with serving(robot):
        hook = f"{robot.url}/robot/send?access_token=standin"
        done = remind(root, "--today", "2026-12-20", "--robot", "dingtalk", token=None, env={"LIANDONG_ROBOT_WEBHOOK": hook, "LIANDONG_ROBOT_SECRET": secret})
    assert done.returncode == 0, done.stderr
    assert robot.refused == [] and len(robot.messages) == 1
    text = robot.messages[0]["markdown"]["text"]
    assert text.startswith("# 催办提醒（截至 2026-12-20）") and "## 东兴市住房和城乡建设局" in text
    assert secret not in done.stdout + done.stderr and "access_token" not in done.stdout + done.stderr
    wrong = StandInRobot("dingtalk", "another-secret")
    with serving(wrong):
        env = {"LIANDONG_ROBOT_WEBHOOK": f"{wrong.url}/robot/send?access_token=x", "LIANDONG_ROBOT_SECRET": secret}
        refused = remind(root, "--today", "2026-12-20", "--robot", "dingtalk", token=None, env=env)
    assert refused.returncode == 2 and "sign not match" in refused.stderr and secret not in refused.stderr
    wecom = StandInRobot("wecom")
    with serving(wecom):
        done = remind(root, "--today", "2026-12-20", "--robot", "wecom", token=None, env={"LIANDONG_ROBOT_WEBHOOK": f"{wecom.url}/cgi-bin/webhook/send?key=k"})
    assert done.returncode == 0, done.stderr
    assert all(len(m["markdown"]["content"].encode()) <= 4096 for m in wecom.messages)
    assert "## 东兴市住房和城乡建设局" in "".join(m["markdown"]["content"] for m in wecom.messages)


def test_robot_messages_split_between_units_within_the_limit(tmp_path: Path) -> None:
    from liandong.remind import digest, robots

    today = datetime.date(2027, 1, 1)
    found = digest.reminders(digest.public_model(_project(tmp_path / "repo"), today), today, SITE)
    small = robots.Robot("wecom", "企业微信群机器人", 1_200, False)
    parts = robots.messages(found, small)
    assert len(parts) > 1 and all(len(p.encode()) <= small.limit for p in parts)
    assert all(p.startswith("# 催办提醒（截至 2027-01-01）\n") for p in parts)
    for d in found.digests:  # each unit's digest whole in one message, unless it alone is too long
        assert sum(f"## {d.name}\n" in p for p in parts) == 1


def test_the_command_reads_no_forge_without_being_asked(tmp_path: Path) -> None:
    """GITHUB_API_URL is set in every Actions job: it alone never makes remind talk to the forge."""
    root = _project(tmp_path / "repo")
    done = remind(root, "--today", "2026-12-20", env={"GITHUB_API_URL": "http://127.0.0.1:9", "GITHUB_REPOSITORY": "o/r"})
    assert done.returncode == 0 and done.stdout.startswith("# 催办提醒")
    assert os.environ.get("GITHUB_TOKEN") != TOKEN
