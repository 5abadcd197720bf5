"""资金台账 (三(四)): the account never goes below zero on any day, a source of funds is one the
policy names or says what it is, and the entries record what has happened.

The balances are model/funds.py's (end of day, exact decimals), so the validator and the page
never disagree about a day. That every outflow names a project and an approving document, and that
an amount is a quoted decimal with at most two decimals, is the schema's to refuse."""

from __future__ import annotations

from collections.abc import Iterator

from liandong.diagnostics import Diagnostic
from liandong.model import funds as ledgers
from liandong.validation.files import Record
from liandong.validation.rules import Context
from liandong.validation.schema import TypeSchema

TYPE = ledgers.TYPE
BELOW_ZERO_HINT = "任何一天结束时账户余额都不能小于零（当天的收入和支出先相抵再计算）。请核对这笔支出的金额和日期，或先登记当天或以前到账的资金。"
FUTURE_HINT = "台账只记录已经发生的收支，日期不能晚于今天（北京时间）。这类记录只增不改，合并后无法更正；计划安排的资金等到账或拨出后再登记。"
DATED = ("inflows", "financing", "outflows", "land_revenue", "supervision")


def listed_sources(ts: TypeSchema) -> str:
    """The sources the policy lists (registry/liandong.yaml fund_sources), other than 其他来源."""
    return "、".join(label for code, label in ts.enum_labels(("inflows", 0, "source")).items() if code != "other")


def check(ctx: Context) -> Iterator[Diagnostic]:
    ts = ctx.schemas.types.get(TYPE)
    if ts is None:
        return
    for record in ctx.valid:
        if record.type == TYPE:
            yield from _below_zero(ts, record)
            yield from _sources(ts, record)
            yield from _channels(ts, record)
            if ctx.today is not None:
                yield from _future(ts, record, ctx.today.isoformat())


def _below_zero(ts: TypeSchema, record: Record) -> Iterator[Diagnostic]:
    kind_label = ts.enum_labels(("kind",)).get(str(record.data.get("kind")), "账户")
    ledger_days = ledgers.days(ledgers.movements(record.data, ts))
    for short in ledgers.shortfalls(ledger_days):
        yield Diagnostic(
            record.path,
            "funds.below-zero",
            f"{kind_label}余额在 {short.date.isoformat()} 结束时为 {ledgers.yuan(short.balance)} 元，低于零，缺口 {ledgers.yuan(short.gap)} 元"
            f"（截至当日收入合计 {ledgers.yuan(short.incoming)} 元，支出合计 {ledgers.yuan(short.outgoing)} 元）",
            BELOW_ZERO_HINT,
            pointer=short.at.pointer,
        )


def _sources(ts: TypeSchema, record: Record) -> Iterator[Diagnostic]:
    """Another source says what it is (name, level, document); the policy's bodies need neither."""
    node = ts.subschema(("inflows", 0, "source")) or {}
    implied: dict[str, str] = dict(node.get("x-code-levels", {}))
    labels = ts.enum_labels(("inflows", 0, "source"))
    levels = ts.enum_labels(("inflows", 0, "level"))
    for i, entry in enumerate(record.data.get("inflows") or []):
        source = str(entry.get("source"))
        if source == ledgers.OTHER:
            missing = [name for name in ("source_name", "level", "document") if name not in entry]
            if missing:
                wanted = "、".join(f"{ts.label(('inflows', i, name))}（{name}）" for name in missing)
                yield Diagnostic(
                    record.path,
                    "funds.other-source",
                    f"资金来源第 {i + 1} 条是其他来源，没有写明{wanted}",
                    f"政策文件所列的来源是：{listed_sources(ts)}；其他来源须写明来源名称、层级和拨付文件，"
                    "以便核对这笔资金从哪里来。来源其实是所列单位之一的，请改选该来源。",
                    pointer=("inflows", i),
                )
            continue
        stated = entry.get("level")
        if stated is not None and source in implied and stated != implied[source]:
            given, wanted = levels.get(str(stated), str(stated)), levels.get(implied[source], implied[source])
            yield Diagnostic(
                record.path,
                "funds.other-source",
                f"资金来源第 {i + 1} 条的来源层级 “{given}” 与来源 {labels.get(source, source)} 不符（应为{wanted}）",
                "原文所列来源的层级已由来源确定，不必填写来源层级；请删去 level，或核对资金来源方。",
                pointer=("inflows", i, "level"),
            )
        if "source_name" in entry:
            yield Diagnostic(
                record.path,
                "funds.other-source",
                f"资金来源第 {i + 1} 条的来源是 {labels.get(source, source)}，不填来源名称",
                "来源名称只用于其他来源；具体拨付单位请填在拨付单位（organization）中。",
                pointer=("inflows", i, "source_name"),
                at_key=True,
            )


def _channels(ts: TypeSchema, record: Record) -> Iterator[Diagnostic]:
    for i, entry in enumerate(record.data.get("financing") or []):
        if entry.get("channel") == ledgers.OTHER and "note" not in entry:
            yield Diagnostic(
                record.path,
                "funds.other-source",
                f"融资第 {i + 1} 条的渠道是其他渠道，没有写明说明（note）",
                "实施意见三(四)3 列出的渠道是资产证券化、企业债、私募债、债务融资工具、银行贷款，以及引入社会投资；其他渠道请在说明中写明是什么渠道。",
                pointer=("financing", i),
            )


def _future(ts: TypeSchema, record: Record, today: str) -> Iterator[Diagnostic]:
    for section in DATED:
        for i, entry in enumerate(record.data.get(section) or []):
            date = entry.get("date")
            if isinstance(date, str) and date > today:
                yield Diagnostic(
                    record.path,
                    "dates.future-entry",
                    f"{ts.label((section,))}第 {i + 1} 条的{ts.label((section, i, 'date'))} {date} 晚于今天 {today}",
                    FUTURE_HINT,
                    pointer=(section, i, "date"),
                )
