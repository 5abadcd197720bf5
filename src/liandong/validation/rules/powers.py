"""How a power is held (#19): 授权, 委托, 下放 or 直接行使 (`mode`), and by whom (`granted_by`).

- 授权, 委托 and 下放 name the unit that conferred the power: the authorising unit, the delegator
  (in whose name the implementer acts) or the unit that held it before devolution; 直接行使 has none
  (`power.granted-by`). That unit is another than the implementer (`power.same-unit`).
- A 委托 in effect has its written instrument, 委托书 or 委托决定 (行政处罚法 §20; 行政许可法 §24):
  `delegation.document` (`power.delegation-document`); a proposed one (拟实施) has none yet.
- `delegation` (document, scope, term) belongs to a 委托 only (`power.delegation-mode`).

The modes' Chinese names in the messages are the schema's x-enum-labels."""

from __future__ import annotations

from collections.abc import Iterator

from liandong.diagnostics import Diagnostic
from liandong.validation.files import Record
from liandong.validation.rules import Context
from liandong.validation.schema import TypeSchema

TYPE = "powers"
DIRECT = "direct"
DELEGATED = "delegated"
PROPOSED = "proposed"  # not yet in effect: a 委托 has no instrument yet
# Who granted_by is for each mode that has one.
GRANTOR = {"authorized": "授权的单位", "delegated": "委托的单位（委托机关，实施主体以它的名义行使）", "devolved": "下放前实施该事项的单位"}


def check(ctx: Context) -> Iterator[Diagnostic]:
    ts = ctx.schemas.types.get(TYPE)
    if ts is None:
        return
    for record in ctx.valid:
        if record.type == TYPE:
            yield from _check(ts, record)


def _check(ts: TypeSchema, record: Record) -> Iterator[Diagnostic]:
    data = record.data
    mode = data.get("mode")
    if not isinstance(mode, str):
        return
    modes = ts.enum_labels(("mode",))
    label = modes.get(mode, mode)
    direct = f"{DIRECT}（{modes.get(DIRECT, DIRECT)}）"
    granted_by = data.get("granted_by")
    if mode == DIRECT and granted_by is not None:
        yield Diagnostic(
            record.path,
            "power.granted-by",
            f"行使方式为{label}，但填写了授予单位 “{granted_by}”",
            f"{label}是实施主体依法行使本单位的权限，没有授予单位：请删去 granted_by；权限是别的单位授权、委托或下放的，"
            f"把 mode 改为 {_either([f'{code}（{modes.get(code, code)}）' for code in GRANTOR])}。",
            pointer=("granted_by",),
        )
    elif mode in GRANTOR and granted_by is None:
        yield Diagnostic(
            record.path,
            "power.granted-by",
            f"行使方式为{label}，但没有填写授予单位（granted_by）",
            f"{label}的事项要写明{GRANTOR[mode]}：在 granted_by 中填写它的单位编号；实施主体自己依法行使的，把 mode 改为 {direct}。",
            pointer=("mode",),
        )
    if mode in GRANTOR and granted_by is not None and granted_by == data.get("implementer"):
        yield Diagnostic(
            record.path,
            "power.same-unit",
            f"授予单位与实施主体是同一个单位 “{granted_by}”",
            f"{label}是一个单位把权限交给另一个单位：granted_by 填{GRANTOR[mode]}，implementer 填行使该事项的单位；"
            f"单位行使本单位的权限时，mode 填 {direct}并删去 granted_by。",
            pointer=("granted_by",),
        )
    delegation = data.get("delegation")
    if delegation is not None and mode != DELEGATED:
        yield Diagnostic(
            record.path,
            "power.delegation-mode",
            f"行使方式为{label}，但填写了委托信息（delegation）",
            f"委托信息（委托文件、委托权限范围、委托期限）只用于行使方式为{modes.get(DELEGATED, DELEGATED)}的事项：确是委托的，把 mode 改为 {DELEGATED}；"
            "不是委托的，删去 delegation（规定行使方式的文件条款写在 source 中）。",
            pointer=("delegation",),
            at_key=True,
        )
    status = data.get("status")
    if mode == DELEGATED and status != PROPOSED and not (isinstance(delegation, dict) and "document" in delegation):
        state = ts.enum_labels(("status",)).get(str(status), str(status))
        yield Diagnostic(
            record.path,
            "power.delegation-document",
            f"委托的事项状态为{state}，但没有填写委托文件（delegation.document）",
            "委托须有书面的委托书或委托决定，写明委托事项、权限范围和期限：先在 registry/documents/ 登记该文件，"
            f"再在 delegation.document 中填写它的编号；委托尚未生效的，状态填 {PROPOSED}（{ts.enum_labels(('status',)).get(PROPOSED, PROPOSED)}）。",
            pointer=("delegation",) if isinstance(delegation, dict) else ("mode",),
            at_key=isinstance(delegation, dict),
        )


def _either(options: list[str]) -> str:
    """甲、乙或 丙 (codes end the words before 或, so a space follows it)."""
    return "、".join(options[:-1]) + "或 " + options[-1] if len(options) > 1 else "".join(options)
