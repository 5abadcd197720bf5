"""#19 on the bundled site: what the text makes of a duty (a standing rule, 长期执行, with the time as
the text states it; 应当办理), a unit founded by two (上级单位 both, and 下级单位 on each of their
pages), and a co-convened mechanism under another, with whom it reports to and when. Checked in
the built HTML of the public site."""

from __future__ import annotations

import html
import re

import pytest

from .conftest import Site, contents

pytestmark = pytest.mark.slow

DONGXING = "东兴市人民政府"
COMMITTEE = "广西东兴重点开发开放试验区管理委员会"
JOINT_OFFICE = "跨合区重点项目联合推进办公室"
TASK_FORCE = "重点项目协调推进专班"
MEETING = "部门协调联动会议机制"


def _text(site: Site, page: str) -> str:
    raw = contents(site.output / page / "index.html")
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", raw)).split())


def _section(site: Site, page: str, heading_id: str) -> str:
    raw = contents(site.output / page / "index.html")
    found = re.search(rf'<h2 id="{heading_id}">.*?</section>', raw, re.S)
    assert found is not None, f"{page} has no section #{heading_id}"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(0))).split())


def test_a_standing_rule_says_so_and_how_the_text_states_its_time(public_site: Site) -> None:
    page = _text(public_site, "tasks/task-0007")
    assert "长期执行 原文时限：每季度召开一次；长期执行的规定，没有办结的一天：至 2026-11-25 不计逾期、即将到期和无进展" in page
    assert "事项性质 长期执行的规定" in page and "原文时限 每季度召开一次" in page
    assert "约束性" not in page  # the clause has no 应当、要、必须 or 可以: left out, not guessed
    mandatory = _text(public_site, "tasks/task-0003")
    assert "约束性 应当办理" in mandatory and "原文时限 及时" in mandatory
    listing = contents(public_site.output / "tasks" / "index.html")
    select = re.search(r"<select[^>]*>(?:(?!</select>).)*长期执行的规定(?:(?!</select>).)*</select>", listing, re.S)
    assert select is not None and "限期任务" in select.group(0), "the tasks list filters standing rules apart from tasks"


def test_a_unit_founded_by_two_is_under_both(public_site: Site) -> None:
    page = _text(public_site, "organizations/org-example-joint-project-office")
    assert f"上级单位 {DONGXING} 、 {COMMITTEE}" in page or f"上级单位 {DONGXING}、{COMMITTEE}" in page.replace(" 、 ", "、"), page[:2000]
    for parent in ("org-dongxing-gov", "org-dxsyq-committee"):
        relations = _section(public_site, f"organizations/{parent}", "relations")
        assert f"下级单位 {JOINT_OFFICE} 示例" in relations, (parent, relations[:1500])


def test_a_co_convened_mechanism_under_another_shows_whom_it_reports_to(public_site: Site) -> None:
    structure = _section(public_site, "mechanisms/mech-example-project-task-force", "structure").replace(" 、 ", "、")
    assert f"召集单位 {DONGXING}、{COMMITTEE} （共同召集）" in structure, structure
    assert f"办事机构 {JOINT_OFFICE} 示例" in structure and f"上级机制 {MEETING}" in structure
    assert f"专班协商不一致的 防城港市人民政府 {JOINT_OFFICE} 示例" in structure
    assert "需要防城港市委、政府决策的事项 中国共产党防城港市委员会、防城港市人民政府 —" in structure
    parent = _section(public_site, "mechanisms/mech-coordination-meeting", "structure").replace(" 、 ", "、")
    assert f"召集单位 {COMMITTEE}" in parent and f"下设机制 {TASK_FORCE} 示例" in parent
    up = "中国共产党广西壮族自治区委员会、广西壮族自治区人民政府、中国共产党防城港市委员会、防城港市人民政府"
    assert f"需要自治区和防城港市委、政府决策的事项 {up} 东兴试验区工管委办公室" in parent, parent
