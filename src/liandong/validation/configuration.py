"""The registry's configuration, registry/liandong.yaml: what belongs to one zone and its policy
rather than to the product (the site's title, the zone, the administrative levels in use and
their names, who matters may be reported up to, the warning windows, code lists such as the
mechanism kinds). It is read as strictly as a record and checked against
schemas/liandong.schema.json; what the file leaves out takes that schema's defaults, so a registry
without the file works, with generic wording.

Code lists reach the record schemas through `x-code-list`: a schema node naming a list gets its
`enum` and `x-enum-labels` from here when the schemas are loaded (SchemaSet), so validation, its
messages, the site and the exports all see the zone's codes and names. A node with `x-relabel`
keeps its own codes and takes only the names of those the list has."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema_rs

from liandong.diagnostics import Diagnostic
from liandong.repo import REGISTRY_DIR, SCHEMAS_DIR
from liandong.yamlio.loader import load_bytes

CONFIG_FILE = "liandong.yaml"  # in registry/
CONFIG_PATH = f"{REGISTRY_DIR}/{CONFIG_FILE}"
CONFIG_SCHEMA = "liandong.schema.json"  # in schemas/; not a record type
# List columns that are no single field (site/lists.py): who leads a record and the other units it names.
DERIVED_COLUMNS = {"leads": "牵头单位", "others": "配合和其他单位"}


@dataclass(frozen=True)
class Code:
    label: str
    level: str | None = None  # the level the code stands for, where the list says (fund sources)


@dataclass
class Configuration:
    data: dict[str, Any]  # the file's content with the schema's defaults filled in
    path: str | None = None  # repository-relative, None when the registry has no configuration
    code_lists: dict[str, dict[str, Code]] = field(init=False)

    def __post_init__(self) -> None:
        self.code_lists = {}
        for name in ("mechanism_kinds", "fund_sources", "levels"):
            entries = self.data.get(name)
            if isinstance(entries, dict):
                self.code_lists[name] = {code: _code(value) for code, value in entries.items()}

    @property
    def title(self) -> str:
        return str(self.data["site"]["title"])

    @property
    def description(self) -> str:
        return str(self.data["site"].get("description", ""))

    @property
    def languages(self) -> list[str]:
        """The site's editions (zh, vi, en), as configured; Chinese alone by default."""
        return [str(code) for code in self.data["site"].get("languages") or ["zh"]]

    @property
    def translations(self) -> dict[str, dict[str, Any]]:
        """The registry's own words in each other language: Chinese → text or {text, source}."""
        return dict(self.data.get("translations") or {})

    @property
    def zone(self) -> dict[str, Any]:
        return dict(self.data.get("zone") or {})

    @property
    def escalation_levels(self) -> frozenset[str]:
        return frozenset(self.data["escalation"].get("levels") or ())

    @property
    def escalation_bodies(self) -> frozenset[str]:
        return frozenset(self.data["escalation"].get("bodies") or ())

    @property
    def escalation_basis(self) -> dict[str, str] | None:
        basis = self.data["escalation"].get("basis")
        return dict(basis) if isinstance(basis, dict) else None

    def may_escalate_to(self, organization: dict[str, Any]) -> bool:
        """Whether matters may be reported up to this organisation (its record's data)."""
        return organization.get("id") in self.escalation_bodies or organization.get("level") in self.escalation_levels

    @property
    def land_revenue(self) -> dict[str, Any] | None:
        """To whom and within how many years land-transfer revenue is returned, if the policy says."""
        rule = self.data.get("land_revenue")
        return dict(rule) if isinstance(rule, dict) else None

    def window(self, name: str) -> int:
        """due_soon_days, stale_days or minutes_due_days."""
        return int(self.data["windows"][name])

    @property
    def due_soon_days(self) -> int:
        return self.window("due_soon_days")

    @property
    def stale_days(self) -> int:
        return self.window("stale_days")

    @property
    def minutes_due_days(self) -> int:
        return self.window("minutes_due_days")


def _code(value: Any) -> Code:
    if isinstance(value, dict):
        return Code(str(value.get("label", "")), value.get("level"))
    return Code(str(value))


