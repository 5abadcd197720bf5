"""分工 as the text gives it (#13): a role's words are the clause's own, and who leads agrees with
whether the source names a lead. The roles vocabulary and which roles lead are the schemas'
(common.schema.json role, x-leading); this module only checks records against them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from liandong.diagnostics import Diagnostic
from liandong.model import clauses
from liandong.validation.files import Record
from liandong.validation.rules import Context


def check(ctx: Context) -> Iterator[Diagnostic]:
    for record in ctx.valid:
        ts = ctx.schemas.types[record.type]
        roles = ts.roles_in(record.data)
        if not roles:
            continue
        yield from _quotes(ctx, record, roles)
        leading = [i for i, r in enumerate(roles) if r.get("role") in ts.leading_roles]
        labels = ts.enum_labels((ts.roles_field or "", 0, "role"))
        named = "、".join(labels[r] for r in sorted(ts.leading_roles, key=list(labels).index))
        if record.data.get("unassigned_in_source") is True and leading:
            yield Diagnostic(
                record.path,
                "roles.lead",
                f"来源未明确牵头单位，分工中却有牵头的角色“{labels.get(roles[leading[0]]['role'], '')}”",
                f"{named}都算作牵头；原文确实没有写明牵头单位时，请改用其他角色（如 召集、参加），否则删去 unassigned_in_source。",
                pointer=(ts.roles_field or "", leading[0], "role"),
            )
        elif record.type == "tasks" and not leading and record.data.get("unassigned_in_source") is not True:
            yield Diagnostic(
                record.path,
                "roles.lead",
                "分工中没有牵头的角色，任务没有牵头单位",
                f"督办任务要有牵头单位：{named}都算作牵头。原文确实没有写明时，请设 unassigned_in_source: true，网站显示“原文未明确”。",
                pointer=(ts.roles_field or "",),
            )


def _quotes(ctx: Context, record: Record, roles: list[dict[str, Any]]) -> Iterator[Diagnostic]:
    """A role's as_written is the source clause's own words, character for character, so the page
    can show it as a quotation. Without the clause's text on record there is nothing to check."""
    source = record.data.get("source")
    if not isinstance(source, dict):
        return
    document = ctx.get(str(source.get("document", "")))
    if document is None or document.type != "documents":
        return
    clause = clauses.entry(source.get("clause"), document.data.get("clauses"))
    if clause is None or not isinstance(text := clause.get("text"), str):
        return
    cited = str(source.get("clause"))
    # A paragraph-level citation (第六条第二款) is checked against the text of the clause it lies within.
    checked = cited if clauses.same(cited, clause["number"]) else f"{cited}（按{clause['number']}的正文核对）"
    field = ctx.schemas.types[record.type].roles_field or ""
    for i, role in enumerate(roles):
        quote = role.get("as_written")
        if isinstance(quote, str) and quote not in text:
            yield Diagnostic(
                record.path,
                "roles.not-quoted",
                f"原文依据 “{quote}” 不是条款 {checked} 的原话",
                "原文依据须逐字摘自来源条款（标点、全角半角都要一致）；原文没有写明的，请删去原文依据，改为 inferred: true 并在 basis 中说明推定理由。",
                pointer=(field, i, "as_written"),
            )
