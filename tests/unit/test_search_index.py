"""The name index (src/liandong/site/search_index.py): what it files each name under, and that
search.js computes the same keys, shards and spellings (run in Chromium against Python's)."""

from __future__ import annotations

import datetime
import gzip
import json
import random
import re
from pathlib import Path
from typing import Any

import pytest

from liandong.model.model import Model
from liandong.model.status import Status
from liandong.site import search_index
from liandong.site.search_index import (
    LIMIT,
    MANIFEST,
    cjk_keys,
    fold,
    latin,
    latin_keys,
    lookup,
    name_index,
    names,
    shard,
    shard_count,
    syllables,
    t2s_map,
)
from liandong.validation.pipeline import validate
from tests.helpers import REPO, make_repo

SEARCH_JS = REPO / "site/javascripts/search.js"
TODAY = datetime.date(2026, 11, 25)


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Model, Model]:
    """The bundled registry's full and public models."""
    root = make_repo(tmp_path_factory.mktemp("names") / "repo", REPO / "registry")
    result = validate(root)
    full = Model.build(result.schemas, result.valid)
    return full, full.public()


@pytest.fixture(scope="module")
def index(bundled: tuple[Model, Model]) -> dict[str, Any]:
    """The public name index: path → decoded content, and the manifest's map as "t2s"."""
    model = bundled[1]
    files = name_index(model, Status(model, TODAY))
    decoded: dict[str, Any] = {path: json.loads(gzip.decompress(data) if path.endswith(".gz") else data) for path, data in files.items()}
    manifest = decoded[MANIFEST]
    decoded["t2s"] = dict(zip(manifest["t"], manifest["s"]))
    return decoded


def found(index: dict[str, Any], query: str) -> list[tuple[str, str]]:
    """(url, title) of the records the files of `query`'s keys list under those keys, best first
    as filed (search.js checks the whole query against their names and ranks them again)."""
    asked = lookup(query, index["t2s"])
    rows: list[tuple[str, str]] = []
    for path in asked.files(index[MANIFEST]):
        file = index.get(path, {"k": {}, "r": []})
        for key in asked.keys:
            for n in file["k"].get(key, [0])[1:]:
                row = (file["r"][n][0], file["r"][n][1])
                if row not in rows:
                    rows.append(row)
    return rows


# -- spelling --------------------------------------------------------------------------------------


def test_fold_is_nfkc_simplified_lower_case_without_spaces() -> None:
    t2s = {"東": "东", "財": "财", "聯": "联"}
    assert fold("東兴市 財政局", t2s) == "东兴市财政局"
    assert fold("ＡＢＣ　公司\u30002026", {}) == "abc公司2026"  # full-width letters and spaces
    assert fold("聯\ufeff席", t2s) == "联席"


def test_latin_drops_tones_diacritics_and_everything_but_letters_and_digits() -> None:
    assert latin("Móng Cái") == "mongcai"
    assert latin("Liánxí huìyì") == latin("lianxi huiyi") == "lianxihuiyi"
    assert latin("Lǜ, lü or lv") == "lvlvorlv"  # pinyin spells ü as v
    assert latin("Đông Hưng") == "donghung"
    assert latin("xi'an 2026") == "xian2026"


def test_syllables_read_the_name_with_its_latin_words_and_numbers() -> None:
    assert syllables("联席会议") == ["lian", "xi", "hui", "yi"]
    assert syllables("重大事项") == ["zhong", "da", "shi", "xiang"]  # the reading the phrase gives
    assert syllables("绿色ABC〔2019〕63号") == ["lv", "se", "abc", "2019", "63", "hao"]


def test_chinese_keys_are_every_run_of_one_to_four_and_the_longer_prefixes() -> None:
    keys = cjk_keys("东兴市财政局")
    assert {k for k in keys if not k.startswith("^")} == {"东兴市财政局"[i : i + n] for n in range(1, 5) for i in range(7 - n)}
    assert {k for k in keys if k.startswith("^")} == {"^东兴市财政", "^东兴市财政局"}
    assert (keys["东兴"], keys["财政"], keys["^东兴市财政"], keys["^东兴市财政局"]) == (1, 2, 1, 0)
    assert cjk_keys("东兴")["东兴"] == 0
    assert "2026" not in cjk_keys("2026年") and "26年" in cjk_keys("2026年")  # a key holds a Chinese character
    assert max(len(k) for k in cjk_keys("一" * 40)) == 1 + search_index.CARET_LONGEST


