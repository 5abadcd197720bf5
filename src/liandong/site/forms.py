"""The browser forms of the contributor pages, for staff who never touch Git (#14).

At build time each record type gets a page contribute/<type>/new/ and a file
contribute/<type>/form.json: the form's fields walked from the type's schema (`spec`), the
schemas themselves with the registry's code lists applied (the browser validates against the same
schema as `liandong validate`, with the bundled Ajv), the next free id and the file's first line.
contribute/records.json lists the public records by id, type and names, for the reference pickers.
javascripts/contribute.js draws the form, writes the YAML as yamlio/dumper.py does and hands it to
the forge (`Forge`). A record page's 修改此记录 and 追加进度 come from `record_actions`."""

from __future__ import annotations

import json
import os
import re
import urllib.parse
from dataclasses import dataclass
from typing import Any

from liandong.model.model import Item, Model
from liandong.repo import REGISTRY_DIR
from liandong.scaffold import TODAY_FIELDS, next_id
from liandong.site.search_index import names
from liandong.validation.rules.header import expected_line
from liandong.validation.schema import BASE_URI, COMMON, SCHEMA_SUFFIX, TypeSchema

BASE = "contribute"
RECORDS_JSON = f"{BASE}/records.json"
# The progress list a tracked record's 追加进度 form appends to.
PROGRESS = "progress"


def form_url(type_name: str) -> str:
    return f"{BASE}/{type_name}/new/"


def form_json_path(type_name: str) -> str:
    return f"{BASE}/{type_name}/form.json"


# -- the forge --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Forge:
    """Where records are edited: the repository's web address (mkdocs.yml `repo_url`, or the
    environment's LIANDONG_REPO_URL), its branch (LIANDONG_REPO_BRANCH, default main) and kind
    (LIANDONG_FORGE: github or gitea; GitHub's URL shapes by default)."""

    repo_url: str
    branch: str = "main"
    kind: str = "github"

    @classmethod
    def from_settings(cls, repo_url: str | None) -> Forge | None:
        url = (os.environ.get("LIANDONG_REPO_URL") or repo_url or "").rstrip("/")
        if not url:
            return None
        kind = os.environ.get("LIANDONG_FORGE", "github")
        return cls(url, os.environ.get("LIANDONG_REPO_BRANCH") or "main", "gitea" if kind == "gitea" else "github")

    def _path(self, action: str, path: str) -> str:
        verb = {"github": action, "gitea": f"_{action}"}[self.kind]
        return f"{self.repo_url}/{verb}/{urllib.parse.quote(self.branch)}/{urllib.parse.quote(path)}"

    def new_file_url(self, folder: str) -> str:
        """The new-file page of `folder`; the form adds ?filename=…&value=…"""
        return self._path("new", folder)

    def edit_url(self, path: str) -> str:
        return self._path("edit", path)


# -- the fields -------------------------------------------------------------------------------------


def _multiline(ts: TypeSchema, node: dict[str, Any]) -> bool:
    """Free text that may hold line breaks: the common text and markdown values."""
    defs = ts.common.get("$defs", {})
    return any(node.get("not") == defs.get(name, {}).get("not") and "not" in node for name in ("text", "markdown"))


def _widget(ts: TypeSchema, node: dict[str, Any]) -> str:
    kind = node.get("type")
    if "x-ref" in node:
        return "ref"
    if "enum" in node:
        return "select"
    if kind == "boolean":
        return "boolean"
    if kind in ("integer", "number"):
        return "number"
    if kind == "array":
        return "list"
    if kind == "object" and node.get("properties"):
        return "object"
    if node.get("format") == "date":
        return "date"
    if node.get("pattern") == ts.common.get("$defs", {}).get("time", {}).get("pattern"):
        return "time"
    return "textarea" if _multiline(ts, node) else "text"


def _field(ts: TypeSchema, node: dict[str, Any], key: str, title: str, required: bool) -> dict[str, Any]:
    node = ts.resolve(node)
    widget = _widget(ts, node)
    spec: dict[str, Any] = {"key": key, "title": title or str(node.get("title", key)), "description": str(node.get("description", "")), "widget": widget}
    if required:
        spec["required"] = True
    if widget == "select":
        labels = node.get("x-enum-labels", {})
        spec["choices"] = [[code, str(labels.get(code, code))] for code in node["enum"]]
    if widget == "ref":
        spec["ref"] = node["x-ref"]
    if widget == "number":
        spec["integer"] = node.get("type") == "integer"
    if widget == "object":
        spec["fields"] = _fields(ts, node)
    if widget == "list":
        items = ts.resolve(node.get("items", {}))
        spec["item"] = _field(ts, items, "", str(node.get("x-entry-name") or items.get("title") or title), True)
    if "default" in node:
        spec["default"] = node["default"]
    return spec


def _fields(ts: TypeSchema, node: dict[str, Any]) -> list[dict[str, Any]]:
    required = set(node.get("required", []))
    return [_field(ts, child, key, str(ts.resolve(child).get("title", key)), key in required) for key, child in node.get("properties", {}).items()]


