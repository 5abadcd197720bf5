"""Rules against the base branch: what a pull request may and may not do to existing records.

Every change is judged by the base's rules: the schemas and lifecycles are read from the base
commit's tree, never from the working tree, so a pull request cannot bring the rules that allow
it. A change to schemas/ is reported on its own (change.rules-changed); it judges records only
once it has landed. The base versions are read straight from Git objects (no checkout, no
worktree) for every type the base knows, so each record of the base is accounted for whatever the
pull request does to the schemas; the working tree is read through registry.load_registry, both
with the same strict loader. Records are matched by path, then by id: the same id in another
folder is the same record whose type changed, an error unless it moves a misplaced file (one its
old folder's schema rejects) into a folder that fits it. A symlink in the base is a record
position to account for (followed within the base tree); a symlink in the working tree never
counts as a record. Findings point into the head file (line:col via locate.py); a deleted record
is named by its base path, line 1. Records whose base or head version does not parse are
skipped: `validate` reports those.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from liandong.changes.base import base_configuration, base_rules, base_schemas, blob_id, configuration_changed, head_rules, open_base, read_base, rules_changed
from liandong.changes.compare import Comparison, compare, read_head
from liandong.changes.rules import check_pair, deleted_record, fixes_folder, new_record_state, rule_file_changed, type_changed
from liandong.diagnostics import Diagnostic, sort_diagnostics
from liandong.validation.schema import SCHEMA_SUFFIX, SchemaSet, is_type_schema
from liandong.yamlio.locator import locate


@dataclass
class ChangeReport:
    schemas: SchemaSet  # the base's: every record change was judged by them
    comparison: Comparison
    diagnostics: list[Diagnostic]  # sorted, located
    fork_point: str | None = None  # short hash of the merge base, when it is not the base ref itself
    rules: list[tuple[str, str]] = field(default_factory=list)  # (schemas/… path, 新增|修改|删除) in this change


def check_changes(root: Path, ref: str) -> ChangeReport:
    base = open_base(root, ref)
    old_rules, new_rules = base_rules(base), head_rules(root)
    # Judged by the base's rules; a base without any (the registry's first change) by the working tree's.
    old_configuration = base_configuration(base)
    schemas = base_schemas(old_rules, ref, old_configuration) or SchemaSet.for_root(root)
    types = list(schemas.types)
    new_types = sorted(n[: -len(SCHEMA_SUFFIX)] for n in new_rules if is_type_schema(n))
    head = read_head(root, [*types, *(t for t in new_types if t not in types)])
    comparison = compare(read_base(base, types, {blob_id(v.text): v for v in head if v.text is not None}), head)
    rules = rules_changed(old_rules, new_rules) + configuration_changed(root, old_configuration)
    found: list[Diagnostic] = [rule_file_changed(path, verb, ref) for path, verb in rules]
    for old in comparison.deleted:
        found.append(deleted_record(schemas.types[old.type], old, (root / old.path).is_symlink()))
    for new in comparison.added:
        if new.type in schemas.types:  # a type the base does not know has no rules yet: see change.rules-changed
            found.extend(new_record_state(schemas.types[new.type], new))
    for pair in comparison.pairs:
        if pair.base.type != pair.head.type and not fixes_folder(schemas, pair):
            found.append(type_changed(schemas, pair))
        elif not pair.unchanged:
            found.extend(check_pair(schemas, pair))
    texts = {p.head.path: p.head.text for p in comparison.pairs if p.head.text is not None}
    texts.update({v.path: v.text for v in comparison.added if v.text is not None})
    return ChangeReport(schemas, comparison, sort_diagnostics(locate(found, texts)), base.fork_point, rules)
