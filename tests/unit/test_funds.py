"""model/funds.py and site/funds_chart.py: a ledger's balances at the end of each day, its totals by
source, project and year, and the land-transfer revenue against the five years of 三(四)2 — all in
exact decimals — and the chart that draws the balances without a script."""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any

import pytest

from liandong.model import funds as ledgers
from liandong.model.model import Model
from liandong.site import contexts
from liandong.site.funds_chart import BalanceChart, balance_svg, nice_step
from liandong.site.i18n import language
from liandong.validation.files import Record
from liandong.validation.schema import SchemaSet
from tests.helpers import REPO

SCHEMAS = SchemaSet.for_root(REPO)
TS = SCHEMAS.types["funds"]
D = datetime.date


def inflow(date: str, source: str, amount: str, **more: Any) -> dict[str, Any]:
    return {"date": date, "source": source, "amount": amount, **more}


def outflow(date: str, project: str, amount: str) -> dict[str, Any]:
    return {"date": date, "project": project, "amount": amount, "approval": {"title": "批复"}, "spender": "org-a"}


def pool(**lists: Any) -> dict[str, Any]:
    return {"id": "funds-1", "title": "资金池", "status": "open", "kind": "pool", "mechanism": "mech-pool", **lists}


def test_amounts_add_up_exactly() -> None:
    data = pool(inflows=[inflow("2026-01-05", "committee", "0.10"), inflow("2026-01-06", "dongxing", "0.20")])
    ledger = ledgers.ledger(data, TS)
    assert ledger.incoming == Decimal("0.30") and str(ledger.incoming) == "0.30"
    assert 0.10 + 0.20 != 0.30  # what floats would have made of it
    many = pool(inflows=[inflow("2026-01-05", "committee", "0.01")] * 1000, outflows=[outflow("2026-02-01", "甲", "9.99")])
    assert ledgers.ledger(many, TS).balance == Decimal("0.01")


def test_an_amount_is_read_from_its_string_and_a_float_is_refused() -> None:
    assert ledgers.amount("12345678901234567.89") == Decimal("12345678901234567.89")
    assert ledgers.plain(ledgers.amount("5")) == "5.00" and ledgers.yuan(Decimal("1250000.5")) == "1,250,000.50"
    with pytest.raises(TypeError):
        ledgers.amount(0.1)


def test_the_balance_is_taken_at_the_end_of_each_day_whatever_the_order_of_the_entries() -> None:
    data = pool(
        outflows=[outflow("2026-03-10", "道路", "100.00"), outflow("2026-03-12", "厂房", "50.50")],
        inflows=[inflow("2026-03-10", "fangchenggang", "100.00"), inflow("2026-03-11", "region", "60")],
    )
    days = ledgers.days(ledgers.movements(data, TS))
    assert [(d.date, d.incoming, d.outgoing, d.balance) for d in days] == [
        (D(2026, 3, 10), Decimal("100.00"), Decimal("100.00"), Decimal("0.00")),
        (D(2026, 3, 11), Decimal("60"), Decimal("0"), Decimal("60.00")),
        (D(2026, 3, 12), Decimal("0"), Decimal("50.50"), Decimal("9.50")),
    ]
    assert ledgers.shortfalls(days) == []


def test_a_day_below_zero_is_found_once_per_run_at_its_last_outflow() -> None:
    data = pool(
        inflows=[inflow("2026-03-01", "central", "10.00"), inflow("2026-03-05", "region", "100.00")],
        outflows=[
            outflow("2026-03-02", "甲", "10.01"),
            outflow("2026-03-03", "乙", "1.00"),
            outflow("2026-03-06", "丙", "90.00"),
            outflow("2026-03-06", "丁", "9.00"),
        ],
    )
    found = ledgers.shortfalls(ledgers.days(ledgers.movements(data, TS)))
    assert [(s.date, s.balance, s.gap, s.at.pointer) for s in found] == [
        (D(2026, 3, 2), Decimal("-0.01"), Decimal("0.01"), ("outflows", 0)),
        (D(2026, 3, 6), Decimal("-0.01"), Decimal("0.01"), ("outflows", 3)),
    ]
    assert (found[1].incoming, found[1].outgoing) == (Decimal("110.00"), Decimal("110.01"))


def test_totals_by_source_project_and_year() -> None:
    data = pool(
        inflows=[
            inflow("2025-12-30", "dongxing", "1.10"),
            inflow("2026-01-02", "dongxing", "2.20"),
            inflow("2026-01-03", "other", "3.00", source_name="企业捐赠", level="none", document={"title": "捐赠协议"}),
        ],
        outflows=[outflow("2026-02-01", "厂房", "1.05"), outflow("2026-03-01", "道路", "2.00"), outflow("2026-04-01", "厂房", "0.95")],
    )
    ledger = ledgers.ledger(data, TS)
    assert [(t.label, t.value, t.count) for t in ledger.by_source] == [("东兴市", Decimal("3.30"), 2), ("其他来源：企业捐赠", Decimal("3.00"), 1)]
    assert [(t.label, t.value, t.count) for t in ledger.by_project] == [("厂房", Decimal("2.00"), 2), ("道路", Decimal("2.00"), 1)]
    assert [(y.year, y.incoming, y.outgoing, y.net, y.balance) for y in ledger.by_year] == [
        (2025, Decimal("1.10"), Decimal("0"), Decimal("1.10"), Decimal("1.10")),
        (2026, Decimal("5.20"), Decimal("4.00"), Decimal("1.20"), Decimal("2.30")),
    ]
    assert ledger.balance == Decimal("2.30")


