"""The schemas of the record types, their lifecycles, and what the rest of the code reads from them.

A record is checked by jsonschema-rs first (microseconds per record); only a record that fails
is checked again by python-jsonschema, whose errors carry the keyword, path and schema we need
to write a precise Chinese message. Both are asked for format checking, so `2021-02-30` fails.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from liandong.errors import SetupError
from liandong.repo import SCHEMAS_DIR
from liandong.validation.configuration import CONFIG_SCHEMA, Configuration, apply_code_lists, defaults, read_configuration
from liandong.yamlio.loader import decode, parse_text

if TYPE_CHECKING:  # python-jsonschema is imported only when a record fails (saves ~0.1 s per run)
    import jsonschema

COMMON = "common"
SCHEMA_SUFFIX = ".schema.json"
LIFECYCLE_SUFFIX = ".lifecycle.yaml"
BASE_URI = "file:///schemas/"  # a base URI only so that relative $refs resolve; nothing is fetched


class SchemaSetupError(SetupError):
    """The schemas themselves are broken: a setup problem, not a finding in the registry."""


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    adds: str | None = None  # a list field that must gain an entry with this change


@dataclass
class Lifecycle:
    initial: list[str]
    transitions: list[Transition]
    requires: dict[str, list[str]]
    done: list[str]  # states in which an item is settled: not open, never overdue

    def allows(self, source: str, target: str) -> bool:
        return source == target or any(t.source == source and t.target == target for t in self.transitions)


@dataclass(eq=False)  # identity: it is a cache key
class TypeSchema:
    name: str  # the folder name, e.g. "tasks"
    schema: dict[str, Any]
    lifecycle: Lifecycle
    common: dict[str, Any] = field(repr=False)

    @property
    def title(self) -> str:
        return str(self.schema.get("title", self.name))

    @property
    def id_prefix(self) -> str:
        return str(self.schema.get("x-id-prefix", self.name))

    @property
    def states(self) -> list[str]:
        return list(self.schema["properties"]["status"]["enum"])

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        """Follow a `$ref` into the common schema, keeping the use site's own keywords on top."""
        ref = node.get("$ref")
        if not ref:
            return node
        file, _, pointer = ref.partition("#")
        target: Any = self.common if file.startswith(COMMON) else self.schema
        for part in pointer.strip("/").split("/"):
            if part:
                target = target[part]
        merged = dict(self.resolve(target))
        merged.update({k: v for k, v in node.items() if k != "$ref"})
        return merged

    def subschema(self, pointer: tuple[str | int, ...] | list[str | int]) -> dict[str, Any] | None:
        """The (resolved) schema that describes the value at `pointer` in a record."""
        # List indexes do not change the schema, so they share one cache entry (the site asks
        # this hundreds of thousands of times).
        return self._subschema(tuple(-1 if isinstance(p, int) else p for p in pointer))

    @functools.cache  # noqa: B019 - TypeSchema lives as long as its SchemaSet
    def _subschema(self, pointer: tuple[str | int, ...]) -> dict[str, Any] | None:
        node = self.resolve(self.schema)
        for part in pointer:
            if isinstance(part, int):
                node = self.resolve(node.get("items", {}))
            else:
                props = node.get("properties", {})
                if part not in props:
                    return None
                node = self.resolve(props[part])
        return node

    def label(self, pointer: tuple[str | int, ...] | list[str | int]) -> str:
        """The Chinese title of a field, e.g. ("lead",) → 牵头单位."""
        return self._label(tuple(-1 if isinstance(p, int) else p for p in pointer))

    @functools.cache  # noqa: B019
    def _label(self, pointer: tuple[str | int, ...]) -> str:
        for end in range(len(pointer), 0, -1):
            if isinstance(pointer[end - 1], str):
                node = self._subschema(pointer[:end])
                if node and node.get("title"):
                    return str(node["title"])
        return self.title

    def inverse_label(self, pointer: tuple[str | int, ...] | list[str | int]) -> str | None:
        """What a record that refers to another at `pointer` is to the record it names, as that
        record's page says (x-inverse beside x-ref): the opinion's `implements` (贯彻落实的文件)
        lists it on the 63号 page among the 据此制定的文件. The outermost field on the way that says
        wins, so a use site names the inverse of a shared definition (a task's 牵头单位, a list of
        units from common.schema.json: 牵头办理的任务). None when nothing on the way says."""
        return self._inverse_label(tuple(-1 if isinstance(p, int) else p for p in pointer))

    @functools.cache  # noqa: B019
    def _inverse_label(self, pointer: tuple[str | int, ...]) -> str | None:
        for end in range(1, len(pointer) + 1):
            node = self._subschema(pointer[:end])
            if node and node.get("x-inverse"):
                return str(node["x-inverse"])
        return None

    def enum_labels(self, pointer: tuple[str | int, ...]) -> dict[str, str]:
        node = self.subschema(pointer) or {}
        return dict(node.get("x-enum-labels", {}))

    @cached_property
    def ref_paths(self) -> list[tuple[tuple[str, ...], str]]:
        """Every place a record of this type refers to another record: (path, target type).
        A path uses "*" for "each item of a list"."""
        return self._paths_with("x-ref")

    @cached_property
    def code_paths(self) -> list[tuple[tuple[str, ...], str]]:
        """Every place a code with check characters stands (x-code, e.g. "uscc" for a
        统一社会信用代码): (path, kind of code)."""
        return self._paths_with("x-code")

    def _paths_with(self, keyword: str) -> list[tuple[tuple[str, ...], str]]:
        found: list[tuple[tuple[str, ...], str]] = []

        def walk(node: dict[str, Any], path: tuple[str, ...], depth: int) -> None:
            node = self.resolve(node)
            if keyword in node:
                found.append((path, node[keyword]))
            if depth > 8:
                return
            for key, child in node.get("properties", {}).items():
                walk(child, path + (key,), depth + 1)
            if "items" in node:
                walk(node["items"], path + ("*",), depth + 1)

        walk(self.schema, (), 0)
        return found

    @cached_property
    def lead_field(self) -> tuple[str, bool] | None:
        """The field naming who leads a record of this type (x-lead), and whether only its first
        unit leads ("first": 责任单位, the first of which 牵头) or every one ("all": 牵头单位)."""
        for key, child in self.schema.get("properties", {}).items():
            if child.get("x-lead") in ("all", "first"):
                return key, child["x-lead"] == "first"
        return None

    @cached_property
    def roles_field(self) -> str | None:
        """The field holding a record's division of labour as the text gives it (x-lead: roles, a list
        of {role, units}); when a record fills it, it names the record's leads instead of lead_field."""
        for key, child in self.schema.get("properties", {}).items():
            if child.get("x-lead") == "roles":
                return str(key)
        return None

    @cached_property
    def leading_roles(self) -> frozenset[str]:
        """The roles that count as leading (common.schema.json role x-leading): 牵头, 负责, 统筹安排, 委托."""
        return frozenset(self.common.get("$defs", {}).get("role", {}).get("x-leading", ()))

    def roles_in(self, data: dict[str, Any]) -> list[dict[str, Any]]:
        """A record's roles entries ({role, units, as_written?, inferred?, basis?}), [] when it names
        its units the simple way (lead_field) or the type has no roles."""
        roles = data.get(self.roles_field) if self.roles_field else None
        return [r for r in roles if isinstance(r, dict)] if isinstance(roles, list) else []

    def role_at(self, data: dict[str, Any], pointer: tuple[Any, ...]) -> str | None:
        """The Chinese label of the role a reference in `roles` stands in (委托, 监督检查…), None
        for a reference elsewhere: a unit's relation to the record is its role, not 承担单位."""
        if not self.roles_field or len(pointer) < 2 or pointer[0] != self.roles_field or not isinstance(pointer[1], int):
            return None
        roles = data.get(self.roles_field)
        entry = roles[pointer[1]] if isinstance(roles, list) and pointer[1] < len(roles) else None
        code = entry.get("role") if isinstance(entry, dict) else None
        return self.enum_labels((self.roles_field, 0, "role")).get(code, code) if isinstance(code, str) else None

    def leads_in(self, data: dict[str, Any]) -> list[str]:
        """The units that lead a record of this type with this data: the units of its leading roles when
        it has roles, else its x-lead field (every unit, or the first); [] for types without one. A
        co-convened mechanism's 牵头单位 are each a lead; a single reference is one unit."""
        roles = self.roles_in(data)
        if roles:
            found = [u for r in roles if r.get("role") in self.leading_roles for u in r.get("units", []) if isinstance(u, str)]
            return list(dict.fromkeys(found))
        lead = self.lead_field
        if lead is None:
            return []
        units = data.get(lead[0])
        if isinstance(units, str):
            units = [units]
        found = [u for u in units if isinstance(u, str)] if isinstance(units, list) else []
        return found[:1] if lead[1] else found

    @cached_property
    def lead_via(self) -> str | None:
        """The reference whose target's leads lead a record of this type (x-lead: via): a meeting is
        led by the units that lead its mechanism. None when the type names its leads itself or not at all."""
        for key, child in self.schema.get("properties", {}).items():
            if child.get("x-lead") == "via" and "x-ref" in self.resolve(child):
                return str(key)
        return None

    @property
    def tracked(self) -> bool:
        """Records someone leads to a deadline (tasks, coordination matters): the ones that can be
        overdue, due soon or stale, and whose deadlines go into the calendar."""
        return self.lead_field is not None and "deadline" in self.schema.get("properties", {})

    @cached_property
    def append_only(self) -> dict[str, str]:
        """The history lists (x-append-only): existing entries are never edited or removed, a
        correction is a new entry. Field name → the short name of one entry (x-entry-name)."""
        return {
            key: str(child.get("x-entry-name", child.get("title", key)))
            for key, child in self.schema.get("properties", {}).items()
            if child.get("x-append-only") is True
        }

    @cached_property
    def markdown_fields(self) -> list[tuple[str, ...]]:
        found: list[tuple[str, ...]] = []
        for key, child in self.schema.get("properties", {}).items():
            if self.resolve(child).get("contentMediaType") == "text/markdown":
                found.append((key,))
        return found


