"""What each type's list page shows: its columns, the filters a visitor can use, its date; and how
a long list is split between its page and its row files (FIRST_ROWS, ROW_FILE_ROWS, row_files)."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from liandong.model.model import Item
from liandong.validation.configuration import DERIVED_COLUMNS, Configuration
from liandong.validation.schema import TypeSchema

if TYPE_CHECKING:
    from liandong.site.render import Renderer


@dataclass(frozen=True)
class ListSpec:
    columns: tuple[str, ...]  # dotted field paths; "title" links to the record
    filters: tuple[str, ...]  # dotted field paths offered as <select> filters (enums or references)
    date: str | None = None  # dotted field path used for the date-range filter and default sort
    # Columns and filters shown only when some listed record fills them: a field most records of a
    # type leave out where it does not apply (a power's 受理窗口 and 审批部门 exist only where a front
    # desk accepts and a back office decides; 直接行使 has no 授予单位). shown() applies it.
    if_filled: tuple[str, ...] = ()


LISTS: dict[str, ListSpec] = {
    "tasks": ListSpec(("title", "status", "leads", "others", "deadline"), ("status", "nature", "leads", "others", "source.document"), "deadline"),
    "coordination": ListSpec(("title", "status", "responsible", "raised_on", "deadline"), ("status", "responsible", "cooperating", "origin"), "raised_on"),
    "meetings": ListSpec(("title", "status", "mechanism", "date"), ("status", "mechanism"), "date"),
    "reviews": ListSpec(("title", "status", "project.name", "convener", "notice.date"), ("status", "convener", "mechanism"), "notice.date"),
    "inspections": ListSpec(("title", "kind", "status", "department", "form", "date"), ("kind", "status", "department", "form"), "date"),
    "pushes": ListSpec(("title", "kind", "sender", "receivers", "date", "status"), ("kind", "sender", "receivers", "status"), "date"),
    "funds": ListSpec(("title", "kind", "manager", "status"), ("kind", "manager", "status")),
    "mechanisms": ListSpec(("title", "status", "kind", "cadence.every", "leads"), ("status", "kind", "leads")),
    "powers": ListSpec(
        ("title", "category", "mode", "granted_by", "implementer", "front_desk", "back_office", "status"),
        ("category", "mode", "granted_by", "implementer", "status"),
        if_filled=("granted_by", "front_desk", "back_office"),
    ),
    "organizations": ListSpec(("title", "level", "kind", "parent"), ("level", "kind", "status")),
    "documents": ListSpec(("title", "doc_number", "doc_type", "date", "status"), ("doc_type", "status"), "date"),
}


# A list page's HTML holds its first FIRST_ROWS rows (in the page's order: by id), so that its first
# load stays small at any size (#17: ≤ 300 KB at 10,000 records). A longer list also writes every row,
# as the page would show it, to row files beside the page: <type>/rows/0.json, 1.json, … of
# ROW_FILE_ROWS rows each, JSON arrays of each row's <tr> markup, rendered (and escaped) by the same
# template as the page's rows. site/javascripts/lists.js fetches them when a filter, a sort or 显示更多
# needs rows the page does not hold, and shows the matching rows FIRST_ROWS at a time. A list of at
# most FIRST_ROWS records has no row files: its page holds every row, as before.
FIRST_ROWS = 100
ROW_FILE_ROWS = 500
ROWS_FOLDER = "rows"


def row_file_names(count: int) -> list[str]:
    """The row files of a list of `count` records, relative to its page (rows/0.json, …); [] when
    its page holds every row."""
    if count <= FIRST_ROWS:
        return []
    return [f"{ROWS_FOLDER}/{n}.json" for n in range((count + ROW_FILE_ROWS - 1) // ROW_FILE_ROWS)]


def row_files(type_name: str, rows: list[str]) -> dict[str, bytes]:
    """The row files of a type's list (site path → content): `rows` is every row's <tr> markup, in
    the page's order; {} for a list its page holds whole."""
    return {
        f"{type_name}/{name}": json.dumps(rows[n * ROW_FILE_ROWS : (n + 1) * ROW_FILE_ROWS], ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        for n, name in enumerate(row_file_names(len(rows)))
    }


def list_row_files(renderer: Renderer) -> dict[str, bytes]:
    """The row files of every long list of the renderer's model (site path → content), each row
    rendered by list.md.j2's list_row exactly as the list page renders its first rows (same
    context, same page URL, so the same relative links and the same escaping)."""
    from liandong.site.contexts import list_context

    found: dict[str, bytes] = {}
    for type_name in renderer.model.types:
        context = list_context(renderer.status, type_name)
        if not context.row_files:
            continue
        url = f"{type_name}/"  # the list page's URL (Renderer.list_pages)
        for edition in renderer.editions():  # each edition's rows beside its own list page
            template = edition.env.get_template("list.md.j2")
            list_row = template.make_module({"c": context, "page_url": url, "r": edition}).__dict__["list_row"]  # the template's macro
            rows = [str(list_row(edition, context, row, url)) for row in context.rows]
            found.update(row_files(edition.language.prefix + type_name, rows))
    return found


# Columns that are no single field: who leads a record (its lead field, or the units of its leading
# roles: TypeSchema.leads_in) and the other units it names (配合单位, and the units of its other roles).
UNIT_COLUMNS = DERIVED_COLUMNS


def list_spec(type_name: str, settings: Configuration) -> ListSpec | None:
    """A type's list as the registry's configuration sets it (registry/liandong.yaml `lists`), else LISTS'."""
    spec = LISTS.get(type_name)
    chosen = (settings.data.get("lists") or {}).get(type_name)
    if not isinstance(chosen, dict):
        return spec
    base = spec or ListSpec(("title", "status"), ("status",))
    return replace(base, columns=tuple(chosen.get("columns") or base.columns), filters=tuple(chosen.get("filters") or base.filters))


def shown(spec: ListSpec, items: list[Item]) -> ListSpec:
    """The spec as a list of these records shows it: without the if_filled columns and filters that
    none of them fills."""
    empty = {path for path in spec.if_filled if all(value_at(item, path) in (None, "", [], {}) for item in items)}
    if not empty:
        return spec
    return replace(spec, columns=tuple(p for p in spec.columns if p not in empty), filters=tuple(p for p in spec.filters if p not in empty))


def pointer(path: str) -> tuple[str, ...]:
    return tuple(path.split("."))


def column_label(item_schema: TypeSchema, path: str) -> str:
    """A column's or filter's Chinese title."""
    return UNIT_COLUMNS.get(path) or item_schema.label(pointer(path))


def others(item: Item) -> list[str]:
    """The units a record names besides its leads: 配合单位, then the units of its non-leading roles."""
    leading = item.schema.leading_roles
    named = list(item.data.get("cooperating") or []) + [u for r in item.schema.roles_in(item.data) if r.get("role") not in leading for u in r.get("units", [])]
    leads = set(item.leads)
    return [u for u in dict.fromkeys(named) if isinstance(u, str) and u not in leads]


def value_at(item: Item, path: str) -> Any:
    if path == "leads":
        return item.leads or None
    if path == "others":
        return others(item) or None
    data: Any = item.data
    for part in pointer(path):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def tokens(item: Item, path: str) -> list[str]:
    """The filterable values of a field: codes or ids, as strings."""
    value = value_at(item, path)
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def filter_options(items: list[Item], path: str, label_of: dict[str, str]) -> list[tuple[str, str]]:
    """(value, label) for each distinct value, in a stable order: by label, then by value (two
    records may share a title; the order of a set is not stable between runs)."""
    seen = {token for item in items for token in tokens(item, path)}
    return sorted(((v, label_of.get(v, v)) for v in seen), key=lambda pair: (pair[1], pair[0]))