def test_pinyin_keys_start_at_syllables_and_run_through_initials() -> None:
    keys = latin_keys(["lian", "xi", "hui", "yi"])
    assert {"li", "lian", "lianxi", "xi", "xihu", "xihuiy", "hu", "huiy", "yi"} <= set(keys)
    assert {"lx", "lxhy", "xh", "hy"} <= set(keys)
    assert not {"ia", "an", "ianx"} & set(keys)  # not from inside a syllable
    assert (keys["li"], keys["hu"], keys["lxhy"], keys["xh"]) == (1, 2, 0, 2)


def test_t2s_map_has_the_traditional_forms_of_the_characters_used() -> None:
    found = t2s_map(["联席会议", "发展\n头发", "东兴", "签收"])
    assert {found["聯"], found["會"], found["議"], found["東"], found["興"]} == {"联", "会", "议", "东", "兴"}
    assert found["發"] == found["髮"] == "发"  # 發展 and 頭髮: each line's own form
    assert found["簽"] == found["籤"] == "签"  # 簽收, and 籤 alone
    assert "联" not in found and "席" not in found  # what does not change is left out
    assert "國" not in found  # only the characters the records use


def test_shard_count_gives_about_eight_keys_a_file() -> None:
    assert [shard_count(n) for n in (0, 100, 129, 1000, 10**6)] == [16, 16, 32, 128, search_index.MAX_SHARDS]


# -- the bundled registry ----------------------------------------------------------------------


def test_names_are_the_title_short_name_other_names_and_document_number(bundled: tuple[Model, Model]) -> None:
    _, model = bundled
    assert names(model.items["mech-joint-meeting"])[:2] == ["重大事项部门协调联动推进工作联席会议", "重大事项联席会议"]
    assert names(model.items["org-dxsyq-committee"])[:2] == ["广西东兴重点开发开放试验区管理委员会", "东兴试验区管委会"]
    assert names(model.items["doc-guizhengbanfa-2019-63"])[1] == "桂政办发〔2019〕63号"


def test_every_name_finds_its_record_in_chinese_traditional_pinyin_and_initials(bundled: tuple[Model, Model], index: dict[str, Any]) -> None:
    """Each name of each public record, as written, in traditional characters (OpenCC s2tw), as
    pinyin and as initials, is under the keys search.js looks it up by, unless more than LIMIT
    better-ranked records share those keys."""
    import opencc

    _, model = bundled
    traditional = opencc.OpenCC("s2tw.json")
    missing = []
    for item in model.items.values():
        for name in names(item):
            words = syllables(name)
            queries = [name, traditional.convert(name), " ".join(words), "".join(w[0] for w in words)]
            for query in queries:
                if query.strip() and not any(url == item.url for url, _ in found(index, query)):
                    missing.append((item.id, query))
    assert missing == []


def test_a_record_is_found_by_the_names_of_its_translations(bundled: tuple[Model, Model], index: dict[str, Any]) -> None:
    """#16: Vietnamese and English names, typed with or without their diacritics."""
    _, model = bundled
    committee = model.items["org-example-mongcai-committee"]
    assert names(committee)[2:] == ["Ủy ban nhân dân thành phố Móng Cái", "UBND TP Móng Cái", "Mong Cai City People's Committee"]
    for query in ("Móng Cái", "Mong Cai", "mong cai", "UBND", "Mong Cai City"):
        assert committee.url in [url for url, _ in found(index, query)][:3], query


def test_the_opinion_is_found_by_a_two_character_word_of_its_title(index: dict[str, Any]) -> None:
    assert "documents/doc-kuahequ-liandong-opinion/" in [url for url, _ in found(index, "芒街")]


def test_nothing_internal_is_in_the_name_index(bundled: tuple[Model, Model], index: dict[str, Any]) -> None:
    full, _ = bundled
    hidden = {i.url for i in full.items.values() if not i.public} | {i.title for i in full.items.values() if not i.public}
    assert hidden
    text = json.dumps([v for k, v in index.items() if k != "t2s"], ensure_ascii=False)
    assert [h for h in hidden if f'"{h}"' in text] == []