def values_at(data: Any, path: tuple[str, ...], prefix: tuple[str | int, ...] = ()) -> list[tuple[tuple[str | int, ...], Any]]:
    """The values found along a path with "*" wildcards, each with its exact pointer (a loop, not
    recursive generators: the references of every record are found this way on every check)."""
    found: list[tuple[tuple[str | int, ...], Any]] = [(prefix, data)]
    for head in path:
        step: list[tuple[tuple[str | int, ...], Any]] = []
        for pointer, value in found:
            if head == "*":
                if isinstance(value, list):
                    step.extend((pointer + (index,), item) for index, item in enumerate(value))
            elif isinstance(value, dict) and head in value:
                step.append((pointer + (head,), value[head]))
        if not step:
            return step
        found = step
    return found


def qualified(node: Any) -> Any:
    """A copy of the common schema whose local `#/…` refs name the file, so that following a
    ref from a type schema into it and onwards needs no notion of "current document"."""
    if isinstance(node, dict):
        return {k: (f"{COMMON}{SCHEMA_SUFFIX}{v}" if k == "$ref" and v.startswith("#") else qualified(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [qualified(v) for v in node]
    return node


def is_type_schema(name: str) -> bool:
    """Whether a file in schemas/ is a record type's schema (not common's or the configuration's)."""
    return name.endswith(SCHEMA_SUFFIX) and name not in (f"{COMMON}{SCHEMA_SUFFIX}", CONFIG_SCHEMA)


class SchemaSet:
    """All record types found in a schemas/ folder, with the registry's configuration applied."""

    @classmethod
    def for_root(cls, root: Path) -> SchemaSet:
        """The schemas of the repository at `root` with its registry's configuration (its
        problems are reported by `liandong validate`; here the defaults stand in for a broken file)."""
        configuration, _ = read_configuration(root)
        return cls(root / SCHEMAS_DIR, configuration)

    def __init__(self, directory: Path, configuration: Configuration | None = None) -> None:
        self.directory = directory
        # The zone's settings and code lists (validation/configuration.py), applied to the schemas here.
        self.configuration = configuration or defaults(directory)
        self.common = self._read_json(directory / f"{COMMON}{SCHEMA_SUFFIX}")
        apply_code_lists(self.common, self.configuration)
        self.types: dict[str, TypeSchema] = {}
        for file in sorted(directory.glob(f"*{SCHEMA_SUFFIX}")):
            name = file.name[: -len(SCHEMA_SUFFIX)]
            if not is_type_schema(file.name):
                continue
            schema = self._read_json(file)
            apply_code_lists(schema, self.configuration)
            self.types[name] = TypeSchema(name, schema, self._read_lifecycle(name), qualified(self.common))
        if not self.types:
            raise SchemaSetupError(f"{directory}: 没有找到任何 *{SCHEMA_SUFFIX} 模式文件")
        self._rs_registry = jsonschema_rs.Registry([(f"{BASE_URI}{COMMON}{SCHEMA_SUFFIX}", self.common)])
        self._fast: dict[str, Any] = {}
        self._detailed: dict[str, jsonschema.Draft202012Validator] = {}

    @cached_property
    def id_pattern(self) -> re.Pattern[str]:
        """What a record id looks like (common.schema.json#/$defs/id), for code that checks an id
        before any record holds it."""
        return re.compile(str(self.common["$defs"]["id"]["pattern"]))

    @property
    def append_only(self) -> dict[str, str]:
        """Every type's history lists (field → short entry name), for code that sees records of any type."""
        found: dict[str, str] = {}
        for type_schema in self.types.values():
            found.update(type_schema.append_only)
        return found

    @staticmethod
    def _read_json(file: Path) -> dict[str, Any]:
        try:
            schema = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise SchemaSetupError(f"{file}: 无法读取模式文件：{err}") from err
        try:
            jsonschema_rs.meta.validate(schema)
        except jsonschema_rs.ValidationError as err:
            raise SchemaSetupError(f"{file}: 模式文件本身无效：{err.message}") from err
        if not isinstance(schema, dict):
            raise SchemaSetupError(f"{file}: 模式文件应是一个 JSON 对象")
        return schema

    def _read_lifecycle(self, name: str) -> Lifecycle:
        file = self.directory / f"{name}{LIFECYCLE_SUFFIX}"
        try:
            text, problems = decode(str(file), file.read_bytes())
        except OSError as err:
            raise SchemaSetupError(f"{file}: 缺少状态流转定义：{err}") from err
        data, more = parse_text(str(file), text or "")
        if problems or more or data is None:
            first = (problems + more)[0]
            raise SchemaSetupError(f"{file}:{first.line}:{first.col}: {first.message}")
        try:
            return Lifecycle(
                initial=list(data["initial"]),
                transitions=[Transition(t["from"], t["to"], t.get("adds")) for t in data["transitions"]],
                requires={state: list(fields) for state, fields in (data.get("requires") or {}).items()},
                done=list(data.get("done") or []),
            )
        except (KeyError, TypeError) as err:
            raise SchemaSetupError(f"{file}: 状态流转定义缺少 initial/transitions 或格式不对：{err}") from err

    def is_valid(self, type_name: str, data: Any) -> bool:
        validator = self._fast.get(type_name)
        if validator is None:
            validator = jsonschema_rs.validator_for(
                self.types[type_name].schema,
                registry=self._rs_registry,
                base_uri=f"{BASE_URI}{type_name}{SCHEMA_SUFFIX}",
                validate_formats=True,
            )
            self._fast[type_name] = validator
        return bool(validator.is_valid(data))

    def errors(self, type_name: str, data: Any) -> list[jsonschema.ValidationError]:
        validator = self._detailed.get(type_name)
        if validator is None:
            import jsonschema
            from referencing import Registry, Resource
            from referencing.jsonschema import DRAFT202012

            common = Resource.from_contents(self.common, default_specification=DRAFT202012)
            registry: Registry = Registry().with_resource(f"{BASE_URI}{COMMON}{SCHEMA_SUFFIX}", common)
            schema = dict(self.types[type_name].schema, **{"$id": f"{BASE_URI}{type_name}{SCHEMA_SUFFIX}"})
            validator = jsonschema.Draft202012Validator(schema, registry=registry, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
            self._detailed[type_name] = validator
        return list(validator.iter_errors(data))
