"""The site works for every visitor where they are, in Debian's Chromium driven by Playwright:

- no request leaves the site's own origin (nothing from a CDN, font service or code host, which
  may be slow or blocked where the visitor is);
- axe-core finds no serious or critical accessibility violation on the pages people use;
- every derived badge says what it means in text a screen reader reads and nobody must hover for;
- a meeting's minutes and the overdue/escalation report print on A4 with only their content;
- under a sub-path (a GitHub Pages project site lives at /REPO/) search results still open.

axe-core comes inside the axe-playwright-python wheel and is injected into the page: it fetches nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import DESKTOP, PHONE, SUB_PATH, Site, Tab, search

# Chromium (the `browser` fixture, tests/conftest.py) against sites that take full builds.
pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = Axe()
BLOCKING = {"serious", "critical"}
QUERY = "联席会议"  # a Chinese query with results in the bundled registry
MEETING = "meetings/mtg-0002/"  # a meeting with minutes, decisions and tasks they created
# The printable area of A4 less the @page margins in liandong.css (16 mm each side), in CSS pixels.
A4_CONTENT_WIDTH = round((210 - 2 * 16) / 25.4 * 96)


def tracked_record(page: Any, base: str) -> str:
    """The first task in the list that carries a derived badge, e.g. "tasks/task-0017/"."""
    page.goto(base + "tasks/")
    href = page.locator("table[id^=ld-table-] tbody tr:has(.ld-why) td a").first.get_attribute("href")
    assert href, "the bundled registry should have a task with a derived badge"
    return "tasks/" + href.rstrip("/").rsplit("/", 1)[-1] + "/"


def tour(page: Any, base: str) -> Iterator[str]:
    """Home, a list, a record with badges, a meeting, a Chinese search with its results, the
    report; yields each stop's name once the page is complete."""
    record = tracked_record(page, base)
    for name, path in (("home", ""), ("list", "tasks/"), ("record", record), ("meeting", MEETING), ("report", "report/")):
        page.goto(base + path)
        page.wait_for_load_state("load")
        yield name
    assert search(page, base, QUERY), f"no results for {QUERY}"
    yield "search"


def blocking_violations(page: Any) -> list[str]:
    """axe-core's serious and critical findings, one line per element, with what to fix."""
    found = []
    for violation in AXE.run(page).response["violations"]:
        if violation["impact"] not in BLOCKING:
            continue
        for node in violation["nodes"]:
            found.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']} — {' '.join(map(str, node['target']))}: "
                f"{node['html'][:160]} | {node.get('failureSummary', '').replace(chr(10), ' ')[:240]}"
            )
    return found


def same_origin(url: str, base: str) -> bool:
    ours = urlsplit(base)
    theirs = urlsplit(url)
    return theirs.scheme in ("data", "blob") or (theirs.scheme, theirs.netloc) == (ours.scheme, ours.netloc)


# -- nothing from elsewhere ---------------------------------------------------------------------


def test_no_request_leaves_the_site(browser: Any, public_url: str) -> None:
    """Every request of the tour, the search index and an accessibility check included, goes to the
    site's own host; none fails."""
    tab = Tab(browser, DESKTOP)
    requested: list[str] = []
    failed: list[str] = []
    tab.context.on("request", lambda request: requested.append(request.url))
    # net::ERR_ABORTED is a request the next navigation cancelled (often the favicon), not a failure.
    tab.context.on(
        "requestfailed", lambda request: failed.append(f"{request.url} ({request.failure})") if "ERR_ABORTED" not in (request.failure or "") else None
    )
    tab.context.on("response", lambda response: failed.append(f"{response.url} ({response.status})") if response.status >= 400 else None)
    try:
        page = tab.page
        for stop in tour(page, public_url):
            if stop == "home":
                AXE.run(page)  # axe-core is injected from the wheel, not fetched
        page.locator("ol.ld-search-results a").first.click()
        page.wait_for_load_state("load")
        outside = sorted({url for url in requested if not same_origin(url, public_url)})
        assert outside == [], "requests to other hosts:\n" + "\n".join(outside)
        assert failed == []
        assert any("/pagefind/fragment/" in url for url in requested), "the search did not load the index: the tour is not complete"
        assert tab.errors == []
    finally:
        tab.close()


# -- accessibility ------------------------------------------------------------------------------


def test_no_serious_accessibility_violations(tab: Tab, public_url: str) -> None:
    found = []
    for stop in tour(tab.page, public_url):
        if stop == "list":  # sorted by a column: the header says so (aria-sort), valid only on the header cell
            tab.page.locator("button.ld-sort").first.click()
            assert tab.page.locator("thead th[aria-sort=ascending]").count() == 1
        found += [f"{stop} ({tab.page.url}): {line}" for line in blocking_violations(tab.page)]
    assert found == [], "\n".join(found)


