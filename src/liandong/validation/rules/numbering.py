"""Clause numbers in a document, decision numbers in a meeting and measure codes in a mechanism
are unique, so citations are unambiguous."""

from __future__ import annotations

from collections.abc import Iterator

from liandong.diagnostics import Diagnostic
from liandong.model import clauses
from liandong.validation.files import Record
from liandong.validation.rules import Context

NUMBERED = {"documents": ("clauses", "条款"), "meetings": ("decisions", "议定事项")}


def check(ctx: Context) -> Iterator[Diagnostic]:
    for record in ctx.valid:
        if record.type == "mechanisms":
            yield from _measure_codes(record)
        if record.type not in NUMBERED:
            continue
        key, noun = NUMBERED[record.type]
        seen: set[object] = set()
        for i, item in enumerate(record.data.get(key, [])):
            number = item["number"]
            # 三(一) and 三（一） are one clause, however its brackets are written.
            same = clauses.key(number) if isinstance(number, str) else number
            if same in seen:
                yield Diagnostic(
                    record.path,
                    "numbering.duplicate",
                    f"{noun}编号 “{number}” 重复",
                    f"每个{noun}的编号只能用一次，其他记录靠它引用。",
                    pointer=(key, i, "number"),
                )
            seen.add(same)


def _measure_codes(record: Record) -> Iterator[Diagnostic]:
    """A mechanism's measures are cited by code (a review's measures): each code once."""
    seen: set[object] = set()
    for i, measure in enumerate(record.data.get("measures", [])):
        code = measure.get("code")
        if code is None:
            continue
        if code in seen:
            yield Diagnostic(
                record.path,
                "numbering.duplicate",
                f"措施代码 “{code}” 重复",
                "每项措施的代码只能用一次，集中审理等记录靠它引用措施。",
                pointer=("measures", i, "code"),
            )
        seen.add(code)
