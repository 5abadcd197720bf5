"""The record types appear in one order everywhere: the model's (model/vocabulary.py TYPE_ORDER)
and the site's navigation in mkdocs.yml, which names each type's list page in its own words."""

from __future__ import annotations

import pytest
import yaml

from liandong.model import model as model_module
from liandong.model.model import Model
from liandong.model.vocabulary import TYPE_ORDER
from liandong.validation.schema import SchemaSet
from tests.helpers import REPO


def test_every_type_is_in_the_order() -> None:
    assert sorted(TYPE_ORDER) == sorted(SchemaSet.for_root(REPO).types)


def test_the_navigation_lists_the_types_in_that_order() -> None:
    nav = yaml.safe_load("nav:" + (REPO / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:", 1)[1])["nav"]
    listed = [page[: -len("/index.md")] for entry in nav for page in entry.values() if isinstance(page, str) and page.endswith("/index.md")]
    types = [t for t in listed if t in TYPE_ORDER]
    assert types == list(TYPE_ORDER), f"mkdocs.yml's nav lists the types as {types}; model/vocabulary.py says {list(TYPE_ORDER)}"
    assert [t for t in listed if t not in TYPE_ORDER and t != "contribute"] == [], "a list page in the nav that is no record type"


def test_a_type_outside_the_order_still_has_its_place(monkeypatch: pytest.MonkeyPatch) -> None:
    """A type the schemas define but TYPE_ORDER does not name comes last, with or without records
    (it used to vanish from the site once it had one)."""
    schemas = SchemaSet.for_root(REPO)
    monkeypatch.setattr(model_module, "TYPE_ORDER", tuple(t for t in TYPE_ORDER if t != "tasks"))
    assert Model.build(schemas, []).types[-1] == "tasks"
    from liandong.validation.files import load_registry

    records = load_registry(REPO, ["tasks"]).records
    assert records and Model.build(schemas, records).types[-1] == "tasks"
