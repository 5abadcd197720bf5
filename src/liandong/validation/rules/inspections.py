"""Joint inspections (三(一)3): an arrangement arranges applications, an application's state agrees
with the arrangements that name it, and the dates run forward and stay in the past where they
record what happened.

The fact "application A is arranged in arrangement B" is written once, in B's `applications`;
A's state (已安排) is its lifecycle step, and the two must agree: a pull request that arranges A
changes both files, and `liandong validate` says which one it forgot (inspection.arrangement-state).
A cancelled arrangement arranges nothing: its applications go back to 已申报."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from liandong.diagnostics import Diagnostic, Pointer
from liandong.validation.files import Record
from liandong.validation.rules import Context
from liandong.validation.schema import TypeSchema

TYPE = "inspections"
APPLICATION, ARRANGEMENT, SEPARATE = "application", "arrangement", "separate"

# (earlier, later) within one record, when both are filled.
PAIRS: tuple[tuple[Pointer, Pointer], ...] = (
    (("proposed", "from"), ("proposed", "to")),
    (("submitted",), ("decision", "date")),
    (("submitted",), ("withdrawal", "date")),
    (("date",), ("end_date",)),
    (("arranged_on",), ("date",)),
    (("arranged_on",), ("cancellation", "date")),
)
# Dates of what has happened: never after today. (A scheduled arrangement's date may be ahead.)
PAST: tuple[Pointer, ...] = (("submitted",), ("arranged_on",), ("decision", "date"), ("withdrawal", "date"), ("cancellation", "date"))


def _get(data: Any, pointer: Pointer) -> Any:
    for part in pointer:
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _kind(record: Record | None) -> str | None:
    if record is None or record.type != TYPE:
        return None
    kind = record.data.get("kind")
    return kind if isinstance(kind, str) else None


def check(ctx: Context) -> Iterator[Diagnostic]:
    ts = ctx.schemas.types.get(TYPE)
    if ts is None:
        return
    inspections = [r for r in ctx.valid if r.type == TYPE]
    arranged_by: dict[str, list[Record]] = {}  # application id → the arrangements (not cancelled) that list it
    for record in inspections:
        if _kind(record) == ARRANGEMENT and record.data.get("status") != "cancelled":
            for application in record.data.get("applications", []):
                arranged_by.setdefault(application, []).append(record)
    for record in inspections:
        yield from _applications_named(ctx, ts, record)
        yield from _state(ts, record, arranged_by.get(record.id, []))
        yield from _dates(ctx, ts, record)


def _applications_named(ctx: Context, ts: TypeSchema, record: Record) -> Iterator[Diagnostic]:
    """What an arrangement arranges, and what a separate inspection came from, are applications."""
    named: list[tuple[Pointer, Any]] = [(("applications", i), v) for i, v in enumerate(record.data.get("applications", []))]
    if "application" in record.data:
        named.append((("application",), record.data["application"]))
    labels = ts.enum_labels(("kind",))
    for pointer, value in named:
        target = ctx.get(value) if isinstance(value, str) else None
        kind = _kind(target)
        if target is not None and kind is not None and kind != APPLICATION:
            yield Diagnostic(
                record.path,
                "inspection.wrong-kind",
                f"{ts.label(pointer)} “{value}”（{target.data.get('title', value)}）是{labels.get(kind, kind)}，不是检查申报",
                "这里只能填写检查申报（kind: application）的编号：统筹安排安排的是部门的申报，单独检查对应的也是申报。",
                pointer=pointer,
            )


def _state(ts: TypeSchema, record: Record, arrangements: list[Record]) -> Iterator[Diagnostic]:
    if _kind(record) != APPLICATION:
        return
    status = record.data.get("status")
    labels = ts.enum_labels(("status",))
    if arrangements and status != "arranged":
        names = "、".join(f"{a.id}（{a.data.get('title', a.id)}）" for a in arrangements)
        yield Diagnostic(
            record.path,
            "inspection.arrangement-state",
            f"本申报已列入统筹安排 {names}，状态却是 “{status}”（{labels.get(str(status), status)}）",
            "统筹安排列出了本申报，请把状态改为 arranged（已安排）；如果并未安排，请从该统筹安排的 applications 中删去本申报的编号。",
            pointer=("status",),
        )
    elif status == "arranged" and not arrangements:
        yield Diagnostic(
            record.path,
            "inspection.arrangement-state",
            f"状态为 “arranged”（已安排），但没有哪一项统筹安排（未取消的）列出本申报 {record.id}",
            f"请在安排它的统筹安排记录的 applications 中写上 {record.id}；安排已取消或尚未安排的，请把状态改回 submitted（已申报）。",
            pointer=("status",),
        )


def _dates(ctx: Context, ts: TypeSchema, record: Record) -> Iterator[Diagnostic]:
    for early, late in PAIRS:
        first, second = _get(record.data, early), _get(record.data, late)
        if isinstance(first, str) and isinstance(second, str) and second < first:
            yield Diagnostic(
                record.path,
                "dates.order",
                f"{ts.label(late)} {second} 早于{ts.label(early)} {first}",
                f"{ts.label(late)}不能早于{ts.label(early)}；请核对两个日期。",
                pointer=late,
            )
    arranged_on = record.data.get("arranged_on")
    for i, value in enumerate(record.data.get("applications", [])):
        application = ctx.get(value) if isinstance(value, str) else None
        submitted = application.data.get("submitted") if application is not None and _kind(application) == APPLICATION else None
        if isinstance(arranged_on, str) and isinstance(submitted, str) and arranged_on < submitted:
            yield Diagnostic(
                record.path,
                "dates.order",
                f"安排日期 {arranged_on} 早于所安排的申报 {value} 的申报日期 {submitted}",
                "统筹安排在部门申报之后作出；请核对安排日期，或核对申报的申报日期。",
                pointer=("applications", i),
            )
    if ctx.today is None:
        return
    today = ctx.today.isoformat()
    hint = "这里记录的是已经发生的事，日期不能晚于今天（北京时间）；计划的日期请写在拟检查时间或检查日期中。"
    for pointer in PAST:
        value = _get(record.data, pointer)
        if isinstance(value, str) and value > today:
            yield Diagnostic(record.path, "dates.future-entry", f"{ts.label(pointer)} {value} 晚于今天 {today}", hint, pointer=pointer)
    held = record.data.get("date")
    if record.data.get("status") == "inspected" and isinstance(held, str) and held > today:
        yield Diagnostic(
            record.path,
            "dates.future-entry",
            f"检查日期 {held} 晚于今天 {today}，状态却是已检查",
            "检查完成后才能登记为已检查（inspected）并填写检查结果；尚未开始的统筹安排状态为已排定（scheduled）。",
            pointer=("date",),
        )
