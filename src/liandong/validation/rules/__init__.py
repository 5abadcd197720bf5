"""The rules after the schema: cross-record rules and publication safety (personal.py). Each is
`check(context) -> Iterator[Diagnostic]`; all_checks() lists them in the order they run."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from liandong.diagnostics import Diagnostic
from liandong.validation.files import Record
from liandong.validation.schema import SchemaSet

Findings = dict[tuple[str, str], tuple[Record, list[Diagnostic]]]  # (rule, path) → the record checked, what was found


@dataclass
class Context:
    schemas: SchemaSet
    records: list[Record]  # every record that parsed, valid or not
    valid: list[Record]  # those that also passed their schema: the only ones rules inspect
    today: datetime.date | None = None  # Beijing date the registry is checked on; None skips the rules that need it
    before: Findings | None = None  # the last validation's findings of one-record rules, on the same day (the live preview's)
    by_id: dict[str, list[Record]] = field(init=False)
    findings: Findings = field(init=False, default_factory=dict)  # this validation's, for the next

    def __post_init__(self) -> None:
        self.by_id = {}
        for record in self.records:
            written = record.data.get("id")
            key = written if isinstance(written, str) else record.id
            self.by_id.setdefault(key, []).append(record)
            if key != record.id:  # a mismatched id is reported once; references may use either
                self.by_id.setdefault(record.id, []).append(record)

    def get(self, record_id: str) -> Record | None:
        found = self.by_id.get(record_id)
        return found[0] if found else None

    def alone(self, rule: str, record: Record, check: Callable[[Record], Iterable[Diagnostic]]) -> list[Diagnostic]:
        """The findings of a rule that looks at this record alone (and at today): the last
        validation's where the record is the same object (validation.files.ParseCache keeps the
        records of unchanged files), so a save in the live preview checks only what it changed."""
        key = (rule, record.path)
        last = self.before.get(key) if self.before is not None else None
        found = last[1] if last is not None and last[0] is record else list(check(record))
        self.findings[key] = (record, found)
        return found


Check = Callable[[Context], Iterator[Diagnostic]]


def all_checks() -> list[Check]:
    from liandong.validation.rules import (
        codes,
        configuration,
        dates,
        duties,
        funds,
        header,
        hierarchy,
        ids,
        inspections,
        kinds,
        lifecycle,
        meeting_times,
        numbering,
        personal,
        powers,
        pushes,
        refs,
        reviews,
        roles,
        signing,
    )

    return [
        header.check,
        configuration.check,
        ids.check,
        refs.check,
        hierarchy.check,
        roles.check,
        signing.check,
        dates.check,
        meeting_times.check,
        lifecycle.check,
        numbering.check,
        kinds.check,
        duties.check,
        inspections.check,
        pushes.check,
        powers.check,
        funds.check,
        reviews.check,
        codes.check,
        personal.check,
    ]
