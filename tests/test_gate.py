"""The pull-request gate (`liandong check-changes --base`) where a case directory cannot say it: shallow
clones, histories without a fork point, a branch without commits, broken rules at the base, a type
the pull request brings, a project below the Git root with a symlink in its base. Real Git
repositories in temporary folders, the real command line in a child process where CI would run it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import Git, clean_env, make_repo, write

# Clones, fetches and a check-changes process for each step.
pytestmark = pytest.mark.slow


CASES = Path(__file__).parent / "cases"
TASK = """# yaml-language-server: $schema=../../schemas/tasks.schema.json
id: task-0001
title: 核实片区项目用地规划条件
status: in_progress
visibility: public
source:
  document: doc-a
  clause: 三(一)1
lead:
  - org-a
assigned: 2026-01-10
deadline: 2026-06-30
progress:
  - date: 2026-02-01
    text: 已召开专题会，明确分工
    by: org-a
"""
MORE = """  - date: 2026-03-01
    text: 已完成现场踏勘
    by: org-a
"""


def gate(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "liandong", "check-changes", *args], cwd=root, capture_output=True, text=True, env=clean_env(), timeout=120)


def _origin(tmp_path: Path) -> Path:
    """main: task-0001 with one progress entry (A), then a second entry and task-0002 (B);
    branch pr, made at A: a new task-0003 (C)."""
    origin = make_repo(tmp_path / "origin")
    write(origin, "registry/tasks/task-0001.yaml", TASK)
    git = Git(origin)
    git.commit("A")
    git("checkout", "-q", "-b", "pr")
    write(origin, "registry/tasks/task-0003.yaml", TASK.replace("task-0001", "task-0003").replace("核实", "编制"))
    git.commit("C")
    git("checkout", "-q", "main")
    write(origin, "registry/tasks/task-0001.yaml", TASK + MORE)
    write(origin, "registry/tasks/task-0002.yaml", TASK.replace("task-0001", "task-0002").replace("核实", "复核"))
    git.commit("B")
    git("checkout", "-q", "pr")
    return origin


def _clone(origin: Path, target: Path, depth: int | None) -> Git:
    deep = ["--depth", str(depth)] if depth else []
    clone = Git(origin, init=False).clone(target, *deep, "--branch", "pr")
    clone("fetch", "-q", *deep, "origin", "main:refs/remotes/origin/main")
    return clone


def test_a_shallow_clone_without_the_fork_point_stops_with_the_fix(tmp_path: Path) -> None:
    """Comparing with main's tip would blame the branch for B: a progress entry and a record it never saw."""
    clone = _clone(_origin(tmp_path), tmp_path / "clone", depth=1)
    assert clone("rev-parse", "--is-shallow-repository").strip() == "true"
    done = gate(clone.root, "--base", "origin/main")
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stdout == ""
    assert "浅克隆" in done.stderr and "git fetch --unshallow" in done.stderr and "fetch-depth: 0" in done.stderr
    assert "Traceback" not in done.stderr

    clone("fetch", "-q", "--unshallow", "origin")
    done = gate(clone.root, "--base", "origin/main", "--summary")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "- 新增 task-0003《编制片区项目用地规划条件》（办理中）\n" in done.stdout
    assert "task-0001" not in done.stdout and "task-0002" not in done.stdout


def test_a_shallow_clone_deep_enough_to_hold_the_fork_point_is_compared_from_it(tmp_path: Path) -> None:
    clone = _clone(_origin(tmp_path), tmp_path / "clone", depth=2)
    assert clone("rev-parse", "--is-shallow-repository").strip() == "true"
    done = gate(clone.root, "--base", "origin/main", "--summary")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "自分叉点" in done.stdout and "task-0001" not in done.stdout and "task-0002" not in done.stdout


