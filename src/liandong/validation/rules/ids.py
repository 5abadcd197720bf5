"""Each record's id equals its file name and is unique across the whole registry."""

from __future__ import annotations

from collections.abc import Iterator

from liandong.diagnostics import Diagnostic
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