def _with_defaults(schema: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """The file's values over the defaults its schema gives, one level down (windows, escalation)."""
    filled = dict(data)
    for name, node in schema["properties"].items():
        default = node.get("default")
        inner = {key: sub["default"] for key, sub in (node.get("properties") or {}).items() if "default" in sub}
        if name not in filled:
            if default is not None:
                filled[name] = default
            elif inner:
                filled[name] = inner
        elif inner and isinstance(filled[name], dict):
            filled[name] = {**inner, **filled[name]}
    filled.setdefault("escalation", {})
    return filled


def read_schema(schemas_dir: Path) -> dict[str, Any]:
    """The configuration's schema; schemas of an older commit (check-changes reads the base
    branch's) may have none, and then nothing is defaulted."""
    try:
        return dict(json.loads((schemas_dir / CONFIG_SCHEMA).read_text(encoding="utf-8")))
    except FileNotFoundError:
        return {"type": "object", "properties": {}}


def defaults(schemas_dir: Path) -> Configuration:
    """The configuration of a registry that has no configuration file."""
    schema = read_schema(schemas_dir)
    return Configuration(_with_defaults(schema, {"site": {"title": "协同工作登记册"}}))


def read_configuration(root: Path) -> tuple[Configuration, list[Diagnostic]]:
    """The configuration of the registry at `root` and what is wrong with it."""
    file = root / CONFIG_PATH
    if not file.is_file():
        return defaults(root / SCHEMAS_DIR), []
    return configuration_from(root / SCHEMAS_DIR, file.read_bytes())


def configuration_from(schemas_dir: Path, raw: bytes) -> tuple[Configuration, list[Diagnostic]]:
    """The configuration a file's content gives, checked against the schema in `schemas_dir` the
    way records are (the same value types from common.schema.json, the same Chinese messages);
    where it is unusable the defaults stand in, so the records can still be checked."""
    loaded = load_bytes(CONFIG_PATH, raw)
    if loaded.data is None:
        return defaults(schemas_dir), list(loaded.diagnostics)
    schema = read_schema(schemas_dir)
    found = list(loaded.diagnostics) + _schema_findings(schemas_dir, schema, loaded.data)
    if found:
        return defaults(schemas_dir), found
    return Configuration(_with_defaults(schema, loaded.data), CONFIG_PATH), []


def _schema_findings(schemas_dir: Path, schema: dict[str, Any], data: Any) -> list[Diagnostic]:
    from liandong.validation import schema as schemas
    from liandong.validation.messages import diagnostics_for

    common_file = schemas_dir / f"{schemas.COMMON}{schemas.SCHEMA_SUFFIX}"
    common = json.loads(common_file.read_text(encoding="utf-8"))
    base = schemas.BASE_URI
    registry = jsonschema_rs.Registry([(f"{base}{common_file.name}", common)])
    if jsonschema_rs.validator_for(schema, registry=registry, base_uri=f"{base}{CONFIG_SCHEMA}").is_valid(data):
        return []
    import jsonschema  # only for a broken file: its errors carry what the messages need
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    resources: Registry = Registry().with_resource(f"{base}{common_file.name}", Resource.from_contents(common, default_specification=DRAFT202012))
    validator = jsonschema.Draft202012Validator(dict(schema, **{"$id": f"{base}{CONFIG_SCHEMA}"}), registry=resources)
    as_type = schemas.TypeSchema("liandong", schema, schemas.Lifecycle([], [], {}, []), schemas.qualified(common))
    return diagnostics_for(CONFIG_PATH, as_type, list(validator.iter_errors(data)))


def apply_code_lists(node: Any, configuration: Configuration) -> None:
    """Fill every `x-code-list` node of a record schema, in place, from the configuration."""
    if isinstance(node, dict):
        name = node.get("x-code-list")
        codes = configuration.code_lists.get(name) if isinstance(name, str) else None
        if codes is not None:
            node["enum"] = list(codes)
            node["x-enum-labels"] = {code: c.label for code, c in codes.items()}
            node["markdownEnumDescriptions"] = [c.label for c in codes.values()]
            levels = {code: c.level for code, c in codes.items() if c.level}
            if levels:
                node["x-code-levels"] = levels
            node.pop("pattern", None)
        relabel = node.get("x-relabel")
        names = configuration.code_lists.get(relabel) if isinstance(relabel, str) else None
        if names is not None and isinstance(node.get("x-enum-labels"), dict):
            # The codes stay the schema's; those the list also has take its names (自治区级 for region).
            node["x-enum-labels"] = {code: names[code].label if code in names else label for code, label in node["x-enum-labels"].items()}
            node["markdownEnumDescriptions"] = list(node["x-enum-labels"].values())
        for value in node.values():
            apply_code_lists(value, configuration)
    elif isinstance(node, list):
        for value in node:
            apply_code_lists(value, configuration)