def spec(ts: TypeSchema) -> list[dict[str, Any]]:
    """The form's fields in the schema's order. A new record starts in one of its lifecycle's
    initial states, public; its id is the next free one (shown, and editable)."""
    # A new record is written in Chinese; its translations (#18) come later, from a translator,
    # in the record's file (the form writes new records only, so none is lost by leaving them out).
    found = [field for field in _fields(ts, ts.resolve(ts.schema)) if field["key"] != "translations"]
    # What a record gains as it is carried out (its history lists, what later states require) is
    # drawn folded away: a new record rarely has it.
    initial = set(ts.lifecycle.initial)
    later = set(ts.append_only) | {name for state, names in ts.lifecycle.requires.items() if state not in initial for name in names}
    lead = ts.lead_field
    for field in found:
        if field["key"] in later and not field.get("required"):
            field["later"] = True
        if lead and field["key"] == lead[0] and field["widget"] == "list":
            field["open"] = True  # one empty row to fill: nearly every record names its lead
        if field["key"] == "status":
            labels = dict(field.get("choices", []))
            field["choices"] = [[state, labels.get(state, state)] for state in ts.lifecycle.initial]
            field["default"] = ts.lifecycle.initial[0]
        elif field["key"] == "visibility":
            field["default"] = "public"
        elif field["key"] == "id":
            field["widget"] = "id"
        elif field["key"] in TODAY_FIELDS:
            field["today"] = True  # filled with today's date when required, as `liandong new` does
    return found


def form_json(ts: TypeSchema, types: dict[str, TypeSchema], common: dict[str, Any], record_ids: list[str], forge: Forge | None) -> bytes:
    folder = f"{REGISTRY_DIR}/{ts.name}"
    form = {
        "type": ts.name,
        "title": ts.title,
        "folder": folder,
        "first_line": expected_line(ts.name),
        "next_id": next_id(ts, record_ids),
        "id_prefix": ts.id_prefix,
        "new_file_url": forge.new_file_url(folder) if forge else None,
        "schema_id": f"{BASE_URI}{ts.name}{SCHEMA_SUFFIX}",
        "schema": dict(ts.schema, **{"$id": f"{BASE_URI}{ts.name}{SCHEMA_SUFFIX}"}),
        "common": dict(common, **{"$id": f"{BASE_URI}{COMMON}{SCHEMA_SUFFIX}"}),
        "fields": spec(ts),
        "types": {name: other.title for name, other in types.items()},
    }
    return json.dumps(form, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def records_json(model: Model) -> bytes:
    """The public records a form may refer to: [id, type, names…] each, for the pickers and the
    check that a reference exists and a new id is free."""
    rows = [[item.id, item.type, *names(item)] for item in sorted(model.items.values(), key=lambda i: i.id)]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def files(model: Model, all_ids: list[str], forge: Forge | None) -> dict[str, bytes]:
    """contribute/<type>/form.json for every type, and contribute/records.json. The next free id
    comes after `all_ids`, the whole registry's, internal records included: a public form that
    offered an internal record's id would make a pull request that cannot pass."""
    schemas = model.schemas
    found = {form_json_path(name): form_json(ts, schemas.types, schemas.common, all_ids, forge) for name, ts in schemas.types.items()}
    found[RECORDS_JSON] = records_json(model)
    return found


# -- a record's actions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgressSpot:
    """Where a progress entry goes in a record's file, and what it must respect.

    line: the line after which the entry's lines go (1-based; the file's last line without a list)
    indent: the spaces before the entry's "- " (the file's own style)
    opens_list: whether the lines start the list (the file has no progress yet)
    min_date: the entry's earliest date: the last entry's date, or the record's start date
    by: the unit proposed as its 报送单位 (the record's first lead)
    """

    line: int
    indent: int
    opens_list: bool
    min_date: str
    by: str


@dataclass(frozen=True)
class RecordActions:
    """A record page's 修改此记录 and 追加进度.

    edit_url: the forge's edit page of the record's file, None without a forge
    path: the record's file in the repository
    progress: where a progress entry is appended, None for types without a progress list
    form_json: the URL of its type's form.json (the progress form validates against its schema)
    """

    edit_url: str | None
    path: str
    progress: ProgressSpot | None
    form_json: str


_SEQUENCE_ITEM = re.compile(r"^( *)- ")


def progress_spot(item: Item) -> ProgressSpot | None:
    """Found in the file's text (no parse: every tracked page asks): the top-level `progress:`
    block ends at the next line that starts in column 0 with a key."""
    if PROGRESS not in item.schema.schema.get("properties", {}):
        return None
    lines = item.record.text.splitlines()
    entries = item.data.get(PROGRESS) or []
    dates = [str(e.get("date")) for e in entries if isinstance(e, dict) and e.get("date")]
    start = next((str(item.data[k]) for k in ("assigned", "raised_on", "date") if item.data.get(k)), "")
    min_date = max([*dates, start]) if dates or start else ""
    leads = item.leads
    by = leads[0] if leads else ""
    styles = [m.group(1) for line in lines if (m := _SEQUENCE_ITEM.match(line))]
    indent = len(styles[0]) if styles else 0
    for number, line in enumerate(lines):
        if line.split("#")[0].rstrip() == f"{PROGRESS}:":
            end = number
            for later in range(number + 1, len(lines)):
                text = lines[later]
                if text and not text.startswith((" ", "-", "#")):
                    break
                if text.strip() and not text.lstrip().startswith("#"):
                    end = later
            first = next((m.group(1) for m in map(_SEQUENCE_ITEM.match, lines[number + 1 : end + 1]) if m), None)
            return ProgressSpot(end + 1, len(first) if first is not None else indent, False, min_date, by)
    if entries:  # written some other way (a flow list): the form cannot say where its lines go
        return None
    return ProgressSpot(len(lines), indent, True, min_date, by)


def record_actions(item: Item, forge: Forge | None) -> RecordActions:
    return RecordActions(
        forge.edit_url(item.record.path) if forge else None,
        item.record.path,
        progress_spot(item),
        form_json_path(item.type),
    )