def test_a_platform_account_is_filled_by_its_financing() -> None:
    data = {
        "kind": "platform",
        "financing": [{"date": "2026-04-01", "channel": "bank_loan", "amount": "80.00"}],
        "outflows": [outflow("2026-05-01", "厂房", "30")],
    }
    ledger = ledgers.ledger(data, TS)
    assert [(t.label, t.value) for t in ledger.by_source] == [("银行贷款", Decimal("80.00"))]
    assert ledger.balance == Decimal("50.00") and ledger.land is None


LAND = [
    {"date": "2026-05-30", "kind": "collected", "amount": "600.00"},
    {"date": "2026-07-10", "kind": "returned", "amount": "600.00"},
    {"date": "2027-02-01", "kind": "collected", "amount": "450.25"},
    {"date": "2031-06-01", "kind": "collected", "amount": "1.00"},
]


def test_land_revenue_without_a_start_is_shown_per_calendar_year_and_says_why() -> None:
    land = ledgers.land_revenue({"land_revenue": LAND}, None, 5)
    assert land.start is None and land.in_window_collected is None
    assert "原文未规定5年期限的起算日期" in land.note
    assert [(p.label, p.collected, p.returned, p.unreturned, p.in_window) for p in land.periods] == [
        ("2026年", Decimal("600.00"), Decimal("600.00"), Decimal("0.00"), None),
        ("2027年", Decimal("450.25"), Decimal("0"), Decimal("450.25"), None),
        ("2031年", Decimal("1.00"), Decimal("0"), Decimal("1.00"), None),
    ]
    assert (land.collected, land.returned, land.unreturned) == (Decimal("1051.25"), Decimal("600.00"), Decimal("451.25"))


def test_land_revenue_with_a_start_is_shown_per_year_of_the_five() -> None:
    land = ledgers.land_revenue({"land_revenue": LAND}, D(2026, 6, 1), 5)
    assert (land.start, land.end) == (D(2026, 6, 1), D(2031, 5, 31))
    labels = [(p.label, p.start, p.end, p.collected, p.returned, p.in_window) for p in land.periods]
    assert labels[0] == ("起算日期前", None, D(2026, 5, 31), Decimal("600.00"), Decimal("0"), False)
    assert labels[1] == ("第1年", D(2026, 6, 1), D(2027, 5, 31), Decimal("450.25"), Decimal("600.00"), True)
    assert [p.label for p in land.periods] == ["起算日期前", "第1年", "第2年", "第3年", "第4年", "第5年", "5年期满后"]
    assert labels[-1] == ("5年期满后", D(2031, 6, 1), None, Decimal("1.00"), Decimal("0"), False)
    assert (land.in_window_collected, land.in_window_returned) == (Decimal("450.25"), Decimal("600.00"))


def test_a_window_from_29_february_ends_on_28_february() -> None:
    assert ledgers.add_years(D(2028, 2, 29), 1) == D(2029, 2, 28)
    assert ledgers.land_revenue({}, D(2028, 2, 29), 5).end == D(2033, 2, 27)


def test_land_revenue_without_a_rule_in_the_configuration_is_per_calendar_year() -> None:
    """No land_revenue in registry/liandong.yaml: no window is judged, even with a start."""
    land = ledgers.land_revenue({"land_revenue": LAND}, D(2026, 6, 1), None)
    assert land.start is None and land.end is None and land.in_window_collected is None
    assert all(p.label.endswith("年") and p.in_window is None for p in land.periods) and land.note == ledgers.NO_RULE


def test_the_bundled_example_ledgers_have_the_figures_their_entries_say() -> None:
    from liandong.validation.files import load_registry

    records = load_registry(REPO, list(SCHEMAS.types)).records
    model = Model.build(SCHEMAS, records)
    pool_item = model.items["funds-0001"]
    ledger = ledgers.ledger(pool_item.data, pool_item.schema, None)
    assert pool_item.example and (ledger.incoming, ledger.outgoing, ledger.balance) == (Decimal("85500000.50"), Decimal("62000000.25"), Decimal("23500000.25"))
    assert not ledger.shortfalls and min(d.balance for d in ledger.days) >= 0
    # The mechanism gives no start of the five years: the policy states none.
    assert "land_revenue_return_from" not in model.items["mech-fund-pool"].data
    rows = ledgers.entry_rows(model)
    assert all(len(row) == len(ledgers.ENTRY_HEADERS) for row in rows)
    assert ["funds-0001", "资金来源", "2026-06-18", "自治区（争取）", "自治区级", "8000000.50", "30000000.50"] == [rows[3][i] for i in (0, 4, 6, 7, 8, 9, 10)]


