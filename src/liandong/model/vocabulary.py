"""Facts of the domain that are not about one field of one schema, each said once here. What
describes a field lives in the schemas instead (x-ref, x-lead, x-append-only, x-entry-name)."""

from __future__ import annotations

# 实施意见三(三)3: matters needing a decision go up to 自治区 or 防城港市 — organisations of these levels.
ESCALATION_LEVELS = frozenset({"region", "prefecture"})

# Derived status (status.py): a deadline this many days away is "due soon"; an open item without
# a progress entry for longer than STALE_DAYS is "stale". The site's labels are built from these.
DUE_SOON_DAYS = 7
STALE_DAYS = 30

# The order of the record types on the site (lists, the home page, relations). mkdocs.yml's nav
# names them in this order too, in its own words; tests/unit/test_type_order.py holds it to this.
TYPE_ORDER = ("tasks", "coordination", "meetings", "mechanisms", "powers", "organizations", "documents")
