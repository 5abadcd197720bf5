"""The GitHub workflows: actionlint finds nothing, and the hardening rules hold (GitHub's "Security
hardening for GitHub Actions"): no pull_request_target, a read-only token by default, every
third-party action pinned to a full commit SHA with its version beside it, credentials not kept
after checkout, a timeout on every job, and no ${{ }} expression inside a shell script.

In ci.yml the checks that guard the merge (validate and check-changes) run in the `gate` job with
liandong installed from a second checkout of the pull request's base into its own venv, called by
absolute path, and nothing from the code under review is installed or run in that job.

Each checker is also run on a deliberately broken workflow, so a checker that silently finds
nothing would fail here too."""

from __future__ import annotations

import copy
import re
import shlex
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
    elif top != "read-all" and not (isinstance(top, dict) and all(v in _READ_ONLY for v in top.values())):  # {}: none at all
        problems.append(f"{name}: 顶层 permissions 必须只读，现为 {top}")
    for job_name, job in (workflow.get("jobs") or {}).items():
        # A job that calls a reusable workflow cannot have a timeout (GitHub refuses one): the called jobs have theirs.
        if "timeout-minutes" not in job and "uses" not in job:
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


# The gate: job id, the venv its liandong is installed in, and the refs a base checkout may use.
GATE_JOB = "gate"
GATE_VENV = "$RUNNER_TEMP/gate"
GATE_LIANDONG = f"{GATE_VENV}/bin/liandong"
BASE_REFS = {"${{ github.event.pull_request.base.sha }}", "${{ github.base_ref }}"}
GATE_COMMANDS = ("validate", "check-changes")
_SHELL_TRICKS = re.compile(r"[;&|`<>]|\$\(")
# Environment variables that would make the gate's Python import or run something else.
_HIJACKING_ENV = re.compile(r"^(PATH|PYTHON\w*|VIRTUAL_ENV|LD_\w+|PIP_\w+)$")


def _commands(run: str) -> list[str]:
    return [line.strip() for line in run.splitlines() if line.strip() and not line.strip().startswith("#")]


def _option(words: list[str], name: str) -> str | None:
    return words[words.index(name) + 1] if name in words[:-1] else None


