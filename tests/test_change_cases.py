"""check-changes against a real Git repository: tests/cases/invalid/change.*/<case>/ and
tests/cases/changes-valid/<case>/, each with a base/ state (committed on `main`) and a head/
state (the working tree of a pull request branch), laid out as tests/cases/README.md says: each
state's registry is the shared registry (tests/cases/shared/) with the state's registry/ files
added or put over it; the state's other folders (schemas/, archive/, …) are copied over the
repository's, the head's over the base's; special.txt is applied last.

Every case runs twice: with the head state left uncommitted in the working tree, and committed
on the branch; the output must be the same. expected.txt holds the exact text output and
summary.md the change summary; `pytest --update-golden` rewrites both — read the diff first.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from liandong.cli import main

from .helpers import CASES, Git, case_repo, lay_out_case, make_repo, write

# A change case has a base/ or a head/ state, or both; a state it lacks is the shared registry alone.
INVALID = sorted(p for p in CASES.glob("invalid/*/*") if (p / "base").is_dir() or (p / "head").is_dir())
VALID = sorted(p for p in CASES.glob("changes-valid/*") if p.is_dir())


def _on_branch(root: Path) -> Git:
    """Commit what `root` holds on `main`, then check out a new branch `pr`."""
    repo = Git(root)
    repo.commit("基准", date="2026-01-01T09:00:00+0800")
    repo("checkout", "-q", "-b", "pr")
    return repo


def base_repo(root: Path, base: Path) -> Git:
    """A repository whose `main` holds the real schemas and a case's base state (the shared
    registry alone when the case has no base/), checked out on branch `pr`."""
    return _on_branch(lay_out_case(base, make_repo(root)))


def check(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["check-changes", "--base", "main", "--root", str(root), *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def _run_case(case: Path, tmp_path: Path, committed: bool) -> tuple[int, str, str]:
    root = tmp_path / "repo"
    repo = base_repo(root, case / "base")
    lay_out_case(case / "head", root)
    if committed:
        repo.commit("修改", date="2026-01-02T09:00:00+0800")
    summary = tmp_path / "summary.md"
    code, out, _err = check(root, "--summary-file", str(summary))
    return code, out, summary.read_text(encoding="utf-8")


def _golden(file: Path, output: str, update: bool) -> None:
    if update:
        file.write_text(output, encoding="utf-8")
    assert output == file.read_text(encoding="utf-8"), output


@pytest.mark.parametrize("committed", [False, True], ids=["working-tree", "committed"])
@pytest.mark.parametrize("case", INVALID, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_invalid_change_case(case: Path, committed: bool, tmp_path: Path, update_golden: bool) -> None:
    code, output, summary = _run_case(case, tmp_path, committed)
    _golden(case / "expected.txt", output, update_golden)
    _golden(case / "summary.md", summary, update_golden)
    rule = case.parent.name
    assert f"[{rule}]" in output, f"case {case.name} must produce at least one {rule} finding"
    assert code == (1 if "error[" in output else 0)


@pytest.mark.parametrize("committed", [False, True], ids=["working-tree", "committed"])
@pytest.mark.parametrize("case", VALID, ids=lambda p: p.name)
def test_valid_change_case(case: Path, committed: bool, tmp_path: Path, update_golden: bool) -> None:
    code, output, summary = _run_case(case, tmp_path, committed)
    assert (code, output) == (0, "")
    _golden(case / "summary.md", summary, update_golden)


def test_summary_text_names_each_change(tmp_path: Path) -> None:
    code, _output, summary = _run_case(CASES / "changes-valid/task-extended-with-approval", tmp_path, committed=False)
    assert code == 0
    assert summary == (
        "## 登记册变更摘要（与 main 比较）\n\n"
        "- task-0001《核实片区项目用地规划条件》：状态 办理中 → 已延期；办理时限 2026-06-30 → 2026-09-30（延期，批准单位 甲单位）\n\n"
        "检查结果：没有发现问题。\n"
    )


def test_summary_on_stdout_follows_the_findings(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    base_repo(root, CASES / "invalid/change.record-deleted/task-file-removed/base")
    (root / "registry/tasks/task-0002.yaml").unlink()
    code, out, err = check(root, "--summary")
    assert code == 1
    findings, summary = out.split("\n\n", 1)
    assert findings.startswith("registry/tasks/task-0002.yaml:1:1: error[change.record-deleted]: 记录 task-0002《编制片区控制性详细规划》被删除")
    assert summary.startswith("## 登记册变更摘要（与 main 比较）\n\n- 删除 task-0002《编制片区控制性详细规划》\n")
    assert "删除 1 条记录" in err and "1 个错误" in err


def test_github_and_json_formats(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    case = CASES / "invalid/change.illegal-transition/assigned-to-closed"
    base_repo(root, case / "base")
    lay_out_case(case / "head", root)
    code, out, _ = check(root, "--format", "github")
    assert code == 1
    assert out == (
        "::error file=registry/tasks/task-0001.yaml,line=4,col=9,title=change.illegal-transition::"
        "状态不能由 “已交办”（assigned）改为 “已销号”（closed）%0A提示：“已交办” 之后只能改为：“已签收”（signed）、“办理中”（in_progress）、"
        "“已终止”（terminated）；中间的状态要逐一经过，流转规定见 schemas/tasks.lifecycle.yaml。\n"
    )
    code, out, _ = check(root, "--format", "json")
    assert [(i["path"], i["line"], i["rule"]) for i in json.loads(out)] == [("registry/tasks/task-0001.yaml", 4, "change.illegal-transition")]
    code, _, err = check(root, "--format", "json", "--summary")
    assert code == 2 and "--summary-file" in err


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "liandong", *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def test_unknown_base_ref_is_a_usage_error_without_traceback(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    base_repo(root, CASES / "changes-valid/task-started-with-progress/base")
    result = run("check-changes", "--base", "origin/main", cwd=root)
    assert result.returncode == 2
    assert "找不到基准版本 “origin/main”" in result.stderr and "fetch-depth: 0" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    outside = make_repo(tmp_path / "not-git")
    result = run("check-changes", "--base", "main", cwd=outside)
    assert result.returncode == 2 and "不在 Git 仓库中" in result.stderr and "Traceback" not in result.stderr


TASK = """id: task-0001
title: 核实片区项目用地规划条件
status: assigned
visibility: public
source:
  document: doc-a
  clause: 三(一)1
