"""Strict YAML: one mapping per file, JSON-like typing, no duplicate keys, no anchors or tags.

PyYAML's C parser builds the node tree; we construct plain Python values ourselves because
PyYAML's resolvers follow YAML 1.1, where `no` is False, `12:30` is 750 and `010` is 8. Here
only `true`/`false`, `null`/`~`, plain decimal integers and decimal floats are typed; every
other plain scalar (dates included) stays the string that was written, and the schema checks it.
Line and column marks are read from the nodes while constructing and then dropped: locate.py
parses a file again only when a later check has something to say about it.

Nesting is limited to MAX_DEPTH levels while constructing, so no recursive code after the loader
(construction itself, the schema validators, the site) ever sees a deeper value. The composer is
libyaml's, written in C and Cython: it does not use Python's stack, and libyaml's scanner stops at
1000 levels by itself (tests/unit/test_load.py checks that it still does); that error is reported
as the same finding, at the first node deeper than MAX_DEPTH.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import yaml

# The C parser is what makes 10,000 files fast; PyPI wheels of PyYAML always bundle libyaml.
from yaml._yaml import CParser as _Parser
from yaml.resolver import BaseResolver

from liandong.diagnostics import Diagnostic

MAX_FILE_BYTES = 256 * 1024
# Levels of nesting a record may have, the record's own mapping being level 1. The deepest place
# the schemas define is level 4 (a task → extensions → one extension → late: {approved_by, reason});
# 20 leaves room for schemas to grow while refusing `x: [[[[…]]]]` long before Python's recursion
# limit (1000 frames) could be reached. tests/unit/test_load.py fails if a schema nests deeper than
# MAX_DEPTH - 10.
MAX_DEPTH = 20
# Characters a plain number may have. int() refuses more than 4300 digits by default, and no less
# than 640 however Python is configured (sys.set_int_max_str_digits); no record needs more than 20.
MAX_NUMBER_DIGITS = 600

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"


_BOOL = re.compile(r"^(?:true|false)$")
_NULL = re.compile(r"^(?:null|~|)$")
_INT = re.compile(r"^-?(?:0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^-?(?:0|[1-9][0-9]*)\.[0-9]+(?:[eE][-+]?[0-9]+)?$")


class JsonLikeResolver(BaseResolver):
    """Resolves plain scalars the way JSON would read them; everything else is a string.

    The C composer calls these three methods for every node, so they are kept minimal: there
    are no path resolvers to descend into, and a first-character test skips most strings."""

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: type, value: str | None, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0] and value is not None:
                first = value[:1]
                if first in _NUMBER_START and (_INT.match(value) or _FLOAT.match(value)):
                    return INT if _INT.match(value) else FLOAT
                if first in "tf" and _BOOL.match(value):
                    return BOOL
                if (first in "n~" and _NULL.match(value)) or value == "":
                    return NULL
            return STR
        return SEQ if kind is yaml.SequenceNode else MAP


_NUMBER_START = frozenset("-0123456789")
# The same rules as implicit resolvers, for the dumper in new.py (it asks which strings need quotes).
JsonLikeResolver.yaml_implicit_resolvers = {}
JsonLikeResolver.add_implicit_resolver(BOOL, _BOOL, list("tf"))
JsonLikeResolver.add_implicit_resolver(NULL, _NULL, ["n", "~", ""])
JsonLikeResolver.add_implicit_resolver(INT, _INT, list("-0123456789"))
JsonLikeResolver.add_implicit_resolver(FLOAT, _FLOAT, list("-0123456789"))


class _Loader(_Parser, JsonLikeResolver):
    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        JsonLikeResolver.__init__(self)


@dataclass
class LoadedFile:
    path: str  # repository-relative POSIX path, as shown in diagnostics
    text: str | None  # decoded text, None when the file could not be read as UTF-8
    data: dict[str, Any] | None  # None when the file is not a valid single mapping
    diagnostics: list[Diagnostic]


class _Refused(Exception):
    def __init__(self, rule: str, message: str, hint: str, mark: Any) -> None:
        super().__init__(message)
        self.rule, self.message, self.hint, self.mark = rule, message, hint, mark


def _construct(node: yaml.Node, depth: int = 1) -> Any:
    # Aliases cannot reach here: they need an anchor ('&'), and parse_text refuses those first,
    # so every node is visited once and a shared (alias) node can never blow up the output.
    tag = node.tag
    if isinstance(node, yaml.ScalarNode):
        value = node.value
        if tag == STR:
            return value
        if tag in (INT, FLOAT) and len(value) > MAX_NUMBER_DIGITS:
            raise _Refused(
                "yaml.number-too-long",
                f"数字有 {len(value):,} 位，超过上限 {MAX_NUMBER_DIGITS:,} 位",
                "记录中的数字不会这么长；如果这是文字，请给整个值加引号。",
                node.start_mark,
            )
        if tag == INT:
            return int(value)
        if tag == BOOL:
            return value == "true"
        if tag == NULL:
            return None
        if tag == FLOAT:
            return float(value)
        raise _unknown_tag(node)
    if depth > MAX_DEPTH:
        raise _too_deep(node.start_mark)
    if isinstance(node, yaml.MappingNode):
        if tag != MAP:
            raise _unknown_tag(node)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Refused("yaml.complex-key", "字段名必须是简单文字", "请把字段名写成一个词，例如 title:", key_node.start_mark)
            if key_node.tag not in _KEY_TAGS:
                raise _unknown_tag(key_node)
            key = key_node.value
            if key == "<<":
                raise _Refused("yaml.alias", "不允许使用合并键（<<）", "请把内容完整写出。", key_node.start_mark)
            if key in result:
                raise _Refused(
                    "yaml.duplicate-key",
                    f"字段 “{key}” 重复出现",
                    "同一层级的字段只能写一次；请删去或合并重复的字段。",
                    key_node.start_mark,
                )
            result[key] = _construct(value_node, depth + 1)
        return result
    if tag != SEQ:
        raise _unknown_tag(node)
    return [_construct(item, depth + 1) for item in node.value]


# A key is the text that was written, whatever a plain scalar would resolve to (`1:`, `no:`); only
# an explicit tag (`!x key:`) is refused, as on values.
_KEY_TAGS = frozenset((STR, INT, FLOAT, BOOL, NULL))


def _unknown_tag(node: yaml.Node) -> _Refused:
    return _Refused("yaml.tag", f"不允许使用 YAML 标签 “{node.tag}”", "请删去以 ! 开头的标签，直接写值。", node.start_mark)


def _too_deep(mark: Any) -> _Refused:
    return _Refused(
        "yaml.too-deep",
        f"列表或映射嵌套超过 {MAX_DEPTH} 层",
        "正常的记录远没有这么深（记录本身是第 1 层）；这么深的嵌套通常是多写了括号 [ ] { } 或缩进有误，请检查这一行及其上方。",
        mark,
    )


def _events(text: str) -> Iterator[yaml.Event]:
    """The parser's events, as yaml.parse gives them, from our own loader."""
    loader = _Loader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if event is not None:
                yield event
    finally:
        loader.dispose()


