"""What the text makes of a duty (nature): a standing rule (长期执行的规定, e.g. 每季度召开一次) has no
day on which it is done, so it has no deadline; what the text says of its timing goes in
timing_as_written. model/status.py (is_standing) keeps it out of everything that counts lateness."""

from __future__ import annotations

from collections.abc import Iterator

from liandong.diagnostics import Diagnostic
from liandong.validation.rules import Context


def check(ctx: Context) -> Iterator[Diagnostic]:
    for record in ctx.valid:
        if record.data.get("nature") != "standing":
            continue
        ts = ctx.schemas.types[record.type]
        nature = ts.enum_labels(("nature",)).get("standing", "standing")
        for key in ("deadline", "extensions"):
            if key in record.data:
                yield Diagnostic(
                    record.path,
                    "nature.standing-deadline",
                    f"{nature}（nature: standing）不填写{ts.label((key,))}（{key}）",
                    f"{nature}没有办结的一天，不计逾期，也就没有办理时限和延期；原文对时间的写法（如“每季度召开一次”“及时”）"
                    "写在原文时限（timing_as_written）中。这项工作确有办理时限的，请把事项性质改为 task（限期任务）。",
                    pointer=(key,),
                    at_key=True,
                )
