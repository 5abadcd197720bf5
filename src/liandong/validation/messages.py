"""python-jsonschema errors → Chinese diagnostics that name the field, the value and a fix."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from liandong.diagnostics import Diagnostic, Pointer
from liandong.validation.schema import TypeSchema

if TYPE_CHECKING:
    import jsonschema

TYPE_NAMES = {
    "string": "文字",
    "integer": "整数",
    "number": "数字",
    "boolean": "布尔值（true 或 false）",
    "array": "列表",
    "object": "“字段: 值”的映射",
    "null": "空值",
}

SIZE_KEYWORDS = {"minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties", "minimum", "maximum"}


def _type_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


# Characters that are not seen but act: on the terminal or the annotation (control characters),
# on the order text is shown in (U+202E), or not at all (U+200B, unassigned code points).
_UNSEEN = frozenset(("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"))
_NAMES_ZH = {"\n": "换行符", "\r": "回车符", "\t": "制表符", "\u2028": "行分隔符", "\u2029": "段分隔符", "\x85": "下一行符"}


def _show(value: Any, limit: int = 40) -> str:
    text = value if isinstance(value, str) else repr(value)
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    # Shown escaped (\n, \u202e), so that the message shows what is there instead of acting on it.
    return "".join(ch.encode("unicode_escape").decode("ascii") if unicodedata.category(ch) in _UNSEEN else ch for ch in text)


def _character(ch: str) -> str:
    """U+202E（RIGHT-TO-LEFT OVERRIDE）; U+000A（换行符） for the ones with a Chinese name."""
    name = _NAMES_ZH.get(ch) or unicodedata.name(ch, "") or "控制字符"
    return f"U+{ord(ch):04X}（{name}）"


_JOINERS = "\u200c\u200d"
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _refused_character(field: str, value: str, pattern: str) -> tuple[str, str] | None:
    """Message and hint for text that contains a character its schema refuses (`not: {pattern}`).
    The schema's own pattern finds the place, so the message never disagrees with the check."""
    found = re.search(pattern, value)
    if found is None:
        return None
    start, matched = found.start(), found.group()
    # A match of a misplaced joiner may begin at the space before it: point at the joiner itself.
    offset = next((i for i, c in enumerate(matched) if unicodedata.category(c) in _UNSEEN), 0)
    ch, position = matched[offset], start + offset + 1
    one_line = re.search(pattern, "\n") is not None
    where = f"{field} “{_show(value)}” 的第 {position} 个字符"
    retype = "在编辑器中它往往看不见：可删去它前后的一两个字再重新输入。"
    if ch in _JOINERS and one_line:
        return (
            f"{where} {_character(ch)} 只能写在两个字之间",
            "零宽连接符 U+200D 和零宽非连接符 U+200C 只用于某些文字和表情符号的内部；写在开头、结尾或空格旁"
            f"看不出任何作用，只会让看起来相同的两段文字实际不同。请删去它，{retype}",
        )
    if ch in _BIDI:
        return (
            f"{where} {_character(ch)} 是文字方向控制符，不允许使用",
            f"文字方向控制符会让显示出来的文字顺序与实际写入的不同，审阅者看到的不是记录中的内容，因此不允许。请删去它，{retype}",
        )
    if one_line:
        return (
            f"{where} {_character(ch)} 不能出现在一行文字中",
            "请删去换行符、制表符等控制字符和零宽空格等看不见的格式字符；用 | 或 > 写成了多行的，请改为写在同一行。" + ("" if ch in "\n\t\r" else retype),
        )
    return (
        f"{where} {_character(ch)} 不允许使用",
        f"这一项可以换行，但不能包含换行和制表以外的控制字符，也不能用行分隔符 U+2028、段分隔符 U+2029 代替换行。请删去它，{retype}",
    )


def _is_blank_rule(ts: TypeSchema, pattern: Any) -> bool:
    """Whether `pattern` is the schemas' "at least one visible character" pattern of free text."""
    return bool(pattern == ts.common.get("$defs", {}).get("short_text", {}).get("pattern"))


def diagnostics_for(path: str, type_schema: TypeSchema, errors: list[jsonschema.ValidationError]) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for error in errors:
        found.extend(_convert(path, type_schema, error))
    # A malformed date fails both `pattern` and `format`; one finding per place is enough.
    formatted = {d.pointer for d in found if d.rule == "schema.format"}
    return [d for d in found if not (d.rule == "schema.pattern" and d.pointer in formatted)]


