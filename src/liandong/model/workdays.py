"""Working days (工作日) as mainland China counts them: Monday to Friday, less the national holidays,
plus the weekend days made working days in their place (调休上班), as 国务院办公厅 announces them
each year.

The years up to the one PyPI's `chinesecalendar` knows come from it; a later year comes from the
registry: the 国务院办公厅 notice for that year is a document record whose `holidays` field lists
the days off and the makeup workdays (see schemas/documents.schema.json). A date in a year that
neither knows is an error for the caller to report, never a guess: counting it as an ordinary
week would put a deadline a week early across a 春节 nobody entered."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import chinese_calendar

UNITS = ("working_day", "day")  # 工作日, 自然日: as the notice states the limit


class OutsideCalendar(ValueError):
    """A date in a year whose holidays are not known."""

    def __init__(self, day: datetime.date, known: tuple[int, int] | None) -> None:
        self.day = day
        span = f"{known[0]}–{known[1]} 年" if known else "没有任何年份"
        super().__init__(f"{day.isoformat()} 所在的 {day.year} 年的法定节假日和调休安排未知（已知：{span}）；请登记国务院办公厅当年的放假通知及其日期")


def _library_years() -> tuple[int, int]:
    known = [*chinese_calendar.constants.holidays, *chinese_calendar.constants.workdays]
    return min(known).year, max(known).year


@dataclass(frozen=True)
class Calendar:
    """The working-day calendar: the library's years, then the registry's. `extra` maps each day a
    registry notice names to whether it is a day off (True) or a makeup workday (False)."""

    extra: Mapping[datetime.date, bool] = field(default_factory=dict)
    extra_years: frozenset[int] = frozenset()

    @classmethod
    def with_notices(cls, notices: Iterable[tuple[int, Mapping[datetime.date, bool]]]) -> Calendar:
        """From the registry's notices: (year, {day: off}) each."""
        extra: dict[datetime.date, bool] = {}
        years: set[int] = set()
        for year, days in notices:
            years.add(year)
            extra.update(days)
        return cls(extra, frozenset(years))

    def known(self, year: int) -> bool:
        first, last = _library_years()
        return first <= year <= last or year in self.extra_years

    def span(self) -> tuple[int, int] | None:
        first, last = _library_years()
        years = [*range(first, last + 1), *self.extra_years]
        return (min(years), max(years)) if years else None

    def is_workday(self, day: datetime.date) -> bool:
        if day.year in self.extra_years:
            off = self.extra.get(day)
            return day.weekday() < 5 if off is None else not off
        if not self.known(day.year):
            raise OutsideCalendar(day, self.span())
        return bool(chinese_calendar.is_workday(day))

    def limit_end(self, start: datetime.date, count: int, unit: str) -> datetime.date:
        """The last day of a limit of `count` units counted from the day after `start` (a notice
        dated 5 May with 5 working days must be answered on the fifth working day after it)."""
        if unit == "day":
            return start + datetime.timedelta(days=count)
        if unit != "working_day":
            raise ValueError(f"unknown unit {unit!r}")
        day = start
        left = count
        while left > 0:
            day += datetime.timedelta(days=1)
            if self.is_workday(day):
                left -= 1
        return day