def gate_problems(workflow: dict[str, Any]) -> list[str]:
    """Every way ci.yml's gate could be run by the code under review, as readable lines (empty when
    validate and check-changes run only from the base checkout's own venv)."""
    jobs = workflow.get("jobs") or {}
    problems: list[str] = []
    running = sorted({name for name, step in _steps(workflow) if isinstance(step.get("run"), str) and re.search(r"\bcheck-changes\b", step["run"])})
    if running != [GATE_JOB]:
        problems.append(f"check-changes 应只在作业 {GATE_JOB} 中运行，现在在：{running}")
    job = jobs.get(GATE_JOB)
    if not isinstance(job, dict):
        return problems + [f"缺少作业 {GATE_JOB}"]
    if "github.event_name == 'pull_request'" not in str(job.get("if", "")):
        problems.append(f"作业 {GATE_JOB} 应只在拉取请求中运行（if: ${{{{ github.event_name == 'pull_request' }}}}）")
    for where, env in (
        ("工作流", workflow.get("env")),
        (f"作业 {GATE_JOB}", job.get("env")),
        *((f"步骤 {step.get('name')}", step.get("env")) for step in job.get("steps") or []),
    ):
        for key in env or {}:
            if _HIJACKING_ENV.match(str(key)):
                problems.append(f"{where} 设置了 {key}，可能让关口运行别的代码")
    steps = list(job.get("steps") or [])
    checkouts = [(i, s.get("with") or {}) for i, s in enumerate(steps) if str(s.get("uses", "")).startswith("actions/checkout@")]
    bases = [(i, w) for i, w in checkouts if w.get("ref") in BASE_REFS]
    heads = [(i, w) for i, w in checkouts if "ref" not in w]
    if len(bases) != 1 or len(heads) != 1 or len(checkouts) != 2:
        refs = " 或 ".join(sorted(BASE_REFS))
        return problems + [f"作业 {GATE_JOB} 应恰好检出两次：拉取请求（不指定 ref）和目标分支（ref: {refs}）"]
    (base_at, base), (_, head) = bases[0], heads[0]
    gate_dir, pr_dir = str(base.get("path", "")).strip("/"), str(head.get("path", "")).strip("/")
    if not gate_dir or not pr_dir or gate_dir in (".", pr_dir) or pr_dir == "." or gate_dir.startswith(pr_dir + "/") or pr_dir.startswith(gate_dir + "/"):
        problems.append(f"两次检出须放在互不包含的子目录（path:），现在：拉取请求 {pr_dir or '.'}，目标分支 {gate_dir or '.'}")
    for what, checkout in (("目标分支", base), ("拉取请求", head)):
        if checkout.get("persist-credentials") is not False:
            problems.append(f"{what}的检出缺少 persist-credentials: false")
    if head.get("fetch-depth") != 0:
        problems.append("拉取请求的检出须 fetch-depth: 0（变更检查要找分叉点）")
    for step in steps:
        uses = str(step.get("uses", ""))
        if uses and not uses.startswith(("actions/checkout@", "actions/setup-python@")):
            problems.append(f"作业 {GATE_JOB} 不应使用 {uses}（只需检出和安装 Python）")
    installed_at: int | None = None
    ran: dict[str, int] = {}
    allowed = {
        ("python", "-m", "venv", GATE_VENV),
        (f"{GATE_VENV}/bin/python", "-m", "pip", "install", "--upgrade", "pip"),
    }
    gate_install = (f"{GATE_VENV}/bin/python", "-m", "pip", "install", f"$GITHUB_WORKSPACE/{gate_dir}")
    for i, step in enumerate(steps):
        run = step.get("run")
        if not isinstance(run, str):
            continue
        if _EXPRESSION.search(run):
            problems.append(f"步骤 {step.get('name')} 的 run 中有 ${{{{ }}}} 表达式")
        for line in _commands(run):
            if _SHELL_TRICKS.search(line):
                problems.append(f"作业 {GATE_JOB} 的命令只能是单条简单命令：{line}")
                continue
            words = shlex.split(line)
            if tuple(words) in allowed:
                continue
            if tuple(words) == gate_install:
                installed_at = i
                continue
            if words[:1] == [GATE_LIANDONG] and words[1:2] and words[1] in GATE_COMMANDS:
                if _option(words, "--root") != f"$GITHUB_WORKSPACE/{pr_dir}":
                    problems.append(f'{words[1]} 须以 --root "$GITHUB_WORKSPACE/{pr_dir}" 检查拉取请求：{line}')
                ran[words[1]] = i
                continue
            problems.append(f"作业 {GATE_JOB} 中不允许的命令：{line}（关口只安装目标分支的代码，并按绝对路径 {GATE_LIANDONG} 调用）")
    if installed_at is None:
        problems.append(f"作业 {GATE_JOB} 没有把目标分支的检出安装进 {GATE_VENV}：{shlex.join(gate_install)}")
    elif installed_at < base_at:
        problems.append("安装关口的步骤在目标分支检出之前")
    for command in GATE_COMMANDS:
        if command not in ran:
            problems.append(f"作业 {GATE_JOB} 没有用 {GATE_LIANDONG} 运行 {command}")
        elif installed_at is not None and ran[command] < installed_at:
            problems.append(f"{command} 在关口安装之前运行")
    return problems


def _ci() -> dict[str, Any]:
    return yaml.safe_load((REPO / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))


def _gate_step(workflow: dict[str, Any], command: str) -> dict[str, Any]:
    (step,) = [s for s in workflow["jobs"][GATE_JOB]["steps"] if f" {command} " in f" {s.get('run', '')} "]
    return step


# ci.yml as it was before the gate: one job installs the pull request's code and runs check-changes with it.
UNGATED = """\
on: [push, pull_request]
permissions:
  contents: read
jobs:
  check:
    runs-on: ubuntu-latest
    timeout-minutes: 60
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
        with:
          fetch-depth: 0
          persist-credentials: false
      - run: python -m pip install -e '.[test]'
      - run: liandong validate --format github
      - env:
          BASE_REF: ${{ github.base_ref }}
        run: liandong check-changes --base "origin/$BASE_REF" --format github
"""


def test_ci_gate_runs_only_the_base_code() -> None:
    assert gate_problems(_ci()) == []


