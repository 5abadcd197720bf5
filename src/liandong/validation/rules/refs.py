"""Every reference resolves, to a record of the right type; clauses and decisions exist."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from liandong.diagnostics import Diagnostic
from liandong.model import clauses
from liandong.validation.configuration import Configuration
from liandong.validation.files import Record
from liandong.validation.rules import Context
from liandong.validation.schema import values_at


def check(ctx: Context) -> Iterator[Diagnostic]:
    ids_by_type: dict[str, list[str]] = {}
    for record in ctx.records:
        ids_by_type.setdefault(record.type, []).append(record.id)
    for record in ctx.valid:
        ts = ctx.schemas.types[record.type]
        for path, target_type in ts.ref_paths:
            if path[0] not in record.data:  # most records fill few of their type's references
                continue
            for pointer, value in values_at(record.data, path):
                if not isinstance(value, str):
                    continue
                target = ctx.get(value)
                if target is None:
                    close = difflib.get_close_matches(value, ids_by_type.get(target_type, []), n=1, cutoff=0.6)
                    type_title = ctx.schemas.types[target_type].title
                    hint = f"是否想写 “{close[0]}”？" if close else f"请填写已有的{type_title}编号（registry/{target_type}/ 中的文件名）。"
                    yield Diagnostic(record.path, "ref.unknown-id", f"{ts.label(pointer)} “{value}” 不存在", hint, pointer=pointer)
                elif record.public and not target.public:
                    yield Diagnostic(
                        record.path,
                        "publish.internal-ref",
                        f"公开记录引用了内部记录 “{value}”",
                        "公开网站和下载数据中会删去这个引用；如果应当公开，请把被引用的记录改为 visibility: public。",
                        pointer=pointer,
                        severity="warning",
                    )
                if target is not None and target.type != target_type:
                    want = ctx.schemas.types[target_type].title
                    got = ctx.schemas.types[target.type].title
                    yield Diagnostic(
                        record.path,
                        "ref.wrong-type",
                        f"{ts.label(pointer)} “{value}” 是{got}，这里应引用{want}",
                        f"请填写 registry/{target_type}/ 中的编号。",
                        pointer=pointer,
                    )
        yield from _sources(ctx, record)
        yield from _escalations(ctx, record)


def _clause_numbers(document: Record | None) -> set[Any] | None:
    if document is None or document.type != "documents":
        return None
    return {c.get("number") for c in document.data.get("clauses", []) if isinstance(c, dict)}


def _clause_hint(cited: Any, numbers: set[Any]) -> str:
    """The clauses a document lists, in its order; and why a part of a listed clause is not found."""
    listed = sorted((n for n in numbers if isinstance(n, str) and n), key=clauses.sort_key)
    parent = next((n for n in reversed(listed) if isinstance(cited, str) and clauses.within(cited, n)), None)
    why = f"文件列出了 {parent} 的部分条款，其他部分也要列出才能引用。" if parent else ""
    return f"{why}已有条款：{'、'.join(listed) or '（该文件未列出条款）'}"


def _sources(ctx: Context, record: Record) -> Iterator[Diagnostic]:
    """Clause and decision numbers cited alongside a document or meeting id."""
    candidates: list[tuple[tuple[Any, ...], Any]] = []
    for key in ("source", "sources"):
        value = record.data.get(key)
        if isinstance(value, dict):
            candidates.append(((key,), value))
        elif isinstance(value, list):
            candidates.extend(((key, i), v) for i, v in enumerate(value) if isinstance(v, dict))
    for i, name in enumerate(record.data.get("other_names", []) or []):
        if isinstance(name, dict) and isinstance(name.get("source"), dict):
            candidates.append((("other_names", i, "source"), name["source"]))
    for i, item in enumerate(record.data.get("discussed_at", []) or []):
        candidates.append((("discussed_at", i), item))
    for pointer, ref in candidates:
        if "document" in ref and "clause" in ref:
            numbers = _clause_numbers(ctx.get(ref["document"]))
            if numbers is not None and clauses.resolve(ref["clause"], numbers) is None:
                yield Diagnostic(
                    record.path,
                    "ref.unknown-clause",
                    f"文件 “{ref['document']}” 中没有条款 “{ref['clause']}”",
                    _clause_hint(ref["clause"], numbers),
                    pointer=pointer + ("clause",),
                )
        if "meeting" in ref and "decision" in ref:
            meeting = ctx.get(ref["meeting"])
            if meeting is not None and meeting.type == "meetings":
                decisions = {d.get("number") for d in meeting.data.get("decisions", []) if isinstance(d, dict)}
                if ref["decision"] not in decisions:
                    listed = "、".join(str(n) for n in sorted(n for n in decisions if isinstance(n, int))) or "（该会议没有议定事项）"
                    yield Diagnostic(
                        record.path,
                        "ref.unknown-decision",
                        f"会议 “{ref['meeting']}” 中没有第 {ref['decision']} 项议定事项",
                        f"已有议定事项序号：{listed}",
                        pointer=pointer + ("decision",),
                    )


def _escalations(ctx: Context, record: Record) -> Iterator[Diagnostic]:
    """Matters needing a decision go up only to the levels and bodies the configuration names."""
    settings = ctx.schemas.configuration
    targets: list[tuple[tuple[Any, ...], Any]] = []
    escalation = record.data.get("escalation")
    if isinstance(escalation, dict):  # a coordination matter's report
        targets.extend((("escalation", "to", j), unit) for j, unit in enumerate(escalation.get("to") or []))
    elif isinstance(escalation, list):  # a mechanism's rules of whom to report to, and when
        targets.extend(
            (("escalation", i, "to", j), unit) for i, rule in enumerate(escalation) if isinstance(rule, dict) for j, unit in enumerate(rule.get("to") or [])
        )
    for i, decision in enumerate(record.data.get("decisions", []) or []):
        if isinstance(decision, dict):
            targets.extend((("decisions", i, "report_to", j), unit) for j, unit in enumerate(decision.get("report_to") or []))
    for pointer, target_id in targets:
        target = ctx.get(target_id) if isinstance(target_id, str) else None
        if target is not None and target.type == "organizations" and not settings.may_escalate_to(target.data):
            yield Diagnostic(
                record.path,
                "ref.escalation-target",
                f"“{target_id}”（{target.data.get('title')}，{_level_label(ctx, target.data.get('level'))}）不是可以报请决策的单位",
                escalation_hint(ctx, settings),
                pointer=pointer,
            )


def _level_label(ctx: Context, level: Any) -> str:
    labels = ctx.schemas.types["organizations"].enum_labels(("level",)) if "organizations" in ctx.schemas.types else {}
    return labels.get(str(level), str(level))


def escalation_hint(ctx: Context, settings: Configuration) -> str:
    """Who may be reported up to, in words: the configured levels' names, the bodies' names and the basis."""
    labels = ctx.schemas.types["organizations"].enum_labels(("level",)) if "organizations" in ctx.schemas.types else {}
    order = list(labels)
    levels = sorted(settings.escalation_levels, key=lambda level: (order.index(level) if level in order else len(order), level))
    allowed = [f"{labels.get(level, level)}单位" for level in levels]
    for body in sorted(settings.escalation_bodies):
        found = ctx.get(body)
        allowed.append(str(found.data.get("title")) if found is not None else body)
    basis = settings.escalation_basis
    source = f"按{_basis_words(ctx, basis)}，" if basis else ""
    listed = "、".join(allowed) or "（配置中没有列出任何对象）"
    return f"{source}需要上级决策的事项报请：{listed}。可以报请的层级和单位由 registry/liandong.yaml 的 escalation 规定。"


def _basis_words(ctx: Context, basis: dict[str, str]) -> str:
    document = ctx.get(basis["document"])
    title = document.data.get("title") if document is not None else None
    name = f"《{title}》" if isinstance(title, str) else basis["document"]
    return f"{name}{basis['clause']}"
