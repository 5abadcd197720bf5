"""集中审理 on the built site of the bundled registry (its example reviews, on 2026-11-25): each
derived position and state is shown with its explanation as visible text — on the review's page,
in the list (with its 审理情况 filter), on the mechanism's page and on the home page, where examples
are kept apart from real records — in real Chromium; the downloads carry the derived state."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .conftest import PHONE, Site, Tab

pytestmark = pytest.mark.slow

# On 2026-11-25. The 5 working days of review-0002 span 国庆节 2026 and its makeup Saturday.
NATIONAL_DAY = "时限 5 个工作日，2026-10-13 届满（国庆节 2026-10-01 至 2026-10-07 放假，不计；2026-10-10（星期六）国庆节调休上班，计入）"
POSITIONS = {
    "review-0001": [
        ("org-example-dongxing-housing", "有条件同意", "2026-05-12 答复有条件同意：完善消防设计说明，补充消防车道和登高操作场地的设计。"),
        ("org-example-dongxing-natural-resources", "同意", "2026-05-12 答复同意"),
        ("org-example-dongxing-emergency", "缺席默认", "2026-05-06 通知，2026-05-06 签收，未出席 2026-05-12 的审查会议，也未提出意见，视为同意"),
        (
            "org-utility-power",
            "超时默认",
            "2026-05-06 通知，经政务办公系统送达（送达回执 HZ-0506-03（示例）），时限 5 个工作日，2026-05-12 届满"
            "（2026-05-09（星期六）劳动节调休上班，计入），至 2026-05-13 未答复，视为同意",
        ),
    ],
    "review-0002": [
        ("org-example-dongxing-natural-resources", "同意", "2026-10-09 答复同意"),
        ("org-example-fangchenggang-housing", "超时默认", f"2026-09-30 通知，2026-09-30 签收，{NATIONAL_DAY}，至 2026-10-14 未答复，视为同意"),
        ("org-example-dongxing-emergency", "有条件同意", "2026-10-12 答复有条件同意：冷库氨制冷系统按规定开展安全评价。"),
    ],
    "review-0003": [
        ("org-example-dongxing-housing", "不同意", "2026-11-24 答复不同意：厂房结构设计未按抗震设防要求计算，需修改后重新送审。"),
        ("org-example-dongxing-natural-resources", "未到期", "2026-11-18 通知，2026-11-19 签收，尚未答复；时限 10 个工作日，2026-12-02 届满"),
        (
            "org-utility-power",
            "缺席默认",
            "2026-11-18 通知，经政务办公系统送达（送达回执 HZ-1118-07（示例）），未出席 2026-11-24 的审查会议，也未提出意见，视为同意",
        ),
    ],
    "review-0005": [
        ("org-example-dongxing-housing", "同意", "2026-10-30 答复同意"),
        (
            "org-example-dongxing-emergency",
            "逾期未答复",
            "2026-10-26 通知，未签收，也没有送达记录，时限 5 个工作日，2026-11-02 届满，至 2026-11-25 未答复；"
            "没有签收日期或送达记录，不能视为同意，请补记签收日期或送达记录",
        ),
    ],
}
STATES = {
    "review-0001": ("已决定", "2026-06-10 作出决定：有条件通过；各部门意见：同意 1、有条件同意 1、缺席默认 1、超时默认 1"),
    "review-0002": ("可作出决定", "截至 2026-11-25，3 个部门的意见已齐（同意 1、有条件同意 1、超时默认 1），可以作出决定"),
    "review-0003": (
        "待补正",
        "容缺材料“环境影响评价批复”承诺 2026-12-15 前补正，尚未补正；补齐前不能作出决定；另有 1 个部门尚未答复：东兴市自然资源局（未到期）",
    ),
    "review-0004": ("补正逾期", "容缺材料“水土保持方案批复”承诺 2026-08-31 前补正，至 2026-11-25 未补正（逾期 86 天）；补齐前不能作出决定"),
    "review-0005": ("待答复", "截至 2026-11-25，1 个部门的意见未到：东兴市应急管理局（逾期未答复）"),
}
VISIBLE_WHY = """els => els.map(e => ({text: e.innerText.replace(/\\s+/g, " ").trim(), visible: e.checkVisibility(),
  badge: e.querySelector(".ld-badge") ? e.querySelector(".ld-badge").innerText.trim() : null}))"""


def _reviews(site: Site) -> list[dict[str, Any]]:
    return [r for r in site.project.public() if r["_type"] == "reviews"]


def test_the_bundled_reviews_show_every_outcome(public_site: Site) -> None:
    """answered, 缺席默认, 超时默认 across a holiday, 待补正, 补正逾期, 待答复, 可作出决定, 已决定: all examples."""
    reviews = _reviews(public_site)
    assert sorted(r["id"] for r in reviews) == sorted(STATES) and all(r.get("example") is True for r in reviews)
    data = json.loads((public_site.output / "data/registry.json").read_text(encoding="utf-8"))
    derived = {r["id"]: r["derived"] for r in data["types"]["reviews"]["records"]}
    assert {rid: (d[0]["label"], d[0]["explanation"]) for rid, d in derived.items()} == STATES
    for review in reviews:  # derived, never stored
        assert not {"state", "position", "derived"} & set(json.dumps(review, ensure_ascii=False).split('"'))


def test_a_review_page_reads_like_the_joint_review_record(tab: Tab, public_url: str) -> None:
    page = tab.page
    for review_id, expected in POSITIONS.items():
        page.goto(f"{public_url}reviews/{review_id}/")
        headings = page.eval_on_selector_all("article h2", "hs => hs.map(h => h.innerText.trim())")
        assert headings[:3] == ["项目概况", "审查通知", "签收、出席和答复"] and "审理决定" in headings, headings
        rows = page.eval_on_selector_all(
            "table.ld-review-departments tbody tr",
            """rows => rows.map(r => ({href: r.querySelector("td a").getAttribute("href"),
              why: r.querySelector(".ld-position").innerText.replace(/\\s+/g, " ").trim(),
              badge: r.querySelector(".ld-position .ld-badge").innerText.trim(),
              visible: r.querySelector(".ld-position").checkVisibility()}))""",
        )
        found = [(row["href"].rstrip("/").rsplit("/", 1)[-1], row["badge"], row["why"], row["visible"]) for row in rows]
        assert found == [(org, label, f"{label} {why}", True) for org, label, why in expected], review_id
        # the deemed consents again, each with its reason, under 视为同意
        deemed = page.eval_on_selector_all("ul.ld-deemed > li", "lis => lis.map(li => li.innerText.replace(/\\s+/g, ' ').trim())")
        assert [d.split("：", 1)[1] for d in deemed] == [f"{label} {why}" for _, label, why in expected if label in ("缺席默认", "超时默认")]
        # the state heads the page and is explained in the list just below it, as every derived badge is
        label, why = STATES[review_id]
        explained = page.eval_on_selector_all("ul.ld-derived > li", VISIBLE_WHY)
        assert explained == [{"text": f"{label} {why}", "visible": True, "badge": label}], review_id
    assert tab.errors == []


def test_materials_and_the_decision_are_on_the_page(tab: Tab, public_url: str) -> None:
    page = tab.page
    page.goto(f"{public_url}reviews/review-0004/")
    materials = page.eval_on_selector_all("table.ld-review-materials .ld-why", VISIBLE_WHY)
    assert [m["text"] for m in materials] == [
        "补正逾期 86 天 承诺 2026-08-31 前补正，至 2026-11-25 未补正（逾期 86 天）",
        "已补正 2026-07-20 补正（承诺 2026-07-31 前）",
    ]
    assert page.locator("p.ld-outstanding").inner_text() == "尚未补正：水土保持方案批复。"
    assert page.locator("section[aria-labelledby=review-decision] .ld-review-state").inner_text() == " ".join(STATES["review-0004"])
    page.goto(f"{public_url}reviews/review-0001/")
    decision = page.locator("section[aria-labelledby=review-decision] dl").inner_text()
    assert "2026-06-10" in decision and "有条件通过" in decision
    assert "2026-05-12 届满（2026-05-09（星期六）劳动节调休上班，计入）" in page.locator("dd.ld-limit").inner_text()
    assert tab.errors == []


def test_the_list_shows_each_state_with_its_explanation_and_filters_by_it(tab: Tab, public_url: str) -> None:
    page = tab.page
    page.goto(f"{public_url}reviews/")
    rows = page.eval_on_selector_all(
        "table[id^=ld-table-] tbody tr",
        """rows => rows.map(r => ({href: r.querySelector("td a").getAttribute("href"),
          why: [...r.querySelectorAll(".ld-why")].map(w => w.innerText.replace(/\\s+/g, " ").trim())}))""",
    )
    assert {row["href"].rstrip("/").rsplit("/", 1)[-1]: row["why"] for row in rows} == {rid: [f"{label} {why}"] for rid, (label, why) in STATES.items()}
    assert page.locator("select[data-filter=derived]").evaluate("s => s.closest('label').firstChild.textContent.trim()") == "审理情况"
    visible = page.locator("table[id^=ld-table-] tbody tr:not([hidden])")
    for code, wanted in (("with-timeout-deemed", 2), ("with-absent-deemed", 2), ("ready", 1), ("awaiting-supplement", 1), ("decided", 1)):
        page.select_option("select[data-filter=derived]", code)
        assert visible.count() == wanted, code
    page.select_option("select[data-filter=derived]", "")
    page.select_option("select[data-filter=example]", "real")
    assert visible.count() == 0  # every bundled review is an example
    assert tab.errors == []


def test_the_mechanism_page_lists_its_reviews_and_the_home_page_keeps_examples_apart(tab: Tab, public_url: str) -> None:
    page = tab.page
    page.goto(f"{public_url}mechanisms/mech-joint-review/")
    running = page.locator("section.ld-running")
    assert running.locator("h3").inner_text() == "集中审理"
    assert running.locator(".ld-running-count").inner_text() == "正式记录 0 条；另有示例 5 条（不计入）。"
    states = page.eval_on_selector_all("section.ld-running .ld-why", VISIBLE_WHY)
    assert sorted(s["text"] for s in states) == sorted(f"{label} {why}" for label, why in STATES.values())
    assert all(s["visible"] for s in states)
    page.goto(public_url)
    section = page.locator("h2#awaiting-decision")
    assert section.inner_text() == "待作出决定的集中审理"
    assert page.locator("h2#awaiting-decision + p").inner_text() == "目前没有待作出决定的集中审理（正式记录）。"
    examples = page.eval_on_selector_all("ul.ld-awaiting--examples > li", "lis => lis.map(li => li.innerText.replace(/\\s+/g, ' ').trim())")
    assert len(examples) == 4 and all("示例" in e for e in examples)  # every review but the decided one, each marked 示例
    assert any("补正逾期" in e and "逾期 86 天" in e for e in examples)
    assert tab.errors == []


def test_review_pages_fit_a_phone(phone: Tab, public_url: str) -> None:
    page = phone.page
    for path in ("reviews/", "reviews/review-0001/", "reviews/review-0004/"):
        page.goto(public_url + path)
        page.wait_for_load_state("load")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1, f"{path} scrolls sideways"
        assert page.locator(".ld-why").first.is_visible()
    assert phone.errors == []
