"""What a pull request may and may not do to an existing record, judged by the base's schemas
and lifecycles: each finding a located Diagnostic."""

from __future__ import annotations

import json
from collections.abc import Iterator
from difflib import SequenceMatcher
from typing import Any

from liandong.changes.compare import Pair, Version
from liandong.diagnostics import Diagnostic, Pointer
from liandong.validation.configuration import CONFIG_PATH
from liandong.validation.schema import SCHEMA_SUFFIX, SchemaSet, TypeSchema


def rule_file_changed(path: str, verb: str, ref: str) -> Diagnostic:
    kind = "模式" if path.endswith(SCHEMA_SUFFIX) else "登记册配置" if path == CONFIG_PATH else "状态流转定义"
    return Diagnostic(
        path,
        "change.rules-changed",
        f"本次{verb}了{kind} {path}：新规则合并后才生效，本次的记录变更仍按 {ref} 的规则检查",
        "规则变更须经负责人审核；请把规则变更与依赖它的记录变更分成两个拉取请求，规则合并后再提交记录变更。",
        line=1,
        col=1,
        severity="warning",
    )


def fixes_folder(schemas: SchemaSet, pair: Pair) -> bool:
    """A file its base folder's schema rejects, moved into a folder whose schema accepts it: a
    record put in the wrong folder by mistake, now where it belongs (its type was never the old folder's)."""
    return pair.head.type in schemas.types and not schemas.is_valid(pair.base.type, pair.base.data) and schemas.is_valid(pair.head.type, pair.head.data)


def _final(ts: TypeSchema) -> list[str]:
    sources = {t.source for t in ts.lifecycle.transitions}
    return [s for s in ts.states if s not in sources]


def _named(version: Version) -> str:
    """The id and title, to be followed directly by Chinese text: 《》 or a space ends it."""
    return f"{version.id}《{version.title}》" if version.title else f"{version.id} "


def type_changed(schemas: SchemaSet, pair: Pair) -> Diagnostic:
    old_ts, new_ts = schemas.types[pair.base.type], schemas.types.get(pair.head.type)
    new_title = new_ts.title if new_ts else pair.head.type
    final = _final(old_ts)
    retire = f"把原记录的状态改为 {_coded(old_ts, final, '或 ')}，" if final else ""
    return Diagnostic(
        pair.head.path,
        "change.type-changed",
        f"记录 {_named(pair.head)}由{old_ts.title}（{pair.base.path}）改为{new_title}（{pair.head.path}），记录的类型不能更改",
        f"类型决定记录适用的模式和状态流转，一经登记不能更改：请把文件移回 {pair.base.path}。确属另一类事项的，请{retire}另以新编号新建一条{new_title}记录。",
        pointer=("id",),
    )


def state_label(ts: TypeSchema, state: str) -> str:
    """The Chinese name of a state (x-enum-labels), e.g. in_progress → 办理中."""
    return ts.enum_labels(("status",)).get(state, state)


def labelled(ts: TypeSchema, state: str) -> str:
    return f"“{state_label(ts, state)}”"


def _coded(ts: TypeSchema, states: list[str], last: str = "、") -> str:
    """States with their codes: “办理中”（in_progress）、“已终止”（terminated）; `last` joins the final one."""
    items = [f"{labelled(ts, s)}（{s}）" for s in states]
    return last.join(["、".join(items[:-1]), items[-1]]) if len(items) > 1 else "".join(items)


def deleted_record(ts: TypeSchema, old: Version, linked: bool) -> Diagnostic:
    """`linked`: a symlink stands where the record was, which is not the record."""
    final = _final(ts)
    retire = f"，不再有效时把状态改为 {_coded(ts, final, '或 ')}" if final else ""
    if linked:
        what = "的位置上仍是符号链接（基准版本中已是如此）" if old.link else "的文件换成了符号链接"
        return Diagnostic(
            old.path,
            "change.record-deleted",
            f"记录 {_named(old)}{what}，不算作登记册中的记录",
            f"登记册中不接受符号链接：请把记录文件本身放回 {old.path}{retire}。",
            line=1,
            col=1,
        )
    return Diagnostic(
        old.path, "change.record-deleted", f"记录 {_named(old)}被删除", f"记录只能通过状态退出，不能删除文件：请恢复 {old.path}{retire}。", line=1, col=1
    )


