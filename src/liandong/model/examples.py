"""Examples are never facts (DESIGN.md): a figure about a real record counts real records only, and
the example records that would have entered it are shown apart, marked 示例. About an example
record everything counts — an example describes examples. Every figure the site derives about a
record (what a unit leads, whether a mechanism met each quarter, how a meeting's decisions stand,
the home page's totals) splits its records here, so the rule is said once."""

from __future__ import annotations

from collections.abc import Iterable

from liandong.model.model import Item


def split(subject: Item | None, items: Iterable[Item]) -> tuple[list[Item], list[Item]]:
    """(the records a figure about `subject` counts, the example records shown apart). A subject of
    None is the registry as a whole (the home page), which is real."""
    found = list(items)
    if subject is not None and subject.example:
        return found, []
    return [i for i in found if not i.example], [i for i in found if i.example]
