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
