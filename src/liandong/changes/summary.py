"""A short Chinese account, in Markdown, of what a change does to each record: for reviewers and
the GitHub job summary. It describes; the findings themselves come from changes.py."""

from __future__ import annotations

import re
from typing import Any

from liandong.changes.check import ChangeReport
from liandong.changes.compare import Pair, Version
from liandong.changes.rules import new_entries, state_label
from liandong.validation.schema import TypeSchema

# Described on their own, not as "修改 X" (so are the history lists, by their entries).
_OWN_LINE = {"id", "status", "deadline", "example"}
_MARKDOWN = re.compile(r"([\\`*_\[\]<>#|])")


def _md(value: str) -> str:
    return _MARKDOWN.sub(r"\\\1", value)


def _name(version: Version) -> str:
    return f"{_md(version.id)}《{_md(version.title)}》" if version.title else _md(version.id)


def summary(report: ChangeReport, base: str) -> str:
    """Records leaving the public site come first, in their own section, then changes to the
    rules, then every other record change in the registry's order."""
    comparison = report.comparison
    types = report.schemas.types
    titles = {p.head.id: p.head.title for p in comparison.pairs} | {v.id: v.title for v in comparison.added}
    items: list[tuple[str, str]] = []  # (path, line) so the list follows the registry's order
    withdrawn: list[tuple[str, str]] = []  # public records made internal
    for new in comparison.added:
        status = new.data.get("status") if new.data else None
        ts = types.get(new.type)
        state = f"（{state_label(ts, status) if ts else _md(status)}）" if isinstance(status, str) else ""
        items.append((new.path, f"新增 {_name(new)}{state}"))
    for old in comparison.deleted:
        items.append((old.path, f"删除 {_name(old)}"))
    for pair in (p for p in comparison.pairs if not p.unchanged):
        changes = describe(types.get(pair.head.type) or types[pair.base.type], pair, titles, types[pair.base.type])
        if changes:
            (withdrawn if pair.made_internal else items).append((pair.head.path, f"{_name(pair.head)}：{'；'.join(changes)}"))
    for path, side in comparison.skipped:
        why = "" if side == "基准版本" else "（请运行 liandong validate 查看原因）"
        items.append((path, f"{_md(path)}：{side}无法解析，未比较{why}"))
    since = f"，自分叉点 {report.fork_point} 起" if report.fork_point else ""
    lines = [f"## 登记册变更摘要（与 {_md(base)} 比较{since}）", ""]
    if withdrawn:
        lines += [
            f"### 将从公开网站撤下的记录（{len(withdrawn)} 条）",
            "",
            "以下公开记录改为内部（visibility: internal），合并后将从公开网站撤下，已公开的链接将失效：",
            "",
        ]
        lines += [f"- {line}" for _, line in sorted(withdrawn)] + [""]
    if report.rules:
        lines += ["### 规则变更", "", f"本次修改了模式或状态流转定义；合并后才生效，本次的记录变更仍按 {_md(base)} 的规则检查：", ""]
        lines += [f"- {verb} {_md(path)}" for path, verb in report.rules] + [""]
    if withdrawn or report.rules:
        lines += ["### 其他记录变更" if withdrawn else "### 记录变更", ""]
    empty = "没有其他记录变更。" if withdrawn else "登记册中的记录没有变化。"
    lines += [f"- {line}" for _, line in sorted(items)] or [empty]
    errors = sum(d.severity == "error" for d in report.diagnostics)
    warnings = len(report.diagnostics) - errors
    lines += ["", f"检查结果：{errors} 个错误，{warnings} 个警告。" if report.diagnostics else "检查结果：没有发现问题。"]
    return "\n".join(lines) + "\n"


