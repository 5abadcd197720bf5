"""The schemas are a contract with staff (editor tooltips) and with the site (labels)."""

from __future__ import annotations

import json
from typing import Any, Iterator

import pytest

from generator.schema import SchemaSet, _qualified
from tests.helpers import REPO

SCHEMAS = SchemaSet(REPO / "schemas")
BASE_FIELDS = {"id", "title", "status", "visibility", "example", "notes"}


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _properties(node: dict[str, Any], where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for key, child in node.get("properties", {}).items():
        yield f"{where}.{key}", child
        yield from _properties(child, f"{where}.{key}")
    if isinstance(node.get("items"), dict):
        yield from _properties(node["items"], f"{where}[]")
    for key, child in node.get("$defs", {}).items():
        yield f"{where}#{key}", child
        yield from _properties(child, f"{where}#{key}")


@pytest.mark.parametrize("file", sorted(REPO.glob("schemas/*.schema.json")), ids=lambda p: p.name)
def test_every_property_has_a_chinese_title_and_description(file: Any) -> None:
    schema = json.loads(file.read_text(encoding="utf-8"))
    name = file.name.removesuffix(".schema.json")
    if name == "common":  # resolve its local refs the way a type schema sees them
        schema, type_schema = _qualified(schema), next(iter(SCHEMAS.types.values()))
    else:
        type_schema = SCHEMAS.types[name]
    missing = []
    for where, node in _properties(schema, file.name):
        resolved = type_schema.resolve(node)
        title, description = resolved.get("title", ""), resolved.get("description", "")
        if not (_is_chinese(title) and _is_chinese(description)):
            missing.append(where)
    assert missing == []


@pytest.mark.parametrize("name", sorted(SCHEMAS.types))
def test_enums_have_a_label_for_every_code(name: str) -> None:
    ts = SCHEMAS.types[name]
    for where, node in _properties(ts.schema, name):
        resolved = ts.resolve(node)
        if "enum" in resolved:
            assert set(resolved.get("x-enum-labels", {})) == set(resolved["enum"]), where
        if resolved.get("items") and "enum" in ts.resolve(resolved["items"]):
            items = ts.resolve(resolved["items"])
            assert set(items.get("x-enum-labels", {})) == set(items["enum"]), where


@pytest.mark.parametrize("name", sorted(SCHEMAS.types))
def test_every_type_carries_the_base_fields(name: str) -> None:
    ts = SCHEMAS.types[name]
    assert BASE_FIELDS <= set(ts.schema["properties"])
    assert {"id", "title", "status", "visibility"} <= set(ts.schema["required"])
    assert ts.schema.get("additionalProperties") is False


@pytest.mark.parametrize("name", sorted(SCHEMAS.types))
def test_lifecycle_matches_the_status_enum(name: str) -> None:
    ts = SCHEMAS.types[name]
    states = set(ts.states)
    life = ts.lifecycle
    assert set(life.initial) <= states
    assert set(life.done) <= states
    for transition in life.transitions:
        assert {transition.source, transition.target} <= states, transition
        if transition.adds:
            assert ts.resolve(ts.schema["properties"][transition.adds]).get("type") == "array", transition
    reachable = set(life.initial) | {t.target for t in life.transitions}
    assert reachable == states, "every state must be reachable"
    for state, fields in life.requires.items():
        assert state in states
        assert set(fields) <= set(ts.schema["properties"]), state


def test_reference_paths_name_existing_types() -> None:
    for ts in SCHEMAS.types.values():
        for path, target in ts.ref_paths:
            assert target in SCHEMAS.types, (ts.name, path)
    assert (("lead", "*"), "organizations") in SCHEMAS.types["tasks"].ref_paths
    assert (("source", "meeting"), "meetings") in SCHEMAS.types["tasks"].ref_paths