def test_no_serious_accessibility_violations_at_phone_width(browser: Any, public_url: str) -> None:
    """Lists become cards and the navigation a drawer on a phone: checked there too."""
    phone = Tab(browser, PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    try:
        found = []
        for stop in tour(phone.page, public_url):
            if stop in ("list", "record", "search"):
                found += [f"{stop} ({phone.page.url}): {line}" for line in blocking_violations(phone.page)]
        assert found == [], "\n".join(found)
    finally:
        phone.close()


def test_list_filters_and_search_box_are_labelled(tab: Tab, public_url: str) -> None:
    page = tab.page
    page.goto(public_url + "tasks/")
    form = page.get_by_role("form", name="筛选督办任务")
    assert form.count() == 1
    unlabelled = page.eval_on_selector_all(
        "form.ld-filters select, form.ld-filters input",
        "els => els.filter(e => !(e.labels && e.labels.length && e.labels[0].textContent.trim())).map(e => e.outerHTML)",
    )
    assert unlabelled == []
    assert page.get_by_label("办理时限 从").count() == 1 and page.get_by_label("办理时限 到").count() == 1
    # The headers of the tables shown (the timeline's table waits in a closed <details> until opened).
    shown = page.locator("table.ld-table:not(details:not([open]) table) thead th").count()
    assert page.get_by_role("columnheader").count() == shown > 0
    # On a phone the home page's overdue table becomes cards, each cell named by its column.
    page.goto(public_url)
    cells = page.eval_on_selector_all("#overdue + table.ld-table tbody td", "tds => tds.map(td => td.getAttribute('data-label'))")
    heads = page.eval_on_selector_all("#overdue + table.ld-table thead th", "ths => ths.map(th => th.textContent.trim())")
    assert cells and cells == heads * (len(cells) // len(heads))
    page.goto(public_url + "search/")
    assert page.get_by_role("search").count() == 1
    assert page.get_by_role("searchbox", name=re.compile("^搜索记录")).count() == 1


# -- badges -------------------------------------------------------------------------------------

# Every badge's words, visibility, title (there should be none: a hover is no explanation).
# Badges inside a closed <details> (a figure's text equivalent, opened by the reader) are left out.
BADGES = """root => [...root.querySelectorAll(".ld-badge, .ld-status, .ld-type, .ld-decision, .ld-period")]
  .filter(b => !b.closest("details:not([open])")).map(b => ({
  text: b.innerText.trim(), visible: b.checkVisibility(), title: b.getAttribute("title"),
  hidden: !!b.closest("[aria-hidden=true]"), tone: (b.className.match(/ld-badge--(danger|warning|ok|info)/) || [])[1] || "",
  why: b.closest(".ld-why, ul.ld-derived > li") ? b.closest(".ld-why, ul.ld-derived > li").innerText.trim() : null}))"""
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def unexplained(badges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [b for b in badges if not b["text"] or not b["visible"] or b["title"] is not None or b["hidden"]]


def test_every_derived_badge_explains_itself(tab: Tab, public_url: str, public_site: Site) -> None:
    """In the lists each derived badge (逾期 12 天, 按期办结, …) sits beside its explanation; on the
    record page the same badges head the page and are explained in a list just below, which the
    accessibility tree reads out. No badge is blank, hidden or explained only by a hover title."""
    page = tab.page
    in_lists: dict[str, list[str]] = {}
    tones: set[str] = set()
    for type_name in ("tasks", "coordination"):
        page.goto(public_url + f"{type_name}/")
        badges = page.locator("main").evaluate(BADGES)
        assert unexplained(badges) == [], type_name
        for b in badges:
            if b["tone"]:
                assert b["why"] and DATE.search(b["why"].removeprefix(b["text"])), b
                tones.add(b["tone"])
        rows = page.eval_on_selector_all(
            "table[id^=ld-table-] tbody tr:has(.ld-why)",
            """rows => rows.map(r => ({
          href: r.querySelector("td a").getAttribute("href"),
          labels: [...r.querySelectorAll(".ld-why .ld-badge")].map(b => b.innerText.trim())}))""",
        )
        in_lists |= {f"{type_name}/{row['href'].rstrip('/').rsplit('/', 1)[-1]}/": row["labels"] for row in rows}
    assert {"danger", "warning", "ok"} <= tones, "the bundled registry should show overdue, warning and on-time badges"
    for path, labels in sorted(in_lists.items()):
        page.goto(public_url + path)
        badges = page.locator("article.ld-record").evaluate(BADGES)
        assert unexplained(badges) == [], path
        header = page.eval_on_selector_all(
            "p.ld-badges .ld-badge", "bs => bs.filter(b => /ld-badge--(danger|warning|ok|info)/.test(b.className)).map(b => b.innerText.trim())"
        )
        items = page.eval_on_selector_all(
            "ul.ld-derived > li",
            """lis => lis.map(li => ({
          badge: li.querySelector(".ld-badge").innerText.trim(), text: li.innerText.trim(), visible: li.checkVisibility()}))""",
        )
        assert header == labels == [i["badge"] for i in items], path
        spoken = page.locator("ul.ld-derived").aria_snapshot()
        for item in items:
            explanation = item["text"].removeprefix(item["badge"]).strip()
            assert item["visible"] and DATE.search(explanation), (path, item)
            assert explanation in spoken, (path, explanation, spoken)
    for path in ("", "report/", MEETING, "organizations/", "documents/"):
        page.goto(public_url + path)
        assert unexplained(page.locator("main").evaluate(BADGES)) == [], path


# -- print --------------------------------------------------------------------------------------

SCREEN_ONLY = ".md-header, .md-tabs, .md-sidebar, .md-footer, .md-top, .md-search, .ld-header-search, .ld-filters, .ld-source"


@pytest.mark.parametrize("path", [MEETING, "report/"])
def test_prints_on_a4_with_only_the_content(tab: Tab, public_url: str, path: str) -> None:
    page = tab.page
    page.set_viewport_size({"width": A4_CONTENT_WIDTH, "height": 1000})
    page.emulate_media(media="print")
    page.goto(public_url + path)
    page.wait_for_load_state("load")
    shown = page.eval_on_selector_all(SCREEN_ONLY, "els => els.filter(e => e.checkVisibility()).map(e => e.className)")
    assert shown == [], "navigation, header, sidebars or footer would be printed"
    article = page.locator(".md-content__inner").bounding_box()
    assert article is not None and article["width"] >= 0.97 * A4_CONTENT_WIDTH, article
    assert page.evaluate("document.documentElement.scrollWidth") <= A4_CONTENT_WIDTH, "content wider than the paper"
    look = page.evaluate("""() => {
      const style = e => getComputedStyle(e);
      const links = [...document.querySelectorAll(".md-content a")].filter(a => a.checkVisibility());
      return {
        background: style(document.body).backgroundColor,
        text: style(document.querySelector(".md-typeset")).color,
        h1: style(document.querySelector(".md-content h1")).color,
        links: [...new Set(links.map(a => style(a).color + " " + style(a).textDecorationLine))],
        rows: [...new Set([...document.querySelectorAll(".md-content tr, ol.ld-decisions > li")].map(r => style(r).breakInside))],
        heads: [...new Set([...document.querySelectorAll(".md-content thead")].map(h => style(h).display))],
      };
    }""")
    black = "rgb(0, 0, 0)"
    assert (look["background"], look["text"], look["h1"]) == ("rgb(255, 255, 255)", black, black)
    assert look["links"] == [f"{black} none"], "links print as plain black text"
    assert look["rows"] == ["avoid"], "table rows and decisions must not split across pages"
    assert look["heads"] in ([], ["table-header-group"]), "table headers repeat on every page"
    if path == "report/":
        # overdue, waiting for an answer, and 未签收 (#15) on the bundled registry's day
        assert look["heads"] == ["table-header-group"] and page.locator(".md-content table").count() == 3
    # The @page rule picks the paper: without a format, Chromium uses the page's own size (else Letter).
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    boxes = [tuple(map(float, box.split())) for box in re.findall(rb"/MediaBox \[([0-9. ]+)\]", pdf)]
    assert boxes and all(abs(box[2] - 595.3) < 2 and abs(box[3] - 841.9) < 2 for box in boxes), boxes


# -- hosted under a sub-path --------------------------------------------------------------------


def test_search_results_open_under_a_sub_path(tab: Tab, public_subpath_url: str) -> None:
    page = tab.page
    assert public_subpath_url.endswith(f"/{SUB_PATH}/")
    results = search(page, public_subpath_url, QUERY)
    resolved = page.eval_on_selector_all("ol.ld-search-results a", "links => links.map(a => a.href)")
    assert results and [href for href in resolved if not href.startswith(public_subpath_url)] == []
    # Relative, like every other link of the site: right wherever the folder is served or copied.
    assert [r["href"] for r in results if r["href"].startswith("/") or "://" in r["href"]] == []
    target = next(r for r in results if r["href"].endswith("mechanisms/mech-joint-meeting/"))
    page.get_by_role("link", name=target["title"], exact=True).first.click()
    page.wait_for_url(public_subpath_url + "mechanisms/mech-joint-meeting/")
    assert page.locator("article h1").inner_text() == target["title"]
    # The header's search link, added by search.js, stays under the sub-path as well.
    page.locator(".ld-header-search").click()
    page.wait_for_url(public_subpath_url + "search/")
    assert tab.errors == []


def test_search_opened_from_a_file_says_why_it_cannot_search(tab: Tab, public_site: Site) -> None:
    """Browsers do not let a page opened from disk (file://) load the search index; the search page
    says so and what to do instead, rather than "try again later"."""
    page = tab.page
    page.goto(public_site.output.as_uri() + f"/search/index.html?q={QUERY}")
    page.wait_for_function("() => !['', '正在搜索…'].includes(document.querySelector('.ld-search-status').textContent)")
    status = page.locator(".ld-search-status").inner_text()
    assert status.startswith(("找到", "从本地文件打开网页时")), status
