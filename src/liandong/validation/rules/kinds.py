"""Fields that belong to some kinds of a record only, and the kind of mechanism a record runs under.

Both are said in the schemas. A type whose records have a `kind` marks each field that only some
kinds use with x-kinds (inspections: an application has a proposed period, an arrangement the
applications it arranges); a record of another kind may not fill it (kind.field), so that a fact
is not written where nothing reads it. A `mechanism` reference may name the kinds of mechanism
the record runs under with x-mechanism-kind (an inspection runs under the joint-inspection
mechanism); a mechanism of another kind is ref.mechanism-kind."""

from __future__ import annotations

from collections.abc import Iterator

from liandong.diagnostics import Diagnostic
from liandong.validation.files import Record
from liandong.validation.rules import Context
from liandong.validation.schema import TypeSchema


def kinds_of_fields(ts: TypeSchema) -> dict[str, list[str]]:
    """Top-level field → the kinds of record that use it (x-kinds); fields every kind uses are absent."""
    found: dict[str, list[str]] = {}
    for name, node in ts.schema.get("properties", {}).items():
        kinds = node.get("x-kinds")
        if isinstance(kinds, list):
            found[name] = [str(k) for k in kinds]
    return found


def check(ctx: Context) -> Iterator[Diagnostic]:
    by_type = {name: kinds_of_fields(ts) for name, ts in ctx.schemas.types.items()}
    for record in ctx.valid:
        ts = ctx.schemas.types[record.type]
        if by_type[record.type]:
            yield from _fields(ts, by_type[record.type], record)
        yield from _mechanism(ctx, ts, record)


def _fields(ts: TypeSchema, fields: dict[str, list[str]], record: Record) -> Iterator[Diagnostic]:
    kind = record.data.get("kind")
    if not isinstance(kind, str):
        return
    labels = ts.enum_labels(("kind",))
    for name in record.data:
        kinds = fields.get(name)
        if kinds is not None and kind not in kinds:
            used_by = "、".join(f"{labels.get(k, k)}（{k}）" for k in kinds)
            yield Diagnostic(
                record.path,
                "kind.field",
                f"{labels.get(kind, kind)}（kind: {kind}）不填写 “{name}”（{ts.label((name,))}）",
                f"{ts.label((name,))}只用于{used_by}的记录；请删去这一项，或核对记录类别 kind。",
                pointer=(name,),
                at_key=True,
            )


def _mechanism(ctx: Context, ts: TypeSchema, record: Record) -> Iterator[Diagnostic]:
    allowed = (ts.subschema(("mechanism",)) or {}).get("x-mechanism-kind")
    value = record.data.get("mechanism")
    if not isinstance(allowed, list) or not isinstance(value, str):
        return
    target = ctx.get(value)
    if target is None or target.type != "mechanisms" or target.data.get("kind") in allowed:
        return  # a missing or wrong-type reference is ref.unknown-id's or ref.wrong-type's
    mechanisms = ctx.schemas.types["mechanisms"]
    labels = mechanisms.enum_labels(("kind",))
    wanted = "、".join(labels.get(str(k), str(k)) for k in allowed)
    got = target.data.get("kind")
    candidates = sorted(r.id for r in ctx.valid if r.type == "mechanisms" and r.data.get("kind") in allowed)
    hint = f"请填写机制类别为{wanted}的机制编号" + (f"：{'、'.join(candidates)}。" if candidates else "（登记册中还没有这样的机制）。")
    yield Diagnostic(
        record.path,
        "ref.mechanism-kind",
        f"{ts.label(('mechanism',))} “{value}”（{target.data.get('title', value)}）是{labels.get(str(got), str(got))}，{ts.title}应属于{wanted}机制",
        hint,
        pointer=("mechanism",),
    )
