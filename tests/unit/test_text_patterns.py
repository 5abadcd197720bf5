"""The text definitions of schemas/common.schema.json refuse characters by Unicode category.

JSON Schema patterns cannot name a category in a way both validators read (jsonschema-rs and
python-jsonschema), so the patterns list the code points; these tests derive the intended sets from
Python's Unicode database and check the patterns against every code point, with both validators:

- one-line text (short_text: titles, names): no Cc, Cf, Zl, Zp, except U+200C ZWNJ and U+200D ZWJ
  between two characters that are not spaces (Persian words, emoji sequences, Indic conjuncts);
- multi-line text (text, markdown, a clause's text): line breaks and tabs, but no other Cc, no
  Zl/Zp, and none of the bidi embedding, override and isolate controls U+202A–U+202E, U+2066–U+2069
  ("Trojan source": what reviewers see is not what was written);
- every free text has at least one character that is not invisible (spaces, Cc, Cf, Zl, Zp, and
  characters that display as nothing, such as U+3164 HANGUL FILLER).

A pattern may also refuse code points that this Python's Unicode version leaves unassigned (Cn):
newer versions add format controls (U+13439–U+1343F in Unicode 15). When a test names missing code
points, add them to the patterns in schemas/common.schema.json and schemas/documents.schema.json.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections.abc import Iterator
from functools import cache
from typing import Any

import jsonschema_rs
import pytest

from liandong.validation.messages import _show

from ..helpers import REPO

JOINERS = {0x200C, 0x200D}
BIDI = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))
# Characters of other categories that display as nothing: Hangul fillers, the blank Braille
# pattern, the combining grapheme joiner, Khmer inherent vowels, Mongolian and other variation selectors.
BLANKS = {0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800, 0x034F, 0x17B4, 0x17B5, 0x180B, 0x180C, 0x180D, 0x180F}
BLANKS |= set(range(0xFE00, 0xFE10)) | set(range(0xE0100, 0xE01F0))
CODE_POINTS = [c for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
EVERY_CHARACTER = "".join(map(chr, CODE_POINTS))
ASSIGNABLE = frozenset(CODE_POINTS)


@cache
def category(name: str) -> frozenset[int]:
    return frozenset(c for c in CODE_POINTS if unicodedata.category(chr(c)) == name)


def controls() -> set[int]:
    return set(category("Cc") | category("Cf") | category("Zl") | category("Zp"))


def intended() -> dict[str, set[int]]:
    return {
        "one-line": controls() - JOINERS,
        "multi-line": (set(category("Cc")) - {0x09, 0x0A}) | category("Zl") | category("Zp") | BIDI,
        "url": controls(),
        "invisible": controls() | category("Zs") | BLANKS,
    }


@cache
def common() -> dict[str, Any]:
    return json.loads((REPO / "schemas" / "common.schema.json").read_text(encoding="utf-8"))["$defs"]  # type: ignore[no-any-return]


def patterns() -> dict[str, str]:
    """The character class each rule is written as in the schema."""
    one_line = common()["short_text"]["not"]["pattern"]
    refused, bar, _joiner_rules = one_line.partition("]|")
    assert bar, "short_text's `not` pattern should be a class of refused characters, then the joiner rules"
    return {
        "one-line": refused + "]",
        "multi-line": common()["text"]["not"]["pattern"],
        "url": common()["url"]["not"]["pattern"],
        "invisible": common()["short_text"]["pattern"].replace("[^", "[", 1),
    }


def _names(code_points: set[int]) -> str:
    shown = sorted(code_points)[:12]
    return "、".join(f"U+{c:04X} {unicodedata.name(chr(c), unicodedata.category(chr(c)))}" for c in shown) + ("…" if len(code_points) > 12 else "")


@pytest.mark.parametrize("rule", ["one-line", "multi-line", "url", "invisible"])
def test_each_pattern_holds_exactly_the_intended_code_points(rule: str) -> None:
    matched = {ord(m) for m in re.findall(patterns()[rule], EVERY_CHARACTER)}
    wanted = intended()[rule]
    assert not wanted - matched, f"{rule}: the pattern lets through {_names(wanted - matched)}"
    extra = matched - wanted - category("Cn")
    assert not extra, f"{rule}: the pattern also refuses {_names(extra)}"


def _samples(code_points: set[int]) -> Iterator[int]:
    """The code points of a set, their neighbours, and a spread of all the others."""
    near = {c + d for c in code_points for d in (-1, 0, 1)} & ASSIGNABLE
    yield from sorted(near | set(CODE_POINTS[::97]))


def _fast(schema: dict[str, Any]) -> Any:
    return jsonschema_rs.validator_for(schema)


@pytest.mark.parametrize("definition", ["short_text", "text", "markdown", "url"])
def test_jsonschema_rs_reads_the_patterns_as_python_does(definition: str) -> None:
    """The fast validator decides; the detailed one (python-jsonschema, Python's re) explains.
    They must agree on every character, or a record would fail without a message."""
    node = {k: v for k, v in common()[definition].items() if k in ("type", "pattern", "not")}
    fast = _fast(node)
    checked = set(intended()["one-line"] | intended()["multi-line"] | intended()["invisible"] | JOINERS)
    for code in _samples(checked):
        for value in (chr(code), f"a{chr(code)}b", f"https://a.cn/{chr(code)}"):
            by_python = re.search(node["pattern"], value) is not None and re.search(node["not"]["pattern"], value) is None
            assert fast.is_valid(value) == by_python, f"{definition}: U+{code:04X} in {value!r}"


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        ("می\u200cخواهم", True),
        ("👨\u200d👩\u200d👧", True),
        ("क्\u200dष", True),
        ("❤\ufe0f\u200d🔥", True),
        ("a\u200c\u200db", True),
        ("\u200da", False),
        ("a\u200c", False),
        ("a \u200db", False),
        ("a\u200d b", False),
        ("\u3000\u200c甲", False),
        ("\u200d", False),
        ("甲\u200d\u3000", False),
    ],
)
def test_joiners_are_accepted_only_inside_text(value: str, accepted: bool) -> None:
    node = {k: v for k, v in common()["short_text"].items() if k in ("type", "pattern", "not")}
    assert _fast(node).is_valid(value) is accepted
    assert (re.search(node["not"]["pattern"], value) is None) is accepted


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        ("甲单位", True),
        (" 甲单位 ", True),
        ("A", True),
        ("\u0301", True),  # a lone combining mark is seen
        ("", False),
        (" ", False),
        ("\u3000\u3000", False),
        ("\u3164", False),
        ("\u2800", False),
        ("\ufe0f", False),
    ],
)
def test_text_must_have_a_visible_character(value: str, accepted: bool) -> None:
    assert (re.search(common()["short_text"]["pattern"], value) is not None) is accepted
    assert _fast({"type": "string", "pattern": common()["markdown"]["pattern"]}).is_valid(value) is accepted


def _string_nodes(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        if node.get("type") == "string":
            yield where, node
        for key, child in node.items():
            yield from _string_nodes(child, f"{where}/{key}")
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _string_nodes(child, f"{where}/{index}")


def test_every_free_text_field_uses_the_same_rules() -> None:
    """A string is an enumeration, a code with its own pattern, or free text; free text (the one
    with the visible-character pattern) refuses with one of the two `not` patterns, and nothing else
    in the schemas refuses characters another way."""
    visible = common()["short_text"]["pattern"]
    refusing = {common()["short_text"]["not"]["pattern"], common()["text"]["not"]["pattern"]}
    url = common()["url"]["not"]["pattern"]
    for file in sorted((REPO / "schemas").glob("*.schema.json")):
        for where, node in _string_nodes(json.loads(file.read_text(encoding="utf-8")), file.name):
            if where.endswith("/not"):
                continue
            assert "enum" in node or "const" in node or "pattern" in node, f"{where}: a string without enum or pattern"
            if node.get("pattern") == visible:
                assert node.get("not", {}).get("pattern") in refusing, f"{where}: free text without the `not` pattern"
                assert node["not"].get("type") == "string", f"{where}: `not` must only judge strings"
            elif "not" in node:
                assert node["not"] == {"type": "string", "pattern": url}, where


def test_messages_show_invisible_characters_escaped() -> None:
    for code in sorted(intended()["one-line"] | JOINERS | category("Cn"))[::7]:
        shown = _show(f"甲{chr(code)}乙")
        assert shown.startswith("甲") and shown.endswith("乙") and shown[1:-1].isascii(), f"U+{code:04X}"
