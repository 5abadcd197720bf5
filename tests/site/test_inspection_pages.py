"""The 三(一)3 pages in real builds: the inspection calendar and feed, the inspections by enterprise,
the running records of the joint-inspection and information-push mechanisms, pushes on power and
organization pages, the next inspection week on the home page; each derived value with its
explanation. A rule stated on the mechanism (with its source) turns the facts into a verdict."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from tests.helpers import record

from .conftest import Site, build, case_project

pytestmark = pytest.mark.slow


def text(site: Site, url: str) -> str:
    """A page's visible words: tags dropped, entities decoded, white space folded."""
    page = (site.output / url / "index.html").read_text(encoding="utf-8")
    body = page.split('<article class="md-content__inner', 1)[-1]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def test_the_calendar_lists_arranged_and_separate_inspections_by_month_and_what_is_not_arranged(public_site: Site) -> None:
    words = text(public_site, "inspections/calendar")
    for month in ("2026年8月", "2026年9月", "2026年10月", "2026年12月"):
        assert month in words
    assert "下一个检查周 2026年第四季度跨合区检查周（示例） 示例 ：2026-12-07 至 2026-12-11" in words
    assert "12 天后开始 检查周 2026-12-07 至 2026-12-11，检查部门：东兴市市场监督管理局、东兴市应急管理局；企业 2 家。" in words
    assert "待安排 2026-11-18 申报，尚未列入统筹安排；拟检查时间 2027-01-01 至 2027-03-31。" in words
    assert "后续任务未办结 1 项 检查后交办任务 1 项，未办结：督促企业整改第三季度检查周发现的安全隐患（办理中）。" in words


def test_the_inspection_feed_holds_the_arranged_and_separate_inspections_and_calendar_ics_does_not(public_site: Site) -> None:
    feed = (public_site.output / "data/inspections.ics").read_bytes().decode("utf-8")
    unfolded = feed.replace("\r\n ", "")
    assert unfolded.startswith("BEGIN:VCALENDAR\r\n") and unfolded.endswith("END:VCALENDAR\r\n")
    uids = re.findall(r"UID:(\S+)", unfolded)
    assert uids == [f"{i}-inspection@liandong" for i in ("insp-0007", "insp-0008", "insp-0004", "insp-0009", "insp-0005")]
    assert "DTSTART;VALUE=DATE:20261207\r\nDTEND;VALUE=DATE:20261212\r\nSUMMARY:检查周：2026年第四季度跨合区检查周（示例）（已排定）〔示例〕" in unfolded
    assert "DESCRIPTION:检查部门：东兴市市场监督管理局、东兴市应急管理局\\n企业：跨合区某物流有限公司（示例）、跨合区某食品加工有限公司（示例）" in unfolded
    assert "insp-" not in (public_site.output / "data/calendar.ics").read_text(encoding="utf-8")
    downloads = text(public_site, "downloads")
    assert "inspections.ics" in downloads and "inspections.csv" in downloads and "pushes.csv" in downloads


def test_the_enterprise_page_shows_the_separate_inspections_with_their_facts_and_no_verdict(public_site: Site) -> None:
    words = text(public_site, "inspections/enterprises")
    assert "企业以统一社会信用代码识别" in words
    assert (
        "东兴某建材有限公司（示例）在统筹安排的检查周、联合检查之外，由 2 个部门分别单独检查：东兴市市场监督管理局 2026-08-04；"
        "防城港市生态环境局 2026-08-20。联合检查机制记录未规定单独检查的间隔（实施意见三（一）3 也没有规定），这里只列出事实，不作判断。"
    ) in words
    assert "不符合检查规则" not in words
    # one enterprise under two names, one code
    assert "统一社会信用代码 91000000EXAMPLE01P ；记录中的写法：东兴某建材有限公司（示例）、东兴某建材公司（示例）。接受检查 3 次，其中单独检查 2 次" in words
    assert "全部企业（4 家）" in words


def test_the_mechanism_pages_list_their_running_records_with_their_derived_states(public_site: Site) -> None:
    inspection = text(public_site, "mechanisms/mech-joint-inspection")
    # The examples' counts stand apart from the figures (a note of their own, model/examples.py).
    assert "运行记录" in inspection and "正式记录 0 条 ；另有示例 10 条（不计入） 。" in inspection
    assert "检查申报 0 （另有示例 5，不计入）" in inspection and "其中待安排 0 （另有示例 1，不计入）" in inspection
    assert "联合检查机制记录未规定单独检查的间隔" in inspection
    assert "单独检查 东兴市市场监督管理局 2026-08-04 单独检查，未列入统筹安排的检查周或联合检查；原因：接到投诉举报，依法进行核查。" in inspection
    push = text(public_site, "mechanisms/mech-information-push")
    assert "正式记录 0 条 ；另有示例 5 条（不计入） 。" in push
    assert "行政审批信息（管委会 → 部门） 0 （另有示例 3，不计入）" in push and "监督信息（部门 → 管委会） 0 （另有示例 1，不计入）" in push
    assert "1 个单位待签收 防城港市自然资源局 尚未签收（2026-11-16 推送，至 2026-11-25 已 9 天；没有规定签收时限，只列事实）。" in push
    meetings = text(public_site, "mechanisms/mech-coordination-meeting")  # generic: a meeting runs under its mechanism too
    assert "运行记录" in meetings and "会议" in meetings


