"""Several parents (#19): a unit founded by two governments is under both. The one walk up the
parents (validation/hierarchy.py) goes nearest first, in the order each record lists them, each
record once; a push signed for by a unit under its receiver counts through either parent."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from liandong.model.model import Model
from liandong.model.pushes import Pushes
from liandong.validation import hierarchy
from liandong.validation.pipeline import validate
from tests.helpers import case_repo, record, write

UNITS: dict[str, dict[str, Any]] = {
    "org-top": {},
    "org-left": {"parent": ["org-top"]},
    "org-right": {"parent": ["org-top"]},
    "org-joint": {"parent": ["org-left", "org-right"]},
    "org-office": {"parent": ["org-joint"]},
    "org-ring-1": {"parent": ["org-ring-2"]},
    "org-ring-2": {"parent": ["org-ring-1"]},
}


def test_ancestors_nearest_first_each_once_and_no_loop() -> None:
    assert list(hierarchy.ancestors("org-office", UNITS.get)) == ["org-office", "org-joint", "org-left", "org-right", "org-top"]
    assert list(hierarchy.ancestors("org-ring-1", UNITS.get)) == ["org-ring-1", "org-ring-2"]
    assert list(hierarchy.ancestors("org-missing", UNITS.get)) == ["org-missing"]
    assert hierarchy.within("org-office", "org-right", UNITS.get) and not hierarchy.within("org-left", "org-right", UNITS.get)
    assert hierarchy.parents({"parent": "mech-a"}) == ["mech-a"] and hierarchy.parents({}) == []


def test_a_push_is_signed_for_through_either_parent(tmp_path: Path) -> None:
    root = case_repo(tmp_path / "repo", "valid/minimal")
    for unit_id, fields in UNITS.items():
        if not unit_id.startswith("org-ring"):
            data = {"id": unit_id, "title": unit_id, "status": "active", "visibility": "public", "level": "county", "kind": "department", **fields}
            write(root, f"registry/organizations/{unit_id}.yaml", record("organizations", data))
    result = validate(root, today=datetime.date(2026, 11, 25))
    assert result.diagnostics == [], [d.message for d in result.diagnostics]
    pushes = Pushes(Model.build(result.schemas, result.valid), datetime.date(2026, 11, 25))
    assert pushes.within("org-office", "org-left") and pushes.within("org-office", "org-right") and pushes.within("org-joint", "org-top")
    assert not pushes.within("org-left", "org-joint")
