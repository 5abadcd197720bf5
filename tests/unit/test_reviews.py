"""集中审理's derived positions and states (model/reviews.py): each position and each state, with the
exact sentence the site shows, across 国庆节 2026 and the 调休 Saturdays of 2026; the registry's
holiday notices through the model; nothing derived is ever written into the record."""

from __future__ import annotations

import copy
import datetime
from pathlib import Path
from typing import Any

import pytest

from liandong.model.model import Model
from liandong.model.reviews import derive, limit_of
from liandong.model.status import Status
from liandong.model.workdays import Calendar
from liandong.validation.pipeline import validate
from liandong.yamlio.loader import load_bytes
from tests.helpers import case_repo, make_repo, record, write

D = datetime.date
BOTH_RULES = {"measures": [{"name": "缺席默认", "rule": "absent_deemed_consent"}, {"name": "超时默认", "rule": "timeout_deemed_consent"}]}
# Notice on the eve of 国庆节 2026: 10-01…10-07 off, Saturday 10-10 worked; 5 working days end on 10-13.
NATIONAL_DAY = {"date": "2026-09-30", "meeting_date": "2026-10-09", "limit": {"count": 5, "unit": "working_day"}}
ACROSS = "时限 5 个工作日，2026-10-13 届满（国庆节 2026-10-01 至 2026-10-07 放假，不计；2026-10-10（星期六）国庆节调休上班，计入）"


def review(*departments: dict[str, Any], notice: dict[str, Any] | None = None, **more: Any) -> dict[str, Any]:
    return {"status": "in_review", "notice": copy.deepcopy(notice or NATIONAL_DAY), "departments": list(departments), **more}


def judged(data: dict[str, Any], today: str, mechanism: dict[str, Any] | None = BOTH_RULES) -> Any:
    return derive(data, mechanism, Calendar(), D.fromisoformat(today), lambda unit: {"a": "甲局", "b": "乙局"}.get(unit, unit))


def one(department: dict[str, Any], today: str, **kw: Any) -> Any:
    return judged(review({"organization": "a", **department}), today, **kw).positions[0]


# -- positions ----------------------------------------------------------------------------------


def test_an_answer_is_the_position_whatever_the_day() -> None:
    agree = one({"signed": "2026-09-30", "answer": {"date": "2026-10-09", "opinion": "agree"}}, "2026-11-25")
    assert (agree.code, agree.label, agree.explanation, agree.settled) == ("answered", "同意", "2026-10-09 答复同意", True)
    answer = {"date": "2026-10-09", "opinion": "conditional", "conditions": "完善消防设计\n补充日照分析"}
    conditional = one({"signed": "2026-09-30", "answer": answer}, "2026-10-09")
    assert (conditional.label, conditional.explanation) == ("有条件同意", "2026-10-09 答复有条件同意：完善消防设计；补充日照分析")
    late = one({"attendance": "written", "answer": {"date": "2026-10-15", "opinion": "disagree", "reasons": "用地性质不符"}}, "2026-11-25")
    assert (late.label, late.explanation) == ("不同意", "2026-10-15 答复不同意：用地性质不符（未出席会议，书面答复）（晚于答复时限 2026-10-13）")


def test_absent_and_notified_is_deemed_to_agree_on_the_meeting_day() -> None:
    absent = one({"signed": "2026-09-30", "attendance": "absent"}, "2026-10-09")
    assert (absent.code, absent.deemed_on) == ("absent-deemed", D(2026, 10, 9))
    assert absent.explanation == "2026-09-30 通知，2026-09-30 签收，未出席 2026-10-09 的审查会议，也未提出意见，视为同意"
    delivered = one({"delivery": {"method": "oa", "evidence": "回执 7 号"}, "attendance": "absent"}, "2026-10-09")
    assert delivered.explanation.startswith("2026-09-30 通知，经政务办公系统送达（回执 7 号），")


def test_no_answer_across_national_day_2026_is_deemed_consent_the_day_after_the_limit() -> None:
    department = {"signed": "2026-09-30", "attendance": "present"}
    assert one(department, "2026-10-13").code == "pending"  # the limit's last day: still due
    deemed = one(department, "2026-10-14")
    assert (deemed.code, deemed.label, deemed.deemed_on) == ("timeout-deemed", "超时默认", D(2026, 10, 14))
    assert deemed.explanation == f"2026-09-30 通知，2026-09-30 签收，{ACROSS}，至 2026-10-14 未答复，视为同意"


