"""Each record's id equals its file name, is unique across the whole registry, and is not the name
of a page the site writes into the type's folder (its list page, the inspection calendar…)."""

from __future__ import annotations

from collections.abc import Iterator

from liandong.diagnostics import Diagnostic
from liandong.model.vocabulary import PAGE_NAMES
from liandong.validation.rules import Context


def check(ctx: Context) -> Iterator[Diagnostic]:
    for record in ctx.records:
        declared = record.data.get("id")
        if isinstance(declared, str) and declared != record.id:
            yield Diagnostic(
                record.path,
                "id.mismatch",
                f"编号 “{declared}” 与文件名 “{record.id}.yaml” 不一致",
                f"请把 id 改为 {record.id}，或把文件改名为 {declared}.yaml。",
                pointer=("id",),
            )
        pages = PAGE_NAMES["*"] + PAGE_NAMES.get(record.type, ())
        if record.id in pages:
            ts = ctx.schemas.types.get(record.type)
            prefix = ts.id_prefix if ts is not None else record.type
            yield Diagnostic(
                record.path,
                "id.reserved",
                f"编号 “{record.id}” 是网站在 {record.type}/ 中留给页面的名称，不能用作记录编号",
                f"{record.type}/ 中留给页面的名称：{'、'.join(pages)}；请换一个编号，例如 {prefix}-0001（liandong new 会给出下一个可用编号）。",
                pointer=("id",),
            )
    seen: dict[str, str] = {}
    for record in sorted(ctx.records, key=lambda r: r.path):
        if record.id in seen:
            yield Diagnostic(
                record.path,
                "id.duplicate",
                f"编号 “{record.id}” 已被 {seen[record.id]} 使用",
                "编号在整个登记册中必须唯一；请换一个编号（liandong new 会给出下一个可用编号）。",
                pointer=("id",),
            )
        else:
            seen[record.id] = record.path
