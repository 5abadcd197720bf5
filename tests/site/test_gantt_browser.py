"""The task timeline (#20) in Chromium on the bundled site: the tasks list shows it with the
extension of the bundled extended task marked, its tooltip says who approved what, the text table
lists the same bars, and it fits a phone's width. Screenshots (desktop and phone) are saved into
LIANDONG_SCREENSHOTS when it is set."""

from __future__ import annotations

import pytest

from .conftest import PHONE, Tab
from .test_browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_tasks_list_shows_the_timeline_with_the_extension_marked(tab: Tab, public_url: str) -> None:
    page = tab.page
    page.goto(public_url + "tasks/")
    figure = page.locator("svg.ld-gantt")
    figure.scroll_into_view_if_needed()
    assert figure.is_visible()
    extended = page.locator('svg.ld-gantt g[data-item="task-0016"]')
    assert extended.get_attribute("data-state") in ("open", "overdue", "due-soon")
    assert extended.locator(".ld-gantt-extension").count() == 1
    assert "申请延期" in extended.locator(".ld-gantt-extension title").text_content() and "批准" in extended.locator(".ld-gantt-extension title").text_content()
    drawn = page.eval_on_selector_all("svg.ld-gantt g.ld-gantt-bar", "gs => gs.map(g => g.dataset.item)")
    page.locator("details.ld-gantt-text summary").click()
    listed = page.eval_on_selector_all("details.ld-gantt-text tr[data-item]", "rs => rs.map(r => r.dataset.item)")
    assert drawn == listed and "task-0016" in drawn
    assert page.locator("details.ld-gantt-text tr[data-item=task-0016]").inner_text().count("申请") == 1
    screenshot(page, "gantt-1280")
    assert tab.errors == []


def test_the_timeline_fits_a_phone(phone: Tab, public_url: str) -> None:
    page = phone.page
    page.goto(public_url + "tasks/")
    box = page.locator("svg.ld-gantt").bounding_box()
    assert box is not None and box["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    screenshot(page, "gantt-390")
