"""Records under others of their own type: an organisation under its parents (a joint body is founded
by two governments: `parent` lists both), a mechanism under its parent mechanism. The one walk up
that every reader uses (pushes signed for by a unit under a receiver, the reviewer team a unit
inherits, the cycle check), breadth first in the order the records list their parents, each record
once, so that a cycle (refused by ref.parent-cycle) cannot make it loop."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

PARENT = "parent"


def parents(data: Any) -> list[str]:
    """The ids a record names as its parents: the list `parent` holds (organisations), or the one id
    it is (mechanisms); [] without one."""
    value = data.get(PARENT) if isinstance(data, dict) else None
    items = value if isinstance(value, list) else [value]
    return [p for p in items if isinstance(p, str)]


def ancestors(start: str, data_of: Callable[[str], Any]) -> Iterator[str]:
    """`start`, then its parents, their parents… nearest first (breadth first, in the order each
    record lists them), each once; `data_of(id)` is a record's data, None when it is not there."""
    seen = {start}
    queue = [start]
    while queue:
        current = queue.pop(0)
        yield current
        for parent in parents(data_of(current)):
            if parent not in seen:
                seen.add(parent)
                queue.append(parent)


def within(unit: str, ancestor: str, data_of: Callable[[str], Any]) -> bool:
    """Whether `unit` is `ancestor` or lies under it through the parents."""
    return any(found == ancestor for found in ancestors(unit, data_of))