def test_labour_day_2026_makeup_saturday_counts_as_a_working_day() -> None:
    notice = {"date": "2026-05-06", "limit": {"count": 5, "unit": "working_day"}}
    deemed = judged(review({"organization": "a", "signed": "2026-05-06"}, notice=notice), "2026-05-13").positions[0]
    assert deemed.explanation == (
        "2026-05-06 通知，2026-05-06 签收，时限 5 个工作日，2026-05-12 届满（2026-05-09（星期六）劳动节调休上班，计入），至 2026-05-13 未答复，视为同意"
    )


def test_not_yet_due_says_when_the_limit_runs_out() -> None:
    pending = one({"signed": "2026-09-30"}, "2026-10-08")
    assert (pending.code, pending.label, pending.settled) == ("pending", "未到期", False)
    assert pending.explanation == f"2026-09-30 通知，2026-09-30 签收，尚未答复；{ACROSS}"
    no_limit = judged(review({"organization": "a", "signed": "2026-09-30"}, notice={"date": "2026-09-30"}), "2027-03-01").positions[0]
    assert no_limit.code == "pending" and no_limit.explanation.endswith("尚未答复；通知未写明答复时限，不适用超时默认")


def test_silence_without_proof_of_notice_is_never_consent() -> None:
    silent = one({"attendance": "absent"}, "2026-11-25")
    assert (silent.code, silent.tone) == ("overdue", "danger")
    assert silent.explanation == (
        f"2026-09-30 通知，未签收，也没有送达记录，{ACROSS}，至 2026-11-25 未答复；"
        "没有签收日期或送达记录，不能视为同意，请补记签收日期或送达记录；缺席审查会议，但没有签收日期或送达记录，不能按缺席默认视为同意"
    )


def test_only_the_rules_the_mechanism_names_apply() -> None:
    department = {"signed": "2026-09-30", "attendance": "absent"}
    none = one(department, "2026-11-25", mechanism={"measures": [{"name": "联合图审", "code": "joint-drawing-review"}]})
    assert none.code == "overdue" and none.explanation.endswith("本机制未规定超时默认，不能视为同意；缺席审查会议（本机制未规定缺席默认）")
    timeout_only = one(department, "2026-11-25", mechanism={"measures": [{"name": "超时默认", "rule": "timeout_deemed_consent"}]})
    assert timeout_only.code == "timeout-deemed"
    assert one(department, "2026-11-25", mechanism=None).code == "overdue"  # mechanism unknown: no rule


def test_calendar_days_run_through_the_holiday() -> None:
    notice = {"date": "2026-09-30", "limit": {"count": 5, "unit": "day"}}
    deemed = judged(review({"organization": "a", "signed": "2026-09-30"}, notice=notice), "2026-10-06").positions[0]
    assert deemed.explanation == "2026-09-30 通知，2026-09-30 签收，时限 5 日（自然日），2026-10-05 届满，至 2026-10-06 未答复，视为同意"


# -- states -------------------------------------------------------------------------------------

ANSWERED = {"organization": "a", "signed": "2026-09-30", "attendance": "present", "answer": {"date": "2026-10-09", "opinion": "agree"}}
SILENT = {"organization": "b", "signed": "2026-09-30", "attendance": "present"}
MISSING = {"accepted": "2026-09-28", "missing": [{"name": "人防工程设计审查意见", "essential": False, "promised": "2026-10-30"}]}


def test_waiting_for_an_answer() -> None:
    state = judged(review(ANSWERED, SILENT), "2026-10-12").state
    assert (state.code, state.label, state.tone) == ("awaiting-answers", "待答复", "info")
    assert state.explanation == "截至 2026-10-12，1 个部门的意见未到：乙局（未到期）"
    assert judged(review(), "2026-10-12").state.explanation == "截至 2026-10-12，尚未登记被通知的部门"


def test_ready_once_every_opinion_is_in_answered_or_deemed() -> None:
    state = judged(review(ANSWERED, SILENT), "2026-10-14").state
    assert (state.code, state.label, state.tone) == ("ready", "可作出决定", "ok")
    assert state.explanation == "截至 2026-10-14，2 个部门的意见已齐（同意 1、超时默认 1），可以作出决定"