def test_unrelated_histories_stop(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    write(root, "registry/tasks/task-0001.yaml", TASK)
    git = Git(root)
    git.commit("main")
    git("checkout", "-q", "--orphan", "elsewhere")
    git.commit("另起的历史")
    done = gate(root, "--base", "main")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "没有共同的历史" in done.stderr and "Traceback" not in done.stderr


def test_a_branch_without_commits_is_compared_with_the_base_itself(tmp_path: Path) -> None:
    """A brand-new branch (no commit yet, not shallow): what the working tree holds is the change."""
    root = make_repo(tmp_path / "repo")
    write(root, "registry/tasks/task-0001.yaml", TASK)
    git = Git(root)
    git.commit("main")
    git("checkout", "-q", "--orphan", "fresh")
    write(root, "registry/tasks/task-0001.yaml", TASK + MORE)
    done = gate(root, "--base", "main", "--summary")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "- task-0001《核实片区项目用地规划条件》：新增进度 1 条\n" in done.stdout


def test_broken_rules_at_the_base_are_a_setup_error_naming_the_base_file(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    (root / "schemas/tasks.lifecycle.yaml").write_text("initial: [assigned\n", encoding="utf-8")
    git = Git(root)
    git.commit("main")
    git("checkout", "-q", "-b", "pr")
    shutil.copy(Path(__file__).parents[1] / "schemas/tasks.lifecycle.yaml", root / "schemas/tasks.lifecycle.yaml")
    done = gate(root, "--base", "main")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "基准版本 main 中的模式无法读取" in done.stderr and "main:schemas/tasks.lifecycle.yaml:" in done.stderr
    assert "liandong-base-schemas" not in done.stderr and "Traceback" not in done.stderr


def test_a_type_the_pull_request_brings_is_listed_but_not_judged(tmp_path: Path) -> None:
    """The base has no rules for it; a record moved into it from a type the base knows changes type."""
    root = make_repo(tmp_path / "repo")
    write(root, "registry/tasks/task-0001.yaml", TASK)
    git = Git(root)
    git.commit("main")
    git("checkout", "-q", "-b", "pr")
    for suffix in (".schema.json", ".lifecycle.yaml"):
        shutil.copy(root / f"schemas/powers{suffix}", root / f"schemas/permits{suffix}")
    write(root, "registry/permits/permit-0001.yaml", "id: permit-0001\ntitle: 临时占道许可\nstatus: revoked\nvisibility: public\n")
    (root / "registry/permits/task-0001.yaml").write_bytes((root / "registry/tasks/task-0001.yaml").read_bytes())
    (root / "registry/tasks/task-0001.yaml").unlink()
    done = gate(root, "--base", "main", "--summary")
    assert done.returncode == 1, done.stdout + done.stderr
    findings = [line.split(": ", 2)[:2] for line in done.stdout.split("\n\n")[0].splitlines() if not line.startswith("  ")]
    assert findings == [
        ["registry/permits/task-0001.yaml:2:5", "error[change.type-changed]"],
        ["schemas/permits.lifecycle.yaml:1:1", "warning[change.rules-changed]"],
        ["schemas/permits.schema.json:1:1", "warning[change.rules-changed]"],
    ]
    assert "- 新增 permit-0001《临时占道许可》（revoked）\n" in done.stdout  # no rules yet: not a new-record-state finding
    assert "- 新增 schemas/permits.schema.json\n" in done.stdout


def test_a_symlink_in_the_base_of_a_project_below_the_git_root_is_followed_in_the_base(tmp_path: Path) -> None:
    outer = tmp_path / "outer"
    root = make_repo(outer / "liandong")
    write(root, "archive/task-0001.yaml", TASK)
    (root / "registry/tasks").mkdir(parents=True)
    (root / "registry/tasks/task-0001.yaml").symlink_to("../../archive/task-0001.yaml")
    git = Git(outer)
    git.commit("main：记录的位置上是链接")
    git("checkout", "-q", "-b", "pr")
    (root / "registry/tasks/task-0001.yaml").unlink()
    write(root, "registry/tasks/task-0001.yaml", TASK.replace("status: in_progress", "status: assigned"))
    done = gate(root, "--base", "main", "--summary")
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.startswith(
        "registry/tasks/task-0001.yaml:4:9: error[change.illegal-transition]: 状态不能由 “办理中”（in_progress）改为 “已交办”（assigned）"
    )
    assert "符号链接换成了记录文件本身" in done.stdout


def test_the_base_may_be_any_name_git_resolves(tmp_path: Path) -> None:
    """FETCH_HEAD (what `git fetch origin main` leaves) and a full commit id work like the branch;
    GitPython's own ref parser stopped at FETCH_HEAD with an AssertionError."""
    clone = _clone(_origin(tmp_path), tmp_path / "clone", depth=None)
    clone("fetch", "-q", "origin", "main")
    expected = gate(clone.root, "--base", "origin/main", "--summary")
    assert expected.returncode == 0, expected.stderr
    for name in ("FETCH_HEAD", clone("rev-parse", "origin/main").strip()):
        done = gate(clone.root, "--base", name, "--summary")
        assert done.returncode == 0, done.stdout + done.stderr
        assert "新增 task-0003" in done.stdout
        # the same findings and summary; only the heading names the base (Markdown-escaped)
        assert done.stdout.split("比较", 1)[1] == expected.stdout.split("比较", 1)[1]
