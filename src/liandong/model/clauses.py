"""Clause numbers as documents write them (#19), said once: the schema's pattern
(common.schema.json `$defs/clause`, equal to PATTERN; tests/unit/test_clauses.py keeps them so),
parsing into a path, document order, one clause within another, and which listed clause a
reference names.

Two styles, each a chain of levels from any level down, in order, levels may be skipped:

- outline numbering (党政机关公文): 一、 → （一） or (一) → 1. → （1）, written together as
  三(一)2, 三（一）2, 三、 (the 、 and the . may be written or left out);
- legal numbering (立法技术规范): 第N编 第N章 第N节 第N条 第N款 第N项 第N目, e.g. 第六条第二款,
  第二章第三条; a 项 may be written 第（一）项 as its text numbers it, a 目 第1目.

Numbers are Chinese numerals (十一, 二十三, 一百零五, 一千二百六十), Arabic only where the text
itself numbers so (1. and （1） of an outline, a 目). 第6条 is refused: regulations number 编, 章,
节 and 条 in Chinese numerals, and a second spelling of the same article would make two clauses
of one. Amended articles numbered 第十条之一 are not supported yet.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Hashable, Iterable
from enum import IntEnum
from typing import Any, Literal


class Level(IntEnum):
    """A level of numbering; lower is higher up. Outline and legal levels are never mixed."""

    OUTLINE_1 = 1  # 一、
    OUTLINE_2 = 2  # （一）
    OUTLINE_3 = 3  # 1.
    OUTLINE_4 = 4  # （1）
    PART = 11  # 第一编
    CHAPTER = 12  # 第一章
    SECTION = 13  # 第一节
    ARTICLE = 14  # 第一条
    PARAGRAPH = 15  # 第一款
    ITEM = 16  # 第一项, 第（一）项
    SUBITEM = 17  # 第一目, 第1目


Path = tuple[tuple[Level, int], ...]

_DIGIT = "[一二三四五六七八九]"
# A Chinese numeral from 1 to 9999 as texts write it: 十一, 二十三, 一百零五, 一百一十, 一千二百六十.
# The formal 一十一 and the informal 一百十 pass too: every form it accepts has one value.
_CHINESE = f"(?=[一二三四五六七八九十])(?:{_DIGIT}千)?(?:{_DIGIT}百)?(?:[零〇](?={_DIGIT}))?(?:{_DIGIT}?十)?{_DIGIT}?"
_ARABIC = "[1-9][0-9]*"


def _bracketed(number: str) -> str:
    return f"\\((?:{number})\\)|（(?:{number})）"


_OUTLINE: tuple[tuple[Level, str], ...] = (
    (Level.OUTLINE_1, f"(?:{_CHINESE})、?"),
    (Level.OUTLINE_2, _bracketed(_CHINESE)),
    (Level.OUTLINE_3, f"{_ARABIC}[.．]?"),
    (Level.OUTLINE_4, _bracketed(_ARABIC)),
)
_LEGAL: tuple[tuple[Level, str], ...] = (
    (Level.PART, f"第(?:{_CHINESE})编"),
    (Level.CHAPTER, f"第(?:{_CHINESE})章"),
    (Level.SECTION, f"第(?:{_CHINESE})节"),
    (Level.ARTICLE, f"第(?:{_CHINESE})条"),
    (Level.PARAGRAPH, f"第(?:{_CHINESE})款"),
    (Level.ITEM, f"第(?:{_CHINESE}|{_bracketed(_CHINESE)})项"),
    (Level.SUBITEM, f"第(?:{_CHINESE}|{_ARABIC})目"),
)


def _chain(levels: tuple[tuple[Level, str], ...], named: bool) -> str:
    return "".join(f"(?P<{level.name}>{piece})?" if named else f"(?:{piece})?" for level, piece in levels)


# The schema's pattern (ECMA-262 and Python alike): one style, at least one level.
PATTERN = f"^(?!$)(?:{_chain(_OUTLINE, False)}|{_chain(_LEGAL, False)})$"
_PARSER = re.compile(f"(?!$)(?:{_chain(_OUTLINE, True)}|{_chain(_LEGAL, True)})")
_VALUES = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def _value(numeral: str) -> int:
    """十一 → 11, 一百零五 → 105, 12 → 12 (a numeral PATTERN accepts)."""
    if numeral.isascii():
        return int(numeral)
    total = current = 0
    for char in numeral:
        if char in _UNITS:
            total += (current or 1) * _UNITS[char]
            current = 0
        else:
            current = _VALUES[char]
    return total + current


@functools.lru_cache(maxsize=4096)
def parse(number: str) -> Path | None:
    """A clause number as a path of (level, number): 三(一)2 → ((OUTLINE_1, 3), (OUTLINE_2, 1),
    (OUTLINE_3, 2)); 第六条第二款 → ((ARTICLE, 6), (PARAGRAPH, 2)). None when it is not one."""
    found = _PARSER.fullmatch(number)
    if found is None:
        return None
    path = []
    for level in Level:
        token = found.group(level.name)
        if token is not None:
            numeral = token.strip("第编章节条款项目、.．()（）")
            path.append((level, _value(numeral)))
    return tuple(path)


def style(number: str) -> Literal["outline", "legal"] | None:
    """Which numbering a clause number is written in, None when it is not a clause number."""
    path = parse(number)
    if not path:
        return None
    return "outline" if path[0][0] < Level.PART else "legal"


def key(number: str) -> Hashable:
    """What two references to one clause share, whichever brackets or separators they are written
    with: 三(一)2 and 三（一）2, 第(一)项 and 第一项. A text that is no clause number is its own key."""
    path = parse(number)
    return path if path is not None else number


def same(a: str, b: str) -> bool:
    return key(a) == key(b)


def sort_key(number: str) -> tuple[int, tuple[tuple[int, int], ...], str]:
    """Document order: 第二条 before 第十条, 三(一)2 before 三(一)10 before 三(二), a clause before
    its parts; a text that is no clause number after every clause number."""
    path = parse(number)
    return (0, tuple((int(level), n) for level, n in path), "") if path is not None else (1, (), number)


def sort_text(number: str) -> str:
    """sort_key as text, for keys that are strings: compares as sort_key does."""
    rank, path, text = sort_key(number)
    return f"{rank}" + "".join(f"{level:02d}{n:06d}" for level, n in path) + text


def within(inner: str, outer: str) -> bool:
    """Whether clause `inner` lies within clause `outer` (a clause lies within itself): 第六条第二款
    within 第六条, 三(一)2 within 三(一). Only what the numbers say: 第三条 is not known to lie
    within 第二章, since articles are numbered through a whole text."""
    a, b = parse(inner), parse(outer)
    if a is None or b is None:
        return inner == outer
    return a[: len(b)] == b


def resolve(number: str, listed: Iterable[Any]) -> str | None:
    """The clause of a document's list that a reference names: the one written the same way (by
    key), else the nearest one it lies within that lists none of its parts (a paragraph-level
    citation, 第六条第二款 of a document that lists 第六条 only). A document that lists some parts
    of a clause lists them all, so a part it does not list (三(一)5 beside 三(一)1–3) names nothing."""
    return _resolve(number, tuple(n for n in listed if isinstance(n, str)))


@functools.lru_cache(maxsize=4096)
def _resolve(number: str, numbers: tuple[str, ...]) -> str | None:
    wanted = key(number)
    for candidate in numbers:
        if key(candidate) == wanted:
            return candidate
    enclosing = [c for c in numbers if within(number, c)]
    if not enclosing:
        return None
    nearest = max(enclosing, key=lambda c: len(parse(c) or ()))
    if any(within(c, nearest) and not same(c, nearest) for c in numbers):
        return None
    return nearest


def entry(cited: Any, entries: Any) -> dict[str, Any] | None:
    """The entry of a document's `clauses` list ({number, heading, text}) that a reference to clause
    `cited` names (resolve), None when none does or either is not what the schema says."""
    if not isinstance(cited, str) or not isinstance(entries, list):
        return None
    listed = [e for e in entries if isinstance(e, dict) and isinstance(e.get("number"), str)]
    number = resolve(cited, [e["number"] for e in listed])
    return next((e for e in listed if e["number"] == number), None)
