"""Working days (工作日) as mainland China counts them: Monday to Friday, less the national holidays,
plus the weekend days made working days in their place (调休上班), as 国务院办公厅 announces them
each year.

The years up to the one PyPI's `chinesecalendar` knows come from it; a later year comes from the
registry: the 国务院办公厅 notice for that year is a document record whose `holidays` field lists
the days off and the makeup workdays (see schemas/documents.schema.json). A date in a year that
neither knows is an error for the caller to report, never a guess: counting it as an ordinary
week would put a deadline a week early across a 春节 nobody entered.

`registry_calendar(records)` is the one place a registry's Calendar is made: validation (the rules
that count working days) and the model (model.Model.calendar, which the public model keeps even
when a notice is internal) both call it, so what the gate accepted is what the site computes."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import chinese_calendar

UNITS = ("working_day", "day")  # 工作日, 自然日: as the notice states the limit
WEEKDAYS = "一二三四五六日"
_HOLIDAY_NAMES = {h.value: h.chinese for h in chinese_calendar.Holiday}  # "National Day" → 国庆节


class OutsideCalendar(ValueError):
    """A date in a year whose holidays are not known."""

    def __init__(self, day: datetime.date, known: tuple[int, int] | None) -> None:
        self.day = day
        span = f"{known[0]}–{known[1]} 年" if known else "没有任何年份"
        super().__init__(f"{day.isoformat()} 所在的 {day.year} 年的法定节假日和调休安排未知（已知：{span}）；请登记国务院办公厅当年的放假通知及其日期")


@functools.cache  # the library's own tables: the same for the whole run
def _library_years() -> tuple[int, int]:
    known = [*chinese_calendar.constants.holidays, *chinese_calendar.constants.workdays]
    return min(known).year, max(known).year


@dataclass(frozen=True)
class Calendar:
    """The working-day calendar: the library's years, then the registry's. `extra` maps each day a
    registry notice names to whether it is a day off (True) or a makeup workday (False)."""

    extra: Mapping[datetime.date, bool] = field(default_factory=dict)
    extra_years: frozenset[int] = frozenset()
    names: Mapping[datetime.date, str] = field(default_factory=dict)  # the festival of a registry day, e.g. 春节

    @classmethod
    def with_notices(cls, notices: Iterable[tuple[int, Mapping[datetime.date, bool]]], names: Mapping[datetime.date, str] | None = None) -> Calendar:
        """From the registry's notices: (year, {day: off}) each, and the festival each day belongs to."""
        extra: dict[datetime.date, bool] = {}
        years: set[int] = set()
        for year, days in notices:
            years.add(year)
            extra.update(days)
        return cls(extra, frozenset(years), dict(names or {}))

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

    def holiday_name(self, day: datetime.date) -> str | None:
        """The festival a day off or a makeup workday belongs to (国庆节), None for an ordinary day."""
        if day.year in self.extra_years:
            return self.names.get(day)
        if not self.known(day.year):
            raise OutsideCalendar(day, self.span())
        name = chinese_calendar.get_holiday_detail(day)[1]
        return _HOLIDAY_NAMES.get(name, name) if name else None

    def adjustments(self, start: datetime.date, end: datetime.date) -> list[Adjustment]:
        """What in the days after `start` up to `end` does not follow the ordinary week: each run of
        days off that takes a weekday (a holiday, with the weekend around it), and each weekend day
        worked in its place (调休上班). A plain weekend is not an adjustment."""
        found: list[Adjustment] = []
        run: list[datetime.date] = []

        def close() -> None:
            if run and any(d.weekday() < 5 for d in run):
                name = next((n for d in run if (n := self.holiday_name(d))), None)
                found.append(Adjustment(run[0], run[-1], True, name))
            run.clear()

        day = start
        while day < end:
            day += datetime.timedelta(days=1)
            if self.is_workday(day):
                close()
                if day.weekday() >= 5:
                    found.append(Adjustment(day, day, False, self.holiday_name(day)))
            else:
                run.append(day)
        close()
        return found

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


@dataclass(frozen=True)
class Adjustment:
    """A run of days off around a holiday, or a weekend day worked in its place (调休上班)."""

    first: datetime.date
    last: datetime.date
    off: bool  # True: days off; False: a makeup workday
    name: str | None  # the festival, e.g. 国庆节, when known

    @property
    def text(self) -> str:
        """国庆节 2026-10-01 至 2026-10-07 放假; 2026-10-10（星期六）国庆节调休上班."""
        if not self.off:
            return f"{self.first.isoformat()}（星期{WEEKDAYS[self.first.weekday()]}）{self.name or ''}调休上班"
        span = self.first.isoformat() if self.first == self.last else f"{self.first.isoformat()} 至 {self.last.isoformat()}"
        return f"{self.name or ''}{' ' if self.name else ''}{span} 放假"


class Dated(Protocol):
    """A record as validation (Record) and the model (Item) both hold one."""

    @property
    def type(self) -> str: ...

    @property
    def data(self) -> dict[str, Any]: ...


def registry_calendar(records: Iterable[Dated]) -> Calendar:
    """The working-day calendar of a registry: the library's years, and each year a document record
    adds with its `holidays` (the 国务院办公厅 notice for that year: the days off, the makeup
    workdays, the festival each belongs to). Only well-formed entries count; the schema and the
    rule dates.holiday-notice report the others."""
    notices: list[tuple[int, dict[datetime.date, bool]]] = []
    names: dict[datetime.date, str] = {}
    for record in records:
        block = record.data.get("holidays") if record.type == "documents" else None
        if not isinstance(block, dict) or not isinstance(block.get("year"), int):
            continue
        days: dict[datetime.date, bool] = {}
        for entry in block.get("days") or []:
            if not (isinstance(entry, dict) and isinstance(entry.get("date"), str) and isinstance(entry.get("off"), bool)):
                continue
            try:
                day = datetime.date.fromisoformat(entry["date"])
            except ValueError:
                continue
            days[day] = entry["off"]
            if isinstance(entry.get("name"), str):
                names[day] = entry["name"]
        notices.append((block["year"], days))
    return Calendar.with_notices(notices, names)
