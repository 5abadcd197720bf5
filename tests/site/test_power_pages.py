"""How a power is held, on the built site (#19): each power's page says its mode (授权, 委托, 下放,
直接行使) and the unit that granted it — 以委托单位名义 for a 委托, 原由…下放至… for a 下放; the
powers list has 受理窗口 and 审批部门 columns only when a listed power has them, and a visitor filters it
by 行使方式 and 授予单位 (in Chromium); a document known only from a reprint is marked 据转载 and its
reprint 转载."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import TODAY, Site, Tab, case_project, liandong

# Full builds.
pytestmark = pytest.mark.slow

CASE = "valid/powers-four-modes"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _conferral(page: Path) -> str:
    found = re.search(r'<p class="ld-conferral[^"]*">(.*?)</p>', page.read_text(encoding="utf-8"), re.S)
    assert found, f"{page}: no 行使方式 line"
    return _text(found.group(1))


def _fields(page: Path) -> dict[str, str]:
    html = page.read_text(encoding="utf-8")
    listed = html[html.index('<dl class="ld-fields">') :]
    return {_text(k): _text(v) for k, v in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", listed, re.S)}


def _columns(page: Path) -> list[str]:
    return [_text(c) for c in re.findall(r'<button type="button" class="ld-sort"[^>]*>(.*?)</button>', page.read_text(encoding="utf-8"))]


@pytest.fixture(scope="module")
def four_modes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = case_project(tmp_path_factory.mktemp("powers") / "repo", CASE)
    out = root.parent / "public"
    result = liandong(root, "build", "--today", TODAY, "-o", str(out))
    assert result.returncode == 0, result.stderr
    return out


def test_each_mode_and_its_granting_unit_show_on_the_power_page(four_modes: Path) -> None:
    line = {n: _conferral(four_modes / f"powers/power-000{n}/index.html") for n in range(1, 6)}
    assert line[1] == "授权 经 乙市人民政府 授权，由 甲单位 以自己的名义实施。"
    assert line[2] == "直接行使 由 甲单位 依法直接行使。"
    assert line[3] == "委托 由 甲单位 以委托单位 乙市人民政府 的名义实施（受委托实施，不得再委托）。"
    assert line[4] == "下放 原由 乙市人民政府 实施，下放至 甲单位 ，由其以自己的名义实施。"
    assert line[5] == line[3]  # a proposed 委托 (拟实施) says the same
    authorized = _fields(four_modes / "powers/power-0001/index.html")
    assert authorized["行使方式"] == "授权" and authorized["授予单位"] == "乙市人民政府" and authorized["实施主体"] == "甲单位"
    direct = _fields(four_modes / "powers/power-0002/index.html")
    assert direct["行使方式"] == "直接行使" and "授予单位" not in direct
    delegated = _text((four_modes / "powers/power-0003/index.html").read_text(encoding="utf-8"))
    assert "委托 委托文件 （示例）乙市人民政府关于委托行使部分市级管理权限的决定 示例 委托权限范围 受理、审查" in delegated


def test_the_powers_list_shows_window_and_back_office_columns_only_when_a_power_has_them(four_modes: Path, public_site: Site) -> None:
    assert _columns(four_modes / "powers/index.html") == ["事项名称", "职权类别", "行使方式", "授予单位", "实施主体", "状态"]
    bundled = _columns(public_site.output / "powers/index.html")
    assert bundled == ["事项名称", "职权类别", "行使方式", "授予单位", "实施主体", "受理窗口", "审批部门", "状态"]
    listed = (public_site.output / "powers/index.html").read_text(encoding="utf-8")
    assert '<option value="delegated">委托</option>' in listed


def test_a_visitor_filters_the_powers_by_mode_and_granting_unit(tab: Tab, public_url: str, public_site: Site) -> None:
    powers = [r for r in public_site.project.public() if r["_type"] == "powers"]
    page = tab.page
    page.goto(public_url + "powers/")
    visible = page.locator("table[id^=ld-table-] tbody tr:not([hidden])")
    assert visible.count() == len(powers)
    page.select_option("select[data-filter=mode]", "delegated")
    assert visible.count() == sum(r["mode"] == "delegated" for r in powers)
    grantor = "org-example-fangchenggang-natural-resources"
    page.select_option("select[data-filter=granted_by]", grantor)
    granted = sorted(r["title"] for r in powers if r.get("granted_by") == grantor)
    assert 0 < len(granted) < len(powers)
    shown = page.eval_on_selector_all("table[id^=ld-table-] tbody tr:not([hidden]) td:first-child a", "links => links.map(a => a.textContent.trim())")
    assert sorted(shown) == granted
    assert tab.errors == []


def test_the_bundled_delegations_act_in_the_delegators_name(public_site: Site) -> None:
    line = _conferral(public_site.output / "powers/power-0001/index.html")
    assert line == "委托 由 东兴市住房和城乡建设局 示例 以委托单位 防城港市住房和城乡建设局 示例 的名义实施（受委托实施，不得再委托）。"


def test_a_document_known_from_a_reprint_is_marked_as_such(public_site: Site) -> None:
    page = public_site.output / "documents/doc-guizhengbanfa-2019-63/index.html"
    text = _text(page.read_text(encoding="utf-8"))
    assert "据转载 本文件的官方原文网址尚未登记" in text
    assert "原文网址" not in _fields(page)
    assert "转载 转载网址 http://m.gxcounty.com/show-29-149348-0.html 说明 第三方转载页" in text
    opinion = _text((public_site.output / "documents/doc-kuahequ-liandong-opinion/index.html").read_text(encoding="utf-8"))
    assert "据转载" not in opinion
