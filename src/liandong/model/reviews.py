"""集中审理 (实施意见三(三)2): what a joint review's record means on a given day. Derived at build
time from the record, its mechanism, the working-day calendar and the day; never stored.

Each notified department's position, with a sentence that says why:

    answered        已答复：同意 / 有条件同意 / 不同意 (the answer stands, also when it came late)
    absent-deemed   缺席默认：notified, did not attend the review meeting and gave no opinion → 视为同意
    timeout-deemed  超时默认：notified, no answer when the limit ran out → 视为同意
    pending         未到期：no answer yet, the limit has not run out (or the notice set none)
    overdue         逾期未答复：the limit ran out without an answer, and it cannot be deemed consent

and the review's state:

    decided              已决定：a decision is on record
    overdue-supplement   补正逾期：a 容缺 material is past the date promised for it
    awaiting-supplement  待补正：a 容缺 material is still missing; no decision until it is supplied
    awaiting-answers     待答复：a department's position is not settled yet
    ready                可作出决定：every position settled, every material supplied

What the policy leaves open, decided here (and said in schemas/reviews.schema.json):

- The limit counts from the day after the notice date: a notice of 2026-05-06 with 5 工作日 is
  answered by the fifth working day after it (2026-05-12, the 调休 Saturday 2026-05-09 counted).
  工作日 follow the national holidays with their makeup workdays (workdays.Calendar); 自然日 run on.
- Consent is deemed only with proof of notice: a 签收 date, or a delivery record beside the notice
  date. Without it silence past the limit is 逾期未答复, never consent (validation refuses a record
  that needs it: rules/reviews.py, review.notice-unproven).
- 缺席默认 and 超时默认 apply only when the review's mechanism lists them (a measure whose `rule` is
  absent_deemed_consent or timeout_deemed_consent): the registry says which rules a mechanism has.
- 缺席默认 takes effect on the meeting day (the notice date when no meeting date is recorded),
  超时默认 on the first day after the limit.
- A decided review is judged as of its decision date, a withdrawn one as of its withdrawal date,
  an open one as of today: the positions a decision rests on are those of the day it was made.
- A material counts as supplied from its supplied date on.

Every function here is pure: the record's data, its mechanism's, a Calendar and a day in; the
dataclasses below out. Dates outside the calendar's years never get a guessed answer: validation
reports them (dates.unknown-holidays), and should one reach here the explanation says so."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from liandong.model.workdays import Calendar, OutsideCalendar

# The mechanism's computable rules (mechanisms.schema.json, measures[].rule) this module applies.
ABSENT_RULE = "absent_deemed_consent"
TIMEOUT_RULE = "timeout_deemed_consent"

OPINIONS = {"agree": "同意", "conditional": "有条件同意", "disagree": "不同意"}
OUTCOMES = {"pass": "审查通过", "conditional_pass": "有条件通过", "fail": "不予通过"}
UNITS = {"working_day": "个工作日", "day": "日（自然日）"}
DELIVERY = {"oa": "政务办公系统", "in_person": "专人", "post": "邮寄", "email": "电子邮件", "fax": "传真", "other": "其他方式"}

POSITION_LABELS = {"absent-deemed": "缺席默认", "timeout-deemed": "超时默认", "pending": "未到期", "overdue": "逾期未答复"}
STATE_LABELS = {
    "ready": "可作出决定",
    "awaiting-answers": "待答复",
    "awaiting-supplement": "待补正",
    "overdue-supplement": "补正逾期",
    "decided": "已决定",
}
# The list page's derived filter (审理情况): the states, then the reviews with a deemed consent.
FILTER_LABELS = {**STATE_LABELS, "with-absent-deemed": "有缺席默认", "with-timeout-deemed": "有超时默认"}
STATE_TONES = {"ready": "ok", "awaiting-answers": "info", "awaiting-supplement": "warning", "overdue-supplement": "danger", "decided": "ok"}


def _date(value: Any) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if isinstance(value, str) else None


@dataclass(frozen=True)
class Limit:
    """The time limit the notice states, and when it runs out.

    count, unit: as written (5, working_day)
    start: the notice date (counting begins the day after)
    end: the last day of the limit, None when it cannot be known (a year without its holidays)
    adjustments: the holidays skipped and makeup workdays counted on the way, in words
    problem: why `end` is unknown, "" otherwise
    """

    count: int
    unit: str
    start: datetime.date
    end: datetime.date | None
    adjustments: list[str]
    problem: str

    @property
    def text(self) -> str:
        """5 个工作日."""
        return f"{self.count} {UNITS.get(self.unit, self.unit)}"

    @property
    def described(self) -> str:
        """时限 5 个工作日，2026-05-12 届满（2026-05-09（星期六）劳动节调休上班，计入）."""
        if self.end is None:
            return f"时限 {self.text}，{self.problem}"
        notes = ""
        if self.adjustments:
            notes = "（" + "；".join(self.adjustments) + "）"
        return f"时限 {self.text}，{self.end.isoformat()} 届满{notes}"


@dataclass(frozen=True)
class Position:
    """A notified department's position.

    index: its place in the record's departments list
    organization: its id as written
    code: answered | absent-deemed | timeout-deemed | pending | overdue
    label: 同意 / 有条件同意 / 不同意 for an answer, else POSITION_LABELS
    explanation: why, in the site's words, read after the label (超时默认 | 2026-05-06 通知，……视为同意)
    tone: ok | info | warning | danger
    deemed_on: the day consent is deemed from (deemed positions only)
    proof: the proof of notice in words (2026-05-06 签收), "" without one
    """

    index: int
    organization: str
    code: str
    label: str
    explanation: str
    tone: str
    deemed_on: datetime.date | None
    proof: str

    @property
    def settled(self) -> bool:
        """Whether the department's opinion is in: answered, or deemed to agree."""
        return self.code in ("answered", "absent-deemed", "timeout-deemed")


