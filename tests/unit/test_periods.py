"""Calendar periods and their labels (model/periods.py), for every kind of `every`."""

from __future__ import annotations

import datetime
import itertools

import pytest

from liandong.model.periods import periods

START = datetime.date(2026, 1, 15)
TODAY = datetime.date(2026, 12, 20)


@pytest.mark.parametrize(
    ("every", "labels"),
    [
        ("month", [f"2026年{m}月" for m in range(1, 13)] + ["2027年1月"]),
        ("quarter", ["2026年第一季度", "2026年第二季度", "2026年第三季度", "2026年第四季度", "2027年第一季度"]),
        ("half_year", ["2026年上半年", "2026年下半年", "2027年上半年"]),
        ("year", ["2026年", "2027年"]),
    ],
)
def test_each_period_of_a_year_is_labelled(every: str, labels: list[str]) -> None:
    found = periods(every, START, TODAY)
    assert [label for _, _, label in found] == labels
    assert found[0][0] == datetime.date(2026, 1, 1)
    for (_, end, _), (begin, _, _) in itertools.pairwise(found):
        assert begin == end + datetime.timedelta(days=1)  # no gap, no overlap


def test_weeks_start_on_monday() -> None:
    found = periods("week", datetime.date(2026, 12, 2), datetime.date(2026, 12, 9))
    assert [begin.weekday() for begin, _, _ in found] == [0, 0, 0]
    assert found[0][2] == "2026-11-30 起的一周"
