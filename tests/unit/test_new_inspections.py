"""`liandong new inspections` and `liandong new pushes`: the state the record's kind starts in, today
in the dates its kind requires, enterprises from --set, and a note about the file an arrangement
leaves to change (the application it arranges)."""

from __future__ import annotations

import datetime
from pathlib import Path

from click.testing import CliRunner

from liandong.cli import main
from liandong.validation.pipeline import validate
from liandong.yamlio.loader import load_bytes
from tests.helpers import case_repo

CASE = "valid/inspections-and-pushes"  # tests/cases/valid/inspections-and-pushes on the shared registry


def new(root: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["new", *args, "--root", str(root), "--today", "2026-11-25"], catch_exceptions=False)


def read(root: Path, rel: str) -> dict:  # type: ignore[type-arg]
    loaded = load_bytes(rel, (root / rel).read_bytes()).data
    assert loaded is not None
    return loaded


def test_an_application_starts_submitted_today_with_its_enterprises(tmp_path: Path) -> None:
    root = case_repo(tmp_path / "repo", CASE)
    result = new(
        root,
        "inspections",
        "--title",
        "特种设备检查",
        *("--set", "kind=application", "--set", "mechanism=mech-inspection", "--set", "department=org-b"),
        *("--set", "enterprises=甲建材有限公司,乙物流有限公司", "--set", "matter=特种设备使用安全检查", "--set", "proposed.from=2026-12-01"),
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "registry/inspections/insp-0006.yaml"
    data = read(root, "registry/inspections/insp-0006.yaml")
    assert (data["status"], data["submitted"]) == ("submitted", "2026-11-25")
    assert data["enterprises"] == [{"name": "甲建材有限公司"}, {"name": "乙物流有限公司"}]
    assert validate(root, today=datetime.date(2026, 11, 25)).diagnostics == []


def test_an_arrangement_starts_scheduled_and_names_the_application_left_to_change(tmp_path: Path) -> None:
    root = case_repo(tmp_path / "repo", CASE)
    result = new(
        root,
        "inspections",
        "--title",
        "12月检查周",
        *("--set", "kind=arrangement", "--set", "mechanism=mech-inspection", "--set", "applications=insp-0003"),
        *("--set", "form=inspection_week", "--set", "arranged_by=org-zone", "--set", "date=2026-12-07"),
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "registry/inspections/insp-0006.yaml"
    assert read(root, "registry/inspections/insp-0006.yaml")["status"] == "scheduled"
    assert "已写入 registry/inspections/insp-0006.yaml；其他文件还需相应修改" in result.stderr
    assert "registry/inspections/insp-0003.yaml:4:9: error[inspection.arrangement-state]" in result.stderr


def test_a_separate_inspection_starts_inspected_and_a_wrong_kind_of_field_is_refused(tmp_path: Path) -> None:
    root = case_repo(tmp_path / "repo", CASE)
    common = ("--set", "mechanism=mech-inspection", "--set", "department=org-a", "--set", "enterprises=甲建材有限公司", "--set", "matter=核查")
    made = new(root, "inspections", "--title", "投诉核查", "--set", "kind=separate", *common, "--set", "result=未发现问题")
    assert made.exit_code == 0, made.output
    data = read(root, "registry/inspections/insp-0006.yaml")
    assert (data["status"], data["date"]) == ("inspected", "2026-11-25")
    refused = new(root, "inspections", "--title", "x", "--set", "kind=separate", *common, "--set", "result=无", "--set", "form=joint_inspection")
    assert refused.exit_code == 1 and "error[kind.field]: 单独检查（kind: separate）不填写 “form”（检查形式）" in refused.output
    assert not (root / "registry/inspections/insp-0007.yaml").exists()


def test_a_push_starts_sent_today_and_its_direction_is_checked(tmp_path: Path) -> None:
    root = case_repo(tmp_path / "repo", CASE)
    common = ("--set", "mechanism=mech-push", "--set", "receivers=org-a,org-b")
    made = new(root, "pushes", "--title", "11月审批结果", "--set", "kind=approval", "--set", "sender=org-zone", *common)
    assert made.exit_code == 0, made.output
    data = read(root, "registry/pushes/push-0004.yaml")
    assert (data["status"], data["date"], data["receivers"]) == ("sent", "2026-11-25", ["org-a", "org-b"])
    wrong = new(root, "pushes", "--title", "反了", "--set", "kind=approval", "--set", "sender=org-a", *common)
    assert wrong.exit_code == 1 and "error[push.direction]" in wrong.output
