"""The editor keywords (validation/editor.py) are derived from the schemas and kept in step with
them: the committed schemas need no rewrite, a changed label is noticed, and a rewrite touches
nothing but those keywords."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from liandong.cli import main
from liandong.validation.editor import changes, root_message, write

from ..helpers import REPO


def _nodes(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        return [node] + [n for v in node.values() for n in _nodes(v)]
    if isinstance(node, list):
        return [n for v in node for n in _nodes(v)]
    return []


def test_the_committed_schemas_carry_up_to_date_editor_keywords() -> None:
    assert [c.file.name for c in changes(REPO / "schemas")] == []


def test_each_enum_description_is_its_label_in_the_enums_order() -> None:
    for file in sorted((REPO / "schemas").glob("*.schema.json")):
        for node in _nodes(json.loads(file.read_text(encoding="utf-8"))):
            if "x-enum-labels" in node:
                assert list(node["x-enum-labels"]) == node["enum"], (file.name, node["enum"])
                assert node["markdownEnumDescriptions"] == [node["x-enum-labels"][code] for code in node["enum"]], file.name


def test_a_changed_label_is_noticed_and_rewritten_in_place(tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    shutil.copytree(REPO / "schemas", schemas)
    (tmp_path / "registry").mkdir()
    tasks = schemas / "tasks.schema.json"
    original = tasks.read_text(encoding="utf-8")
    tasks.write_text(original.replace('"assigned": "已交办"', '"assigned": "已经交办"', 1), encoding="utf-8")
    found = changes(schemas)
    assert [c.file.name for c in found] == ["tasks.schema.json"]
    write(found)
    rewritten = tasks.read_text(encoding="utf-8")
    status = json.loads(rewritten)["properties"]["status"]
    assert status["markdownEnumDescriptions"][status["enum"].index("assigned")] == "已经交办"
    # Only the one keyword's text changed: every other line is as it was.
    changed = [(a, b) for a, b in zip(original.splitlines(), rewritten.splitlines(), strict=True) if a != b]
    assert len(changed) == 2 and all("已交办" in a or "已经交办" in b for a, b in changed)
    result = CliRunner().invoke(main, ["editor-keywords", "--check", "--root", str(tmp_path)])
    assert result.exit_code == 0, result.output


def test_check_fails_until_the_keywords_are_written(tmp_path: Path) -> None:
    shutil.copytree(REPO / "schemas", tmp_path / "schemas")
    (tmp_path / "registry").mkdir()
    file = tmp_path / "schemas" / "meetings.schema.json"
    file.write_text(file.read_text(encoding="utf-8").replace('"markdownEnumDescriptions"', '"x-old"', 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["editor-keywords", "--check", "--root", str(tmp_path)])
    assert result.exit_code == 1 and "meetings.schema.json" in result.output


def test_the_root_message_names_the_required_fields_by_their_titles() -> None:
    schema = json.loads((REPO / "schemas/tasks.schema.json").read_text(encoding="utf-8"))
    common = json.loads((REPO / "schemas/common.schema.json").read_text(encoding="utf-8"))
    message = root_message(schema, common)
    assert message.startswith("督办任务缺少必填字段") and "status（状态）" in message and "source（事项来源）" in message
