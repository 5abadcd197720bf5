"""Search on the bundled public site in Chromium (#16): each kind of query people type — Chinese of
2 and of 4 or more characters, a full name, traditional characters, pinyin with and without tones,
initials, another name — with the record it must show first; records bearing the name above pages
that quote it, nothing twice; derived states as words and as the 办理情况 filter; the report and
the contributor pages found; and what a first search fetches."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .conftest import Site, Tab, search

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MONG_CAI = "organizations/org-example-mongcai-committee/"
OPINION = "documents/doc-kuahequ-liandong-opinion/"
JOINT_MEETING = "mechanisms/mech-joint-meeting/"
FINANCE = "organizations/org-example-dongxing-finance/"


def path(result: dict[str, str]) -> str:
    """A result's site path, e.g. "tasks/task-0013/" (links are relative to the search page)."""
    return result["href"].removeprefix("../")


@pytest.mark.parametrize(
    ("kind", "query", "first"),
    [
        ("Chinese, 2 characters, in the middle of a long title", "芒街", OPINION),
        ("Chinese, 4 characters", "联席会议", JOINT_MEETING),
        ("Chinese, a full name", "东兴市财政局", FINANCE),
        ("Chinese, a short name", "东兴试验区管委会", "organizations/org-dxsyq-committee/"),
        ("Chinese, another name", "重大事项联席会议", JOINT_MEETING),
        ("traditional characters", "聯席會議", JOINT_MEETING),
        ("traditional characters, a full name", "東興市財政局", FINANCE),
        ("pinyin", "lianxi huiyi", JOINT_MEETING),
        ("pinyin with tone marks and capitals", "Liánxí Huìyì", JOINT_MEETING),
        ("pinyin of a full name", "dongxingshi caizhengju", FINANCE),
        ("initials", "lxhy", JOINT_MEETING),
        ("initials of a full name", "dxsczj", FINANCE),
    ],
)
def test_each_kind_of_query_shows_its_record_first(tab: Tab, public_url: str, kind: str, query: str, first: str) -> None:
    results = search(tab.page, public_url, query)
    assert results and path(results[0]) == first, (kind, [path(r) for r in results])
    assert results[0]["type"] and results[0]["status"], results[0]
    assert len({r["href"] for r in results}) == len(results), "a page is listed twice"
    assert tab.errors == []


def test_the_record_bearing_a_name_ranks_above_the_pages_that_quote_it(tab: Tab, public_url: str) -> None:
    """Every unit page quotes the opinion's title (芒街 is in it); Pagefind alone listed the opinion
    below twenty of them. The status says how many names match and how many pages Pagefind found.
    Two names hold 芒街: the opinion's and the example Móng Cái committee's, which starts with it
    but, being an example, comes after the real record."""
    results = search(tab.page, public_url, "芒街")
    assert path(results[0]) == OPINION and path(results[1]) == MONG_CAI and len(results) > 10
    assert OPINION not in [path(r) for r in results[1:]]
    status = tab.page.locator(".ld-search-status").inner_text()
    assert status.startswith("找到 2 条记录的名称相符，全文搜索 ") and status.endswith(" 条结果"), status


def test_more_full_text_results_come_ten_at_a_time(tab: Tab, public_url: str) -> None:
    """Each of Pagefind's results is a fetch of its page's text: ten come with the first answer,
    ten more with each press of the button, none twice."""
    page = tab.page
    first = search(page, public_url, "芒街")
    assert len(first) == 2 + 10  # the two names (see above), then Pagefind's first ten
    button = page.get_by_role("button", name="显示更多结果")
    button.click()
    page.wait_for_function("() => document.querySelectorAll('ol.ld-search-results > li').length > 12")
    hrefs = page.eval_on_selector_all("ol.ld-search-results > li a", "links => links.map(a => a.getAttribute('href'))")
    assert len(hrefs) == 22 and len(set(hrefs)) == 22 and hrefs[:12] == [r["href"] for r in first]
    grown = "(count) => document.querySelectorAll('ol.ld-search-results > li').length > count || document.querySelector('.ld-search-next').hidden"
    while button.is_visible():
        button.click()
        page.wait_for_function(grown, arg=len(hrefs))
        hrefs = page.eval_on_selector_all("ol.ld-search-results > li a", "links => links.map(a => a.getAttribute('href'))")
    status = page.locator(".ld-search-status").inner_text()
    text = int(status.split("全文搜索 ")[1].split(" ")[0])
    assert len(hrefs) == len(set(hrefs)) and text <= len(hrefs) <= text + 2, status  # the two named may be in both
    assert tab.errors == []


