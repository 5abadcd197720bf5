from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from liandong.cli import main
from liandong.validation.pipeline import validate
from liandong.yamlio.loader import load_bytes
from tests.helpers import case_repo

MINIMAL = "valid/minimal"  # tests/cases/valid/minimal on the shared registry


def new(root: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["new", *args, "--root", str(root), "--today", "2026-11-25"], catch_exceptions=False)


def test_new_task_gets_the_next_id_and_is_valid(tmp_path: Path) -> None:
    root = case_repo(tmp_path / "repo", MINIMAL)
    result = new(root, "tasks", "--title", "落实联合检查", "--set", "lead=org-a", "--set", "source.meeting=mtg-0001", "--set", "source.decision=1")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "registry/tasks/task-0002.yaml"
    text = (root / "registry/tasks/task-0002.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/tasks.schema.json\n")
    assert load_bytes("t", text.encode()).data == {
        "id": "task-0002",
        "title": "落实联合检查",
        "status": "assigned",
        "visibility": "public",
        "lead": ["org-a"],
        "source": {"meeting": "mtg-0001", "decision": 1},
    }
    assert validate(root).diagnostics == []


def test_dates_are_written_unquoted_and_default_to_today(tmp_path: Path) -> None:
    root = case_repo(tmp_path / "repo", MINIMAL)
    result = new(root, "coordination", "--title", "道路接入", "--set", "origin=enterprise", "--set", "responsible=org-a")
    assert result.exit_code == 0, result.output
    assert "raised_on: 2026-11-25\n" in (root / "registry/coordination/coord-0001.yaml").read_text(encoding="utf-8")


def test_missing_required_fields_are_listed_and_nothing_is_written(tmp_path: Path) -> None:
    root = case_repo(tmp_path / "repo", MINIMAL)
    result = new(root, "tasks", "--title", "缺字段")
    assert result.exit_code == 1
    assert "缺少必填字段 “lead”（牵头单位）" in result.output and "未写入 registry/tasks/task-0002.yaml" in result.output
    assert not (root / "registry/tasks/task-0002.yaml").exists()
    assert sorted(p.name for p in (root / "registry/tasks").iterdir()) == ["task-0001.yaml"]


def test_existing_ids_and_unknown_types_are_refused(tmp_path: Path) -> None:
    root = case_repo(tmp_path / "repo", MINIMAL)
    before = (root / "registry/tasks/task-0001.yaml").read_text(encoding="utf-8")
    taken = new(root, "tasks", "--title", "x", "--id", "task-0001", "--set", "lead=org-a")
    assert taken.exit_code == 2 and "已经存在" in taken.output
    assert (root / "registry/tasks/task-0001.yaml").read_text(encoding="utf-8") == before
    unknown = new(root, "widgets", "--title", "x")
    assert unknown.exit_code == 2 and "没有记录类型 “widgets”" in unknown.output
    bad_set = new(root, "tasks", "--title", "x", "--set", "nonsense")
    assert bad_set.exit_code == 2 and "应写成 字段=值" in bad_set.output


def ask(root: Path, monkeypatch, answers: list[str], *args: str):  # type: ignore[no-untyped-def]
    """`liandong new` as if typed at a terminal: each answer is one line of input."""
    monkeypatch.setattr("liandong.cli._interactive", lambda: True)
    return CliRunner().invoke(
        main, ["new", *args, "--root", str(root), "--today", "2026-11-25"], input="".join(f"{a}\n" for a in answers), catch_exceptions=False
    )


def test_without_a_terminal_a_missing_title_is_a_usage_error(tmp_path: Path) -> None:
    root = case_repo(tmp_path / "repo", MINIMAL)
    result = new(root, "tasks", "--set", "lead=org-a", "--set", "source.meeting=mtg-0001", "--set", "source.decision=1")
    assert result.exit_code == 2
    assert "缺少 --title" in result.output and "非交互" in result.output
    assert sorted(p.name for p in (root / "registry/tasks").iterdir()) == ["task-0001.yaml"]


def test_at_a_terminal_the_title_and_required_references_are_asked_for(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    root = case_repo(tmp_path / "repo", MINIMAL)
    # title; source.document, source.clause, source.meeting (skipped), source.decision (skipped); lead twice
    result = ask(root, monkeypatch, ["落实联合检查", "doc-a", "三(一)1", "", "", "org-nowhere", "org-a"], "tasks")
    assert result.exit_code == 0, result.output
    assert "任务名称（title）" in result.output and "牵头单位（lead）" in result.output
    assert "org-nowhere 不是已有的单位编号" in result.output
    assert result.stdout.strip() == "registry/tasks/task-0002.yaml"  # prompts go to stderr
    data = load_bytes("t", (root / "registry/tasks/task-0002.yaml").read_bytes()).data
    assert data is not None
    assert data["title"] == "落实联合检查" and data["lead"] == ["org-a"]
    assert data["source"] == {"document": "doc-a", "clause": "三(一)1"}
    assert validate(root).diagnostics == []


def test_options_given_are_not_asked_again_and_choices_are_checked(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    root = case_repo(tmp_path / "repo", MINIMAL)
    result = ask(root, monkeypatch, ["company", "enterprise", "org-a"], "coordination", "--title", "道路接入")
    assert result.exit_code == 0, result.output
    assert "任务名称" not in result.output and "事项名称（title）" not in result.output
    assert "“company” 不是可选值" in result.output and "enterprise（企业）" in result.output
    text = (root / "registry/coordination/coord-0001.yaml").read_text(encoding="utf-8")
    assert "origin: enterprise\n" in text and "raised_on: 2026-11-25\n" in text and "- org-a\n" in text


def test_unanswered_questions_leave_nothing_written(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    root = case_repo(tmp_path / "repo", MINIMAL)
    result = ask(root, monkeypatch, ["x"] + ["org-nowhere"] * 3, "tasks", "--title", "缺来源", "--set", "source.meeting=mtg-0001", "--set", "source.decision=1")
    assert result.exit_code == 1
    assert "未写入 registry/tasks/task-0002.yaml" in result.output
    assert not (root / "registry/tasks/task-0002.yaml").exists()


def test_taken_or_malformed_ids_are_refused_before_any_question(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    root = case_repo(tmp_path / "repo", MINIMAL)
    for taken in ("task-0001", "org-a"):  # ids are unique across all types
        result = ask(root, monkeypatch, [], "tasks", "--id", taken)
        assert result.exit_code == 2, result.output
        assert f"编号 “{taken}” 已经存在" in result.output and "（title）" not in result.output
    malformed = ask(root, monkeypatch, [], "tasks", "--id", "../../escape", "--title", "x")
    assert malformed.exit_code == 2 and "编号 “../../escape” 无效" in malformed.output
    assert not (tmp_path / "escape.yaml").exists() and not (root / "escape.yaml").exists()
