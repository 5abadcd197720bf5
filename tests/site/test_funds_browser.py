"""The 资金台账 pages in Debian's Chromium: no serious accessibility finding (the chart is an image with
a name and a description), the chart is drawn at a readable size, and nothing scrolls sideways on a
phone. A screenshot at 390 px is saved into the folder named by LIANDONG_SCREENSHOTS, when it is set."""

from __future__ import annotations

import pytest

from .conftest import PHONE, Tab
from .test_access import blocking_violations
from .test_browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = ("funds/funds-0001/", "funds/funds-0002/", "funds/")


def test_the_funds_pages_have_no_serious_accessibility_finding(tab: Tab, public_url: str) -> None:
    page = tab.page
    found = []
    for path in PAGES:
        page.goto(public_url + path)
        found += [f"{path}: {line}" for line in blocking_violations(page)]
    assert found == [], "\n".join(found)
    page.goto(public_url + PAGES[0])
    chart = page.locator("svg.ld-funds-chart")
    assert chart.get_attribute("role") == "img"
    box = chart.bounding_box()
    assert box is not None and box["width"] >= 400 and box["height"] >= 150
    assert page.locator("table.ld-funds-days tbody tr").count() == 10
    assert tab.errors == [] and tab.dialogs == []


def test_the_funds_pages_fit_a_phone(phone: Tab, public_url: str) -> None:
    page = phone.page
    for path in PAGES:
        page.goto(public_url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1, f"{path} scrolls sideways"
        if path == PAGES[0]:
            screenshot(page, "funds-pool-390")
    assert phone.errors == []