@dataclass(frozen=True)
class Material:
    """A material missing at acceptance (容缺), and whether it has been supplied.

    name: as written
    essential: whether it is an essential material (validation refuses those: review.essential-deferred)
    promised: the date promised for it
    supplied: when it was supplied, None if not (as of the review's day)
    code: supplied | supplied-late | outstanding | overdue
    label: 已补正 / 逾期补正 / 待补正 / 补正逾期 N 天
    explanation: in words
    """

    name: str
    essential: bool
    promised: datetime.date
    supplied: datetime.date | None
    code: str
    label: str
    explanation: str

    @property
    def outstanding(self) -> bool:
        return self.code in ("outstanding", "overdue")


@dataclass(frozen=True)
class State:
    """The review's state: code (STATE_LABELS), label, explanation and tone."""

    code: str
    label: str
    explanation: str
    tone: str


@dataclass(frozen=True)
class Review:
    """Everything derived about one review on one day.

    as_of: the day it is judged on (today, or its decision or withdrawal date)
    rules: the deemed-consent rules its mechanism has (ABSENT_RULE, TIMEOUT_RULE)
    limit: the notice's time limit, None when the notice sets none
    positions: one per notified department, in the record's order
    materials: the 容缺 materials, in the record's order
    state: its state, None for a withdrawn review
    """

    as_of: datetime.date
    rules: frozenset[str]
    limit: Limit | None
    positions: list[Position]
    materials: list[Material]
    state: State | None

    @property
    def codes(self) -> list[str]:
        """Its tokens for the list page's derived filter (FILTER_LABELS)."""
        found = [self.state.code] if self.state is not None else []
        for code in ("absent-deemed", "timeout-deemed"):
            if any(p.code == code for p in self.positions):
                found.append(f"with-{code}")
        return found

    def summary(self) -> str:
        """同意 2、有条件同意 1、缺席默认 1: the positions counted, in a fixed order."""
        order = [*OPINIONS.values(), *POSITION_LABELS.values()]
        counts = {label: sum(p.label == label for p in self.positions) for label in order}
        return "、".join(f"{label} {n}" for label, n in counts.items() if n)


def mechanism_rules(mechanism: dict[str, Any] | None) -> frozenset[str]:
    """The computable rules a mechanism's measures name (measures[].rule)."""
    measures = (mechanism or {}).get("measures") or []
    return frozenset(m["rule"] for m in measures if isinstance(m, dict) and isinstance(m.get("rule"), str))


