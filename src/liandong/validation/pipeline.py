"""The gate: files → strict YAML → schema → cross-record rules → publication safety → positions."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from liandong.diagnostics import Diagnostic, sort_diagnostics
from liandong.model.today import resolve_today
from liandong.repo import SCHEMAS_DIR
from liandong.validation.configuration import CONFIG_PATH, read_configuration
from liandong.validation.files import ParseCache, Record, load_registry
from liandong.validation.messages import diagnostics_for
from liandong.validation.rules import Context, all_checks
from liandong.validation.schema import SchemaSet
from liandong.yamlio.locator import locate


@dataclass
class Result:
    schemas: SchemaSet
    records: list[Record]  # every record that parsed
    valid: list[Record]  # records that also passed their schema
    diagnostics: list[Diagnostic]  # sorted, located
    file_count: int

    def counts(self) -> Counter[str]:
        return Counter(record.type for record in self.records)


def validate(
    root: Path, schemas: SchemaSet | None = None, overlay: dict[str, bytes] | None = None, today: datetime.date | None = None, cache: ParseCache | None = None
) -> Result:
    """`today` (Beijing date) bounds the dates of history entries; default: SOURCE_DATE_EPOCH, else the clock.
    `cache` (the live preview's) skips parsing and schema-checking files that did not change."""
    today = resolve_today(today)
    configuration, found = read_configuration(root)
    schemas = schemas or SchemaSet(root / SCHEMAS_DIR, configuration)
    loaded = load_registry(root, list(schemas.types), overlay, cache)
    found.extend(loaded.diagnostics)
    valid: list[Record] = []
    checked: dict[str, tuple[Record, bool]] = {}
    for record in loaded.records:
        known = cache.schema_ok.get(record.path) if cache is not None else None
        ok = known[1] if known is not None and known[0] is record else schemas.is_valid(record.type, record.data)
        checked[record.path] = (record, ok)
        if ok:
            valid.append(record)
            continue
        diagnostics = diagnostics_for(record.path, schemas.types[record.type], schemas.errors(record.type, record.data))
        # The fast and the detailed validator should agree; never let a failing record pass silently.
        found.extend(diagnostics or [Diagnostic(record.path, "schema.other", "记录不符合模式", "请对照 schemas/ 中的模式检查。", pointer=())])
    if cache is not None:
        cache.schema_ok = checked
    before = cache.findings if cache is not None and cache.findings_day == today else None
    context = Context(schemas, loaded.records, valid, today, before)
    for check in all_checks():
        found.extend(check(context))
    if cache is not None:
        cache.findings, cache.findings_day = context.findings, today
    with_pointer = {d.path for d in found if d.pointer is not None and not d.line}
    texts = {r.path: r.text for r in loaded.records if r.path in with_pointer}
    if CONFIG_PATH in with_pointer:
        texts[CONFIG_PATH] = (root / CONFIG_PATH).read_text(encoding="utf-8", errors="replace")
    return Result(schemas, loaded.records, valid, sort_diagnostics(locate(found, texts)), loaded.file_count)


def within(diagnostics: list[Diagnostic], prefixes: list[str]) -> list[Diagnostic]:
    """Only the findings in the given files or folders (repository-relative POSIX paths)."""
    if not prefixes:
        return diagnostics
    return [d for d in diagnostics if any(d.path == p or d.path.startswith(p.rstrip("/") + "/") for p in prefixes)]
