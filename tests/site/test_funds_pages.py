"""The 资金台账 pages of 三(四) in a real build of the bundled site: each example ledger's page has its
balance chart (static SVG, no script), the table of balances, the totals, the 示例 badge, and for
the pool the land-transfer revenue with the words that the policy gives no start of the five years;
the list page, the navigation and the CSV download carry them too; the real mechanism's page counts
no example figure."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest

from .conftest import Site

pytestmark = pytest.mark.slow


def page(site: Site, url: str) -> str:
    return (site.output / url / "index.html").read_text(encoding="utf-8")


def text(markup: str) -> str:
    """Visible words of a page's article: tags dropped, entities decoded, white space folded."""
    body = markup.split('<article class="md-content__inner', 1)[-1]
    body = re.sub(r"<svg.*?</svg>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def test_the_pool_page_has_its_chart_table_totals_and_example_badge(public_site: Site) -> None:
    markup = page(public_site, "funds/funds-0001")
    charts = re.findall(r'<svg[^>]*class="ld-funds-chart".*?</svg>', markup, flags=re.S)
    assert len(charts) == 1
    chart = charts[0]
    assert 'role="img"' in chart and "<title id=" in chart and "<desc id=" in chart
    assert "余额（万元）" in chart and ">日期<" in chart and "<script" not in chart.lower()
    assert chart.count("<circle") == 10  # one point per day on which something moved
    assert "2026-10-20 余额 23,500,000.25 元" in chart
    assert 'class="ld-table ld-funds-days"' in markup
    assert '<span class="ld-badge ld-badge--example">示例</span>' in markup
    words = text(markup)
    assert "资金来源合计 85,500,000.50 元 资金使用合计 62,000,000.25 元 当前余额 23,500,000.25 元" in words
    assert "2026-06-18 8,000,000.50 — 30,000,000.50 自治区（争取） +8,000,000.50" in words
    assert "跨合区标准厂房一期 35,000,000.00 2" in words  # 资金使用按项目: two outflows
    assert "其他来源：跨合区企业公益捐赠 不适用 500,000.00" in words
    assert "原文未规定5年期限的起算日期" in words and "不判断哪些收入在期限内" in words
    assert "2026年 2026-01-01 至 2026-12-31 10,500,000.00 6,000,000.00 4,500,000.00" in words
    assert "不是任何单位的实际收支" in words
    for key in ("inflows", "outflows", "land_revenue", "supervision", "fangchenggang", "source_name"):
        assert key not in words, key


def test_the_platform_page_has_its_financing_by_channel(public_site: Site) -> None:
    words = text(page(public_site, "funds/funds-0002"))
    assert "融资合计 230,000,000.00 元 资金使用合计 105,000,000.00 元 当前余额 125,000,000.00 元" in words
    assert "融资按融资渠道 融资渠道 金额（元） 笔数 充实资本金 50,000,000.00 1 银行贷款 80,000,000.00 1 企业债 100,000,000.00 1" in words
    assert "土地出让收入" not in words


def test_the_list_the_navigation_and_the_download(public_site: Site) -> None:
    listing = page(public_site, "funds")
    assert "跨合区建设资金池（示例）" in listing and "东兴市投融资平台公司跨合区开发建设资金（示例）" in listing
    assert re.search(r'<a href="funds/" class="md-nav__link">\s*(?:<[^>]+>\s*)*资金台账', page(public_site, ""))
    rows = list(csv.DictReader(io.StringIO((public_site.output / "data/funds-entries.csv").read_text(encoding="utf-8-sig"))))
    assert {r["台账编号"] for r in rows} == {"funds-0001", "funds-0002"}
    assert "9000000.25" in [r["金额（元）"] for r in rows]


def test_the_real_mechanism_counts_no_example_ledger_figure(public_site: Site) -> None:
    words = text(page(public_site, "mechanisms/mech-fund-pool"))
    assert "23,500,000" not in words and "85,500,000" not in words


def test_hostile_text_in_a_ledger_stays_text_in_its_page_its_chart_and_its_csv(hostile_site: Site) -> None:
    """tests/site/fixtures/hostile/funds/funds-9001.yaml: every text of a ledger tries to inject."""
    markup = page(hostile_site, "funds/funds-9001")
    chart = re.findall(r'<svg[^>]*class="ld-funds-chart".*?</svg>', markup, flags=re.S)[0]
    assert '<title id="funds-chart-funds-9001-title">&lt;script&gt;window.__xss=1&lt;/script&gt;注入测试资金池：每日余额</title>' in chart
    assert "&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;window.__xss=1&lt;/script&gt;注入项目" in markup
    assert "其他来源：&#34;&gt;&lt;svg onload=window.__xss=1&gt;注入来源" in markup
    assert "<script>window.__xss" not in markup and "<svg onload" not in markup and "<b onmouseover" not in markup
    rows = list(csv.DictReader(io.StringIO((hostile_site.output / "data/funds-entries.csv").read_text(encoding="utf-8-sig"))))
    note = next(r["说明"] for r in rows if r["台账编号"] == "funds-9001" and r["条目"] == "资金使用")
    assert note == '\'=HYPERLINK("http://example.org")'  # never a formula in a spreadsheet
