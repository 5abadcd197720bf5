"""What a visitor sees and clicks, in Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest

from .conftest import HOSTILE_MARKER

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("Debian's Chromium is not installed (/usr/bin/chromium); `apt-get install chromium` runs these tests",
                allow_module_level=True)
playwright = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed (pip install -e '.[test]')")

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="module")
def browser() -> Iterator["playwright.Browser"]:
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: "playwright.Browser") -> Iterator["playwright.Page"]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs  # type: ignore[attr-defined]
    yield page
    context.close()


def _screenshot(page: "playwright.Page", name: str) -> None:
    folder = os.environ.get("LIANDONG_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _search(page: "playwright.Page", base: str, query: str) -> list[tuple[str, str, str]]:
    page.goto(base + "search/")
    page.fill("#ld-search-input", query)
    page.wait_for_function("document.querySelector('.ld-search-status').textContent.startsWith('找到') || "
                           "document.querySelector('.ld-search-status').textContent.startsWith('没有')", timeout=20_000)
    return [(li.query_selector("a").get_attribute("href") or "", li.query_selector(".ld-type").inner_text(), li.query_selector(".ld-status").inner_text())
            for li in page.query_selector_all(".ld-search-results li")]


def test_home_page_loads(page: "playwright.Page", public_url: str) -> None:
    page.goto(public_url)
    assert "跨合区与东兴市协同工作登记册" in page.title()
    assert page.locator("h2#overview").inner_text() == "总体情况"
    assert page.locator("#overdue + table tbody tr").count() >= 1
    _screenshot(page, "home")


@pytest.mark.parametrize(("query", "expected"), [
    ("联席会议", "mechanisms/mech-joint-meeting/"),
    ("容缺预审", "mechanisms/mech-joint-review/"),
    ("检查周", "mechanisms/mech-joint-inspection/"),
    ("政务服务中心", "organizations/org-dongxing-service-center/"),
])
def test_chinese_search_finds_the_record_with_type_and_status(page: "playwright.Page", public_url: str, query: str, expected: str) -> None:
    results = _search(page, public_url, query)
    hits = [r for r in results if r[0].endswith(expected)]
    assert hits, results
    assert hits[0][1] and hits[0][2]  # type and status badges are shown


def test_list_filter_narrows_rows(page: "playwright.Page", public_url: str) -> None:
    page.goto(public_url + "tasks/")
    rows = page.locator("table.ld-table tbody tr")
    total = rows.count()
    page.select_option("select[data-filter=status]", "in_progress")
    visible = page.locator("table.ld-table tbody tr:not([hidden])")
    assert 0 < visible.count() < total
    assert all("办理中" in visible.nth(i).inner_text() for i in range(visible.count()))
    assert page.locator(".ld-count").inner_text() == f"显示 {visible.count()} / 共 {total} 条"
    page.select_option("select[data-filter=derived]", "overdue")
    assert page.locator("table.ld-table tbody tr:not([hidden])").count() == 1
    page.click("button[type=reset]")
    page.wait_for_timeout(50)
    assert page.locator("table.ld-table tbody tr:not([hidden])").count() == total


def test_phone_list_and_record_page(browser: "playwright.Browser", public_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    page.goto(public_url + "tasks/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # no sideways scrolling
    _screenshot(page, "tasks-phone")
    page.goto(public_url + "meetings/mtg-0002/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    _screenshot(page, "meeting-phone")
    context.close()


def test_record_pages_show_relations_both_ways(page: "playwright.Page", public_url: str) -> None:
    page.goto(public_url + "organizations/org-dxsyq-committee/")
    relations = page.locator("table.ld-relations").inner_text()
    assert "牵头单位" in relations and "加强部门协调配合" in relations
    page.goto(public_url + "meetings/mtg-0001/")
    created = page.locator("#decision-1").inner_text()
    assert "由此交办" in created
    page.locator("#decision-1 a").first.click()
    assert "/tasks/" in page.url
    source = page.locator("dl.ld-fields").first.inner_text()
    assert "第 1 项议定事项" in source


def test_hostile_records_execute_nothing(page: "playwright.Page", hostile_url: str) -> None:
    for path in ("meetings/mtg-0666/", "meetings/", "mechanisms/mech-a/", "organizations/org-a/", ""):
        page.goto(hostile_url + path)
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.__xss") == "undefined", path
    page.goto(hostile_url + "meetings/mtg-0666/")
    page.locator("a", has_text="点我").first.click()
    assert page.evaluate("typeof window.__xss") == "undefined"
    results = _search(page, hostile_url, "标题")
    assert page.evaluate("typeof window.__xss") == "undefined" and results
    assert page.dialogs == []  # type: ignore[attr-defined]


def test_internal_marker_is_not_searchable(page: "playwright.Page", hostile_url: str) -> None:
    assert _search(page, hostile_url, HOSTILE_MARKER) == []
    assert _search(page, hostile_url, "只在内部版出现") == []
