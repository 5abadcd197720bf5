from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from liandong.model.model import Model
from liandong.site.search_index import FOLDER, pairs, shard, title_index
from liandong.validation.pipeline import validate
from tests.helpers import REPO, make_repo


def test_pairs_are_the_overlapping_chinese_character_pairs() -> None:
    assert pairs("东兴市财政局") == {"东兴", "兴市", "市财", "财政", "政局"}
    assert pairs("2024年第1次会议 <b>") == {"年第", "次会", "会议"}  # digits and markup split the runs


SEARCH_JS = REPO / "site/javascripts/search.js"


def _js_function(source: str, name: str) -> str:
    """The text of `function NAME(…) { … }` in a script, up to its matching brace."""
    start = source.index(f"function {name}(")
    depth = 0
    for end in range(source.index("{", start), len(source)):
        depth += {"{": 1, "}": -1}.get(source[end], 0)
        if depth == 0:
            return source[start : end + 1]
    raise AssertionError(f"function {name} in {SEARCH_JS} does not end")


def _strings() -> list[str]:
    """A few hundred strings: Chinese pairs (what the search page looks up), CJK extension A, ASCII,
    other BMP text, characters beyond the BMP (two UTF-16 code units each) and mixtures, of every
    length up to 8, the empty string among them; no lone surrogates, which Python cannot encode."""
    pick = random.Random(11)
    ranges = {
        "cjk": [(0x4E00, 0x9FFF)],
        "cjk-ext-a": [(0x3400, 0x4DBF)],
        "ascii": [(0x20, 0x7E)],
        "bmp": [(0xA0, 0xD7FF), (0xE000, 0xFFFF)],
        "astral": [(0x10000, 0x10FFFF)],
        "cjk-ext-b": [(0x20000, 0x2A6DF)],
    }
    everything = [r for rs in ranges.values() for r in rs]

    def char(choices: list[tuple[int, int]]) -> str:
        low, high = pick.choice(choices)
        return chr(pick.randint(low, high))

    found = ["", "东兴", "ab", "东", "a", "𠀀", "𠀀𠀁", "东兴市财政局", "\u3400\u9fff", "\U0010ffff", "\uffff", "\x00", "🙂联动", "年第"]
    for choices in [*ranges.values(), everything]:
        found += ["".join(char(choices) for _ in range(length)) for length in [2] * 25 + list(range(9)) * 3]
    return found


@pytest.mark.browser
def test_shards_match_the_search_page_hash_in_chromium(browser: Any) -> None:
    """search.js's own shard(), run in Chromium, against search_index.shard for the same strings."""
    source = SEARCH_JS.read_text(encoding="utf-8")
    assert "shard(run.slice(0, 2))" in source, "search.js no longer looks titles up with shard(): update this test"
    strings = _strings()
    assert len(strings) >= 300 and "" in strings and any(len(s.encode("utf-16-le")) > 2 * len(s) for s in strings)
    page = browser.new_page()
    try:
        in_browser = page.evaluate("([source, strings]) => strings.map(new Function(source + '\\nreturn shard;')())", [_js_function(source, "shard"), strings])
    finally:
        page.close()
    assert [(s, js) for s, js in zip(strings, in_browser) if js != shard(s)] == []
    assert len(set(in_browser)) > 150  # the strings reach most of the 256 shards


def test_every_public_title_is_in_the_shard_of_each_of_its_pairs_and_nothing_internal(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", REPO / "tests/golden/registry")
    result = validate(root)
    full = Model.build(result.schemas, result.valid)
    model = full.public()
    files = {path: json.loads(data) for path, data in title_index(model).items()}
    for item in model.items.values():
        for pair in pairs(item.title):
            assert [item.url, item.title, item.type_label, item.status_label] in files[f"{FOLDER}/{shard(pair)}.json"]
    hidden = [i for i in full.items.values() if not i.public]
    assert hidden and not [i for i in hidden for entries in files.values() for e in entries if e[0] == i.url]