def proof_of_notice(department: dict[str, Any]) -> str:
    """The proof that a department was notified, in words (2026-05-07 签收, 经政务办公系统送达（回执）),
    "" without one: a 签收 date, or a delivery record (which goes with the notice date)."""
    if isinstance(department.get("signed"), str):
        return f"{department['signed']} 签收"
    delivery = department.get("delivery")
    if isinstance(delivery, dict):
        return f"经{DELIVERY.get(str(delivery.get('method')), '其他方式')}送达（{delivery.get('evidence', '')}）"
    return ""


def limit_of(notice: dict[str, Any], calendar: Calendar) -> Limit | None:
    """The notice's limit, with its last day, or None when the notice states none."""
    written, start = notice.get("limit"), _date(notice.get("date"))
    if not isinstance(written, dict) or start is None:
        return None
    count, unit = int(written["count"]), str(written["unit"])
    try:
        end = calendar.limit_end(start, count, unit)
        notes = [f"{a.text}，{'不计' if a.off else '计入'}" for a in calendar.adjustments(start, end)] if unit == "working_day" else []
    except OutsideCalendar as err:
        return Limit(count, unit, start, None, [], f"无法计算届满日期：{err}")
    return Limit(count, unit, start, end, notes, "")


def _answered(index: int, org: str, department: dict[str, Any], limit: Limit | None, proof: str) -> Position:
    answer = department["answer"]
    opinion = str(answer["opinion"])
    label = OPINIONS.get(opinion, opinion)
    text = f"{answer['date']} 答复{label}"
    if opinion == "conditional" and answer.get("conditions"):
        text += "：" + "；".join(line.strip() for line in str(answer["conditions"]).splitlines() if line.strip())
    elif opinion == "disagree" and answer.get("reasons"):
        text += "：" + str(answer["reasons"])
    if department.get("attendance") == "written":
        text += "（未出席会议，书面答复）"
    if limit is not None and limit.end is not None and answer["date"] > limit.end.isoformat():
        text += f"（晚于答复时限 {limit.end.isoformat()}）"
    tone = {"agree": "ok", "conditional": "info", "disagree": "warning"}.get(opinion, "info")
    return Position(index, org, "answered", label, text, tone, None, proof)


def position(index: int, department: dict[str, Any], notice: dict[str, Any], limit: Limit | None, rules: frozenset[str], as_of: datetime.date) -> Position:
    """One department's position on `as_of` (see the module's docstring for the rules)."""
    org = str(department.get("organization", ""))
    proof = proof_of_notice(department)
    if isinstance(department.get("answer"), dict):
        return _answered(index, org, department, limit, proof)
    told = f"{notice['date']} 通知，" + (proof or "未签收，也没有送达记录")
    meeting = _date(notice.get("meeting_date")) or datetime.date.fromisoformat(notice["date"])
    notes: list[str] = []
    if department.get("attendance") == "absent" and meeting <= as_of:
        if ABSENT_RULE in rules and proof:
            held = f"未出席 {meeting.isoformat()} 的审查会议" if notice.get("meeting_date") else "未出席审查会议"
            why = f"{told}，{held}，也未提出意见，视为同意"
            return Position(index, org, "absent-deemed", POSITION_LABELS["absent-deemed"], why, "info", meeting, proof)
        notes.append("缺席审查会议，但没有签收日期或送达记录，不能按缺席默认视为同意" if ABSENT_RULE in rules else "缺席审查会议（本机制未规定缺席默认）")

    def made(code: str, text: str, tone: str, deemed: datetime.date | None = None) -> Position:
        return Position(index, org, code, POSITION_LABELS[code], "；".join([text, *notes]), tone, deemed, proof)

    if limit is None:
        return made("pending", f"{told}，尚未答复；通知未写明答复时限，不适用超时默认", "info")
    if limit.end is None or as_of <= limit.end:
        return made("pending", f"{told}，尚未答复；{limit.described}", "info")
    after = limit.end + datetime.timedelta(days=1)
    if TIMEOUT_RULE in rules and proof:
        return made("timeout-deemed", f"{told}，{limit.described}，至 {after.isoformat()} 未答复，视为同意", "info", after)
    why = "没有签收日期或送达记录，不能视为同意，请补记签收日期或送达记录" if TIMEOUT_RULE in rules else "本机制未规定超时默认，不能视为同意"
    return made("overdue", f"{told}，{limit.described}，至 {as_of.isoformat()} 未答复；{why}", "danger")