def _first_too_deep(text: str) -> Any:
    """The mark of the first list or mapping deeper than MAX_DEPTH, from the parser's events
    (which arrive before any error further on in the file), or None."""
    depth = 0
    try:
        for event in _events(text):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass
    return None


def _at(path: str, mark: Any, rule: str, message: str, hint: str) -> Diagnostic:
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    return Diagnostic(path=path, line=line, col=col, rule=rule, message=message, hint=hint)


def _anchors(path: str, text: str) -> list[Diagnostic]:
    """Every anchor and alias in the file, found from the parser's events."""
    found = []
    for event in _events(text):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            found.append(_at(path, event.start_mark, "yaml.alias", "不允许使用锚点和别名（& 和 *）", "请把内容完整写出。"))
    return found


def decode(path: str, raw: bytes) -> tuple[str | None, list[Diagnostic]]:
    """Size limit and strict UTF-8; a BOM is tolerated because some Windows editors add it."""
    if len(raw) > MAX_FILE_BYTES:
        return None, [
            Diagnostic(
                path,
                "files.too-large",
                f"文件有 {len(raw):,} 字节，超过上限 {MAX_FILE_BYTES:,} 字节",
                "一条记录不应这么大；请把长篇正文放到文件原文网址，或拆分记录。",
                line=1,
                col=1,
            )
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        col = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        return None, [
            Diagnostic(
                path,
                "files.encoding",
                f"文件不是 UTF-8 编码（第 {err.start} 字节 0x{raw[err.start]:02x} 无法解码）",
                "请在编辑器中以 UTF-8 编码重新保存（不要用 GBK/GB2312）。",
                line=line,
                col=col,
            )
        ]
    return text.removeprefix("\ufeff"), []


def parse_text(path: str, text: str) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    """Parse one record's text into a mapping, or explain why it cannot be one."""
    data, found = _parse(path, text)
    return data, [_within(text, d) for d in found]


# The line breaks libyaml counts in its marks.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _within(text: str, diagnostic: Diagnostic) -> Diagnostic:
    """libyaml places "end of file" on the line after the last one; a finding there is shown at the
    end of the file's last line instead, where editors and review annotations can show it."""
    lines = _LINE_BREAK.split(text)
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    if diagnostic.line <= len(lines):
        return diagnostic
    return replace(diagnostic, line=len(lines), col=len(lines[-1]) + 1)


def _parse(path: str, text: str) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    if "&" in text:  # anchors need '&'; a cheap test keeps the event scan off the hot path
        try:
            found = _anchors(path, text)
        except yaml.YAMLError:
            found = []  # the syntax error is reported below, with its own position
        if found:
            return None, found
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.composer.ComposerError as err:
        if "single document" in str(err.context):
            return None, [
                _at(
                    path,
                    err.problem_mark,
                    "yaml.multiple-documents",
                    "一个文件只能包含一条记录（发现多个 YAML 文档）",
                    "请删去 --- 分隔的其他文档，或把它们另存为单独的文件。",
                )
            ]
        if "alias" in f"{err.context} {err.problem}" or "anchor" in f"{err.context} {err.problem}":
            # `*x` without `&x` (the anchor scan above only runs when there is an '&'), or `&x` twice.
            return None, [_at(path, err.problem_mark, "yaml.alias", "不允许使用锚点和别名（& 和 *）", "请把内容完整写出；以 * 或 & 开头的值请加引号。")]
        return None, [_at(path, err.problem_mark, "yaml.syntax", f"YAML 语法错误：{_problem_zh(str(err.problem))}", "请检查缩进、冒号和引号。")]
    except yaml.MarkedYAMLError as err:
        # Nesting too deep explains the error better than the error itself: libyaml's own limit
        # (1000 levels) is one, and `[[[[…` never closed ends in one. The scanner may stop before
        # the parser has produced the events leading there (inside `[[[[…` each bracket could
        # still start a key), so the events are read from the text up to the error.
        prefix = text[: err.problem_mark.index] if err.problem_mark is not None else text
        deep = _first_too_deep(prefix)
        if deep is not None or err.problem == "exceeded maximum nesting depth":
            refused = _too_deep(deep or err.problem_mark)
            return None, [_at(path, refused.mark, refused.rule, refused.message, refused.hint)]
        # An unclosed quote is found at the end of the file; its opening quote is the useful place.
        quoted = "quoted scalar" in str(err.context) and err.context_mark is not None
        mark = err.context_mark if quoted else (err.problem_mark or err.context_mark)
        problem = str(err.problem or err.context or "")
        return None, [_at(path, mark, "yaml.syntax", f"YAML 语法错误：{_problem_zh(problem)}", _syntax_hint(text, mark))]
    except yaml.reader.ReaderError as err:
        return None, [_unacceptable(path, text, err)]
    except yaml.YAMLError as err:
        return None, [_at(path, None, "yaml.syntax", f"YAML 语法错误：{err}", "请检查文件内容。")]
    finally:
        loader.dispose()
    if node is None or not isinstance(node, yaml.MappingNode):
        mark = node.start_mark if node is not None else None
        return None, [_at(path, mark, "yaml.not-mapping", "文件内容必须是一条记录（字段: 值 的映射）", "文件应以 id: 等字段开头，每行一个“字段: 值”。")]
    try:
        return _construct(node), []
    except _Refused as refused:
        return None, [_at(path, refused.mark, refused.rule, refused.message, refused.hint)]


def _unacceptable(path: str, text: str, err: yaml.reader.ReaderError) -> Diagnostic:
    """A character YAML does not allow in a file (a control character, U+FFFE…), at its place.
    libyaml reads the text as UTF-8, so its position counts bytes."""
    offset = err.position if isinstance(err.position, int) and err.position >= 0 else 0
    position = len(text.encode("utf-8")[:offset].decode("utf-8", "ignore"))
    line = text.count("\n", 0, position) + 1
    col = position - (text.rfind("\n", 0, position) + 1) + 1
    code = err.character if isinstance(err.character, int) else ord(text[position]) if position < len(text) else 0
    return Diagnostic(
        path,
        "yaml.syntax",
        f"YAML 语法错误：文件中有不允许的字符 U+{code:04X}（{err.reason}）",
        "YAML 文件不能包含控制字符，它们在编辑器中往往看不见：请删去这个位置的字符（可删去它前后的一两个字再重新输入）。",
        line=line,
        col=col,
    )


# PyYAML's problems in Chinese; the English original stays in brackets for searching.
_PROBLEMS_ZH = {
    "found character that cannot start any token": "此处的字符不能作为值的开头",
    "mapping values are not allowed in this context": "此处不能出现“字段: 值”",
    "found unexpected end of stream": "引号没有闭合，文件就结束了",
    "could not find expected ':'": "缺少冒号 :",
    "expected <block end>, but found": "缩进不一致",
    "did not find expected key": "缩进不一致，找不到下一个字段",
    "found unknown escape character": "引号内有无效的转义字符",
    "found a tab character": "出现了 Tab 字符",
    "did not find expected '-' indicator": "列表项缩进不一致",
    "found duplicate anchor": "锚点重复",
    # The rest of libyaml's problems, so that no message is left in English alone.
    "block sequence entries are not allowed in this context": "此处不能开始列表项（- ）",
    "could not find expected directive name": "% 开头的指令缺少名称",
    "did not find URI escaped octet": "标签中的 % 转义写法不正确",
    "did not find expected '!'": "标签缺少结尾的 !",
    "did not find expected ',' or ']'": "方括号 [ ] 中缺少逗号或右方括号 ]",
    "did not find expected ',' or '}'": "花括号 { } 中缺少逗号或右花括号 }",
    "did not find expected <document start>": "此处应是下一个文档的开始（---），却出现了其他内容",
    "did not find expected <stream-start>": "文件开头无法解析",
    "did not find expected alphabetic or numeric character": "锚点或别名（& 或 *）后缺少名称，或名称中有不允许的字符",
    "did not find expected comment or line break": "此处只能是注释（#）或换行",
    "did not find expected digit or '.' character": "%YAML 的版本号写法不正确",
    "did not find expected hexdecimal number": "转义（\\x、\\u、\\U）后缺少十六进制数字",
    "did not find expected node content": "此处缺少值，或多了符号",
    "did not find expected tag URI": "标签（!）的写法不正确",
    "did not find expected version number": "%YAML 缺少版本号",
    "did not find expected whitespace or line break": "此处应有空格或换行",
    "did not find expected whitespace": "此处应有空格",
    "did not find the expected '>'": "标签 !<…> 缺少 >",
    "found an indentation indicator equal to 0": "块文字（| 或 >）的缩进数字不能是 0",
    "found duplicate %TAG directive": "%TAG 指令重复",
    "found duplicate %YAML directive": "%YAML 指令重复",
    "found extremely long version number": "%YAML 的版本号过长",
    "found incompatible YAML document": "不支持这个 YAML 版本",
    "found invalid Unicode character escape code": "引号内的 Unicode 转义不是有效的字符",
    "found undefined tag handle": "使用了未定义的标签前缀",
    "found unexpected ':'": "此处不能出现冒号 :",
    "found unexpected document indicator": "引号内的文字中出现了文档分隔符（--- 或 ...）",
    "found unexpected non-alphabetical character": "% 开头的指令名称中有不允许的字符",
    "found unknown directive name": "未知的 % 指令",
    "mapping keys are not allowed in this context": "此处不能出现字段名",
}


def _problem_zh(problem: str) -> str:
    for english, chinese in _PROBLEMS_ZH.items():
        if problem.startswith(english):
            return f"{chinese}（{problem}）"
    return problem or "无法解析"


def _syntax_hint(text: str, mark: Any) -> str:
    line = text.splitlines()[mark.line] if mark is not None and mark.line < len(text.splitlines()) else ""
    if "\t" in line:
        return "YAML 不能用 Tab 缩进，请改用空格。"
    if line.count(":") > 1:
        return "值里有冒号时，请给整个值加引号。"
    return "请检查缩进、冒号和引号是否配对。"


def load_bytes(path: str, raw: bytes) -> LoadedFile:
    text, problems = decode(path, raw)
    if text is None:
        return LoadedFile(path, None, None, problems)
    data, problems = parse_text(path, text)
    return LoadedFile(path, text, data, problems)


def compose(text: str) -> yaml.Node | None:
    """The node tree with marks, for locating findings in a file already known to parse."""
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()
