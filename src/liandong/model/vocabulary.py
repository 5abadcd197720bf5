"""Facts of the domain that are not about one field of one schema, each said once here. What
describes a field lives in the schemas instead (x-ref, x-lead, x-append-only, x-entry-name)."""

from __future__ import annotations

# What belongs to one zone and its policy (who matters go up to, the warning windows of the derived
# status, code lists) is the registry's configuration, registry/liandong.yaml: see
# validation/configuration.py.

# The order of the record types on the site (lists, the home page, relations). mkdocs.yml's nav
# names them in this order too, in its own words; tests/unit/test_type_order.py holds it to this.
TYPE_ORDER = ("tasks", "coordination", "meetings", "reviews", "inspections", "pushes", "funds", "mechanisms", "powers", "organizations", "documents")

# The two directions of 信息推送, by organisation level (organizations.schema.json `level`):
# kind → (levels that send it, levels that receive it). The zone's management committee pushes
# approval information to the city and county departments; they push superior policies and
# supervision information to it.
PUSH_DIRECTIONS = {
    "approval": (frozenset({"zone"}), frozenset({"prefecture", "county"})),
    "policy": (frozenset({"prefecture", "county"}), frozenset({"zone"})),
    "supervision": (frozenset({"prefecture", "county"}), frozenset({"zone"})),
}

# Page names inside a type's folder that are not records: a record with such an id would take
# the page's place (validation/rules/ids.py refuses it). "index" is every type's list page.
PAGE_NAMES = {"*": ("index",), "inspections": ("calendar", "enterprises")}
