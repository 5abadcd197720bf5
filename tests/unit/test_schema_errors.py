from __future__ import annotations

import jsonschema

from liandong.validation.messages import diagnostics_for
from liandong.validation.schema import SchemaSet
from tests.helpers import REPO


def test_keywords_without_a_specific_message_fall_back_to_schema_other() -> None:
    tasks = SchemaSet.for_root(REPO).types["tasks"]
    error = next(jsonschema.Draft202012Validator({"multipleOf": 2}).iter_errors(3))
    (finding,) = diagnostics_for("registry/tasks/t.yaml", tasks, [error])
    assert finding.rule == "schema.other"
    assert "3 is not a multiple of 2" in finding.message
