"""Information pushes (三(一)3): each kind goes the way the policy says, receipts come from the
units it was pushed to, and the dates record what has happened.

Which levels send and receive which kind is model/vocabulary.py's PUSH_DIRECTIONS. A receipt may
come from a receiver or from a unit under one (its parent chain reaches it): a push to “某市相关
部门” is signed for by the department that handles it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from liandong.diagnostics import Diagnostic, Pointer
from liandong.model.vocabulary import PUSH_DIRECTIONS
from liandong.validation import hierarchy
from liandong.validation.files import Record
from liandong.validation.rules import Context
from liandong.validation.schema import TypeSchema

TYPE = "pushes"


def direction_hint(ts: TypeSchema, levels: dict[str, str]) -> str:
    """Each kind's direction in words, with the registry's names of the levels."""

    def named(codes: frozenset[str]) -> str:
        return "、".join(levels.get(code, code) for code in levels if code in codes) + "单位"

    kinds = ts.enum_labels(("kind",))
    said = [f"{kinds.get(kind, kind)}由{named(senders)}推送给{named(receivers)}" for kind, (senders, receivers) in PUSH_DIRECTIONS.items()]
    return f"按政策文件，{'；'.join(said)}。请核对推送单位、接收单位或信息类别。"


def within(ctx: Context, unit: str, ancestor: str) -> bool:
    """Whether `unit` is `ancestor` or lies under it (through the organisations' parents, each of them)."""

    def data_of(unit_id: str) -> dict[str, Any] | None:
        found = ctx.get(unit_id)
        return found.data if found is not None and found.type == "organizations" else None

    return hierarchy.within(unit, ancestor, data_of)


def check(ctx: Context) -> Iterator[Diagnostic]:
    ts = ctx.schemas.types.get(TYPE)
    if ts is None or "organizations" not in ctx.schemas.types:
        return
    levels = ctx.schemas.types["organizations"].enum_labels(("level",))
    for record in ctx.valid:
        if record.type == TYPE:
            yield from _direction(ctx, ts, record, levels)
            yield from _receipts(ctx, ts, record)
            yield from _dates(ctx, ts, record)


def _direction(ctx: Context, ts: TypeSchema, record: Record, levels: dict[str, str]) -> Iterator[Diagnostic]:
    kind = str(record.data.get("kind"))
    if kind not in PUSH_DIRECTIONS:
        return
    senders, receivers = PUSH_DIRECTIONS[kind]
    label = ts.enum_labels(("kind",)).get(kind, kind)
    places: list[tuple[Pointer, object, frozenset[str], str]] = [(("sender",), record.data.get("sender"), senders, "推送")]
    places += [(("receivers", i), unit, receivers, "接收") for i, unit in enumerate(record.data.get("receivers", []))]
    for pointer, unit, wanted, verb in places:
        target = ctx.get(unit) if isinstance(unit, str) else None
        if target is None or target.type != "organizations":
            continue  # ref.unknown-id / ref.wrong-type
        level = str(target.data.get("level"))
        if level not in wanted:
            wanted_labels = "或".join(label for code, label in levels.items() if code in wanted)  # in the schema's order
            yield Diagnostic(
                record.path,
                "push.direction",
                f"{label}应由{wanted_labels}单位{verb}，{ts.label(pointer)} “{unit}”（{target.data.get('title', unit)}）是{levels.get(level, level)}单位",
                direction_hint(ts, levels),
                pointer=pointer,
            )


def _receipts(ctx: Context, ts: TypeSchema, record: Record) -> Iterator[Diagnostic]:
    receivers = [u for u in record.data.get("receivers", []) if isinstance(u, str)]
    seen: dict[str, int] = {}
    for i, receipt in enumerate(record.data.get("receipts", [])):
        unit = receipt.get("organization")
        if not isinstance(unit, str):
            continue
        if unit in seen:
            yield Diagnostic(
                record.path,
                "push.receipt",
                f"“{unit}” 已在第 {seen[unit] + 1} 条签收过，第 {i + 1} 条重复签收",
                "每个单位签收一次，请删去重复的这一条。",
                pointer=("receipts", i, "organization"),
            )
            continue
        seen[unit] = i
        if ctx.get(unit) is not None and not any(within(ctx, unit, receiver) for receiver in receivers):
            yield Diagnostic(
                record.path,
                "push.receipt",
                f"签收单位 “{unit}” 不是本次推送的接收单位，也不在接收单位之下",
                f"签收单位应是接收单位（{'、'.join(receivers)}）之一或其下属单位；请核对签收单位，或把它加入接收单位。",
                pointer=("receipts", i, "organization"),
            )


def _dates(ctx: Context, ts: TypeSchema, record: Record) -> Iterator[Diagnostic]:
    sent = record.data.get("date")
    later: list[tuple[Pointer, object]] = [(("receipts", i, "date"), r.get("date")) for i, r in enumerate(record.data.get("receipts", []))]
    withdrawal = record.data.get("withdrawal")
    if isinstance(withdrawal, dict):
        later.append((("withdrawal", "date"), withdrawal.get("date")))
    if isinstance(sent, str):
        for pointer, value in later:
            if isinstance(value, str) and value < sent:
                yield Diagnostic(
                    record.path,
                    "dates.order",
                    f"{ts.label(pointer)} {value} 早于推送日期 {sent}",
                    f"{ts.label(pointer)}不能早于推送日期；请核对两个日期。",
                    pointer=pointer,
                )
    if ctx.today is None:
        return
    today = ctx.today.isoformat()
    for pointer, value in [(("date",), sent), *later]:
        if isinstance(value, str) and value > today:
            yield Diagnostic(
                record.path,
                "dates.future-entry",
                f"{ts.label(pointer)} {value} 晚于今天 {today}",
                "推送和签收记录的是已经发生的事，日期不能晚于今天（北京时间）；签收只增不改，合并后无法更正。",
                pointer=pointer,
            )