def test_powers_and_organizations_show_the_pushes_facts_only(public_site: Site) -> None:
    power = text(public_site, "powers/power-0001")
    assert "推送了本事项的审批信息或监督信息 2 次。" in power
    assert "已全部签收 接收单位均已签收：防城港市住房和城乡建设局 2026-07-06；东兴市住房和城乡建设局 2026-07-03。" in power
    committee = text(public_site, "organizations/org-dxsyq-committee")  # a real organization: examples are not counted
    assert "推送 0 条 收到 0 条" in committee and "示例记录（不计入上面的数字）" in committee
    department = text(public_site, "organizations/org-example-fangchenggang-housing")  # an example one counts its examples
    assert "推送 1 条（监督信息 1 条） 收到 1 条（行政审批信息 1 条）" in department
    for words in (committee, department):
        section = words.split("只列事实：推送和收到的信息及签收情况，不评分、不排名。", 1)[1].split("关联记录", 1)[0]
        assert not any(word in section for word in ("排名", "评分", "%", "率"))


def test_the_home_page_shows_the_next_inspection_week(public_site: Site) -> None:
    words = text(public_site, "")
    assert "下一个检查周 2026年第四季度跨合区检查周（示例） 示例 ：2026-12-07 至 2026-12-11" in words
    assert "12 天后开始" in words and "查看检查日历" in words


def test_a_window_stated_on_the_mechanism_is_checked(tmp_path: Path) -> None:
    root = case_project(tmp_path / "repo", "valid/inspections-and-pushes")
    mechanism = root / "registry/mechanisms/mech-inspection.yaml"
    rules = {"source": {"document": "doc-a", "clause": "三(一)1"}, "separate_window_days": 30}
    fields = {"id": "mech-inspection", "title": "联合检查和检查周制度", "status": "active", "visibility": "public", "kind": "joint_inspection"}
    mechanism.write_text(record("mechanisms", fields, source={"document": "doc-a", "clause": "三(一)1"}, inspection_rules=rules), encoding="utf-8")
    (root / "registry/inspections/insp-0006.yaml").write_text(
        record(
            "inspections",
            {"id": "insp-0006", "title": "专项检查", "status": "inspected", "visibility": "public", "kind": "separate", "mechanism": "mech-inspection"},
            department="org-a",
            enterprises=[{"name": "甲建材公司", "uscc": "91000000EXAMPLE01P"}],
            matter="专项检查",
            date="2026-08-20",
            result="未发现问题。",
        ),
        encoding="utf-8",
    )
    done = build(root, tmp_path / "site")
    assert done.returncode == 0, done.stderr
    site = Site(None, tmp_path / "site", False)  # type: ignore[arg-type]
    words = text(site, "inspections/enterprises")
    assert "不符合检查规则" in words
    assert "依据 三(一)1（示例文件），同一企业由不同部门分别单独检查应相隔至少 30 天，不符合：乙局 2026-08-04 与 甲单位 2026-08-20 相隔 16 天。" in words
    assert "依据 三(一)1（示例文件）：同一企业由不同部门分别单独检查应相隔至少 30 天。" in text(site, "mechanisms/mech-inspection")


def test_hostile_inspection_and_push_text_stays_text(hostile_site: Site) -> None:
    """tests/site/fixtures/hostile holds a separate inspection (twice, so its enterprise is a finding)
    and a push whose every text is markup; test_build.py checks every page is inert, this the feed
    and the pages that quote the text inside explanations."""
    feed = (hostile_site.output / "data/inspections.ics").read_bytes()
    assert b"\r" not in feed.replace(b"\r\n", b"") and b"\n" not in feed.replace(b"\r\n", b"")
    properties = {line.split(b":", 1)[0].split(b";", 1)[0] for line in feed.replace(b"\r\n ", b"").split(b"\r\n") if line}
    allowed = "BEGIN END VERSION PRODID CALSCALE X-WR-CALNAME X-WR-TIMEZONE UID DTSTAMP DTSTART DTEND SUMMARY DESCRIPTION STATUS URL"
    assert properties <= {name.encode() for name in allowed.split()}
    for url in ("inspections/enterprises", "inspections/calendar", "mechanisms/mech-joint-inspection", "organizations/org-example-hostile"):
        page = (hostile_site.output / url / "index.html").read_text(encoding="utf-8")
        assert "<img src=x" not in page and "<svg onload" not in page and "<script>window.__xss" not in page, url
    finding = (hostile_site.output / "inspections/enterprises/index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=&#34;window.__xss=1&#34;&gt;注入测试企业在统筹安排的检查周、联合检查之外，由 2 个部门分别单独检查" in finding
