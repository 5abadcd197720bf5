"""The scheduled workflows (#15): each schedule in a file of its own, so that GitHub disabling one
after 60 quiet days never stops pages.yml from publishing on push; the reminder workflow runs
`liandong remind` daily at 08:30 Beijing time and on dispatch, on the default branch only, with a
token that may write issues and nothing else, and no other secret in that job. (Hardening and
actionlint are checked for every workflow by test_workflows.py; each rule here is also broken on
purpose, so a check that finds nothing would fail.)"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from .helpers import REPO
from .test_workflows import WORKFLOWS, _triggers

FOLDER = REPO / ".github" / "workflows"
REMIND_JOB = "issues"
ROBOT_JOB = "robot"


def _load(name: str) -> dict[str, Any]:
    return yaml.safe_load((FOLDER / name).read_text(encoding="utf-8"))


def schedule_problems(workflows: dict[str, dict[str, Any]]) -> list[str]:
    """Every workflow with a schedule has nothing else that runs it on its own (push, pull_request…):
    only workflow_dispatch may sit beside a schedule."""
    problems = []
    for name, workflow in sorted(workflows.items()):
        triggers = set(_triggers(workflow))
        if "schedule" in triggers and triggers - {"schedule", "workflow_dispatch"}:
            problems.append(f"{name}: 定时任务与 {sorted(triggers - {'schedule', 'workflow_dispatch'})} 在同一个工作流中（60 天无活动被停用时会一起停掉）")
    return problems


def _steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job.get("steps") or [])


def remind_problems(workflow: dict[str, Any]) -> list[str]:
    problems = []
    triggers = _triggers(workflow)
    if set(triggers) != {"schedule", "workflow_dispatch"}:
        problems.append(f"触发条件应为 schedule 和 workflow_dispatch，现在：{sorted(triggers)}")
    crons = [entry.get("cron") for entry in triggers.get("schedule") or []]
    if crons != ["30 0 * * *"]:
        problems.append(f"应每天北京时间 08:30（UTC 00:30）运行一次，现在：{crons}")
    if workflow.get("permissions") != {}:
        problems.append(f"顶层 permissions 应为 {{}}，现在：{workflow.get('permissions')}")
    if "concurrency" not in workflow:
        problems.append("缺少 concurrency")
    jobs = workflow.get("jobs") or {}
    job = jobs.get(REMIND_JOB) or {}
    if job.get("permissions") != {"issues": "write"}:
        problems.append(f"作业 {REMIND_JOB} 的权限应只有 issues: write，现在：{job.get('permissions')}")
    condition = str(job.get("if", ""))
    if "github.event.repository.default_branch" not in condition:
        problems.append(f"作业 {REMIND_JOB} 应只在默认分支上运行")
    text = yaml.safe_dump(job, allow_unicode=True)
    if "secrets." in text:
        problems.append(f"作业 {REMIND_JOB} 不应使用任何 secret（令牌是 github.token）")
    runs = [str(s.get("run", "")) for s in _steps(job)]
    if not any('liandong remind --forge-api "$GITHUB_API_URL"' in run for run in runs):
        problems.append(f"作业 {REMIND_JOB} 没有运行 liandong remind --forge-api")
    for name, other in jobs.items():
        if name == REMIND_JOB:
            continue
        if other.get("permissions") != {}:
            problems.append(f"作业 {name} 不需要令牌权限，permissions 应为 {{}}，现在：{other.get('permissions')}")
        if "vars.LIANDONG_ROBOT" not in str(other.get("if", "")):
            problems.append(f"作业 {name} 应默认不运行（只在设置了 LIANDONG_ROBOT 时）")
    return problems


def test_each_schedule_is_a_workflow_of_its_own() -> None:
    workflows = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in WORKFLOWS}
    assert schedule_problems(workflows) == []
    scheduled = sorted(name for name, w in workflows.items() if "schedule" in _triggers(w))
    assert scheduled == ["pages-nightly.yml", "remind.yml"]
    broken = copy.deepcopy(workflows)
    broken["pages.yml"][True]["schedule"] = [{"cron": "7 16 * * *"}]  # pages.yml as it was: push and the nightly schedule together
    (problem,) = schedule_problems(broken)
    assert problem == "pages.yml: 定时任务与 ['push', 'workflow_call'] 在同一个工作流中（60 天无活动被停用时会一起停掉）"


def test_the_nightly_rebuild_calls_the_publishing_workflow() -> None:
    nightly, pages = _load("pages-nightly.yml"), _load("pages.yml")
    assert [entry["cron"] for entry in _triggers(nightly)["schedule"]] == ["7 16 * * *"]  # 00:07 Beijing time, as before
    assert set(_triggers(pages)) == {"push", "workflow_dispatch", "workflow_call"}
    (job,) = nightly["jobs"].values()
    assert job["uses"] == "./.github/workflows/pages.yml" and nightly["permissions"] == {}
    # The caller grants what the called jobs ask for, and no more.
    needed: dict[str, str] = {}
    for called in pages["jobs"].values():
        for scope, level in (called.get("permissions") or {}).items():
            needed[scope] = "write" if "write" in (level, needed.get(scope)) else level
    granted = job["permissions"]
    assert set(granted) == set(needed) | {"contents"} and all(granted[s] == "write" or needed.get(s, "read") == "read" for s in granted)
    assert nightly["concurrency"]["group"] != pages["concurrency"]["group"]


def test_the_reminder_workflow_holds_least_privilege() -> None:
    assert remind_problems(_load("remind.yml")) == []


def _more_permission(w: dict[str, Any]) -> None:
    w["jobs"][REMIND_JOB]["permissions"]["contents"] = "write"


def _top_permission(w: dict[str, Any]) -> None:
    w["permissions"] = {"issues": "write"}


def _a_secret(w: dict[str, Any]) -> None:
    w["jobs"][REMIND_JOB]["steps"][-1]["env"]["PAT"] = "${{ secrets.PAT }}"


def _any_branch(w: dict[str, Any]) -> None:
    w["jobs"][REMIND_JOB].pop("if")


def _on_push(w: dict[str, Any]) -> None:
    w[True]["push"] = None


def _robot_by_default(w: dict[str, Any]) -> None:
    w["jobs"][ROBOT_JOB]["if"] = "${{ github.event_name == 'schedule' }}"


def _robot_with_token(w: dict[str, Any]) -> None:
    w["jobs"][ROBOT_JOB]["permissions"] = {"issues": "write"}


def _hourly(w: dict[str, Any]) -> None:
    w[True]["schedule"] = [{"cron": "0 * * * *"}]


BREAKS = [
    (_more_permission, "权限应只有 issues: write"),
    (_top_permission, "顶层 permissions 应为 {}"),
    (_a_secret, "不应使用任何 secret"),
    (_any_branch, "应只在默认分支上运行"),
    (_on_push, "触发条件应为 schedule 和 workflow_dispatch"),
    (_robot_by_default, "应默认不运行"),
    (_robot_with_token, "不需要令牌权限"),
    (_hourly, "应每天北京时间 08:30"),
]


@pytest.mark.parametrize(("break_it", "expected"), BREAKS, ids=[f.__name__.strip("_") for f, _ in BREAKS])
def test_the_reminder_check_finds_each_broken_rule(break_it: Any, expected: str) -> None:
    workflow = _load("remind.yml")
    broken = copy.deepcopy(workflow)
    break_it(broken)
    assert broken != workflow
    problems = remind_problems(broken)
    assert any(expected in p for p in problems), problems


def test_the_readme_says_how_to_keep_the_schedules_alive() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### 催办提醒", 1)[1].split("\n## ", 1)[0]
    for needed in ("60 天", "Enable workflow", "remind.yml", "pages-nightly.yml", "LIANDONG_SITE_URL", "issues: write"):
        assert needed in section, needed


def test_the_workflow_files_named_here_exist() -> None:
    assert all((FOLDER / name).is_file() for name in ("remind.yml", "pages-nightly.yml", "pages.yml"))
    assert Path(FOLDER / "remind.yml") in WORKFLOWS
