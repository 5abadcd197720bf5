"""Clause numbers in a document and decision numbers in a meeting are unique, so citations are unambiguous."""

from __future__ import annotations

from collections.abc import Iterator

from liandong.diagnostics import Diagnostic
from liandong.validation.rules import Context

NUMBERED = {"documents": ("clauses", "条款"), "meetings": ("decisions", "议定事项")}


def check(ctx: Context) -> Iterator[Diagnostic]:
    for record in ctx.valid:
        if record.type not in NUMBERED:
            continue
        key, noun = NUMBERED[record.type]
        seen: set[object] = set()
        for i, item in enumerate(record.data.get(key, [])):
            number = item["number"]
            if number in seen:
                yield Diagnostic(
                    record.path,
                    "numbering.duplicate",
                    f"{noun}编号 “{number}” 重复",
                    f"每个{noun}的编号只能用一次，其他记录靠它引用。",
                    pointer=(key, i, "number"),
                )
            seen.add(number)