def describe(ts: TypeSchema, pair: Pair, titles: dict[str, str], base_ts: TypeSchema | None = None) -> list[str]:
    """Each change to one record, in a fixed order: identity, visibility, state, dates, history, other fields.
    `ts` is the schema of the head's type, `base_ts` that of the base's when the record changed type."""
    old, new = pair.base.data or {}, pair.head.data or {}
    changes: list[str] = []
    if pair.renamed:
        changes.append(f"编号由 {_md(pair.base.id)} 改为 {_md(pair.head.id)}")
    if pair.base.path.rsplit("/", 1)[0] != pair.head.path.rsplit("/", 1)[0]:
        changes.append(f"由 {_md(pair.base.path)} 移到 {_md(pair.head.path)}")
    if pair.base.link:
        changes.append("符号链接换成了记录文件本身")
    public = (old.get("visibility") != "internal", new.get("visibility") != "internal")
    if public[0] != public[1]:
        changes.append("由公开改为内部" if public[0] else "由内部改为公开")
    if old.get("status") != new.get("status") and isinstance(new.get("status"), str):
        changes.append(f"状态 {_state(base_ts or ts, old.get('status'))} → {_state(ts, new.get('status'))}")
    deadline_by_extension = False
    if old.get("deadline") != new.get("deadline"):
        line, deadline_by_extension = _deadline(ts, old, new, titles)
        changes.append(line)
    # The history lists (x-append-only), told by their short entry names (x-entry-name: 进度, 催办, …).
    histories = {**(base_ts.append_only if base_ts else {}), **ts.append_only}
    for field, name in histories.items():
        changes += _history(field, name, old.get(field), new.get(field), deadline_by_extension)
    if old.get("example") is True and new.get("example") is not True:
        changes.append("由示例改为正式记录")
    described = {*histories, *({"visibility"} if public[0] != public[1] else set())}
    changes += _other_fields([ts, *([base_ts] if base_ts else [])], old, new, described)
    if not changes and pair.base.text != pair.head.text:
        changes.append("仅修改了格式或注释")
    return changes


def _history(field: str, name: str, before: Any, after: Any, deadline_by_extension: bool) -> list[str]:
    before = before if isinstance(before, list) else []
    after = after if isinstance(after, list) else []
    grew = len(after) - len(before)
    if grew < 0:
        return [f"删去{name} {-grew} 条"]
    found = [] if after[: len(before)] == before else [f"改动已有{name}"]
    if grew and not (field == "extensions" and deadline_by_extension and grew == 1):
        found.append(f"新增{name} {grew} 条")
    return found


def _state(ts: TypeSchema, state: Any) -> str:
    return state_label(ts, state) if isinstance(state, str) else "（未填）"


def _deadline(ts: TypeSchema, old: dict[str, Any], new: dict[str, Any], titles: dict[str, str]) -> tuple[str, bool]:
    before, after = old.get("deadline"), new.get("deadline")
    line = f"{ts.label(('deadline',))} {before or '（未填）'} → {after or '（删去）'}"
    granted = [e for e in new_entries(old, new, "extensions") if isinstance(e, dict) and e.get("new_deadline") == after]
    if after is None or "extensions" not in ts.schema.get("properties", {}):
        return line, False
    if not granted:
        return (line + "（无延期记录）", False) if before else (line, False)
    approver = granted[-1].get("approved_by")
    by = f"，批准单位 {_md(titles.get(approver) or approver)}" if isinstance(approver, str) else ""
    return f"{line}（延期{by}）", True


def _other_fields(schemas: list[TypeSchema], old: dict[str, Any], new: dict[str, Any], described: set[str]) -> list[str]:
    """Fields filled, changed, removed, named by the first of `schemas` that knows them."""
    filled: list[str] = []
    changed: list[str] = []
    removed: list[str] = []
    for key in [*new, *(k for k in old if k not in new)]:
        if key in _OWN_LINE or key in described or old.get(key) == new.get(key):
            continue
        known = next((ts for ts in schemas if ts.subschema((key,)) is not None), None)
        label = _md(known.label((key,)) if known else key)
        (filled if key not in old else removed if key not in new else changed).append(label)
    return [f"{verb} {'、'.join(names)}" for verb, names in (("填写", filled), ("修改", changed), ("删去", removed)) if names]