def new_record_state(ts: TypeSchema, new: Version) -> Iterator[Diagnostic]:
    status = new.data.get("status") if new.data else None
    if isinstance(status, str) and status in ts.states and status not in ts.lifecycle.initial:
        yield Diagnostic(
            new.path,
            "change.new-record-state",
            f"新建的{ts.title}状态为 {labelled(ts, status)}，通常应从 {'或'.join(labelled(ts, s) for s in ts.lifecycle.initial)} 开始",
            f"如果是登记已在办理中的事项，请审阅者核对其状态和进度；否则请以 {_coded(ts, ts.lifecycle.initial, '或 ')}新建记录。",
            pointer=("status",),
            severity="warning",
        )


def check_pair(schemas: SchemaSet, pair: Pair) -> Iterator[Diagnostic]:
    old, new = pair.base.data or {}, pair.head.data or {}
    ts = schemas.types[pair.head.type]
    path = pair.head.path
    if pair.renamed:
        yield Diagnostic(
            path,
            "change.id-changed",
            f"记录编号由 “{pair.base.id}” 改为 “{pair.head.id}”（《{pair.head.title}》）",
            f"编号一经使用不能更改，其他记录和已发布的链接都用它引用：请把文件名和 id 改回 {pair.base.id}。",
            pointer=("id",),
        )
    if pair.base.type == pair.head.type:  # states of different types cannot be compared
        yield from _transition(ts, path, old, new)
    yield from _deadline(ts, path, old, new)
    for name in ts.append_only:  # the base's history lists (x-append-only)
        before, after = old.get(name), new.get(name)
        if isinstance(before, list) and before:
            yield from _append_only(ts, path, name, before, after if isinstance(after, list) else [])
    if old.get("example") is True and new.get("example") is not True:
        yield Diagnostic(
            path,
            "change.example-to-real",
            "记录原为示例（example: true），本次改为正式记录",
            "请确认内容已按真实情况核实、可以作为正式数据发布，并请负责人审核后再合并。",
            severity="warning",
            pointer=("example",) if "example" in new else ("id",),
        )
    if pair.made_internal:
        yield Diagnostic(
            path,
            "change.made-internal",
            f"记录 {_named(pair.head)}由公开改为内部（visibility: internal），将从公开网站撤下",
            "合并后它的公开页面和链接将失效，公开记录中对它的引用也会被删去；请在拉取请求中写明撤下的理由，并请负责人审核后再合并。",
            severity="warning",
            pointer=("visibility",),
        )


def _transition(ts: TypeSchema, path: str, old: dict[str, Any], new: dict[str, Any]) -> Iterator[Diagnostic]:
    source, target = old.get("status"), new.get("status")
    if not isinstance(source, str) or not isinstance(target, str) or source == target:
        return
    if source not in ts.states or target not in ts.states:
        return  # an unknown state is a schema finding, reported by validate
    lifecycle = ts.lifecycle
    if not lifecycle.allows(source, target):
        following = [t.target for t in lifecycle.transitions if t.source == source and t.target != source]
        hint = f"{labelled(ts, source)} 之后只能改为：{_coded(ts, following)}" if following else f"{labelled(ts, source)} 是最终状态，不能再改为其他状态"
        yield Diagnostic(
            path,
            "change.illegal-transition",
            f"状态不能由 {labelled(ts, source)}（{source}）改为 {labelled(ts, target)}（{target}）",
            f"{hint}；中间的状态要逐一经过，流转规定见 schemas/{ts.name}.lifecycle.yaml。",
            pointer=("status",),
        )
        return
    matching = [t for t in lifecycle.transitions if t.source == source and t.target == target]
    if not matching or any(t.adds is None for t in matching):
        return
    for history_list in {t.adds for t in matching if t.adds}:
        before, after = old.get(history_list), new.get(history_list)
        if len(after if isinstance(after, list) else []) > len(before if isinstance(before, list) else []):
            return
    field = matching[0].adds or ""
    yield Diagnostic(
        path,
        "change.transition-needs-entry",
        f"状态由 {labelled(ts, source)} 改为 {labelled(ts, target)}，但没有在 “{ts.label((field,))}” 中新增一条记录",
        f"这一状态变化须在 {field} 末尾新增一条，写明{_required(ts, field)}。",
        pointer=("status",),
    )