def test_ci_gate_steps_call_the_base_venv_by_absolute_path() -> None:
    workflow = _ci()
    job = workflow["jobs"][GATE_JOB]
    (base,) = [s["with"] for s in job["steps"] if s.get("with", {}).get("ref")]
    assert base["ref"] == "${{ github.event.pull_request.base.sha }}"
    assert base["persist-credentials"] is False and base["path"] == "gate"
    for command in GATE_COMMANDS:
        words = shlex.split(_gate_step(workflow, command)["run"])
        assert words[:2] == [GATE_LIANDONG, command]
        assert _option(words, "--root") == "$GITHUB_WORKSPACE/pr"
    assert _option(shlex.split(_gate_step(workflow, "check-changes")["run"]), "--base") == "origin/$BASE_REF"
    assert _gate_step(workflow, "check-changes")["env"] == {"BASE_REF": "${{ github.base_ref }}"}
    for _, step in _steps(workflow):
        assert "${{" not in str(step.get("run", ""))
    # Nothing in the gate job installs the code under review (the `check` job does, on its own runner).
    runs = " ".join(str(s.get("run", "")) for s in job["steps"])
    assert "pip install -e" not in runs and "/pr" not in runs.replace('--root "$GITHUB_WORKSPACE/pr"', "")


def test_gate_check_finds_the_ungated_workflow() -> None:
    problems = gate_problems(yaml.safe_load(UNGATED))
    assert problems == ["check-changes 应只在作业 gate 中运行，现在在：['check']", "缺少作业 gate"]


def _checkout(workflow: dict[str, Any], base: bool) -> dict[str, Any]:
    (found,) = [
        s["with"] for s in workflow["jobs"][GATE_JOB]["steps"] if str(s.get("uses", "")).startswith("actions/checkout@") and ("ref" in s["with"]) == base
    ]
    return found


def _install(workflow: dict[str, Any]) -> dict[str, Any]:
    (found,) = [s for s in workflow["jobs"][GATE_JOB]["steps"] if "pip install" in s.get("run", "")]
    return found


def _without_base_ref(workflow: dict[str, Any]) -> None:
    _checkout(workflow, base=True).pop("ref")


def _credentials_kept(workflow: dict[str, Any]) -> None:
    _checkout(workflow, base=True)["persist-credentials"] = True


def _shallow(workflow: dict[str, Any]) -> None:
    _checkout(workflow, base=False).pop("fetch-depth")


def _same_folder(workflow: dict[str, Any]) -> None:
    _checkout(workflow, base=True).pop("path")


def _pr_code_installed_first(workflow: dict[str, Any]) -> None:
    steps = workflow["jobs"][GATE_JOB]["steps"]
    steps.insert(steps.index(_install(workflow)), {"name": "装上拉取请求的代码", "run": 'python -m pip install -e "$GITHUB_WORKSPACE/pr"'})


def _pr_code_in_the_gate_venv(workflow: dict[str, Any]) -> None:
    step = _install(workflow)
    step["run"] += '"$RUNNER_TEMP/gate/bin/python" -m pip install "$GITHUB_WORKSPACE/pr"\n'


def _liandong_from_path(workflow: dict[str, Any]) -> None:
    step = _gate_step(workflow, "check-changes")
    step["run"] = step["run"].replace('"$RUNNER_TEMP/gate/bin/liandong"', "liandong")


def _python_m(workflow: dict[str, Any]) -> None:
    step = _gate_step(workflow, "validate")
    step["run"] = step["run"].replace('"$RUNNER_TEMP/gate/bin/liandong"', '"$RUNNER_TEMP/gate/bin/python" -m liandong')


def _gate_checks_itself(workflow: dict[str, Any]) -> None:
    step = _gate_step(workflow, "check-changes")
    step["run"] = step["run"].replace('--root "$GITHUB_WORKSPACE/pr"', '--root "$GITHUB_WORKSPACE/gate"')


def _pythonpath(workflow: dict[str, Any]) -> None:
    workflow["jobs"][GATE_JOB]["env"] = {"PYTHONPATH": "pr"}


def _chained(workflow: dict[str, Any]) -> None:
    step = _gate_step(workflow, "validate")
    step["run"] = "pip install -e pr && " + step["run"]