def test_the_chart_is_static_accessible_svg_with_chinese_axes() -> None:
    points = [(D(2026, 3, 10), Decimal("30000000.00")), (D(2026, 4, 20), Decimal("5000000.25")), (D(2026, 10, 20), Decimal("23500000.25"))]
    chart = BalanceChart(points, "资金池 <b>", "资金池", Decimal("23500000.25"), "chart-1")
    svg = str(chart.svg)
    root = ET.fromstring(svg)  # well-formed XML, the title escaped
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img" and root.get("aria-labelledby") == "chart-1-title chart-1-desc"
    assert root.find(f"{ns}title").text == "资金池 <b>：每日余额"
    assert root.find(f"{ns}desc").text == "资金池每天结束时的余额（万元），共 3 个有收支的日子；最后余额 23,500,000.25 元。数字见下表。"
    assert "<script" not in svg and "on" not in {a[:2] for el in root.iter() for a in el.attrib}
    words = [el.text for el in root.iter(f"{ns}text")]
    assert "余额（万元）" in words and "日期" in words and "2026年4月" in words and "3,000" in words
    assert [c.find(f"{ns}title").text for c in root.iter(f"{ns}circle")][1] == "2026-04-20 余额 5,000,000.25 元"
    assert re.search(r'd="M[\d.]+,[\d.]+V', svg)
    assert "尚无收支记录" in str(BalanceChart([], "空", "资金池", Decimal(0), "c").svg)


def test_the_chart_in_another_edition_has_its_words_and_the_same_lines() -> None:
    points = [(D(2026, 3, 10), Decimal("30000000.00")), (D(2026, 4, 20), Decimal("5000000.25"))]
    chart = BalanceChart(points, "资金池", "资金池", Decimal("5000000.25"), "chart-1")
    chinese, english = str(chart.svg), str(balance_svg(chart, language("en").t))
    root = ET.fromstring(english)
    ns = "{http://www.w3.org/2000/svg}"
    assert not re.search("[\u4e00-\u9fff]", "".join(el.text or "" for el in root.iter(f"{ns}text")))
    assert re.findall(r'd="[^"]+"', english) == re.findall(r'd="[^"]+"', chinese)


@pytest.mark.parametrize(
    ("span", "step"), [(Decimal("30000000"), Decimal("10000000")), (Decimal("8"), Decimal("2")), (Decimal("0.9"), Decimal("0.25")), (Decimal(0), Decimal(1))]
)
def test_the_chart_steps_are_round(span: Decimal, step: Decimal) -> None:
    assert nice_step(span) == step


def test_the_page_context_of_a_ledger_on_a_hand_built_model() -> None:
    records = [
        Record(
            "organizations",
            "org-a",
            "registry/organizations/org-a.yaml",
            {"id": "org-a", "title": "甲单位", "status": "active", "visibility": "public", "level": "county", "kind": "department"},
            "",
        ),
        Record(
            "mechanisms",
            "mech-pool",
            "registry/mechanisms/mech-pool.yaml",
            {"id": "mech-pool", "title": "资金归集", "status": "active", "visibility": "public", "kind": "fund_pool", "land_revenue_return_from": "2026-01-01"},
            "",
        ),
        Record(
            "funds",
            "funds-1",
            "registry/funds/funds-1.yaml",
            {
                **pool(
                    inflows=[inflow("2026-01-05", "committee", "0.10"), inflow("2026-01-05", "fangchenggang", "0.20")],
                    outflows=[outflow("2026-01-06", "道路", "0.30")],
                    land_revenue=LAND[:2],
                ),
                "visibility": "public",
                "manager": "org-a",
            },
            "",
        ),
    ]
    model = Model.build(SCHEMAS, records)
    from liandong.model.status import Status

    extra = contexts._funds(Status(model, D(2026, 11, 25)), model.items["funds-1"])
    assert (extra["incoming"], extra["outgoing"], extra["balance"]) == ("0.30", "0.30", "0.00")
    assert [(d.date, d.balance) for d in extra["days"]] == [("2026-01-05", "0.30"), ("2026-01-06", "0.00")]
    land = extra["land"]
    assert (land.start, land.end, land.window_collected, land.window_returned) == ("2026-01-01", "2030-12-31", "600.00", "600.00")
    assert [s.key for s in extra["sections"]] == ["inflows", "outflows", "land_revenue"]
    assert (
        extra["sections"][0].rows[0].level == "功能区"
        and extra["sections"][0].rows[0].level_path.startswith("funds/inflows/*/level=")
        and extra["sections"][1].rows[0].unit.name == "甲单位"
    )
    assert "<svg" in str(extra["chart"].svg) and extra["download"] == "data/funds-entries.csv"
