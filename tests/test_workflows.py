"""The GitHub workflows: actionlint finds nothing, and the hardening rules hold (GitHub's "Security
hardening for GitHub Actions"): no pull_request_target, a read-only token by default, every
third-party action pinned to a full commit SHA with its version beside it, credentials not kept
after checkout, a timeout on every job, and no ${{ }} expression inside a shell script.

Each checker is also run on a deliberately broken workflow, so a checker that silently finds
nothing would fail here too."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from .helpers import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
_SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
# The `uses:` line itself must name the release: "uses: owner/repo@<sha> # v1.2.3".
_PIN_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)(?:\s+#\s*(?P<version>v\d+\.\d+\.\d+)\b)?")
_EXPRESSION = re.compile(r"\$\{\{")
_READ_ONLY = {"read", "none"}

BROKEN = """\
name: broken
on:
  pull_request_target:
permissions: write-all
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065
      - run: echo "${{ github.event.pull_request.title }}"
      - run: git switch "${{ github.head_ref }}"
"""


def _actionlint() -> str:
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
    if found is None:
        pytest.fail("找不到 actionlint：它是测试依赖，请运行 pip install -e '.[test]'。", pytrace=False)
    return found


def _triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    # PyYAML reads the bare key `on` as the boolean True (YAML 1.1).
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    return dict(on or {})


def _steps(workflow: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(name, step) for name, job in (workflow.get("jobs") or {}).items() for step in (job.get("steps") or [])]


def hardening_problems(text: str, name: str) -> list[str]:
    """Every broken hardening rule in one workflow file, as readable lines (empty when it is sound)."""
    workflow = yaml.safe_load(text)
    problems: list[str] = []
    if "pull_request_target" in _triggers(workflow):
        problems.append(f"{name}: 使用了 pull_request_target（会以仓库权限运行拉取请求的代码），请改用 pull_request")
    top = workflow.get("permissions")
    if top is None:
        problems.append(f"{name}: 缺少顶层 permissions（应为 contents: read，按需在单个作业中提升）")
    elif top != "read-all" and not (isinstance(top, dict) and top and all(v in _READ_ONLY for v in top.values())):
        problems.append(f"{name}: 顶层 permissions 必须只读，现为 {top}")
    for job_name, job in (workflow.get("jobs") or {}).items():
        if "timeout-minutes" not in job:
            problems.append(f"{name}: 作业 {job_name} 没有 timeout-minutes")
        granted = job.get("permissions")
        if isinstance(granted, str) or (isinstance(granted, dict) and granted.get("contents") == "write"):
            problems.append(f"{name}: 作业 {job_name} 的 permissions 过宽：{granted}")
        uses = job.get("uses")  # a reusable workflow
        if isinstance(uses, str) and not uses.startswith("./") and not _SHA_PIN.match(uses):
            problems.append(f"{name}: 作业 {job_name} 的 {uses} 没有固定到 40 位提交哈希")
    for job_name, step in _steps(workflow):
        uses = step.get("uses")
        if isinstance(uses, str) and not uses.startswith("./") and not _SHA_PIN.match(uses):
            problems.append(f"{name}: 作业 {job_name} 的 {uses} 没有固定到 40 位提交哈希")
        if isinstance(uses, str) and uses.startswith("actions/checkout@") and (step.get("with") or {}).get("persist-credentials") is not False:
            problems.append(f"{name}: 作业 {job_name} 的 actions/checkout 缺少 persist-credentials: false")
        run = step.get("run")
        if isinstance(run, str) and _EXPRESSION.search(run):
            problems.append(f"{name}: 作业 {job_name} 的 run 脚本中直接使用了 ${{{{ }}}} 表达式（可被注入）；请经 env: 传入")
    for number, line in enumerate(text.splitlines(), 1):
        match = _PIN_LINE.match(line)
        if match and not match["ref"].startswith("./") and _SHA_PIN.match(match["ref"]) and not match["version"]:
            problems.append(f"{name}:{number}: {match['ref']} 后面缺少版本注释（# vX.Y.Z）")
    return problems


def test_there_are_workflows() -> None:
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "pages.yml"}


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_is_hardened(workflow: Path) -> None:
    assert hardening_problems(workflow.read_text(encoding="utf-8"), workflow.name) == []


def test_hardening_check_finds_each_broken_rule() -> None:
    problems = "\n".join(hardening_problems(BROKEN, "broken.yml"))
    assert "pull_request_target" in problems
    assert "顶层 permissions 必须只读" in problems
    assert "作业 build 没有 timeout-minutes" in problems
    assert "actions/checkout@v4 没有固定到 40 位提交哈希" in problems
    assert "persist-credentials: false" in problems
    assert problems.count("run 脚本中直接使用了") == 2
    assert "broken.yml:10: actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065 后面缺少版本注释" in problems


def test_workflows_pass_actionlint() -> None:
    done = subprocess.run([_actionlint(), "-no-color", "-oneline", *map(str, WORKFLOWS)],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_reports_a_broken_workflow(tmp_path: Path) -> None:
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "broken.yml").write_text(BROKEN, encoding="utf-8")
    done = subprocess.run([_actionlint(), "-no-color", "-oneline", ".github/workflows/broken.yml"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert '.github/workflows/broken.yml:11:24: "github.event.pull_request.title" is potentially untrusted' in done.stdout