lead:
  - org-a
assigned: 2026-01-10
deadline: 2026-06-30
"""
PROGRESS = """progress:
  - date: 2026-02-01
    text: 已召开专题会，明确分工
    by: org-a
"""


def test_pull_request_end_to_end(tmp_path: Path) -> None:
    """A staff member branches, edits a record, commits; CI runs check-changes against main."""
    root = tmp_path / "repo"
    case_repo(root, "valid/minimal")
    write(root, "registry/tasks/task-0001.yaml", TASK)
    write(root, "registry/tasks/task-0002.yaml", TASK.replace("task-0001", "task-0002").replace("核实", "编制"))
    repo = Git(root)
    repo.commit("登记任务", date="2026-01-10T09:00:00+0800")
    repo("checkout", "-q", "-b", "update-task-0001")
    task = root / "registry/tasks/task-0001.yaml"

    write(root, "registry/tasks/task-0001.yaml", TASK.replace("status: assigned", "status: in_progress") + PROGRESS)
    repo.commit("task-0001 开始办理", date="2026-02-01T09:00:00+0800")
    result = run("check-changes", "--base", "main", "--summary", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "- task-0001《核实片区项目用地规划条件》：状态 已交办 → 办理中；新增进度 1 条\n" in result.stdout
    assert run("validate", cwd=root).returncode == 0

    failing = {
        "change.illegal-transition": lambda: task.write_text(
            TASK.replace("status: assigned", "status: completed") + "completion:\n  date: 2026-02-01\n  result: 已办结\n", encoding="utf-8"
        ),
        "change.record-deleted": lambda: (root / "registry/tasks/task-0002.yaml").unlink(),
        "change.deadline-without-extension": lambda: task.write_text(TASK.replace("2026-06-30", "2026-09-30"), encoding="utf-8"),
    }
    for rule, edit in failing.items():
        repo("reset", "-q", "--hard", "main")
        edit()
        repo.commit(rule, date="2026-03-01T09:00:00+0800")
        result = run("check-changes", "--base", "main", cwd=root)
        assert result.returncode == 1, (rule, result.stdout, result.stderr)
        assert [line.split(": ", 2)[1] for line in result.stdout.splitlines() if not line.startswith("  ")] == [f"error[{rule}]"]
        assert "Traceback" not in result.stderr


def test_changes_made_on_main_after_branching_are_not_this_branch_s_doing(tmp_path: Path) -> None:
    """main moves on (a progress entry, a new record); the branch, made earlier, edits another record."""
    root, start = tmp_path / "repo", tmp_path / "start"
    write(start, "tasks/task-0001.yaml", TASK)
    write(start, "tasks/task-0002.yaml", TASK.replace("task-0001", "task-0002"))
    repo = _on_branch(make_repo(root, start))  # on branch pr; main is the same commit
    fork = repo("rev-parse", "HEAD").strip()
    repo("checkout", "-q", "main")
    write(root, "registry/tasks/task-0001.yaml", TASK.replace("status: assigned", "status: in_progress") + PROGRESS)
    write(root, "registry/tasks/task-0003.yaml", TASK.replace("task-0001", "task-0003"))
    repo.commit("main 上的其他修改", date="2026-02-01T09:00:00+0800")
    repo("checkout", "-q", "pr")
    write(root, "registry/tasks/task-0002.yaml", TASK.replace("task-0001", "task-0002") + PROGRESS)
    repo.commit("task-0002 新增进度", date="2026-02-02T09:00:00+0800")
    code, out, _ = check(root, "--summary")
    assert code == 0, out
    assert out == (
        f"## 登记册变更摘要（与 main 比较，自分叉点 {fork[:7]} 起）\n\n- task-0002《核实片区项目用地规划条件》：新增进度 1 条\n\n检查结果：没有发现问题。\n"
    )


def test_project_below_the_git_root_and_registry_new_at_base(tmp_path: Path) -> None:
    outer = tmp_path / "outer"
    root = make_repo(outer / "liandong")
    write(outer, "README.md", "上级仓库\n")
    repo = Git(outer)
    repo.commit("还没有登记册", date="2026-01-01T09:00:00+0800")
    repo("checkout", "-q", "-b", "pr")
    write(root, "registry/tasks/task-0001.yaml", TASK.replace("status: assigned", "status: completed"))
    code, out, _ = check(root)
    assert code == 0  # registering an item already under way is allowed, with a warning for review
    assert out.startswith("registry/tasks/task-0001.yaml:3:9: warning[change.new-record-state]:")
