"""集中审理 records (三(三)2) against their mechanism, the facts deemed consent needs, and the
holiday calendar their working-day limits are counted on. That a review's mechanism is a joint
review one is the schema's x-mechanism-kind, checked for every type by kinds.py (ref.mechanism-kind).

- review.unknown-measure: the measures it applies are codes of its mechanism's measures;
- review.duplicate-department: each notified department is listed once;
- review.absent-answered: a department is either absent (缺席默认) or answered, never both;
- review.notice-unproven: a deemed consent needs proof of notice — a 签收 date, or the notice date
  with a delivery record: a department recorded absent without one, or one whose silence a
  recorded decision rests on (its limit ran out before the decision), is refused. Judged on the
  record alone, never on today, so a record valid yesterday does not fail overnight;
- review.essential-deferred: only non-essential materials may be 容缺;
- review.decision-outstanding: no decision while a 容缺 material is still outstanding;
- dates.unknown-holidays: a working-day limit reaching into a year whose holidays are not known
  (neither the library nor a registry notice has them) is an error at the notice date, never a guess;
- dates.holiday-notice: a document's holidays name days of their own year, each once, and no two
  documents give the same year.

The deemed-consent rules in effect are the mechanism's (measures[].rule), as model/reviews.py reads them."""

from __future__ import annotations

import datetime
from collections.abc import Generator, Iterator

from liandong.diagnostics import Diagnostic
from liandong.model.workdays import Calendar, OutsideCalendar, registry_calendar
from liandong.validation.files import Record
from liandong.validation.rules import Context

ABSENT_RULE = "absent_deemed_consent"
TIMEOUT_RULE = "timeout_deemed_consent"
PROOF_HINT = (
    "缺席默认、超时默认只适用于确已收到通知的部门：请填写签收日期 signed，或送达记录 delivery"
    "（送达方式 method 和凭证 evidence，与通知日期一起证明送达）。确实没有送达的，不能视为同意：请重新送达并取得答复。"
)


def check(ctx: Context) -> Iterator[Diagnostic]:
    calendar: Calendar | None = None
    for record in ctx.valid:
        if record.type == "reviews":
            calendar = calendar or registry_calendar(ctx.valid)
            yield from _review(ctx, record, calendar)
    yield from _holiday_notices(ctx)


def _review(ctx: Context, record: Record, calendar: Calendar) -> Iterator[Diagnostic]:
    data = record.data
    mechanism = ctx.get(data["mechanism"])
    if mechanism is not None and mechanism.type != "mechanisms":
        mechanism = None  # ref.wrong-type says so
    yield from _measures(record, mechanism)
    rules = {m.get("rule") for m in (mechanism.data.get("measures") or [] if mechanism else []) if isinstance(m, dict)}
    end = yield from _limit_end(record, calendar)
    decided = data.get("decision", {}).get("date") if isinstance(data.get("decision"), dict) else None
    seen: set[str] = set()
    for i, department in enumerate(data.get("departments") or []):
        org = department["organization"]
        if org in seen:
            yield Diagnostic(
                record.path,
                "review.duplicate-department",
                f"部门 “{org}” 在被通知部门中出现了两次",
                "每个被通知部门只列一次：签收、出席和答复都写在同一项中。",
                pointer=("departments", i, "organization"),
            )
        seen.add(org)
        answered = "answer" in department
        proven = "signed" in department or "delivery" in department
        absent = department.get("attendance") == "absent"
        if absent and answered:
            yield Diagnostic(
                record.path,
                "review.absent-answered",
                f"部门 “{org}” 记为缺席，却有答复意见：缺席默认和答复只能有一个",
                "缺席默认指既未出席会议、也未提出意见的部门视为同意。该部门若未出席但提交了书面意见，请把 attendance 改为 written（书面意见）；"
                "若答复记错了部门，请删去 answer。",
                pointer=("departments", i, "answer"),
            )
        if answered or proven:
            continue
        if absent and ABSENT_RULE in rules:
            yield Diagnostic(
                record.path,
                "review.notice-unproven",
                f"部门 “{org}” 记为缺席，但没有签收日期或送达记录，不能按缺席默认视为同意",
                PROOF_HINT,
                pointer=("departments", i, "attendance"),
            )
        elif isinstance(decided, str) and TIMEOUT_RULE in rules and end is not None and end.isoformat() < decided:
            yield Diagnostic(
                record.path,
                "review.notice-unproven",
                f"已于 {decided} 作出决定，部门 “{org}” 未答复，也没有签收日期或送达记录，不能按超时默认视为同意",
                PROOF_HINT,
                pointer=("departments", i, "organization"),
            )
    yield from _materials(record)


