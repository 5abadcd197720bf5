"""Working days across holidays and 调休 makeup workdays, from the library and from the registry."""

from __future__ import annotations

import datetime

import pytest

from liandong.model.workdays import Calendar, OutsideCalendar

D = datetime.date


def test_a_limit_across_national_day_2026_counts_its_makeup_saturday() -> None:
    # 10-01…10-07 off; 10-08 Thu, 10-09 Fri, 10-10 Sat (调休上班), 10-12 Mon, 10-13 Tue.
    assert Calendar().limit_end(D(2026, 9, 30), 5, "working_day") == D(2026, 10, 13)
    assert Calendar().is_workday(D(2026, 10, 10)) and not Calendar().is_workday(D(2026, 10, 11))


def test_labour_day_2026_and_its_makeup_saturday() -> None:
    # 05-01…05-05 off, Sat 05-09 a workday: 5 working days from Wed 05-06 end on Tue 05-12.
    assert Calendar().limit_end(D(2026, 5, 6), 5, "working_day") == D(2026, 5, 12)


def test_calendar_days_ignore_holidays() -> None:
    assert Calendar().limit_end(D(2026, 9, 30), 5, "day") == D(2026, 10, 5)


def test_a_year_nobody_knows_is_an_error_not_a_guess() -> None:
    with pytest.raises(OutsideCalendar, match="2027 年的法定节假日和调休安排未知"):
        Calendar().limit_end(D(2026, 12, 28), 5, "working_day")


def test_the_registry_adds_a_year() -> None:
    # An invented schedule for the test only: Mon 2027-01-04 off, Sat 2027-01-09 worked.
    calendar = Calendar.with_notices([(2027, {D(2027, 1, 1): True, D(2027, 1, 4): True, D(2027, 1, 9): False})])
    assert not calendar.is_workday(D(2027, 1, 4))
    assert calendar.is_workday(D(2027, 1, 9))
    assert calendar.is_workday(D(2027, 1, 5))
    # Thu 2026-12-31 → Tue 01-05, Wed 01-06, Thu 01-07, Fri 01-08, Sat 01-09 (worked)
    assert calendar.limit_end(D(2026, 12, 31), 5, "working_day") == D(2027, 1, 9)
    with pytest.raises(OutsideCalendar):
        calendar.is_workday(D(2028, 1, 3))


def test_adjustments_name_the_holiday_skipped_and_the_saturday_worked() -> None:
    found = Calendar().adjustments(D(2026, 9, 18), D(2026, 10, 13))
    assert [a.text for a in found] == [
        "2026-09-20（星期日）国庆节调休上班",
        "中秋 2026-09-25 至 2026-09-27 放假",
        "国庆节 2026-10-01 至 2026-10-07 放假",
        "2026-10-10（星期六）国庆节调休上班",
    ]
    assert Calendar().adjustments(D(2026, 11, 2), D(2026, 11, 30)) == []  # plain weekends are no adjustment


def test_registry_calendar_reads_the_holiday_notices_of_documents() -> None:
    from dataclasses import dataclass
    from typing import Any

    from liandong.model.workdays import registry_calendar

    @dataclass
    class Doc:
        type: str
        data: dict[str, Any]

    days = [{"date": "2027-01-01", "off": True, "name": "元旦"}, {"date": "2027-01-09", "off": False}, {"date": "not a date", "off": True}]
    calendar = registry_calendar([Doc("documents", {"holidays": {"year": 2027, "days": days}}), Doc("tasks", {"holidays": {"year": 2028, "days": []}})])
    assert calendar.extra_years == frozenset({2027})
    assert not calendar.is_workday(D(2027, 1, 1)) and calendar.is_workday(D(2027, 1, 9))
    assert calendar.holiday_name(D(2027, 1, 1)) == "元旦" and calendar.holiday_name(D(2027, 1, 9)) is None