def _required(ts: TypeSchema, field: str) -> str:
    item = ts.subschema((field, 0)) or {}
    return "、".join(f"{ts.label((field, 0, name))}（{name}）" for name in item.get("required", [])) or "内容"


def _deadline(ts: TypeSchema, path: str, old: dict[str, Any], new: dict[str, Any]) -> Iterator[Diagnostic]:
    props = ts.schema.get("properties", {})
    if "deadline" not in props or "extensions" not in props:
        return
    before, after = old.get("deadline"), new.get("deadline")
    if not isinstance(before, str) or before == after or (after is not None and not isinstance(after, str)):
        return  # a first deadline may be set; a non-date is a schema finding
    if after is not None and any(isinstance(e, dict) and e.get("new_deadline") == after for e in new_entries(old, new, "extensions")):
        return
    if after is None:
        yield Diagnostic(
            path,
            "change.deadline-without-extension",
            f"办理时限 {before} 被删去",
            f"办理时限一经确定，只能经批准延期来更改：请恢复 deadline: {before}。",
            pointer=("id",),
        )
        return
    yield Diagnostic(
        path,
        "change.deadline-without-extension",
        f"办理时限由 {before} 改为 {after}，但没有新增批准这一时限的延期记录",
        f"请在 extensions 末尾新增一条延期记录，写明{_required(ts, 'extensions')}，其中新办理时限为 {after}；未获批准的，请把办理时限改回 {before}。",
        pointer=("deadline",),
    )


def new_entries(old: dict[str, Any], new: dict[str, Any], field: str) -> list[Any]:
    """The entries appended to a history list (by position, as the append-only rule sees it)."""
    before, after = old.get(field), new.get(field)
    if not isinstance(after, list):
        return []
    return after[len(before) if isinstance(before, list) else 0 :]


def _key(entry: Any) -> str:
    return json.dumps(entry, sort_keys=True, ensure_ascii=False)


def _describe(entry: Any) -> str:
    if isinstance(entry, dict):
        for key, template in (("date", "（{}）"), ("requested", "（申请日期 {}）"), ("number", "（序号 {}）")):
            if key in entry:
                return template.format(entry[key])
    return ""


def _append_only(ts: TypeSchema, path: str, field: str, before: list[Any], after: list[Any]) -> Iterator[Diagnostic]:
    old, new = [_key(e) for e in before], [_key(e) for e in after]
    if new[: len(old)] == old:
        return
    label = ts.label((field,))
    hint = "已有的记录只增不改：请恢复原内容；如需更正，请在最后新增一条说明更正的记录。"

    def changed(i: int, j: int) -> Diagnostic:
        a, b = before[i], after[j]
        keys = [*a, *(k for k in b if k not in a)] if isinstance(a, dict) and isinstance(b, dict) else []
        fields = "、".join(ts.label((field, 0, k)) for k in keys if _key(a.get(k)) != _key(b.get(k)))
        return Diagnostic(
            path, "change.append-only", f"{label}第 {i + 1} 条{_describe(a)}被修改" + (f"（{fields}）" if fields else ""), hint, pointer=(field, j)
        )

    def deleted(i: int, j: int) -> Diagnostic:
        at: Pointer = (field, min(j, len(after) - 1)) if after else (field,)
        return Diagnostic(path, "change.append-only", f"{label}第 {i + 1} 条{_describe(before[i])}被删除", hint, pointer=at)

    def inserted(j: int) -> Diagnostic:
        return Diagnostic(
            path,
            "change.append-only",
            f"在已有的{label}之间插入了新的一条{_describe(after[j])}",
            "新记录只能加在列表最后；请把它移到末尾（日期写报送当天，实际发生日期写在内容中）。",
            pointer=(field, j),
        )

    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if tag == "insert":
            if i1 < len(old):
                yield inserted(j1)
            continue
        for k in range(i2 - i1):
            yield changed(i1 + k, j1 + k) if tag == "replace" and j1 + k < j2 else deleted(i1 + k, j1 + k if tag == "replace" else j1)
        if tag == "replace" and j2 - j1 > i2 - i1 and i2 < len(old):
            yield inserted(j1 + i2 - i1)