def _convert(path: str, ts: TypeSchema, error: jsonschema.ValidationError) -> Iterator[Diagnostic]:
    pointer: Pointer = tuple(error.absolute_path)
    keyword = str(error.validator)
    value = error.instance
    field = ts.label(pointer) if pointer else ts.title
    description = str((ts.subschema(pointer) or {}).get("description", ""))
    rule_value: Any = error.validator_value  # typed "Any | Unset": Unset only on errors made by hand

    def make(rule: str, message: str, hint: str, where: Pointer = pointer, at_key: bool = False) -> Diagnostic:
        return Diagnostic(path, rule, message, hint, pointer=where, at_key=at_key)

    if keyword == "required":
        for name in rule_value:
            if isinstance(value, dict) and name not in value:
                label = ts.label(pointer + (name,))
                yield make("schema.required", f"缺少必填字段 “{name}”（{label}）", f"请在{field}中添加 {name}: …")
    elif keyword == "dependentRequired":
        for name, needed in rule_value.items():
            if isinstance(value, dict) and name in value:
                for other in needed:
                    if other not in value:
                        yield make(
                            "schema.required",
                            f"填写了 “{name}” 时必须同时填写 “{other}”（{ts.label(pointer + (other,))}）",
                            description or f"请添加 {other}: …",
                        )
    elif keyword in ("additionalProperties", "unevaluatedProperties"):
        allowed = list((ts.subschema(pointer) or {}).get("properties", {}))
        for name in value if isinstance(value, dict) else ():
            if name not in allowed:
                close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
                hint = f"是否想写 “{close[0]}”？" if close else f"{field}可用的字段：{'、'.join(allowed)}"
                yield make("schema.unknown-field", f"未知字段 “{_show(name)}”", hint, pointer + (name,), at_key=True)
    elif keyword == "type":
        expected = rule_value if isinstance(rule_value, list) else [rule_value]
        wanted = "或".join(TYPE_NAMES.get(t, str(t)) for t in expected)
        hint = description or f"{field}应为{wanted}"
        if "string" in expected and not isinstance(value, (dict, list)):
            hint = f'如果要写成文字，请加引号，例如 "{_show(value)}"。'
        yield make("schema.type", f"{field}应为{wanted}，实际是{TYPE_NAMES[_type_of(value)]} “{_show(value)}”", hint)
    elif keyword in ("enum", "const"):
        choices = rule_value if keyword == "enum" else [rule_value]
        labels = ts.enum_labels(pointer)
        options = "、".join(f"{c}（{labels[c]}）" if c in labels else str(c) for c in choices)
        yield make("schema.enum", f"{field}的取值 “{_show(value)}” 不在允许范围内", f"可选：{options}")
    elif keyword == "format":
        if rule_value == "date":
            yield make("schema.format", f"{field} “{_show(value)}” 不是有效的日期", "日期写成 YYYY-MM-DD，且必须是日历上存在的日子。")
        else:
            yield make("schema.format", f"{field} “{_show(value)}” 不符合 {rule_value} 格式", description)
    elif keyword == "pattern":
        refusing = (error.schema.get("not") or {}).get("pattern") if isinstance(error.schema, dict) else None
        if _is_blank_rule(ts, rule_value) and isinstance(value, str):
            # An empty value is reported by minLength, a refused character by `not` (at the same place).
            if value and not (isinstance(refusing, str) and re.search(refusing, value)):
                yield make(
                    "schema.pattern", f"{field}只有空白或看不见的字符（“{_show(value)}”）", "请填写看得见的文字：空格、零宽空格和其他不显示的字符不算内容。"
                )
        else:
            yield make("schema.pattern", f"{field} “{_show(value)}” 的写法不正确", description or f"应符合 {rule_value}")
    elif keyword in SIZE_KEYWORDS:
        yield make("schema.size", _size_message(field, keyword, rule_value, value), description)
    elif keyword == "uniqueItems":
        yield make("schema.unique", f"{field}中有重复的项", "请删去重复项。")
    elif keyword == "not" and isinstance(rule_value.get("pattern"), str) and isinstance(value, str):
        explained = _refused_character(field, value, rule_value["pattern"])
        message, hint = explained or (f"{field} “{_show(value)}” 含有不允许的字符", description)
        yield make("schema.pattern", message, hint)
    elif keyword == "not":
        both = [k for k in (rule_value.get("required") or []) if isinstance(value, dict) and k in value]
        if not pointer and both:  # two fields of the record itself: the first one says how they relate
            description = str((ts.subschema((both[0],)) or {}).get("description", description))
        yield make("schema.conflict", f"{field}中 {' 和 '.join(both)} 不能同时填写", description)
    else:
        yield make("schema.other", f"{field}不符合要求：{error.message}", description)


def _size_message(field: str, keyword: str, limit: Any, value: Any) -> str:
    if keyword == "minLength":
        return f"{field}不能为空" if limit == 1 else f"{field}至少 {limit} 个字"
    if keyword == "maxLength":
        return f"{field}有 {len(value)} 个字，超过上限 {limit} 个字"
    if keyword == "minItems":
        return f"{field}至少要有 {limit} 项"
    if keyword == "maxItems":
        return f"{field}最多 {limit} 项" if limit else f"{field}此时应当不填"
    if keyword == "minProperties":
        return f"{field}至少要填写 {limit} 个字段"
    if keyword == "maxProperties":
        return f"{field}最多 {limit} 个字段"
    if keyword == "minimum":
        return f"{field} {value} 小于最小值 {limit}"
    return f"{field} {value} 大于最大值 {limit}"