def test_a_row_carries_the_labels_and_derived_codes(index: dict[str, Any]) -> None:
    rows = {row[0]: (file["l"][row[2]], row[3]) for path, file in index.items() if path.startswith(search_index.NAMES) for row in file["r"]}
    label, shown = rows["tasks/task-0013/"]
    assert label[:2] == ["督办任务", "办理中"] and "overdue" in label[2]
    assert shown == [""]  # the title, as written
    assert rows["mechanisms/mech-joint-meeting/"][1][:2] == ["", "重大事项联席会议"]  # then its translated names


def test_the_records_in_each_derived_state_are_filed_longest_first(bundled: tuple[Model, Model], index: dict[str, Any]) -> None:
    _, model = bundled
    status = Status(model, TODAY)
    stale = sorted((i for i in model.items.values() if "stale" in status.codes(i)), key=lambda i: i.url)
    assert len(stale) > 1
    days = {i.url: int(next(b.label for b in status.badges(i) if b.code == "stale").split(" ")[0]) for i in stale}
    file = index[f"{search_index.NAMES}/{shard('~stale', index[MANIFEST]['names'])}.json.gz"]
    refs = file["k"]["~stale"]
    assert refs[0] == len(stale)
    assert [file["r"][n][0] for n in refs[1:]] == sorted(days, key=lambda url: (-days[url], url))


def test_a_key_keeps_its_best_records_and_their_number(tmp_path: Path) -> None:
    """More records than LIMIT under one key: the exact name, then names starting with it, then
    the shortest that contain it; the file says how many there are."""
    root = make_repo(tmp_path / "repo", REPO / "registry")
    result = validate(root)
    model = Model.build(result.schemas, result.valid).public()
    # Shape a model by hand: titles that all contain 联络.
    items = sorted(model.items.values(), key=lambda i: i.url)
    assert len(items) > LIMIT + 2
    titles = ["联络"] + [f"联络{'处' * n}" for n in range(1, 3)] + [f"{'甲' * n}联络" for n in range(1, len(items) - 2)]
    for item, title in zip(items, titles):
        item.record.data["title"] = title
        for field in (*search_index.NAME_FIELDS[1:], "translations", "example"):
            item.record.data.pop(field, None)
    files = name_index(model)
    manifest = json.loads(files[MANIFEST])
    file = json.loads(gzip.decompress(files[f"{search_index.NAMES}/{shard('联络', manifest['names'])}.json.gz"]))
    refs = file["k"]["联络"]
    assert refs[0] == len(items) and len(refs) == 1 + LIMIT
    assert [file["r"][n][1] for n in refs[1:4]] == ["联络", "联络处", "联络处处"]
    assert [len(file["r"][n][1]) for n in refs[4:]] == sorted(len(file["r"][n][1]) for n in refs[4:])


def test_the_files_are_the_same_bytes_every_build(bundled: tuple[Model, Model]) -> None:
    _, model = bundled
    assert name_index(model, Status(model, TODAY)) == name_index(model, Status(model, TODAY))


# -- search.js ------------------------------------------------------------------------------------


def _lookup_block() -> str:
    """search.js's name-index functions: the `var lookup = …` between its <lookup> markers."""
    source = SEARCH_JS.read_text(encoding="utf-8")
    found = re.search(r"// <lookup>.*?\n(.*?)\n\s*// </lookup>", source, re.S)
    assert found, f"{SEARCH_JS} no longer marks its name-index functions with // <lookup> … // </lookup>"
    return found.group(1)


def _run(browser: Any, script: str, argument: Any) -> Any:
    """`script` (a function of `lookup` and `argument`) evaluated in Chromium with search.js's lookup."""
    page = browser.new_page()
    try:
        return page.evaluate(f"(argument) => {{ {_lookup_block()}\n return ({script})(lookup, argument); }}", argument)
    finally:
        page.close()


