"""No record lies under itself: an organisation's parents (上级单位) and a mechanism's parent mechanism
(上级机制) never lead back to it. Every reader walks the parents (validation/hierarchy.py) without
looping, but a cycle has no top: the units in it would inherit no team and 下级单位 would go round."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from liandong.diagnostics import Diagnostic
from liandong.validation.hierarchy import PARENT, parents
from liandong.validation.rules import Context


def check(ctx: Context) -> Iterator[Diagnostic]:
    own = {name for name, ts in ctx.schemas.types.items() if any(path[:1] == (PARENT,) and target == name for path, target in ts.ref_paths)}
    for record in ctx.valid:
        if record.type not in own:
            continue

        def data_of(record_id: str, type_name: str = record.type) -> dict[str, Any] | None:
            found = ctx.get(record_id)
            return found.data if found is not None and found.type == type_name else None

        cycle = _cycle(record.id, data_of)
        if cycle is None:
            continue
        ts = ctx.schemas.types[record.type]
        value = record.data.get(PARENT)
        pointer: tuple[str | int, ...] = (PARENT, value.index(cycle[1])) if isinstance(value, list) else (PARENT,)
        label = ts.label((PARENT,))
        yield Diagnostic(
            record.path,
            "ref.parent-cycle",
            f"{label}形成循环：{' → '.join(cycle)}",
            f"一条{ts.title}记录不能直接或间接地是自己的{label}；请核对这一圈中每条记录的{label}（{PARENT}），删去或改正写错的一个。",
            pointer=pointer,
        )


def _cycle(start: str, data_of: Any) -> list[str] | None:
    """The shortest way from `start` up through the parents back to it (start, …, start), None without one."""
    came_from: dict[str, str] = {}
    queue = [start]
    while queue:
        current = queue.pop(0)
        for parent in parents(data_of(current)):
            if parent == start:
                way = [current]
                while way[-1] != start:
                    way.append(came_from[way[-1]])
                return [*reversed(way), start]
            if parent not in came_from and parent != start:
                came_from[parent] = current
                queue.append(parent)
    return None
