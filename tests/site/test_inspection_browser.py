"""The 三(一)3 pages in Debian's Chromium, at desktop and phone width: every derived value is shown
with its explanation as visible text (not only a badge), the inspections' list filters by derived
state, and nothing scrolls sideways on a phone.

Screenshots at 390 px (the calendar, the enterprises page, the joint-inspection mechanism) are
saved into the folder named by LIANDONG_SCREENSHOTS, when it is set."""

from __future__ import annotations

import pytest

from .conftest import PHONE, Tab
from .test_browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def visible_text(tab: Tab, selector: str) -> list[str]:
    return [t.strip() for t in tab.page.locator(selector).all_inner_texts()]


def test_each_derived_value_is_shown_with_its_explanation(tab: Tab, public_url: str) -> None:
    page = tab.page
    page.goto(public_url + "inspections/calendar/")
    next_week = page.locator(".ld-next-week").inner_text()
    assert "2026-12-07 至 2026-12-11" in next_week
    assert "12 天后开始 检查周 2026-12-07 至 2026-12-11，检查部门：东兴市市场监督管理局、东兴市应急管理局；企业 2 家。" in next_week
    pending = page.locator("table.ld-pending tbody tr").first.inner_text()
    assert "待安排 2026-11-18 申报，尚未列入统筹安排；拟检查时间 2027-01-01 至 2027-03-31。" in pending

    page.goto(public_url + "inspections/enterprises/")
    finding = page.locator("#separate + ul.ld-findings li").first
    assert finding.locator(".ld-badge--warning").inner_text() == "2 个部门单独检查"
    assert "东兴市市场监督管理局 2026-08-04；防城港市生态环境局 2026-08-20。联合检查机制记录未规定单独检查的间隔" in finding.inner_text()
    assert "这里只列出事实，不作判断" in finding.inner_text()

    page.goto(public_url + "mechanisms/mech-information-push/")
    rows = visible_text(tab, "table.ld-running-table tbody tr")
    assert any("1 个单位待签收 防城港市自然资源局 尚未签收（2026-11-16 推送，至 2026-11-25 已 9 天" in row for row in rows), rows
    assert any("已全部签收 接收单位均已签收：" in row for row in rows), rows

    page.goto(public_url + "inspections/insp-0008/")
    derived = visible_text(tab, "ul.ld-derived li")
    assert derived[0].startswith("单独检查 防城港市生态环境局 2026-08-20 单独检查，未列入统筹安排的检查周或联合检查")
    assert derived[1].startswith("东兴某建材有限公司（示例）：2 个部门单独检查 东兴某建材有限公司（示例）在统筹安排的检查周、联合检查之外")
    # the same enterprise under another name: identified by its code
    written = page.locator(".ld-enterprises").inner_text()
    assert written == "东兴某建材公司（示例）（统一社会信用代码 91000000EXAMPLE01P）：代码相同，其他记录写作 东兴某建材有限公司（示例）"

    page.goto(public_url + "powers/power-0001/")
    assert "推送了本事项的审批信息或监督信息 2 次。" in page.locator("#pushes + p").inner_text()
    page.goto(public_url)
    assert "12 天后开始" in page.locator("#inspection-week + .ld-next-week").inner_text()
    assert tab.errors == [] and tab.dialogs == []


def test_the_inspections_list_filters_by_derived_state(tab: Tab, public_url: str) -> None:
    page = tab.page
    page.goto(public_url + "inspections/")
    assert page.locator("select[data-filter=derived]").locator("xpath=..").inner_text().startswith("检查情况")
    rows = page.locator("#ld-table-inspections tbody tr")
    assert rows.count() == 10
    page.select_option("select[data-filter=derived]", "awaiting-arrangement")
    shown = [r for r in rows.all() if r.is_visible()]
    assert [r.locator("a").first.inner_text() for r in shown] == ["跨合区项目用地情况检查（示例）"]
    page.select_option("select[data-filter=derived]", "separate-repeated")
    assert sum(r.is_visible() for r in rows.all()) == 2
    page.select_option("select[data-filter=derived]", "")
    page.select_option("select[data-filter=kind]", "arrangement")
    assert sum(r.is_visible() for r in rows.all()) == 3
    assert page.locator(".ld-count").inner_text() == "显示 3 / 共 10 条"
    assert tab.errors == []


def test_the_pages_fit_a_phone(phone: Tab, public_url: str) -> None:
    page = phone.page
    for path, name in (
        ("inspections/calendar/", "inspections-calendar-390"),
        ("inspections/enterprises/", "inspections-enterprises-390"),
        ("mechanisms/mech-joint-inspection/", "mechanism-joint-inspection-390"),
        ("pushes/push-0001/", None),
        ("organizations/org-example-fangchenggang-housing/", None),
    ):
        page.goto(public_url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1, f"{path} scrolls sideways"
        if name:
            screenshot(page, name)
    assert phone.errors == []
