"""The whole contribution path, as a member of staff and CI walk it, in a throwaway Git repository
holding a copy of the project: commit on main, branch, edit a record, commit, then the CI steps
(`check-changes --base main`, `validate`, `build`, `codeowners --check`) through the real command
line in a child process. Then the ways it must stop: an invalid record, an illegal status change,
a deleted record."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import REPO, Git, clean_env, make_repo

TODAY = "2026-11-25"
TASK = "registry/tasks/task-0013.yaml"  # in_progress, with progress entries and reminders after them
NEW_PROGRESS = "规划委员会已审议通过核实结果，正在起草反馈意见。"
# A full build and a dozen liandong and git processes.
pytestmark = pytest.mark.slow


def liandong(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command line, run from the repository root as CI runs it."""
    return subprocess.run([sys.executable, "-m", "liandong", *args], cwd=root, capture_output=True, text=True, env=clean_env(), timeout=300)


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{rel} 中应恰有一处 {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _commit(root: Path, message: str, date: str) -> None:
    Git(root, init=False).commit(message, date=date)


@pytest.fixture
def branch(tmp_path: Path) -> Path:
    """A copy of the project committed on main, checked out on a new branch `contrib`."""
    root = make_repo(tmp_path / "repo", REPO / "registry")
    shutil.copytree(REPO / "site", root / "site")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / ".github").mkdir()
    shutil.copy(REPO / ".github" / "CODEOWNERS", root / ".github" / "CODEOWNERS")
    git = Git(root)
    git.commit("登记册", date="2026-11-01T09:00:00+08:00")
    git("switch", "-q", "-c", "contrib")
    return root


def _passes(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 0, f"退出码 {done.returncode}\n{done.stdout}\n{done.stderr}"


def test_progress_entry_goes_through(branch: Path, tmp_path: Path) -> None:
    _edit(branch, TASK, "reminders:\n", f"  - date: 2026-11-20\n    text: {NEW_PROGRESS}\n    by: org-example-dongxing-natural-resources\nreminders:\n")
    _commit(branch, "task-0013：新增办理进度", "2026-11-20T10:00:00+08:00")

    summary = tmp_path / "summary.md"
    done = liandong(branch, "check-changes", "--base", "main", "--summary-file", str(summary))
    _passes(done)
    assert done.stdout == ""
    assert "新增 0、修改 1、删除 0 条记录；0 个错误，0 个警告" in done.stderr
    text = summary.read_text(encoding="utf-8")
    assert "task-0013《核实某片区项目用地规划条件》：新增进度 1 条" in text
    assert "检查结果：没有发现问题。" in text

    _passes(liandong(branch, "validate"))
    output = tmp_path / "public"
    _passes(liandong(branch, "build", "--today", TODAY, "--output", str(output)))
    pages = [p for p in output.rglob("*.html") if NEW_PROGRESS in p.read_text(encoding="utf-8")]
    assert pages, "新的办理进度没有出现在生成的网站中"
    _passes(liandong(branch, "codeowners", "--check"))


def test_invalid_record_stops_validate_with_file_and_line(branch: Path, tmp_path: Path) -> None:
    _edit(branch, TASK, "deadline: 2026-06-30\n", "deadline: 2026-06-31\n")
    _commit(branch, "task-0013：写错日期", "2026-11-20T10:00:00+08:00")
    line = (branch / TASK).read_text(encoding="utf-8").splitlines().index("deadline: 2026-06-31") + 1

    done = liandong(branch, "validate")
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.startswith(f"{TASK}:{line}:11: error[schema.format]:"), done.stdout
    assert "2026-06-31" in done.stdout
    assert "1 个错误" in done.stderr

    output = tmp_path / "public"
    done = liandong(branch, "build", "--today", TODAY, "--output", str(output))
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{TASK}:{line}:" in done.stderr
    assert not output.exists()


def test_illegal_status_change_stops_check_changes(branch: Path) -> None:
    # in_progress → assigned is a valid record on its own, so only the comparison catches it.
    _edit(branch, TASK, "status: in_progress\n", "status: assigned\n")
    _commit(branch, "task-0013：退回已交办", "2026-11-20T10:00:00+08:00")
    _passes(liandong(branch, "validate"))

    done = liandong(branch, "check-changes", "--base", "main")
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.startswith(f"{TASK}:4:9: error[change.illegal-transition]:"), done.stdout
    assert "1 个错误" in done.stderr


def test_deleted_record_stops_check_changes(branch: Path) -> None:
    Git(branch, init=False)("rm", "-q", TASK)
    _commit(branch, "删除 task-0013", "2026-11-20T10:00:00+08:00")
    _passes(liandong(branch, "validate"))

    done = liandong(branch, "check-changes", "--base", "main", "--format", "github")
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.startswith(f"::error file={TASK},line=1"), done.stdout
    assert "change.record-deleted" in done.stdout
    assert "删除 1 条记录" in done.stderr
