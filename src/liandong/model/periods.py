"""Calendar periods (months, quarters, half years, years, Monday-based weeks) labelled as the
site writes them: a mechanism's meeting cadence and its inspection-week rule are both counted in
them."""

from __future__ import annotations

import datetime

# The period codes of the schemas' `every` fields, as months; "week" is counted in days.
MONTHS = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}
# The period under way, as the site says it (本季度进行中).
THIS = {"week": "本周", "month": "本月", "quarter": "本季度", "half_year": "本半年", "year": "本年度"}
QUARTERS = "一二三四"  # 2026年第三季度, as the registry's titles write quarters


def state_label(state: str, every: str, kept: str, missed: str) -> str:
    """A period's state (held | missed | current | upcoming) in words: what keeping or missing it is
    called is the caller's (已召开 a meeting, 已安排 an inspection week); the rest is said here."""
    return {"held": kept, "missed": missed, "current": f"{THIS.get(every, '本期')}进行中", "upcoming": "未开始"}[state]


def periods(every: str, start: datetime.date, today: datetime.date) -> list[tuple[datetime.date, datetime.date, str]]:
    """Calendar periods from the one containing `start` up to the first one that begins after today."""
    found = []
    months = MONTHS.get(every)
    if months is None:  # weekly, Monday-based
        begin = start - datetime.timedelta(days=start.weekday())
        while True:
            end = begin + datetime.timedelta(days=6)
            found.append((begin, end, f"{begin.isoformat()} 起的一周"))
            if begin > today:
                return found
            begin = end + datetime.timedelta(days=1)
    year, month = start.year, (start.month - 1) // months * months + 1
    while True:
        begin = datetime.date(year, month, 1)
        year, month = year + (month + months - 1) // 12, (month + months - 1) % 12 + 1
        end = datetime.date(year, month, 1) - datetime.timedelta(days=1)
        found.append((begin, end, _label(begin, months)))
        if begin > today:
            return found


def _label(begin: datetime.date, months: int) -> str:
    index = (begin.month - 1) // months + 1  # of the period in its year
    if months == 1:
        return f"{begin.year}年{begin.month}月"
    if months == 3:
        return f"{begin.year}年第{QUARTERS[index - 1]}季度"
    if months == 6:
        return f"{begin.year}年{'上' if index == 1 else '下'}半年"
    return f"{begin.year}年"
