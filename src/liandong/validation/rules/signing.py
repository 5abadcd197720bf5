"""签收 (#15): the unit that signs for a task or matter is one that leads it (the schema's x-lead:
every 牵头单位 of a task, the first 责任单位 of a matter). A 签收 by anyone else would start the
clock for a unit that never received the item."""

from __future__ import annotations

from collections.abc import Iterator

from liandong.diagnostics import Diagnostic
from liandong.validation.rules import Context


def check(ctx: Context) -> Iterator[Diagnostic]:
    for record in ctx.valid:
        ts = ctx.schemas.types[record.type]
        block = record.data.get("acknowledgement")
        if not isinstance(block, dict) or not isinstance(block.get("by"), str) or ts.lead_field is None:
            continue
        leads = ts.leads_in(record.data)
        if block["by"] in leads:
            continue
        by_roles = bool(ts.roles_in(record.data))
        field = "分工中牵头" if by_roles else ts.label((ts.lead_field[0],))
        which = "第一个" if ts.lead_field[1] and not by_roles else ""
        named = "、".join(f"“{unit}”" for unit in leads)
        yield Diagnostic(
            record.path,
            "ref.signer-not-lead",
            f"签收单位 “{block['by']}” 不是{field}的{which}单位" + (f"（{named}）" if named else f"（未填写{field}）"),
            f"只有牵头的单位能签收：请把 acknowledgement.by 改为 {named or '牵头单位'}，或先核对{field}。",
            pointer=("acknowledgement", "by"),
        )
