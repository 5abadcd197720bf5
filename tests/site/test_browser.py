"""What a visitor sees and does, in Debian's Chromium driven by Playwright, against built sites
served over HTTP: the home page, Chinese search, list filters, relations both ways, phone width;
hostile records execute nothing and the internal marker cannot be found.

Screenshots (home at 1280 px, the tasks list and a record page at 390 px) are saved into the
folder named by LIANDONG_SCREENSHOTS, when it is set."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from .conftest import HOSTILE_INTERNAL_ID, MARKER, MARKER_ZH, PHONE, Project, Site, Tab, hostile_pages, search

# Chromium (the `browser` fixture, tests/conftest.py) against sites that take full builds.
pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Event handlers, javascript:/data: URLs and scripts mentioning the payloads, as the browser's DOM has them.
FIND_INJECTED = """() => {
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on") && !(el.tagName === "FORM" && name === "onsubmit" && attr.value === "return false")) {
        found.push(el.tagName + " " + name + "=" + attr.value);
      }
      if (["href", "src", "action", "formaction", "xlink:href", "data"].includes(name)
          && /^(javascript|data|vbscript):/i.test(attr.value.replace(/[\\x00-\\x20]/g, ""))) {
        found.push(el.tagName + " " + name + "=" + attr.value);
      }
    }
  }
  for (const script of document.scripts) {
    if (/__xss|alert\\(/.test(script.textContent)) found.push("SCRIPT " + script.textContent.slice(0, 60));
  }
  for (const tag of ["iframe", "object", "embed"]) {
    if (document.querySelector(tag)) found.push(tag);
  }
  return found;
}"""


def screenshot(page: Any, name: str) -> None:
    folder = os.environ.get("LIANDONG_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def labels(project: Project, type_name: str) -> tuple[str, dict[str, str]]:
    """A type's title and its status labels, from the project's schemas."""
    schema = json.loads((project.root / f"schemas/{type_name}.schema.json").read_text(encoding="utf-8"))
    return schema["title"], schema["properties"]["status"]["x-enum-labels"]


# -- the bundled registry -----------------------------------------------------------------------


def test_home_page_loads(tab: Tab, public_url: str, public_site: Site) -> None:
    page = tab.page
    page.goto(public_url)
    assert page.title() == "联动 · 跨合区与东兴市协同工作登记册"  # registry/liandong.yaml site.title
    assert page.locator("h1").first.inner_text() == "跨合区与东兴市协同工作登记册"
    assert page.locator("h2#overview").inner_text() == "总体情况"
    assert page.locator(".ld-cards .ld-card").count() == len(public_site.project.types())
    assert page.locator(".ld-internal-banner").count() == 0
    assert page.locator("link[rel=stylesheet][href$='liandong.css']").count() == 1
    screenshot(page, "home-1280")
    assert tab.errors == [] and tab.dialogs == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("联席会议", "mechanisms/mech-joint-meeting/"),
        ("容缺预审", "mechanisms/mech-joint-review/"),
        ("检查周", "mechanisms/mech-joint-inspection/"),
    ],
)
def test_chinese_search_finds_the_record_with_type_and_status(tab: Tab, public_url: str, public_site: Site, query: str, expected: str) -> None:
    page = tab.page
    results = search(page, public_url, query)
    assert results, f"no results for {query}"
    # Every record shows its type and status; the other pages (lists, report, contributor pages) their kind.
    records = [r for r in results if r["href"].strip("./").count("/") == 1 and not r["href"].strip("./").startswith("contribute/")]
    assert records and [r for r in results if not r["type"]] + [r for r in records if not r["status"]] == [], "every result shows its type and status"
    hits = [r for r in results if r["href"].rstrip("/").endswith(expected.rstrip("/"))]
    assert hits, [r["href"] for r in results]
    record = next(r for r in public_site.project.public() if f"{r['_type']}/{r['id']}/" == expected)
    type_label, status_labels = labels(public_site.project, record["_type"])
    assert (hits[0]["title"], hits[0]["type"], hits[0]["status"]) == (record["title"], type_label, status_labels[record["status"]])
    assert query in hits[0]["text"] or page.locator("ol.ld-search-results mark").count() > 0
    page.get_by_role("link", name=record["title"], exact=True).first.click()
    page.wait_for_url("**/" + expected)
    assert page.locator("article h1").inner_text() == record["title"]
    assert tab.errors == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("东兴市财政局", "organizations/org-example-dongxing-finance/"),
        ("东兴市政务服务中心", "organizations/org-dongxing-service-center/"),
    ],
)
def test_a_full_chinese_name_finds_its_record_first(tab: Tab, public_url: str, query: str, expected: str) -> None:
    # Pagefind alone finds 财政局 but not 东兴市财政局: the query is not split into words as the index was.
    results = search(tab.page, public_url, query)
    assert results and results[0]["href"].rstrip("/").endswith(expected.rstrip("/")), [r["href"] for r in results]
    assert results[0]["title"] == query and results[0]["type"] == "单位" and results[0]["status"]
    tab.page.get_by_role("link", name=query, exact=True).first.click()
    tab.page.wait_for_url("**/" + expected)
    assert tab.errors == []


def test_search_from_the_address(tab: Tab, public_url: str) -> None:
    results = search(tab.page, public_url, "联席会议", via_address=True)
    assert tab.page.input_value("#ld-search-input") == "联席会议"
    assert any(r["href"].endswith("mechanisms/mech-joint-meeting/") for r in results)


def test_list_filter_narrows_rows(tab: Tab, public_url: str, public_site: Site) -> None:
    page = tab.page
    tasks = [r for r in public_site.project.public() if r["_type"] == "tasks"]
    _, status_labels = labels(public_site.project, "tasks")
    page.goto(public_url + "tasks/")
    rows = page.locator("table[id^=ld-table-] tbody tr")
    visible = page.locator("table[id^=ld-table-] tbody tr:not([hidden])")
    count = page.locator("form.ld-filters .ld-count")
    assert rows.count() == len(tasks)
    assert count.inner_text() == f"显示 {len(tasks)} / 共 {len(tasks)} 条"
    options = page.eval_on_selector_all("select[data-filter=status] option", "os => os.map(o => o.value).filter(Boolean)")
    assert sorted(options) == sorted({t["status"] for t in tasks})
    for status in options:
        page.select_option("select[data-filter=status]", status)
        wanted = sum(t["status"] == status for t in tasks)
        assert visible.count() == wanted, status
        assert count.inner_text() == f"显示 {wanted} / 共 {len(tasks)} 条"
        shown = page.eval_on_selector_all("table[id^=ld-table-] tbody tr:not([hidden]) .ld-status", "els => els.map(e => e.textContent.trim())")
        assert shown == [status_labels[status]] * wanted
    page.click("form.ld-filters button[type=reset]")
    page.wait_for_function(f"document.querySelectorAll('table[id^=ld-table-] tbody tr:not([hidden])').length === {len(tasks)}")
    assert count.inner_text() == f"显示 {len(tasks)} / 共 {len(tasks)} 条"
    # A filtered list can be linked to.
    page.goto(public_url + f"tasks/?status={options[0]}")
    assert page.input_value("select[data-filter=status]") == options[0]
    assert visible.count() == sum(t["status"] == options[0] for t in tasks)
    assert tab.errors == []


def test_phone_width_list_and_record_page(phone: Tab, public_url: str) -> None:
    page = phone.page
    for path, name in (("tasks/", "tasks-390"), ("tasks/task-0016/", "record-390")):
        page.goto(public_url + path)
        page.wait_for_load_state("load")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1, f"{path} scrolls sideways"
        screenshot(page, name)
    assert phone.errors == []


def test_organization_page_lists_the_tasks_it_leads(tab: Tab, public_url: str, public_site: Site) -> None:
    tasks = [r for r in public_site.project.public() if r["_type"] == "tasks"]
    leads: dict[str, set[str]] = {}
    for task in tasks:
        for org in task.get("lead", []):
            leads.setdefault(org, set()).add(task["id"])
    org, led = max(leads.items(), key=lambda pair: (len(pair[1]), pair[0]))
    page = tab.page
    page.goto(public_url + f"organizations/{org}/")
    assert page.locator("h2#relations").inner_text() == "关联记录"
    rows = page.eval_on_selector_all(
        "table.ld-relations tbody tr",
        """rows => rows.map(r => ({
      relation: r.cells[0].textContent.trim(), href: r.cells[1].querySelector("a").getAttribute("href"),
      type: r.cells[2].textContent.trim(), status: r.cells[3].textContent.trim()}))""",
    )
    listed = {row["href"].rstrip("/").rsplit("/", 1)[-1] for row in rows if row["relation"] == "牵头办理的任务" and row["type"] == "督办任务"}
    assert listed == led
    page.locator(f"table.ld-relations a[href$='/tasks/{sorted(led)[0]}/']").first.click()
    page.wait_for_url(f"**/tasks/{sorted(led)[0]}/")
    assert page.locator(f"dl.ld-fields a[href$='organizations/{org}/']").count() >= 1  # and the task names its lead


def test_task_created_by_a_decision_links_both_ways(tab: Tab, public_url: str, public_site: Site) -> None:
    task = next(r for r in public_site.project.public() if r["_type"] == "tasks" and "meeting" in r.get("source", {}))
    meeting, number = task["source"]["meeting"], task["source"]["decision"]
    page = tab.page
    page.goto(public_url + f"meetings/{meeting}/")
    decision = page.locator(f"ol.ld-decisions > li#decision-{number}")
    assert "由此交办" in decision.inner_text()
    decision.locator("p", has_text="由此交办").locator(f"a[href$='tasks/{task['id']}/']").click()
    page.wait_for_url(f"**/tasks/{task['id']}/")
    back = page.locator(f"dl.ld-fields a[href$='meetings/{meeting}/#decision-{number}']")
    assert f"第 {number} 项议定事项" in back.inner_text()
    back.click()
    page.wait_for_url(f"**/meetings/{meeting}/#decision-{number}")
    assert page.evaluate("document.querySelector(':target') && document.querySelector(':target').id") == f"decision-{number}"
    assert page.locator(f"li#decision-{number}").is_visible()


# -- the hostile registry -----------------------------------------------------------------------


def test_hostile_records_execute_nothing(tab: Tab, hostile_url: str) -> None:
    page = tab.page
    visited = [
        *hostile_pages(),
        "",
        "tasks/",
        "meetings/",
        "coordination/",
        "organizations/",
        "report/",
        "downloads/",
        "organizations/org-dxsyq-committee/",
        "mechanisms/mech-coordination-meeting/",
    ]
    for path in visited:
        page.goto(hostile_url + path)
        page.wait_for_load_state("load")
        page.wait_for_timeout(50)  # let failed images report their errors
        assert page.evaluate("typeof window.__xss") == "undefined", path
        assert page.evaluate(FIND_INJECTED) == [], path
    page.goto(hostile_url + "meetings/mtg-9001/")
    assert page.locator("article h1").inner_text() == "<script>window.__xss=1</script>注入测试会议"
    for name in ("点我", "再点", "引用式链接"):
        page.get_by_text(name, exact=True).first.click()
        assert page.evaluate("typeof window.__xss") == "undefined", name
    # The search page: a hostile query typed and in the address, and hostile titles among the results.
    for query in ('<img src=x onerror="window.__xss=1">', '"><svg onload=window.__xss=1>'):
        for via_address in (False, True):
            search(page, hostile_url, query, via_address=via_address)
            assert page.evaluate("typeof window.__xss") == "undefined", query
            assert page.evaluate(FIND_INJECTED) == [], query
    results = search(page, hostile_url, "注入测试")
    assert {r["title"] for r in results} >= {"<script>window.__xss=1</script>注入测试会议", '"><svg onload=window.__xss=1>注入测试任务'}
    page.wait_for_timeout(50)
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.evaluate(FIND_INJECTED) == []
    assert tab.dialogs == []


def test_internal_marker_is_not_found_by_public_search(tab: Tab, hostile_url: str, hostile_internal_url: str) -> None:
    page = tab.page
    for query in (MARKER, MARKER_ZH, "内部事项七福三安"):
        results = search(page, hostile_url, query)
        assert [r for r in results if HOSTILE_INTERNAL_ID in r["href"] or MARKER in r["text"] or MARKER_ZH in r["text"]] == [], query
    # The same search in the staff edition finds it, so the public answer above is not an accident.
    for query in (MARKER, MARKER_ZH):
        results = search(page, hostile_internal_url, query)
        assert any(r["href"].endswith(f"coordination/{HOSTILE_INTERNAL_ID}/") for r in results), query


def test_bundled_internal_record_is_not_found_by_public_search(tab: Tab, public_url: str, public_site: Site) -> None:
    for record in public_site.project.internal():
        results = search(tab.page, public_url, record["title"])
        assert [r for r in results if record["id"] in r["href"]] == [], record["id"]
