"""The schemas are a contract with staff (editor tooltips) and with the site (labels)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from typing import Any

import pytest

from liandong.validation.schema import SchemaSet, qualified
from tests.helpers import REPO

SCHEMAS = SchemaSet.for_root(REPO)
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
        schema, type_schema = qualified(schema), next(iter(SCHEMAS.types.values()))
    elif name == "liandong":  # the configuration's: its refs into common resolve as a type schema's do
        type_schema = dataclasses.replace(next(iter(SCHEMAS.types.values())), schema=schema)
    else:
        type_schema = SCHEMAS.types[name]
    missing = []
    for where, node in _properties(schema, file.name):
        if "#" in where and "errorMessage" in node and "title" not in node:
            continue  # a value type (ref, date, text…): titled and described at each use site, so editors show the field's own words
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


def _validator(name: str) -> Any:
    """python-jsonschema for a record type, with the common schema registered and formats checked."""
    import jsonschema
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    common = Resource.from_contents(SCHEMAS.common, default_specification=DRAFT202012)
    registry: Registry = Registry().with_resource("file:///schemas/common.schema.json", common)
    schema = dict(SCHEMAS.types[name].schema, **{"$id": f"file:///schemas/{name}.schema.json"})
    return jsonschema.Draft202012Validator(schema, registry=registry, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


@pytest.mark.parametrize("file", sorted(REPO.glob("schemas/*.schema.json")), ids=lambda p: p.name)
def test_schemas_are_valid_draft_2020_12(file: Any) -> None:
    import jsonschema

    schema = json.loads(file.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("name", sorted(SCHEMAS.types))
def test_every_top_level_field_has_title_description_and_valid_examples(name: str) -> None:
    """What staff see in editor tooltips and on the contributor pages: each field's title,
    description and examples; every example is a value the field accepts."""
    ts = SCHEMAS.types[name]
    root = _validator(name)
    problems = []
    for key, node in ts.schema["properties"].items():
        resolved = ts.resolve(node)
        if not (_is_chinese(resolved.get("title", "")) and _is_chinese(resolved.get("description", ""))):
            problems.append(f"{key}: title or description missing")
        examples = resolved.get("examples")
        if not isinstance(examples, list) or not examples:
            problems.append(f"{key}: no examples")
            continue
        field = root.evolve(schema=node)  # keeps the root's base URI, so $refs into common resolve
        for example in examples:
            problems.extend(f"{key}: example {example!r}: {error.message}" for error in field.iter_errors(example))
    assert problems == []


def test_examples_are_checked_against_their_field() -> None:
    """The check above can fail: an impossible date, a wrong id, an unknown state are refused."""
    ts = SCHEMAS.types["tasks"]
    root = _validator("tasks")
    for key, bad in [("deadline", "2021-02-30"), ("id", "Task_1"), ("status", "done"), ("lead", "org-a")]:
        assert list(root.evolve(schema=ts.schema["properties"][key]).iter_errors(bad)), key


def test_common_definitions_examples_are_valid() -> None:
    root = _validator("tasks")
    for key, node in SCHEMAS.common["$defs"].items():
        for example in node.get("examples", []):
            field = root.evolve(schema={"$ref": f"common.schema.json#/$defs/{key}"})
            assert list(field.iter_errors(example)) == [], (key, example)