def _measures(record: Record, mechanism: Record | None) -> Iterator[Diagnostic]:
    if mechanism is None:
        return
    offered = {m["code"]: m.get("name", "") for m in mechanism.data.get("measures") or [] if isinstance(m, dict) and isinstance(m.get("code"), str)}
    listed = "、".join(f"{code}（{name}）" for code, name in offered.items()) or "（该机制的措施还没有代码：请先在机制记录的 measures 中填写 code）"
    for i, code in enumerate(record.data.get("measures") or []):
        if code not in offered:
            yield Diagnostic(
                record.path,
                "review.unknown-measure",
                f"措施代码 “{code}” 不是所属机制 “{mechanism.id}” 的措施",
                f"可选：{listed}",
                pointer=("measures", i),
            )


def _limit_end(record: Record, calendar: Calendar) -> Generator[Diagnostic, None, datetime.date | None]:
    """The last day of the notice's limit (the generator's return value), after reporting a limit
    that cannot be counted. None without a limit or when it cannot be counted."""
    notice = record.data["notice"]
    limit = notice.get("limit")
    if not isinstance(limit, dict):
        return None
    start = datetime.date.fromisoformat(notice["date"])
    try:
        return calendar.limit_end(start, limit["count"], limit["unit"])
    except OutsideCalendar as err:
        yield Diagnostic(
            record.path,
            "dates.unknown-holidays",
            f"答复时限 {limit['count']} 个工作日自 {notice['date']} 起算，要用到 {err.day.year} 年的法定节假日和调休安排，"
            f"而这一年的安排未知（{_known(calendar)}）",
            f"工作日按国务院办公厅公布的节假日和调休安排计算，不能猜测。请登记国务院办公厅 {err.day.year} 年部分节假日安排的通知"
            "（documents 记录，在 holidays 中列出放假和调休上班的日期），或核对通知日期。",
            pointer=("notice", "date"),
        )
        return None


def _known(calendar: Calendar) -> str:
    span = calendar.span()
    return f"已知 {span[0]}–{span[1]} 年" if span else "没有任何已知年份"


def _materials(record: Record) -> Iterator[Diagnostic]:
    intake = record.data.get("intake")
    if not isinstance(intake, dict):
        return
    decision = record.data.get("decision")
    decided = decision.get("date") if isinstance(decision, dict) else None
    for i, material in enumerate(intake["missing"]):
        if material["essential"]:
            yield Diagnostic(
                record.path,
                "review.essential-deferred",
                f"主要材料 “{material['name']}” 不能容缺",
                "容缺预审只允许非主要材料暂缺、限期补正；主要材料缺失的，应补齐后再受理。如果这份材料其实不是主要材料，请改为 essential: false。",
                pointer=("intake", "missing", i, "essential"),
            )
        supplied = material.get("supplied")
        if isinstance(decided, str) and (supplied is None or supplied > decided):
            state = "尚未补正" if supplied is None else f"{supplied} 才补正"
            yield Diagnostic(
                record.path,
                "review.decision-outstanding",
                f"{decided} 作出决定时，容缺材料 “{material['name']}” {state}（承诺 {material['promised']} 前补正）",
                "容缺的材料补齐之后才能作出审理决定：材料已补齐的，请填写补正日期 supplied（不晚于决定日期）；"
                "否则请删去 decision 并把状态改回审理中，等材料补齐后再填写决定。",
                pointer=("decision", "date"),
            )


def _holiday_notices(ctx: Context) -> Iterator[Diagnostic]:
    years: dict[int, str] = {}
    for record in sorted(ctx.valid, key=lambda r: r.path):
        block = record.data.get("holidays") if record.type == "documents" else None
        if not isinstance(block, dict):
            continue
        year = block["year"]
        if year in years:
            yield Diagnostic(
                record.path,
                "dates.holiday-notice",
                f"{year} 年的节假日安排已在文件 “{years[year]}” 中登记",
                "每一年的节假日安排只登记在一份文件中；国务院办公厅调整安排的，请在原记录中更正日期，并在备注中写明调整的通知。",
                pointer=("holidays", "year"),
            )
        years.setdefault(year, record.id)
        seen: set[str] = set()
        for i, day in enumerate(block["days"]):
            if not day["date"].startswith(f"{year}-"):
                yield Diagnostic(
                    record.path,
                    "dates.holiday-notice",
                    f"日期 {day['date']} 不在节假日安排的年份 {year} 年",
                    f"holidays 只列 {year} 年的日子；跨年的假期请把另一年的日子登记在那一年的通知中。",
                    pointer=("holidays", "days", i, "date"),
                )
            elif day["date"] in seen:
                yield Diagnostic(
                    record.path,
                    "dates.holiday-notice",
                    f"日期 {day['date']} 列了两次",
                    "每一天只写一次：放假写 off: true，调休上班写 off: false。",
                    pointer=("holidays", "days", i, "date"),
                )
            seen.add(day["date"])