def material(entry: dict[str, Any], as_of: datetime.date) -> Material:
    name, essential = str(entry["name"]), bool(entry.get("essential"))
    promised = datetime.date.fromisoformat(entry["promised"])
    supplied = _date(entry.get("supplied"))
    if supplied is not None and supplied > as_of:
        supplied = None
    if supplied is not None and supplied <= promised:
        return Material(name, essential, promised, supplied, "supplied", "已补正", f"{supplied.isoformat()} 补正（承诺 {promised.isoformat()} 前）")
    if supplied is not None:
        return Material(name, essential, promised, supplied, "supplied-late", "逾期补正", f"{supplied.isoformat()} 补正，晚于承诺的 {promised.isoformat()}")
    if as_of <= promised:
        return Material(name, essential, promised, None, "outstanding", "待补正", f"承诺 {promised.isoformat()} 前补正，尚未补正")
    days = (as_of - promised).days
    return Material(
        name,
        essential,
        promised,
        None,
        "overdue",
        f"补正逾期 {days} 天",
        f"承诺 {promised.isoformat()} 前补正，至 {as_of.isoformat()} 未补正（逾期 {days} 天）",
    )


def judged_on(data: dict[str, Any], today: datetime.date) -> datetime.date:
    """The day a review is judged on: its decision's, its withdrawal's, or today."""
    for key in ("decision", "withdrawal"):
        block = data.get(key)
        if isinstance(block, dict) and (day := _date(block.get("date"))) is not None:
            return day
    return today


def derive(data: dict[str, Any], mechanism: dict[str, Any] | None, calendar: Calendar, today: datetime.date, name_of: Callable[[str], str]) -> Review:
    """A review's positions, materials and state. `data` is the record, `mechanism` its mechanism's
    record (None when unknown or not published: then no deemed-consent rule applies), `name_of`
    the name to call a department by in the state's explanation."""
    as_of = judged_on(data, today)
    rules = mechanism_rules(mechanism)
    notice = data["notice"]
    limit = limit_of(notice, calendar)
    departments = [d for d in data.get("departments") or [] if isinstance(d, dict)]
    positions = [position(i, d, notice, limit, rules, as_of) for i, d in enumerate(departments)]
    intake = data.get("intake")
    missing = intake.get("missing") or [] if isinstance(intake, dict) else []
    materials = [material(m, as_of) for m in missing if isinstance(m, dict)]
    review = Review(as_of, rules, limit, positions, materials, None)
    return Review(as_of, rules, limit, positions, materials, _state(data, review, name_of))


def _state(data: dict[str, Any], review: Review, name_of: Callable[[str], str]) -> State | None:
    decision = data.get("decision")
    day = review.as_of.isoformat()
    if isinstance(decision, dict):
        outcome = OUTCOMES.get(str(decision.get("outcome")), str(decision.get("outcome")))
        basis = f"；各部门意见：{review.summary()}" if review.positions else ""
        return _made("decided", f"{decision['date']} 作出决定：{outcome}{basis}")
    if data.get("status") == "withdrawn":
        return None
    waiting = [p for p in review.positions if not p.settled]
    waiting_text = "、".join(f"{name_of(p.organization)}（{p.label}）" for p in waiting)
    missing = [m for m in review.materials if m.outstanding]
    late = [m for m in missing if m.code == "overdue"]
    if missing:
        listed = "；".join(f"“{m.name}”{m.explanation}" for m in (late or missing))
        more = f"；另有 {len(waiting)} 个部门尚未答复：{waiting_text}" if waiting else ""
        return _made("overdue-supplement" if late else "awaiting-supplement", f"容缺材料{listed}；补齐前不能作出决定{more}")
    if not review.positions:
        return _made("awaiting-answers", f"截至 {day}，尚未登记被通知的部门")
    if waiting:
        return _made("awaiting-answers", f"截至 {day}，{len(waiting)} 个部门的意见未到：{waiting_text}")
    supplied = "，容缺材料已全部补正" if review.materials else ""
    return _made("ready", f"截至 {day}，{len(review.positions)} 个部门的意见已齐（{review.summary()}）{supplied}，可以作出决定")


def _made(code: str, explanation: str) -> State:
    return State(code, STATE_LABELS[code], explanation, STATE_TONES[code])
