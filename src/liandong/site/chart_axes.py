"""What the site's charts share (the funds ledger's balance, the task timeline): the months a
time axis marks, so every chart marks time the same way."""

from __future__ import annotations

import datetime


def month_ticks(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The first days of the months between the two days: every month up to a year, every third
    month up to three years, every year beyond."""
    count = (last.year - first.year) * 12 + last.month - first.month
    every = 1 if count <= 12 else 3 if count <= 36 else 12
    found: list[datetime.date] = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        day = datetime.date(year, month, 1)
        if day >= first and (month - 1) % every == 0:
            found.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found
