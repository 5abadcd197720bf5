"""Open data: registry.json with pages and derived states, valid against its own published
schema; the SQLite database with its tables, references and Chinese full-text search."""

from __future__ import annotations

import datetime
import json
import sqlite3
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource

from liandong.model.model import Model
from liandong.model.status import Status
from liandong.site.open_data import published_schemas, registry_json, registry_schema, registry_sqlite
from liandong.validation.pipeline import validate
from tests.helpers import REPO, make_repo

TODAY = datetime.date(2024, 5, 15)  # task-0002 of the golden registry is due 2024-04-30: overdue
BASE = "https://example.org/site/"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Model, Status, Path]:
    root = make_repo(tmp_path_factory.mktemp("open-data") / "repo", REPO / "tests/golden/registry")
    result = validate(root, today=TODAY)
    model = Model.build(result.schemas, result.valid).public()
    return model, Status(model, TODAY), root


def _database(raw: bytes) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.deserialize(raw)
    return db


def test_registry_json_is_valid_against_its_published_schema(published: tuple[Model, Status, Path]) -> None:
    model, status, root = published
    data = json.loads(registry_json(model, status, TODAY, BASE))
    schema = json.loads(registry_schema(model))
    # The documents as the site publishes them: data/registry.schema.json refers to ../schemas/….
    resources: list[tuple[str, Resource[Any]]] = [
        (f"{BASE}{path}", Resource.from_contents(json.loads(raw))) for path, raw in published_schemas(root / "schemas").items() if path.endswith(".json")
    ]
    validator = jsonschema.Draft202012Validator(
        schema | {"$id": f"{BASE}data/registry.schema.json"}, registry=Registry().with_resources(resources), format_checker=jsonschema.FormatChecker()
    )
    assert list(validator.iter_errors(data)) == []
    # …and the schema is not blind: a record whose data breaks its type's schema fails.
    data["types"]["tasks"]["records"][0]["data"]["status"] = "no-such-state"
    assert any(e.validator == "enum" for e in validator.iter_errors(data))


def test_each_record_carries_its_page_and_derived_state(published: tuple[Model, Status, Path]) -> None:
    model, status, _root = published
    records = {r["id"]: r for group in json.loads(registry_json(model, status, TODAY, BASE))["types"].values() for r in group["records"]}
    assert records["task-0002"]["url"] == f"{BASE}tasks/task-0002/"
    overdue = [d for d in records["task-0002"]["derived"] if d["code"] == "overdue"]
    assert overdue and overdue[0]["label"] == "逾期 15 天" and overdue[0]["explanation"]
    assert "org-hidden" not in records
    relative = json.loads(registry_json(model, status, TODAY))
    assert relative["site_url"] is None and relative["types"]["tasks"]["records"][0]["url"] == "tasks/task-0001/"


def test_sqlite_has_a_table_per_type_references_and_chinese_search(published: tuple[Model, Status, Path]) -> None:
    model, status, _root = published
    db = _database(registry_sqlite(model, status, BASE))
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert set(model.types) <= tables and "refs" in tables and "search" in tables
    row = db.execute("SELECT title, page_url, derived_codes FROM tasks WHERE id = 'task-0002'").fetchone()
    assert row[1] == f"{BASE}tasks/task-0002/" and "overdue" in row[2].split()
    assert db.execute("SELECT count(*) FROM organizations WHERE id = 'org-hidden'").fetchone() == (0,)
    assert ("tasks", "task-0002", "lead", "organizations", "org-a") in set(db.execute("SELECT source_type, source_id, field, target_type, target_id FROM refs"))
    title = row[0]
    found = [i for (i,) in db.execute("SELECT id FROM search WHERE search MATCH ?", (json.dumps(title[1:4], ensure_ascii=False),))]
    assert "task-0002" in found, f"trigram search for {title[1:4]!r}"


def test_the_files_are_the_same_for_the_same_registry_and_day(published: tuple[Model, Status, Path]) -> None:
    model, status, _root = published
    assert registry_sqlite(model, status) == registry_sqlite(model, status)
    assert registry_json(model, status, TODAY) == registry_json(model, status, TODAY)