def _strings() -> list[str]:
    """A few hundred strings: Chinese keys (what the search page looks up), CJK extension A, ASCII,
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

    found = ["", "东兴", "ab", "东", "a", "𠀀", "𠀀𠀁", "东兴市财政局", "^东兴市财政局", "\u3400\u9fff", "\U0010ffff", "\uffff", "\x00", "🙂联动", "lxhy"]
    for choices in [*ranges.values(), everything]:
        found += ["".join(char(choices) for _ in range(length)) for length in [2] * 25 + list(range(9)) * 3]
    return found


QUERIES = [
    "东兴市财政局", "東興市財政局", "东兴市 财政局", "  联席会议 ", "聯席會議", "联席会议制度建设工作", "芒街", "芒", "检查周",
    "2026年第三季度重大事项联席会议", "2026年第", "ABC公司", "ＡＢＣ公司", "桂政办发〔2019〕63号", "关于建立推进中国东兴—越南芒街跨境经济合作区东兴园区",
    "lianxi huiyi", "Liánxí Huìyì", "lxhy", "LXHY", "l", "lx", "lxh", "dongxingshicaizhengju", "xi'an", "Lǚ", "Móng Cái", "Đông Hưng",
    "joint meeting", "2026", "63", "", "   ", "!!", "𠀀𠀁𠀂𠀃𠀄", "a联", "🙂联动",
]  # fmt: skip


@pytest.mark.browser
def test_shards_match_the_search_page_hash_in_chromium(browser: Any) -> None:
    """search.js's shard(), run in Chromium, against search_index.shard for the same strings."""
    strings = _strings()
    assert len(strings) >= 300 and "" in strings and any(len(s.encode("utf-16-le")) > 2 * len(s) for s in strings)
    for count in (16, 512, 4096):
        in_browser = _run(browser, "(lookup, a) => a.strings.map(s => lookup.shard(s, a.count))", {"strings": strings, "count": count})
        assert [(s, js) for s, js in zip(strings, in_browser) if js != shard(s, count)] == [], count
        assert len(set(in_browser)) > min(count, 150) * 0.9  # the strings reach most shards


@pytest.mark.browser
def test_keys_fold_and_latin_match_the_search_page_in_chromium(browser: Any, index: dict[str, Any]) -> None:
    """search.js's keys(), fold() and latin() give what search_index's lookup(), fold() and latin()
    give, with the bundled site's traditional map."""
    t2s = index["t2s"]
    in_browser = _run(
        browser,
        "(lookup, a) => a.queries.map(q => [lookup.keys(q, a.t2s), lookup.fold(q, a.t2s), lookup.latin(q), lookup.simplified(q, a.t2s)])",
        {"queries": QUERIES, "t2s": t2s},
    )
    expected = []
    for query in QUERIES:
        asked = lookup(query, t2s)
        keys = {"folder": asked.folder.rsplit("/", 1)[1], "term": asked.term, "keys": list(asked.keys)}
        expected.append([keys, fold(query, t2s), latin(query), "".join(t2s.get(c, c) for c in query)])
    assert [(q, js, py) for q, js, py in zip(QUERIES, in_browser, expected) if js != py] == []


def test_an_example_ranks_after_every_real_record(tmp_path: Path) -> None:
    """Examples are never facts: under a key, an example whose name is exactly the query comes
    after a real record that only contains it, and its row says it is an example."""
    root = make_repo(tmp_path / "repo", REPO / "registry")
    result = validate(root)
    model = Model.build(result.schemas, result.valid).public()
    real = next(i for i in model.items.values() if not i.example and i.type == "tasks")
    example = next(i for i in model.items.values() if i.example)
    real.record.data["title"], example.record.data["title"] = "关于某某联络事项的长名称", "联络"
    files = name_index(model)
    manifest = json.loads(files[MANIFEST])
    file = json.loads(gzip.decompress(files[f"{search_index.NAMES}/{shard('联络', manifest['names'])}.json.gz"]))
    urls = [file["r"][n][0] for n in file["k"]["联络"][1:]]
    assert urls.index(real.url) < urls.index(example.url)
    flags = {file["r"][n][0]: file["l"][file["r"][n][2]][3:] for n in file["k"]["联络"][1:]}
    assert flags[example.url] == [1] and flags[real.url] == []
