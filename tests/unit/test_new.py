from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from generator.cli import main
from generator.load import load_bytes
from generator.validate import validate
from tests.helpers import REPO, make_repo

MINIMAL = REPO / "tests/cases/valid/minimal/registry"


def new(root: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["new", *args, "--root", str(root), "--today", "2026-11-25"], catch_exceptions=False)


def test_new_task_gets_the_next_id_and_is_valid(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", MINIMAL)
    result = new(root, "tasks", "--title", "落实联合检查", "--set", "lead=org-a", "--set", "source.meeting=mtg-0001", "--set", "source.decision=1")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "registry/tasks/task-0002.yaml"
    text = (root / "registry/tasks/task-0002.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/tasks.schema.json\n")
    assert load_bytes("t", text.encode()).data == {
        "id": "task-0002", "title": "落实联合检查", "status": "assigned", "visibility": "public",
        "lead": ["org-a"], "source": {"meeting": "mtg-0001", "decision": 1}}
    assert validate(root).diagnostics == []


def test_dates_are_written_unquoted_and_default_to_today(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", MINIMAL)
    result = new(root, "coordination", "--title", "道路接入", "--set", "origin=enterprise", "--set", "responsible=org-a")
    assert result.exit_code == 0, result.output
    assert "raised_on: 2026-11-25\n" in (root / "registry/coordination/coord-0001.yaml").read_text(encoding="utf-8")


def test_missing_required_fields_are_listed_and_nothing_is_written(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", MINIMAL)
    result = new(root, "tasks", "--title", "缺字段")
    assert result.exit_code == 1
    assert "缺少必填字段 “lead”（牵头单位）" in result.output and "未写入 registry/tasks/task-0002.yaml" in result.output
    assert not (root / "registry/tasks/task-0002.yaml").exists()
    assert sorted(p.name for p in (root / "registry/tasks").iterdir()) == ["task-0001.yaml"]


def test_existing_ids_and_unknown_types_are_refused(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", MINIMAL)
    before = (root / "registry/tasks/task-0001.yaml").read_text(encoding="utf-8")
    taken = new(root, "tasks", "--title", "x", "--id", "task-0001", "--set", "lead=org-a")
    assert taken.exit_code == 2 and "已经存在" in taken.output
    assert (root / "registry/tasks/task-0001.yaml").read_text(encoding="utf-8") == before
    unknown = new(root, "widgets", "--title", "x")
    assert unknown.exit_code == 2 and "没有记录类型 “widgets”" in unknown.output
    bad_set = new(root, "tasks", "--title", "x", "--set", "nonsense")
    assert bad_set.exit_code == 2 and "应写成 字段=值" in bad_set.output
