"""The command as staff and CI run it: a real subprocess, exit codes, formats, no tracebacks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.helpers import case_repo, write

MINIMAL = "valid/minimal"  # tests/cases/valid/minimal on the shared registry


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "liandong", *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def _broken(tmp_path: Path) -> Path:
    root = case_repo(tmp_path / "repo", MINIMAL)
    task = root / "registry/tasks/task-0001.yaml"
    task.write_text(task.read_text(encoding="utf-8").replace("status: assigned", "status: done"), encoding="utf-8")
    write(root, "registry/organizations/org-b.yaml", "id: org-b\nid: org-b\n")
    return root


def test_clean_registry_exits_0_with_a_summary(tmp_path: Path) -> None:
    root = case_repo(tmp_path / "repo", MINIMAL)
    result = run("validate", cwd=root / "registry")  # found by walking up from a subfolder
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert "已检查 6 个记录文件" in result.stderr and "0 个错误" in result.stderr


def test_findings_exit_1_and_name_file_and_line(tmp_path: Path) -> None:
    result = run("validate", cwd=_broken(tmp_path))
    assert result.returncode == 1
    assert "registry/organizations/org-b.yaml:2:1: error[yaml.duplicate-key]" in result.stdout
    assert "registry/tasks/task-0001.yaml:4:9: error[schema.enum]" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_github_and_json_formats(tmp_path: Path) -> None:
    root = _broken(tmp_path)
    annotations = run("validate", "--format", "github", cwd=root).stdout.splitlines()
    assert annotations[0].startswith("::error file=registry/organizations/org-b.yaml,line=2,col=1,title=yaml.duplicate-key::")
    items = json.loads(run("validate", "--format", "json", cwd=root).stdout)
    assert [(i["path"], i["rule"]) for i in items] == [
        ("registry/organizations/org-b.yaml", "yaml.duplicate-key"),
        ("registry/tasks/task-0001.yaml", "schema.enum"),
    ]


def test_paths_limit_what_is_reported(tmp_path: Path) -> None:
    root = _broken(tmp_path)
    result = run("validate", "registry/tasks", cwd=root)
    assert result.returncode == 1
    assert "org-b.yaml" not in result.stdout and "task-0001.yaml" in result.stdout


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    root = case_repo(tmp_path / "repo", MINIMAL)
    assert run("validate", "schemas", cwd=root).returncode == 2  # outside the registry
    assert run("validate", "--format", "xml", cwd=root).returncode == 2
    outside = run("validate", cwd=tmp_path)
    assert outside.returncode == 2
    assert "找不到同时包含 registry/ 和 schemas/ 的仓库" in outside.stderr


def test_broken_schema_is_a_setup_error_without_traceback_unless_asked(tmp_path: Path) -> None:
    root = case_repo(tmp_path / "repo", MINIMAL)
    (root / "schemas/tasks.schema.json").write_text("{ not json", encoding="utf-8")
    result = run("validate", cwd=root)
    assert result.returncode == 2
    assert "tasks.schema.json" in result.stderr and "Traceback" not in result.stderr
    assert "Traceback" in run("validate", "--traceback", cwd=root).stderr


def test_malformed_source_date_epoch_is_a_setup_error(tmp_path: Path) -> None:
    """Every command that needs "today" says what is wrong with SOURCE_DATE_EPOCH, without a traceback."""
    root = case_repo(tmp_path / "repo", MINIMAL)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "yesterday"}
    for args in (("validate",), ("new", "tasks", "--title", "落实", "--set", "lead=org-a")):
        result = subprocess.run(
            [sys.executable, "-m", "liandong", *args], cwd=root, capture_output=True, text=True, timeout=60, env=env, stdin=subprocess.DEVNULL
        )
        assert result.returncode == 2, (args, result.stderr)
        assert "SOURCE_DATE_EPOCH='yesterday' 不是有效的 Unix 时间戳" in result.stderr
        assert "内部错误" not in result.stderr and "Traceback" not in result.stderr


def test_console_script_is_installed() -> None:
    exe = shutil.which("liandong", path=str(Path(sys.executable).parent))
    assert exe, "pip install -e . should install the liandong command"
    result = subprocess.run([exe, "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "validate" in result.stdout