def test_outstanding_material_blocks_the_decision_and_then_is_overdue() -> None:
    waiting = judged(review(ANSWERED, SILENT, intake=copy.deepcopy(MISSING)), "2026-10-14")
    assert (waiting.state.code, waiting.state.label) == ("awaiting-supplement", "待补正")
    assert waiting.state.explanation == "容缺材料“人防工程设计审查意见”承诺 2026-10-30 前补正，尚未补正；补齐前不能作出决定"
    late = judged(review(ANSWERED, SILENT, intake=copy.deepcopy(MISSING)), "2026-11-25")
    assert (late.state.code, late.state.label, late.state.tone) == ("overdue-supplement", "补正逾期", "danger")
    assert late.state.explanation == "容缺材料“人防工程设计审查意见”承诺 2026-10-30 前补正，至 2026-11-25 未补正（逾期 26 天）；补齐前不能作出决定"
    assert late.materials[0].label == "补正逾期 26 天"
    supplied = copy.deepcopy(MISSING)
    supplied["missing"][0]["supplied"] = "2026-11-02"
    after = judged(review(ANSWERED, SILENT, intake=supplied), "2026-11-25")
    assert after.state.code == "ready" and after.state.explanation.endswith("容缺材料已全部补正，可以作出决定")
    assert (after.materials[0].code, after.materials[0].explanation) == ("supplied-late", "2026-11-02 补正，晚于承诺的 2026-10-30")


def test_decided_is_judged_on_the_day_of_the_decision() -> None:
    data = review(ANSWERED, SILENT, status="decided", decision={"date": "2026-10-14", "outcome": "conditional_pass"})
    found = judged(data, "2026-11-25")
    assert found.as_of == D(2026, 10, 14)
    assert (found.state.code, found.state.label) == ("decided", "已决定")
    assert found.state.explanation == "2026-10-14 作出决定：有条件通过；各部门意见：同意 1、超时默认 1"
    assert found.codes == ["decided", "with-timeout-deemed"]


def test_a_withdrawn_review_has_no_state() -> None:
    data = review(ANSWERED, status="withdrawn", withdrawal={"date": "2026-10-10", "reason": "建设单位撤回申请。"})
    assert judged(data, "2026-11-25").state is None


def test_a_limit_the_calendar_cannot_count_is_said_not_guessed() -> None:
    notice = {"date": "2026-12-28", "limit": {"count": 5, "unit": "working_day"}}
    limit = limit_of(notice, Calendar())
    assert limit is not None and limit.end is None and "2027 年的法定节假日和调休安排未知" in limit.problem
    pending = judged(review({"organization": "a", "signed": "2026-12-28"}, notice=notice), "2027-02-01").positions[0]
    assert pending.code == "pending" and "无法计算届满日期" in pending.explanation


# -- through the model: the registry's notices, the public model, the record untouched -------------


def _registry(root: Path, notice_visibility: str) -> Path:
    make_repo(root)
    org = {"id": "org-a", "title": "甲局", "status": "active", "visibility": "public", "level": "county", "kind": "department"}
    write(root, "registry/organizations/org-a.yaml", record("organizations", org))
    mech = {"id": "mech-r", "title": "集中审理", "status": "active", "visibility": "public", "kind": "joint_review"}
    mech |= {"source": {"document": "doc-n", "clause": "一"}, "measures": [{"name": "超时默认", "rule": "timeout_deemed_consent"}]}
    write(root, "registry/mechanisms/mech-r.yaml", record("mechanisms", mech))
    # An invented schedule, for the test only: 2027-01-01 and 01-04 off, Saturday 01-09 worked.
    days = [{"date": "2027-01-01", "off": True, "name": "元旦"}, {"date": "2027-01-04", "off": True, "name": "元旦"}]
    days.append({"date": "2027-01-09", "off": False, "name": "元旦"})
    doc = {"id": "doc-n", "title": "节假日安排（虚构）", "status": "issued", "visibility": notice_visibility, "doc_type": "notice"}
    doc["clauses"] = [{"number": "一", "heading": "放假安排"}]
    write(root, "registry/documents/doc-n.yaml", record("documents", {**doc, "holidays": {"year": 2027, "days": days}}))
    rv = {"id": "review-0001", "title": "某项目", "status": "in_review", "visibility": "public", "mechanism": "mech-r", "project": {"name": "某项目"}}
    rv |= {"convener": "org-a", "notice": {"date": "2026-12-31", "limit": {"count": 5, "unit": "working_day"}}}
    rv["departments"] = [{"organization": "org-a", "signed": "2026-12-31"}]
    write(root, "registry/reviews/review-0001.yaml", record("reviews", rv))
    return root