def test_another_name_that_matched_is_shown_with_the_result(tab: Tab, public_url: str) -> None:
    search(tab.page, public_url, "重大事项联席会议")
    assert tab.page.locator("ol.ld-search-results > li").first.locator("p").nth(1).inner_text() == "又称：重大事项联席会议"
    search(tab.page, public_url, "lxhy")
    assert tab.page.locator("ol.ld-search-results > li").first.locator("p").nth(1).inner_text().startswith("拼音：zhong da shi xiang")


def _derived(site: Site) -> dict[str, set[str]]:
    """Derived code → the site paths of the public records that have it (data/registry.json)."""
    published = json.loads((site.output / "data/registry.json").read_text(encoding="utf-8"))
    found: dict[str, set[str]] = {}
    for kind in published["types"].values():
        for record in kind["records"]:
            for state in record["derived"]:
                found.setdefault(state["code"], set()).add(record["url"])
    return found


@pytest.mark.parametrize(
    ("word", "code"), [("逾期", "overdue"), ("未签收", "unsigned"), ("未簽收", "unsigned"), ("长期无进展", "stale"), ("按期办结", "on-time")]
)
def test_a_derived_state_is_a_word_that_finds_the_records_in_it_first(tab: Tab, public_url: str, public_site: Site, word: str, code: str) -> None:
    """A record's derived badges are not in its text as a word (逾期 148 天 is a badge, 即将到期 is
    nowhere), yet the word for its state, in simplified or traditional characters, lists the
    records in that state first, above the report and the pages that mention the word."""
    expected = _derived(public_site).get(code, set())
    assert expected, f"the bundled registry has no record with {code} on the tests' day"
    results = search(tab.page, public_url, word)
    assert {path(r) for r in results[: len(expected)]} == expected, [path(r) for r in results]
    offered = tab.page.locator(f"#ld-search-state option[data-code={code}]").get_attribute("value")
    assert tab.page.locator(".ld-search-status").inner_text().startswith(f"找到 “{offered}”的记录 {len(expected)} 条")
    assert results[0]["text"].endswith(f"办理情况：{offered}")


def _shown(page: Any) -> list[str]:
    page.wait_for_function("() => /^(找到|没有)/.test(document.querySelector('.ld-search-status').textContent)")
    return page.eval_on_selector_all("ol.ld-search-results > li a", "links => links.map(a => a.getAttribute('href').replace(/^[.][.][/]/, ''))")


def test_the_state_filter_lists_exactly_the_records_in_that_state(tab: Tab, public_url: str, public_site: Site) -> None:
    derived = _derived(public_site)
    overdue, on_time = derived.get("overdue", set()), derived.get("on-time", set())
    assert overdue and on_time
    page = tab.page
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(public_url + "search/")
    page.select_option("#ld-search-state", "逾期")
    assert set(_shown(page)) == overdue
    # All of them come from the name index (search/names/~overdue): no full-text index is loaded.
    assert [u for u in requested if "/pagefind/" in u] == []
    # With a query as well: only what matches it among them.
    page.goto(public_url + "search/?q=" + "跨合区")
    page.select_option("#ld-search-state", "按期办结")
    shown = _shown(page)
    assert shown and set(shown) <= on_time, shown
    assert tab.errors == []


@pytest.mark.parametrize(("query", "first"), [("逾期和上报报告", "report/"), ("字段和状态", "contribute/")])
def test_the_report_and_contributor_pages_are_found(tab: Tab, public_url: str, query: str, first: str) -> None:
    results = search(tab.page, public_url, query)
    assert results and path(results[0]).startswith(first), [path(r) for r in results]
    assert results[0]["type"] in ("报告", "参与贡献")


@pytest.mark.parametrize(("query", "shown"), [("东兴", 20), ("东兴市财政局", 1)])
def test_names_that_fill_the_page_or_match_exactly_need_no_full_text_index_until_asked(tab: Tab, public_url: str, query: str, shown: int) -> None:
    """东兴 is in more than a page of names, 东兴市财政局 is a unit's name: those records are the
    answer, and Pagefind (most of a first search's bytes) is not loaded; the button asks it, for
    its results alone."""
    page = tab.page
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    results = search(page, public_url, query)
    assert len(results) == shown and all(query in r["title"] for r in results)
    assert [u for u in requested if "/pagefind/" in u] == []
    fetched = [u.removeprefix(public_url) for u in requested if "/search/" in u and not u.endswith("/search/")]
    assert fetched[0] == "search/lookup.json" and len(fetched) <= 3 and all(f.startswith("search/names/") for f in fetched[1:]), fetched
    page.get_by_role("button", name="全文搜索：只看正文中提到它的页面").click()
    page.wait_for_function("() => document.querySelector('.ld-search-status').textContent.startsWith('找到 全文搜索')")
    assert any("/pagefind/" in u for u in requested)
    assert page.get_by_role("button", name="全文搜索：只看正文中提到它的页面").is_hidden()
    assert tab.errors == []
