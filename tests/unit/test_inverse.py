"""A relation table reads from the page's side (#13 part 4): the label of a back-reference is the
referring field's x-inverse, named in the schema beside its x-ref. On the 63号 page the opinion is
one of the 据此制定的文件 (not "贯彻落实的文件", which is what 63号 is to the opinion)."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from liandong.model.model import Model
from liandong.site.contexts import back_references
from liandong.validation.pipeline import validate
from liandong.validation.schema import SchemaSet

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = REPO / "schemas"


def _nodes(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield where, node
        for key, child in node.items():
            yield from _nodes(child, f"{where}/{key}")
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _nodes(child, f"{where}/{index}")


@pytest.mark.parametrize("file", sorted(p.name for p in SCHEMAS.glob("*.schema.json")))
def test_every_reference_in_the_schema_files_names_its_inverse(file: str) -> None:
    schema = json.loads((SCHEMAS / file).read_text(encoding="utf-8"))
    missing = [where for where, node in _nodes(schema, file) if "x-ref" in node and not node.get("x-inverse")]
    assert missing == []


def _concrete(path: tuple[str, ...]) -> tuple[str | int, ...]:
    return tuple(0 if part == "*" else part for part in path)


def test_every_reference_path_of_every_type_reads_back_in_its_own_words() -> None:
    """Through TypeSchema (where the site reads it), each reference has an inverse, and it is not the
    field's own title: that would be the table reading backwards again."""
    schemas = SchemaSet(SCHEMAS)
    backwards, missing = [], []
    for name, type_schema in schemas.types.items():
        for path, _target in type_schema.ref_paths:
            pointer = _concrete(path)
            inverse = type_schema.inverse_label(pointer)
            if inverse is None:
                missing.append(f"{name}.{'.'.join(path)}")
            elif inverse == type_schema.label(pointer):
                backwards.append(f"{name}.{'.'.join(path)}: {inverse}")
    assert missing == []
    assert backwards == []


def test_a_use_site_names_the_inverse_of_a_shared_definition() -> None:
    """A task's 牵头单位 is a list of units from common.schema.json: the task's own field says what the task
    is to the unit, before the shared definition's general words."""
    tasks = SchemaSet(SCHEMAS).types["tasks"]
    assert tasks.inverse_label(("lead", 0)) == "牵头办理的任务"
    assert tasks.inverse_label(("source", "meeting")) == "由此交办的任务"


@pytest.fixture(scope="module")
def bundled() -> Model:
    result = validate(REPO, today=datetime.date(2026, 11, 25))
    return Model.build(result.schemas, result.valid).public()


def _labels(model: Model, target: str, source: str) -> set[str]:
    item = model.get(target)
    assert item is not None
    return {b.label for b in back_references(model, item) if b.source.id == source}


def test_the_issues_three_tables_read_from_the_referenced_side(bundled: Model) -> None:
    assert _labels(bundled, "doc-guizhengbanfa-2019-63", "doc-kuahequ-liandong-opinion") == {"据此制定的文件"}
    assert _labels(bundled, "org-dxsyq-committee", "org-dxsyq-committee-depts") == {"下级单位"}
    meeting_task = next(
        t
        for t in bundled.of_type("tasks")
        if isinstance(t.data.get("source"), dict) and "meeting" in t.data["source"] and bundled.get(t.data["source"]["meeting"])
    )
    assert "由此交办的任务" in _labels(bundled, meeting_task.data["source"]["meeting"], meeting_task.id)
