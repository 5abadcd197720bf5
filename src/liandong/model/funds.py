"""资金台账 (实施意见三(四)): a ledger's movements, its balance at the end of each day, its totals by
source, year and project, and the land-transfer revenue collected and returned, per year of the
five-year window of 三(四)2.

Amounts are exact. A record holds each amount as a decimal string in 元 (the schema's
`$defs/amount`: at most two decimals, never a YAML number), and every sum here is a
`decimal.Decimal`, so 0.10 + 0.20 is 0.30 and the totals on the page, in the downloads and in the
validator's messages are the same figures.

The balance of a pool is its inflows less its outflows; of a platform company's account, its
financing less its outflows. It is taken at the end of each day: what came in and went out on one
day are set against each other before the day is judged, so the order in which a day's entries are
written does not matter. Land-transfer revenue is shown apart and is not in the balance (the
schema says so): a return that is then put into the pool is an inflow of its own.

The five years of 三(四)2 run from a start the policy does not state. It is the mechanism
record's `land_revenue_return_from`; while it is empty the revenue is shown per calendar year and
nothing is said about which of it falls inside the five years.

Pure: record data and its schema in, the dataclasses below out. validation/rules/funds.py reads
the same balances (as rules/reviews.py shares model/workdays.py), so the rule and the page never
disagree about a day."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from liandong.validation.schema import TypeSchema

if TYPE_CHECKING:
    from liandong.model.model import Model

TYPE = "funds"
INFLOWS = {"pool": "inflows", "platform": "financing"}  # kind → the list that fills the account
OUTFLOWS = "outflows"
LAND = "land_revenue"
OTHER = "other"
ZERO = Decimal("0")
CENT = Decimal("0.01")
# How long the revenue has to be returned, and to whom, is the policy's: registry/liandong.yaml land_revenue.
NO_START = (
    "原文未规定{years}年期限的起算日期。有文件明确起算日期后，在资金归集机制记录中填写，"
    "本页再按{years}年期限逐年列出；在此之前下表按自然年列出，不判断哪些收入在期限内。"
)
NO_RULE = "登记册配置中没有土地出让收入返还的规定（land_revenue），下表按自然年列出收取和返还。"


def amount(text: Any) -> Decimal:
    """The exact value of an amount as a record holds it ("1250000.00"). A float is refused:
    by the time it is a float its digits are already rounded (the schema refuses it first)."""
    if isinstance(text, bool) or not isinstance(text, (str, int)):
        raise TypeError(f"金额应为文字，实际是 {text!r}")
    return Decimal(text)


def yuan(value: Decimal) -> str:
    """An amount as the page writes it: thousands separated, two decimals (1,250,000.00)."""
    return f"{value.quantize(CENT):,.2f}"


def plain(value: Decimal) -> str:
    """An amount as the downloads write it: no separators, two decimals (1250000.00)."""
    return f"{value.quantize(CENT):.2f}"


@dataclass(frozen=True)
class Movement:
    """One entry that changes the balance.

    section: the list it is in (inflows, financing or outflows); index: its place there
    date: its date; value: its amount (positive); incoming: whether it adds to the balance
    key: what it is grouped under (the source or channel code, or the project's name)
    label: the same in words (某市, 银行贷款, 标准厂房一期; 其他来源：… for another source)
    """

    section: str
    index: int
    date: datetime.date
    value: Decimal
    incoming: bool
    key: str
    label: str

    @property
    def pointer(self) -> tuple[str, int]:
        return (self.section, self.index)

    @property
    def signed(self) -> Decimal:
        return self.value if self.incoming else -self.value


@dataclass(frozen=True)
class Day:
    """The account at the end of one day on which something moved.

    date: the day; incoming, outgoing: what came in and went out that day
    balance: the balance at the end of the day; movements: that day's entries, incoming first
    """

    date: datetime.date
    incoming: Decimal
    outgoing: Decimal
    balance: Decimal
    movements: tuple[Movement, ...]


@dataclass(frozen=True)
class Shortfall:
    """A day on which the balance fell below zero (the first of a run of such days).

    date: the day; balance: the balance at its end (negative); gap: how much is missing
    incoming, outgoing: everything in and out up to the end of that day
    at: the day's last outgoing entry, where the validator reports it
    """

    date: datetime.date
    balance: Decimal
    gap: Decimal
    incoming: Decimal
    outgoing: Decimal
    at: Movement


@dataclass(frozen=True)
class Total:
    """A sum over some entries: key (code, name or year), label (in words), value, count."""

    key: str
    label: str
    value: Decimal
    count: int


@dataclass(frozen=True)
class Year:
    """A calendar year's movements: year, incoming, outgoing, net (incoming − outgoing), and the
    balance at the end of the year."""

    year: int
    incoming: Decimal
    outgoing: Decimal
    net: Decimal
    balance: Decimal


@dataclass(frozen=True)
class LandPeriod:
    """Land-transfer revenue in one period.

    label: 第1年 … 第5年, 起算日期前, 5年期满后 (when the window's start is known), or 2026年
    start, end: the period's first and last day (None for an open end)
    collected, returned: collected in the zone and returned (to the body the configuration names) in the period
    unreturned: collected − returned (negative when more was returned than collected in it)
    in_window: whether the period lies in the five years; None while the start is unknown
    """

    label: str
    start: datetime.date | None
    end: datetime.date | None
    collected: Decimal
    returned: Decimal
    unreturned: Decimal
    in_window: bool | None


@dataclass(frozen=True)
class LandRevenue:
    """The land-transfer revenue of a pool, against the years within which the policy has it returned.

    start, end: the window's first and last day, None while no document gives the start
    periods: the window's five years (each shown, empty or not) and the entries outside them, or
        the calendar years while the start is unknown
    collected, returned, unreturned: over all entries; in_window_*: over the five years only
        (None while the start is unknown)
    note: what the figures can and cannot say (the start unknown: NO_START)
    """

    start: datetime.date | None
    end: datetime.date | None
    periods: tuple[LandPeriod, ...]
    collected: Decimal
    returned: Decimal
    unreturned: Decimal
    in_window_collected: Decimal | None
    in_window_returned: Decimal | None
    note: str

    @property
    def empty(self) -> bool:
        return not any(p.collected or p.returned for p in self.periods)


def _date(value: Any) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def _entries(data: dict[str, Any], section: str) -> Iterable[tuple[int, dict[str, Any]]]:
    for index, entry in enumerate(data.get(section) or []):
        if isinstance(entry, dict):
            yield index, entry


def source_label(ts: TypeSchema, entry: dict[str, Any]) -> str:
    """An inflow's source in words: the policy's body, or 其他来源：<its name>."""
    code = str(entry.get("source", ""))
    label = ts.enum_labels(("inflows", 0, "source")).get(code, code)
    if code == OTHER and entry.get("source_name"):
        return f"{label}：{entry['source_name']}"
    return label


def movements(data: dict[str, Any], ts: TypeSchema) -> list[Movement]:
    """Every entry that changes the balance, by date; on one day incoming before outgoing, each
    list in its written order."""
    kind = str(data.get("kind", "pool"))
    incoming_section = INFLOWS.get(kind, INFLOWS["pool"])
    found: list[Movement] = []
    channels = ts.enum_labels(("financing", 0, "channel"))
    for index, entry in _entries(data, incoming_section):
        if incoming_section == "inflows":
            code = str(entry.get("source", ""))
            key = f"{OTHER}:{entry.get('source_name', '')}" if code == OTHER else code
            label = source_label(ts, entry)
        else:
            key = str(entry.get("channel", ""))
            label = channels.get(key, key)
        found.append(Movement(incoming_section, index, _date(entry["date"]), amount(entry["amount"]), True, key, label))
    for index, entry in _entries(data, OUTFLOWS):
        project = str(entry.get("project", ""))
        found.append(Movement(OUTFLOWS, index, _date(entry["date"]), amount(entry["amount"]), False, project, project))
    return sorted(found, key=lambda m: (m.date, not m.incoming, m.index))


def days(moves: list[Movement]) -> list[Day]:
    """The balance at the end of each day on which something moved, in date order."""
    found: list[Day] = []
    balance = ZERO
    by_day: dict[datetime.date, list[Movement]] = {}
    for move in moves:
        by_day.setdefault(move.date, []).append(move)
    for date in sorted(by_day):
        todays = by_day[date]
        incoming = sum((m.value for m in todays if m.incoming), ZERO)
        outgoing = sum((m.value for m in todays if not m.incoming), ZERO)
        balance += incoming - outgoing
        found.append(Day(date, incoming, outgoing, balance, tuple(todays)))
    return found


def shortfalls(ledger_days: list[Day]) -> list[Shortfall]:
    """The days on which the balance went below zero: the first day of each run below zero
    (a balance that stays negative is one mistake, reported once, until it recovers)."""
    found: list[Shortfall] = []
    incoming = outgoing = ZERO
    below = False
    for day in ledger_days:
        incoming += day.incoming
        outgoing += day.outgoing
        if day.balance < ZERO and not below:
            last_out = [m for m in day.movements if not m.incoming]
            # A day can end below zero only by an outgoing entry: there is one.
            found.append(Shortfall(day.date, day.balance, -day.balance, incoming, outgoing, last_out[-1]))
        below = day.balance < ZERO
    return found


def totals(moves: Iterable[Movement], key: Callable[[Movement], tuple[str, str]]) -> list[Total]:
    """Sums by key, in the order each key first appears (the entries' date order)."""
    sums: dict[str, list[Any]] = {}
    for move in moves:
        code, label = key(move)
        row = sums.setdefault(code, [label, ZERO, 0])
        row[1] += move.value
        row[2] += 1
    return [Total(code, label, value, count) for code, (label, value, count) in sums.items()]


def years(ledger_days: list[Day]) -> list[Year]:
    """The movements of each calendar year, with the balance at its end."""
    found: dict[int, list[Decimal]] = {}
    for day in ledger_days:
        row = found.setdefault(day.date.year, [ZERO, ZERO, ZERO])
        row[0] += day.incoming
        row[1] += day.outgoing
        row[2] = day.balance
    return [Year(year, inc, out, inc - out, bal) for year, (inc, out, bal) in sorted(found.items())]


def add_years(day: datetime.date, count: int) -> datetime.date:
    """The same day `count` years later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + count)
    except ValueError:
        return day.replace(year=day.year + count, day=28)


def land_revenue(data: dict[str, Any], start: datetime.date | None, years: int | None = None) -> LandRevenue:
    """The land-transfer revenue of a pool, per year of the `years` from `start` (the
    mechanism's land_revenue_return_from), or per calendar year while either is unknown."""
    entries = [(_date(e["date"]), str(e.get("kind")), amount(e["amount"])) for _, e in _entries(data, LAND)]

    def period(label: str, first: datetime.date | None, last: datetime.date | None, in_window: bool | None) -> LandPeriod:
        inside = [(k, v) for d, k, v in entries if (first is None or d >= first) and (last is None or d <= last)]
        collected = sum((v for k, v in inside if k == "collected"), ZERO)
        returned = sum((v for k, v in inside if k == "returned"), ZERO)
        return LandPeriod(label, first, last, collected, returned, collected - returned, in_window)

    collected = sum((v for _, k, v in entries if k == "collected"), ZERO)
    returned = sum((v for _, k, v in entries if k == "returned"), ZERO)
    if start is None or years is None:
        calendar = sorted({d.year for d, _, _ in entries})
        periods = [period(f"{y}年", datetime.date(y, 1, 1), datetime.date(y, 12, 31), None) for y in calendar]
        note = NO_RULE if years is None else NO_START.format(years=years)
        return LandRevenue(None, None, tuple(periods), collected, returned, collected - returned, None, None, note)
    end = add_years(start, years) - datetime.timedelta(days=1)
    periods = []
    if any(d < start for d, _, _ in entries):
        periods.append(period("起算日期前", None, start - datetime.timedelta(days=1), False))
    for n in range(1, years + 1):
        periods.append(period(f"第{n}年", add_years(start, n - 1), add_years(start, n) - datetime.timedelta(days=1), True))
    if any(d > end for d, _, _ in entries):
        periods.append(period(f"{years}年期满后", end + datetime.timedelta(days=1), None, False))
    window = [p for p in periods if p.in_window]
    note = (
        f"{years}年期限自 {start.isoformat()} 起算（资金归集机制记录），至 {end.isoformat()} 止；按原文，期限内收取的土地出让收入全部返还。"
        "“未返还”是期限内各年收取与返还之差，只陈述账面数字。"
    )
    return LandRevenue(
        start,
        end,
        tuple(periods),
        collected,
        returned,
        collected - returned,
        sum((p.collected for p in window), ZERO),
        sum((p.returned for p in window), ZERO),
        note,
    )


@dataclass(frozen=True)
class Ledger:
    """One 资金台账 read as a whole.

    kind: pool or platform; moves: the entries that change the balance, by date
    days: the balance at the end of each day something moved; shortfalls: days it fell below zero
    incoming, outgoing, balance: the totals and the balance after the last entry
    by_source: incoming by source (pool: the policy's bodies, or each other source by name) or by
        channel (platform); by_project: outgoing by project; by_year: each calendar year
    land: the land-transfer revenue (pools; None for a platform's account)
    """

    kind: str
    moves: tuple[Movement, ...]
    days: tuple[Day, ...]
    shortfalls: tuple[Shortfall, ...]
    incoming: Decimal
    outgoing: Decimal
    balance: Decimal
    by_source: tuple[Total, ...]
    by_project: tuple[Total, ...]
    by_year: tuple[Year, ...]
    land: LandRevenue | None


def ledger(data: dict[str, Any], ts: TypeSchema, land_start: datetime.date | None = None, land_years: int | None = None) -> Ledger:
    """The ledger of one funds record; `land_start` is its mechanism's land_revenue_return_from,
    `land_years` the configuration's land_revenue.years."""
    kind = str(data.get("kind", "pool"))
    moves = movements(data, ts)
    ledger_days = days(moves)
    incoming = sum((m.value for m in moves if m.incoming), ZERO)
    outgoing = sum((m.value for m in moves if not m.incoming), ZERO)
    by_source = totals((m for m in moves if m.incoming), lambda m: (m.key, m.label))
    by_project = totals((m for m in moves if not m.incoming), lambda m: (m.key, m.label))
    return Ledger(
        kind,
        tuple(moves),
        tuple(ledger_days),
        tuple(shortfalls(ledger_days)),
        incoming,
        outgoing,
        incoming - outgoing,
        tuple(by_source),
        tuple(by_project),
        tuple(years(ledger_days)),
        land_revenue(data, land_start, land_years) if kind == "pool" else None,
    )


# The ledgers' entries as one table (data/funds-entries.csv and the 收支明细 sheet of the funds
# workbook): every figure an exact string, the day's balance beside each entry that moved it.
ENTRY_HEADERS = (
    "台账编号",
    "台账名称",
    "示例",
    "台账类别",
    "条目",
    "序号",
    "日期",
    "来源、渠道、项目或类别",
    "来源层级",
    "金额（元）",
    "当日余额（元）",
    "单位",
    "文件",
    "说明",
)
_WHAT = {"inflows": "source", "financing": "channel", "outflows": "project", "land_revenue": "kind", "supervision": "kind"}
_UNIT = {"inflows": "organization", "outflows": "spender", "land_revenue": "organization", "supervision": "by"}
_DOCUMENT = {"outflows": "approval"}
SECTIONS = ("inflows", "financing", "outflows", "land_revenue", "supervision")


def _document_text(value: Any) -> str:
    if not isinstance(value, dict):
        return ""
    return str(value.get("title", "")) + (f"（{value['number']}）" if value.get("number") else "")


def entry_rows(model: Model) -> list[list[str]]:
    """One row per entry of every ledger in `model` (ENTRY_HEADERS), ledgers in id order, each
    ledger's entries list by list and by date. Amounts are written as the record holds them,
    with two decimals (plain(): 1250000.00); the day's balance is the model's end-of-day one."""
    rows: list[list[str]] = []
    for item in model.of_type(TYPE):
        ts, data = item.schema, item.data
        kind = str(data.get("kind", ""))
        closing = {day.date: day.balance for day in days(movements(data, ts))}
        levels = ts.enum_labels(("inflows", 0, "level"))
        implied = (ts.subschema(("inflows", 0, "source")) or {}).get("x-code-levels", {})
        for section in SECTIONS:
            entries = sorted(_entries(data, section), key=lambda pair: (str(pair[1].get("date")), pair[0]))
            for index, entry in entries:
                what_field = _WHAT[section]
                if section == "inflows":
                    what = source_label(ts, entry)
                    level = levels.get(str(entry.get("level") or implied.get(str(entry.get("source")), "")), "")
                else:
                    what = ts.enum_labels((section, 0, what_field)).get(str(entry.get(what_field)), str(entry.get(what_field, "")))
                    level = ""
                unit_id = entry.get(_UNIT.get(section, ""))
                unit = model.get(unit_id) if isinstance(unit_id, str) else None
                date = _date(entry["date"])
                moved = section in (INFLOWS.get(kind), OUTFLOWS)
                notes = [str(entry[k]) for k in ("parcel", "scope", "findings", "note") if k in entry]
                rows.append(
                    [
                        item.id,
                        item.title,
                        "是" if item.example else "否",
                        ts.enum_labels(("kind",)).get(kind, kind),
                        ts.label((section,)),
                        str(index + 1),
                        date.isoformat(),
                        what,
                        level,
                        plain(amount(entry["amount"])) if "amount" in entry else "",
                        plain(closing[date]) if moved else "",
                        unit.title if unit is not None else ("（未公开）" if isinstance(unit_id, str) else ""),
                        _document_text(entry.get(_DOCUMENT.get(section, "document"))),
                        "；".join(notes),
                    ]
                )
    return rows