@pytest.mark.parametrize("visibility", ["public", "internal"])
def test_the_registry_adds_a_year_for_validation_and_the_model_alike(tmp_path: Path, visibility: str) -> None:
    root = _registry(tmp_path / "repo", visibility)
    result = validate(root, today=D(2027, 1, 11))
    assert [d for d in result.diagnostics if d.severity == "error"] == []
    public = Model.build(result.schemas, result.valid).public()
    assert ("doc-n" in public.items) == (visibility == "public")  # the notice counts even when it is not published
    status = Status(public, D(2027, 1, 11))
    item = public.items["review-0001"]
    deemed = status.review(item).positions[0]
    # Thu 12-31 → Tue 01-05, Wed 01-06, Thu 01-07, Fri 01-08, Sat 01-09 (worked): deemed from 01-10.
    assert deemed.explanation == (
        "2026-12-31 通知，2026-12-31 签收，时限 5 个工作日，2027-01-09 届满"
        "（元旦 2027-01-01 至 2027-01-04 放假，不计；2027-01-09（星期六）元旦调休上班，计入），至 2027-01-10 未答复，视为同意"
    )
    assert [b.code for b in status.badges(item)] == ["ready"] and status.codes(item) == ["ready", "with-timeout-deemed"]
    before = (root / "registry/reviews/review-0001.yaml").read_bytes()
    assert "timeout" not in before.decode() and "ready" not in before.decode()  # derived, never stored


# -- liandong new reviews -------------------------------------------------------------------------


def _new(root: Path, *args: str, answers: list[str] | None = None, monkeypatch: pytest.MonkeyPatch | None = None) -> Any:
    from click.testing import CliRunner

    from liandong.cli import main

    if monkeypatch is not None:
        monkeypatch.setattr("liandong.cli._interactive", lambda: True)
    stdin = "".join(f"{a}\n" for a in answers) if answers is not None else None
    return CliRunner().invoke(main, ["new", "reviews", *args, "--root", str(root), "--today", "2026-11-25"], input=stdin, catch_exceptions=False)


def test_liandong_new_writes_a_review_that_validates(tmp_path: Path) -> None:
    root = case_repo(tmp_path / "repo", "valid/review-every-position")
    sets = ["mechanism=mech-review", "project.name=某仓储项目", "convener=org-a", "notice.date=2026-11-20", "notice.limit.count=5"]
    sets += ["notice.limit.unit=working_day", "measures=joint-drawing-review"]
    result = _new(root, "--title", "某仓储项目联合图审", *[arg for s in sets for arg in ("--set", s)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "registry/reviews/review-0002.yaml"
    text = (root / "registry/reviews/review-0002.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/reviews.schema.json\n")
    assert load_bytes("r", text.encode()).data == {
        "id": "review-0002",
        "title": "某仓储项目联合图审",
        "status": "in_review",
        "visibility": "public",
        "mechanism": "mech-review",
        "project": {"name": "某仓储项目"},
        "measures": ["joint-drawing-review"],
        "convener": "org-a",
        "notice": {"date": "2026-11-20", "limit": {"count": 5, "unit": "working_day"}},
    }
    assert validate(root, today=D(2026, 11, 25)).diagnostics == []


def test_liandong_new_asks_for_the_mechanism_project_convener_and_notice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = case_repo(tmp_path / "repo", "valid/review-every-position")
    # mechanism (a wrong id first); project: name, location, applicant (skipped); convener; notice: date, then the rest skipped
    answers = ["mech-nowhere", "mech-review", "某加工项目", "跨合区某地块", "", "org-a", "2026-11-23", "", "", "", "", ""]
    result = _new(root, "--title", "某加工项目统一验收", answers=answers, monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    assert "所属机制（mechanism）" in result.output and "mech-nowhere 不是已有的工作机制编号" in result.output
    data = load_bytes("r", (root / "registry/reviews/review-0002.yaml").read_bytes()).data
    assert data is not None and data["project"] == {"name": "某加工项目", "location": "跨合区某地块"} and data["notice"] == {"date": "2026-11-23"}
    assert validate(root, today=D(2026, 11, 25)).diagnostics == []
