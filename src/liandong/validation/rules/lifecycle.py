"""Fields a state requires are present (a completed task has its completion, …).

The states and what each requires are data: schemas/<type>.lifecycle.yaml."""

from __future__ import annotations

from collections.abc import Iterator

from liandong.diagnostics import Diagnostic
from liandong.validation.rules import Context


def check(ctx: Context) -> Iterator[Diagnostic]:
    for record in ctx.valid:
        ts = ctx.schemas.types[record.type]
        status = str(record.data.get("status", ""))
        labels = ts.enum_labels(("status",))
        for name in ts.lifecycle.requires.get(status, []):
            if record.data.get(name) in (None, [], {}, ""):
                yield Diagnostic(
                    record.path,
                    "lifecycle.missing-field",
                    f"状态为 “{status}”（{labels.get(status, status)}）时必须填写 “{name}”（{ts.label((name,))}）",
                    f"请补充 {name}，或把状态改回与实际相符的值。",
                    pointer=("status",),
                )
