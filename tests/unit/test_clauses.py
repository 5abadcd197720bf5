"""Clause numbers (model/clauses.py): parsed into paths, sorted in document order, one within
another, compared regardless of brackets; the schema's pattern accepts exactly what the parser does."""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liandong.model import clauses
from liandong.model.clauses import Level

from ..helpers import REPO

SCHEMA_PATTERN = json.loads((REPO / "schemas/common.schema.json").read_text(encoding="utf-8"))["$defs"]["clause"]["pattern"]
DIGITS = "零一二三四五六七八九"


def chinese(n: int) -> str:
    """1–9999 in Chinese numerals as texts write them (十一, 一百零五, 一千零二十), written
    independently of the module under test."""
    assert 0 < n < 10000
    parts = [(n // 1000, "千"), (n // 100 % 10, "百"), (n // 10 % 10, "十"), (n % 10, "")]
    out = ""
    zero = False
    for digit, unit in parts:
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += ("" if (digit == 1 and unit == "十" and not out) else DIGITS[digit]) + unit
    return out


def test_the_schema_pattern_is_the_modules() -> None:
    assert SCHEMA_PATTERN == clauses.PATTERN


@pytest.mark.parametrize(
    ("number", "path"),
    [
        ("三(一)2", ((Level.OUTLINE_1, 3), (Level.OUTLINE_2, 1), (Level.OUTLINE_3, 2))),
        ("三（一）2", ((Level.OUTLINE_1, 3), (Level.OUTLINE_2, 1), (Level.OUTLINE_3, 2))),
        ("三(三)", ((Level.OUTLINE_1, 3), (Level.OUTLINE_2, 3))),
        ("四", ((Level.OUTLINE_1, 4),)),
        ("三、", ((Level.OUTLINE_1, 3),)),
        ("二十一(十一)3.(2)", ((Level.OUTLINE_1, 21), (Level.OUTLINE_2, 11), (Level.OUTLINE_3, 3), (Level.OUTLINE_4, 2))),
        ("（一）", ((Level.OUTLINE_2, 1),)),
        ("第三条", ((Level.ARTICLE, 3),)),
        ("第六条第二款", ((Level.ARTICLE, 6), (Level.PARAGRAPH, 2))),
        ("第二章", ((Level.CHAPTER, 2),)),
        ("第二章第三条", ((Level.CHAPTER, 2), (Level.ARTICLE, 3))),
        ("第二章第三条第一款第二项", ((Level.CHAPTER, 2), (Level.ARTICLE, 3), (Level.PARAGRAPH, 1), (Level.ITEM, 2))),
        ("第一编第一章第一节第一条", ((Level.PART, 1), (Level.CHAPTER, 1), (Level.SECTION, 1), (Level.ARTICLE, 1))),
        ("第十一条", ((Level.ARTICLE, 11),)),
        ("第二十三条", ((Level.ARTICLE, 23),)),
        ("第一百零五条", ((Level.ARTICLE, 105),)),
        ("第一千二百六十条", ((Level.ARTICLE, 1260),)),
        ("第三条第（一）项第1目", ((Level.ARTICLE, 3), (Level.ITEM, 1), (Level.SUBITEM, 1))),
        ("第三十条第一款第(二)项", ((Level.ARTICLE, 30), (Level.PARAGRAPH, 1), (Level.ITEM, 2))),
    ],
)
def test_a_number_parses_into_its_path(number: str, path: clauses.Path) -> None:
    assert clauses.parse(number) == path
    assert re.search(clauses.PATTERN, number)


@pytest.mark.parametrize(
    "nonsense",
    [
        "",
        "第条",
        "第款",
        "三((一))",
        "三(一）",
        "三（一)",
        "第6条",  # regulations number articles in Chinese numerals
        "第二款第六条",  # upwards
        "第六条第六条",
        "三(一)(二)",
        "1三",
        "十十",
        "零",
        "一百零十",
        "第十条之一",  # not supported (yet)
        "三(一)01",
        "第三条(一)",  # styles mixed
        "三 (一)",
        "Article 6",
        "第三条\n",
    ],
)
def test_nonsense_is_refused(nonsense: str) -> None:
    assert clauses.parse(nonsense) is None
    assert clauses.style(nonsense) is None
    assert not re.fullmatch(clauses.PATTERN, nonsense)


@pytest.mark.parametrize("n", [*range(1, 130), 200, 305, 999, 1000, 1005, 1010, 1260, 9999])
def test_chinese_numerals_read_as_their_value(n: int) -> None:
    assert clauses.parse(f"第{chinese(n)}条") == ((Level.ARTICLE, n),)
    assert clauses.parse(chinese(n)) == ((Level.OUTLINE_1, n),)


def test_lists_sort_in_document_order() -> None:
    assert sorted(["第十条", "第二条第一款", "第二条", "第一百条", "第二十条"], key=clauses.sort_key) == [
        "第二条",
        "第二条第一款",
        "第十条",
        "第二十条",
        "第一百条",
    ]
    outline = ["三(二)", "三(一)10", "四", "三(一)2", "三(一)", "三", "十一", "二"]
    assert sorted(outline, key=clauses.sort_key) == ["二", "三", "三(一)", "三(一)2", "三(一)10", "三(二)", "四", "十一"]
    assert sorted(outline, key=clauses.sort_text) == sorted(outline, key=clauses.sort_key)


def test_within() -> None:
    assert clauses.within("第六条第二款", "第六条")
    assert clauses.within("三(一)2", "三(一)")
    assert clauses.within("三（一）2", "三(一)")
    assert clauses.within("三(一)2", "三")
    assert clauses.within("第六条", "第六条")  # a clause lies within itself
    assert not clauses.within("第六条", "第六条第二款")
    assert not clauses.within("第十六条第二款", "第六条")
    assert not clauses.within("三(一)2", "三(二)")
    assert not clauses.within("三(一)12", "三(一)1")
    assert not clauses.within("第三条", "第二章")  # articles are numbered through the whole text


def test_references_compare_regardless_of_brackets() -> None:
    assert clauses.same("三(一)2", "三（一）2")
    assert clauses.same("三、", "三")
    assert clauses.same("第三条第(一)项", "第三条第（一）项")
    assert clauses.same("第三条第(一)项", "第三条第一项")
    assert clauses.key("三(一)2") == clauses.key("三（一）2")
    assert not clauses.same("三(一)2", "三(一)")
    assert not clauses.same("第二条", "第二款")
    assert clauses.same("not a clause", "not a clause") and not clauses.same("a", "b")


def test_a_reference_resolves_to_the_clause_the_document_lists() -> None:
    articles = ["第一章", "第五条", "第六条", "第七条"]
    assert clauses.resolve("第六条第二款", articles) == "第六条"  # a paragraph-level citation
    assert clauses.resolve("第六条", articles) == "第六条"
    assert clauses.resolve("第八条", articles) is None
    outline = ["三", "三(一)", "三(一)1", "三(一)2", "三(二)"]
    assert clauses.resolve("三（一）1", outline) == "三(一)1"
    assert clauses.resolve("三(一)5", outline) is None  # 三(一) lists its parts: there is no 5
    assert clauses.resolve("三(二)1", outline) == "三(二)"
    assert clauses.resolve("第六条第二款", ["第六条", "第六条第一款"]) is None
    entries = [{"number": "第六条", "heading": "h", "text": "t"}, "junk"]
    assert clauses.entry("第六条第二款", entries) == entries[0]
    assert clauses.entry("第七条", entries) is None
    assert clauses.entry(None, entries) is None


ALPHABET = "一二三四五六七八九十百千零第编章节条款项目()（）、.1209"


@given(st.text(alphabet=ALPHABET, max_size=12))
def test_the_pattern_accepts_exactly_what_parses(text: str) -> None:
    assert (clauses.parse(text) is not None) == bool(re.search(clauses.PATTERN, text))


@given(st.lists(st.tuples(st.sampled_from(list(Level)), st.integers(1, 9999)), min_size=1, max_size=4))
def test_every_path_written_out_parses_back(pairs: list[tuple[Level, int]]) -> None:
    """A chain of levels in order, written as a text writes it, parses to its path and sorts by it."""
    levels = sorted({level for level, _ in pairs})
    if levels[0] < Level.PART:
        levels = [v for v in levels if v < Level.PART]
    else:
        levels = [v for v in levels if v >= Level.PART]
    numbers = dict(pairs)
    path = tuple((level, numbers[level]) for level in levels)
    words = {Level.PART: "编", Level.CHAPTER: "章", Level.SECTION: "节", Level.ARTICLE: "条", Level.PARAGRAPH: "款", Level.ITEM: "项", Level.SUBITEM: "目"}
    written = ""
    for level, n in path:
        if level == Level.OUTLINE_1:
            written += chinese(n)
        elif level == Level.OUTLINE_2:
            written += f"（{chinese(n)}）"
        elif level == Level.OUTLINE_3:
            written += str(n)
        elif level == Level.OUTLINE_4:
            written += f"({n})"
        else:
            written += f"第{chinese(n)}{words[level]}"
    assert clauses.parse(written) == path
    assert re.search(clauses.PATTERN, written)
    assert clauses.within(written, written)
    assert clauses.style(written) == ("outline" if path[0][0] < Level.PART else "legal")


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js, whose regular expressions editors use")
def test_editors_read_the_pattern_as_python_does() -> None:
    """Editors check the pattern as ECMA-262 (with the u flag): the same strings pass."""
    rng = random.Random(19)
    samples = ["三(一)2", "第六条第二款", "第三条第（一）项第1目", "第6条", "三((一))", "", "第一百零五条", "一十一", "三、(一)1.(2)"]
    samples += ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 10))) for _ in range(3000)]
    script = (
        "const [p, s] = JSON.parse(require('fs').readFileSync(0, 'utf8')); const r = new RegExp(p, 'u'); console.log(JSON.stringify(s.map(x => r.test(x))));"
    )
    done = subprocess.run(["node", "-e", script], input=json.dumps([SCHEMA_PATTERN, samples]), capture_output=True, text=True, timeout=60, check=True)
    assert json.loads(done.stdout) == [clauses.parse(x) is not None for x in samples]
