"""Facts of the domain that are not about one field of one schema, each said once here. What
describes a field lives in the schemas instead (x-ref, x-lead, x-append-only, x-entry-name)."""

from __future__ import annotations

# 实施意见三(三)3: matters needing a decision go up to 自治区 or 防城港市 — organisations of these levels.
ESCALATION_LEVELS = frozenset({"region", "prefecture"})

# Derived status (status.py): a deadline this many days away is "due soon" (临近提醒, #15); an open
# item without a progress entry for longer than STALE_DAYS is "stale"; a meeting held this many days
# ago without its minutes on record is "minutes missing". The site's labels, the report and the
# reminders (`liandong remind`) are all built from these, so they always agree.
DUE_SOON_DAYS = 3
STALE_DAYS = 30
MINUTES_DUE_DAYS = 7

# The order of the record types on the site (lists, the home page, relations). mkdocs.yml's nav
# names them in this order too, in its own words; tests/unit/test_type_order.py holds it to this.
TYPE_ORDER = ("tasks", "coordination", "meetings", "reviews", "inspections", "pushes", "funds", "mechanisms", "powers", "organizations", "documents")

# 实施意见三(一)3, the two directions of 信息推送, by organisation level (organizations.schema.json
# `level`): kind → (levels that send it, levels that receive it). 东兴试验区管委会 (zone) pushes
# approval information to 防城港市 and 东兴市 departments; they push superior policies and
# supervision information to it.
PUSH_DIRECTIONS = {
    "approval": (frozenset({"zone"}), frozenset({"prefecture", "county"})),
    "policy": (frozenset({"prefecture", "county"}), frozenset({"zone"})),
    "supervision": (frozenset({"prefecture", "county"}), frozenset({"zone"})),
}

# Page names inside a type's folder that are not records: a record with such an id would take
# the page's place (validation/rules/ids.py refuses it). "index" is every type's list page.
PAGE_NAMES = {"*": ("index",), "inspections": ("calendar", "enterprises")}
