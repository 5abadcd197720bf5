"""The configuration against the records: what registry/liandong.yaml names must exist (the bodies
matters may be reported up to, the documents it cites) and its lists must agree with each other."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from liandong.diagnostics import Diagnostic
from liandong.validation.configuration import CONFIG_PATH, DERIVED_COLUMNS
from liandong.validation.rules import Context


def check(ctx: Context) -> Iterator[Diagnostic]:
    settings = ctx.schemas.configuration
    if settings.path is None:
        return
    data = settings.data
    zone = data.get("zone") or {}
    for i, document in enumerate(zone.get("documents") or []):
        yield from _exists(ctx, document, "documents", ("zone", "documents", i))
    escalation = data.get("escalation") or {}
    for i, body in enumerate(escalation.get("bodies") or []):
        yield from _exists(ctx, body, "organizations", ("escalation", "bodies", i))
    basis = escalation.get("basis")
    if isinstance(basis, dict):
        yield from _exists(ctx, basis.get("document"), "documents", ("escalation", "basis", "document"))
    land = data.get("land_revenue") or {}
    if "return_to" in land:
        yield from _exists(ctx, land["return_to"], "organizations", ("land_revenue", "return_to"))
    if isinstance(land.get("basis"), dict):
        yield from _exists(ctx, land["basis"].get("document"), "documents", ("land_revenue", "basis", "document"))
    yield from _list_fields(ctx, data.get("lists") or {})
    in_use = data.get("levels")
    if isinstance(in_use, dict):
        for i, level in enumerate(escalation.get("levels") or []):
            if level not in in_use:
                yield Diagnostic(
                    CONFIG_PATH,
                    "config.inconsistent",
                    f"escalation 中的层级 {level} 不在本登记册使用的层级（levels）中",
                    f"levels 中有：{'、'.join(in_use)}；请在 levels 中加上它，或从 escalation 中去掉。",
                    pointer=("escalation", "levels", i),
                )
    sources = data.get("fund_sources")
    if isinstance(sources, dict) and "other" not in sources:
        yield Diagnostic(
            CONFIG_PATH,
            "config.inconsistent",
            "资金来源（fund_sources）中缺少 other（其他来源）",
            "原文未列出的来源要记为其他来源并写明名称；请保留 other: 其他来源 这一项。",
            pointer=("fund_sources",),
        )


def _list_fields(ctx: Context, lists: dict[str, Any]) -> Iterator[Diagnostic]:
    """Each configured list names a record type and fields of it (or a derived column)."""
    for type_name, chosen in lists.items():
        ts = ctx.schemas.types.get(type_name)
        if ts is None:
            yield Diagnostic(
                CONFIG_PATH,
                "config.inconsistent",
                f"lists 中的 {type_name} 不是记录类型",
                f"记录类型有：{'、'.join(ctx.schemas.types)}。",
                pointer=("lists", type_name),
            )
            continue
        for part in ("columns", "filters"):
            for i, path in enumerate(chosen.get(part) or []):
                if path in DERIVED_COLUMNS or ts.subschema(tuple(path.split("."))) is not None:
                    continue
                yield Diagnostic(
                    CONFIG_PATH,
                    "config.inconsistent",
                    f"{ts.title}列表的 {path} 不是{ts.title}的字段",
                    f"请写 schemas/{type_name}.schema.json 中的字段名（嵌套字段用点连接），或 {'、'.join(DERIVED_COLUMNS)}。",
                    pointer=("lists", type_name, part, i),
                )


def _exists(ctx: Context, record_id: Any, type_name: str, pointer: tuple[str | int, ...]) -> Iterator[Diagnostic]:
    found = ctx.get(record_id) if isinstance(record_id, str) else None
    if found is None or found.type != type_name:
        yield Diagnostic(
            CONFIG_PATH,
            "config.unknown-ref",
            f"配置引用的 “{record_id}” 不是登记册中的{ctx.schemas.types[type_name].title if type_name in ctx.schemas.types else type_name}记录",
            "请填写已有记录的编号（文件名去掉 .yaml），或先新增这条记录。",
            pointer=pointer,
        )