def _expression(workflow: dict[str, Any]) -> None:
    step = _gate_step(workflow, "check-changes")
    step["run"] = step["run"].replace('"origin/$BASE_REF"', '"origin/${{ github.base_ref }}"')


def _artifact(workflow: dict[str, Any]) -> None:
    workflow["jobs"][GATE_JOB]["steps"].insert(2, {"uses": "actions/download-artifact@" + "0" * 40})


def _also_in_check(workflow: dict[str, Any]) -> None:
    workflow["jobs"]["check"]["steps"].append({"run": 'liandong check-changes --base "origin/$BASE_REF"'})


def _on_push_too(workflow: dict[str, Any]) -> None:
    workflow["jobs"][GATE_JOB].pop("if")


def _not_validated(workflow: dict[str, Any]) -> None:
    steps = workflow["jobs"][GATE_JOB]["steps"]
    steps.remove(_gate_step(workflow, "validate"))


def _run_before_install(workflow: dict[str, Any]) -> None:
    steps = workflow["jobs"][GATE_JOB]["steps"]
    step = _gate_step(workflow, "check-changes")
    steps.remove(step)
    steps.insert(steps.index(_install(workflow)), step)


BREAKS = [
    (_without_base_ref, "应恰好检出两次"),
    (_credentials_kept, "目标分支的检出缺少 persist-credentials: false"),
    (_shallow, "拉取请求的检出须 fetch-depth: 0"),
    (_same_folder, "两次检出须放在互不包含的子目录"),
    (_pr_code_installed_first, '不允许的命令：python -m pip install -e "$GITHUB_WORKSPACE/pr"（'),
    (_pr_code_in_the_gate_venv, '不允许的命令："$RUNNER_TEMP/gate/bin/python" -m pip install "$GITHUB_WORKSPACE/pr"（'),
    (_liandong_from_path, "作业 gate 没有用 $RUNNER_TEMP/gate/bin/liandong 运行 check-changes"),
    (_python_m, "作业 gate 没有用 $RUNNER_TEMP/gate/bin/liandong 运行 validate"),
    (_gate_checks_itself, 'check-changes 须以 --root "$GITHUB_WORKSPACE/pr" 检查拉取请求'),
    (_pythonpath, "作业 gate 设置了 PYTHONPATH"),
    (_chained, "命令只能是单条简单命令：pip install -e pr && "),
    (_expression, "的 run 中有 ${{ }} 表达式"),
    (_artifact, "不应使用 actions/download-artifact@"),
    (_also_in_check, "check-changes 应只在作业 gate 中运行，现在在：['check', 'gate']"),
    (_on_push_too, "应只在拉取请求中运行"),
    (_not_validated, "没有用 $RUNNER_TEMP/gate/bin/liandong 运行 validate"),
    (_run_before_install, "check-changes 在关口安装之前运行"),
]


@pytest.mark.parametrize(("break_it", "expected"), BREAKS, ids=[f.__name__.strip("_") for f, _ in BREAKS])
def test_gate_check_finds_each_broken_rule(break_it: Any, expected: str) -> None:
    workflow = _ci()
    broken = copy.deepcopy(workflow)
    break_it(broken)
    assert broken != workflow
    problems = gate_problems(broken)
    assert any(expected in problem for problem in problems), problems


def test_required_checks_are_documented() -> None:
    # .github/BRANCH_PROTECTION.md names the required status checks exactly as the jobs are named.
    text = (REPO / ".github" / "BRANCH_PROTECTION.md").read_text(encoding="utf-8")
    jobs = _ci()["jobs"]
    assert set(jobs) == {GATE_JOB, "check"}
    for job_id, job in jobs.items():
        assert f"`{job['name']}` —— 作业 `{job_id}`" in text
        assert f"`{job['name']}` (job `{job_id}`)" in text


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
    done = subprocess.run([_actionlint(), "-no-color", "-oneline", *map(str, WORKFLOWS)], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_reports_a_broken_workflow(tmp_path: Path) -> None:
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "broken.yml").write_text(BROKEN, encoding="utf-8")
    done = subprocess.run([_actionlint(), "-no-color", "-oneline", ".github/workflows/broken.yml"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert '.github/workflows/broken.yml:11:24: "github.event.pull_request.title" is potentially untrusted' in done.stdout
