"""What the public may see: the one rule, used by the pages, the downloads and the history alike.

A record marked internal (`public: false`) is left out, and so is every reference to it: any
value that is exactly an internal record's id, wherever it stands in a public record or in an
event of its history (a lead that was once an internal organisation). A list loses the item, a
mapping the entry; a reference standing alone becomes None. Free text is not searched: an id
inside a sentence is the writer's words, and the publish rules check those."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from liandong.validation.files import Record


def hidden_ids(records: Iterable[Record]) -> frozenset[str]:
    """The ids of the records the public may not see."""
    return frozenset(r.id for r in records if not r.public)


def mentions(value: Any, hidden: frozenset[str]) -> bool:
    """Whether `value` holds a reference to one of `hidden`."""
    if isinstance(value, str):
        return value in hidden
    if isinstance(value, dict):
        return any(mentions(v, hidden) for v in value.values())
    if isinstance(value, list):
        return any(mentions(v, hidden) for v in value)
    return False


def without(value: Any, hidden: frozenset[str]) -> Any:
    """`value` without its references to `hidden` (a copy where anything was left out)."""
    if isinstance(value, str):
        return None if value in hidden else value
    if isinstance(value, dict):
        return {k: without(v, hidden) for k, v in value.items() if not (isinstance(v, str) and v in hidden)}
    if isinstance(value, list):
        return [without(v, hidden) for v in value if not (isinstance(v, str) and v in hidden)]
    return value


def public_records(records: Iterable[Record]) -> list[Record]:
    """The records the public may see, each without its references to the others."""
    records = list(records)
    hidden = hidden_ids(records)
    return [public_record(r, hidden) for r in records if r.public]


def public_record(record: Record, hidden: frozenset[str]) -> Record:
    """A public record as the public sees it: without its references to `hidden` (itself when it has none)."""
    return dataclasses.replace(record, data=without(record.data, hidden)) if hidden and mentions(record.data, hidden) else record
