""".pre-commit-hooks.yaml (the hook other repositories use) and .pre-commit-config.yaml (this
repository's own): they parse, their file patterns pick the right files, and their entries run
the way pre-commit runs them — from the repository root, with the staged file names appended."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from .helpers import REPO, make_repo, write


def _hooks() -> list[dict[str, Any]]:
    return yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def _local_hooks() -> dict[str, dict[str, Any]]:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (local,) = [r for r in config["repos"] if r["repo"] == "local"]
    return {hook["id"]: hook for hook in local["hooks"]}


def _command(entry: str) -> list[str]:
    """The entry as pre-commit would run it, with `liandong` taken from this interpreter's environment."""
    program, *args = shlex.split(entry)
    found = shutil.which(program, path=str(Path(sys.executable).parent))
    assert found is not None, f"{program} 不在 {Path(sys.executable).parent} 中：请运行 pip install -e '.[test]'"
    return [found, *args]


def _run(entry: str, cwd: Path, *files: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*_command(entry), *files], cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = make_repo(tmp_path / "repo", REPO / "registry")
    (root / ".github").mkdir()
    shutil.copy(REPO / ".github" / "CODEOWNERS", root / ".github" / "CODEOWNERS")
    return root


def test_hook_manifest() -> None:
    (hook,) = _hooks()
    assert hook["id"] == "liandong-validate"
    assert hook["entry"] == "liandong validate"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is True
    assert hook["name"] and hook["description"]
    files = re.compile(hook["files"])
    assert files.search("registry/tasks/task-0001.yaml")
    assert not files.search("schemas/tasks.schema.json")
    assert not files.search("tests/cases/valid/registry/tasks/task-0001.yaml")


def test_hook_entry_passes_clean_files_and_fails_on_a_broken_one(project: Path) -> None:
    entry = _hooks()[0]["entry"]
    done = _run(entry, project, "registry/tasks/task-0001.yaml", "registry/organizations/org-dongxing-gov.yaml")
    assert done.returncode == 0, done.stdout + done.stderr
    write(
        project,
        "registry/tasks/task-0001.yaml",
        (REPO / "registry/tasks/task-0001.yaml").read_text(encoding="utf-8").replace("status: ", "status: 办理中\nstatus_old: ", 1),
    )
    done = _run(entry, project, "registry/tasks/task-0001.yaml")
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.startswith("registry/tasks/task-0001.yaml:")
    # Only the files passed are reported: the broken task is not named when another file is checked.
    done = _run(entry, project, "registry/tasks/task-0002.yaml")
    assert done.returncode == 0, done.stdout + done.stderr


def test_repository_config_uses_the_same_hook_and_checks_codeowners(project: Path) -> None:
    hooks = _local_hooks()
    assert set(hooks) == {"liandong-validate", "liandong-codeowners"}
    (published,) = _hooks()
    validate = hooks["liandong-validate"]
    for key in ("entry", "files", "pass_filenames"):
        assert validate[key] == published[key], key
    done = _run(validate["entry"], project, "registry/tasks/task-0001.yaml")
    assert done.returncode == 0, done.stdout + done.stderr

    codeowners = hooks["liandong-codeowners"]
    assert codeowners["pass_filenames"] is False
    assert re.search(codeowners["files"], "registry/organizations/org-dongxing-gov.yaml")
    assert re.search(codeowners["files"], ".github/CODEOWNERS")
    done = _run(codeowners["entry"], project)
    assert done.returncode == 0, done.stdout + done.stderr
    write(project, ".github/CODEOWNERS", "* @someone/else\n")
    done = _run(codeowners["entry"], project)
    assert done.returncode == 1
    assert "CODEOWNERS 与登记册不一致" in done.stderr
