"""The name index: every record's names, looked up by what people type, for search.js.

Pagefind splits Chinese into words when it indexes a page but cannot split a query the same way,
so a full name typed as one word (某市财政局) finds nothing; and it ranks a page that quotes a
name (every unit page quotes the opinion's title) as high as the record that bears it. The search
page therefore looks the query up here as well, and lists the records whose own name matches it —
the exact name, then names starting with it, then names containing it — above Pagefind's results.

A record's names are its title, short name, other names and document number (NAME_FIELDS), and
the title and short name of its translations (TRANSLATED_NAME_FIELDS),
compared folded (fold(): NFKC, traditional characters as simplified, lower case, no spaces).
Each name is filed under keys, each key in one small file chosen by a hash both sides compute:

- Chinese, in search/names/: every run of 1–4 characters of the name that holds a Chinese
  character, and "^" + each prefix of 5–16 characters. A query of up to 4 characters is a key
  itself; a longer one looks up its first 4-character window and "^" + its first 16 characters.
- Pinyin and initials, in search/pinyin/: 2, 4 and 6 letters of the name's toneless pinyin from
  each syllable start (lianxi… for 联席会议) and 2, 4 and 6 of its consecutive initials (lxhy).
  Letters and digits in a name (Latin names, ABC, 2026) are words of their own. A query looks up
  its first 2, 4 or 6 letters, the longest it has.
- Derived states, in search/names/: STATE + a code (~overdue) lists the records in that state,
  those longest in it first, for the search page's 办理情况 filter and its words (逾期, 未签收:
  templates/_search.html.j2 pairs each code with its word).
- Traditional characters: search/lookup.json maps every traditional form (OpenCC's s2t, s2tw,
  s2hk) of the characters the published records use to the simplified one; the search page
  converts the query with it first, for Pagefind as well.

A key keeps its LIMIT best records (ranked as above, then shorter names first) and how many it
has, so a common key (财政) costs no more than a rare one; the page checks the whole query against
each record's names. search.js repeats fold(), latin(), shard() and lookup(); a test runs its
functions in Chromium against these. The key files are gzip-compressed, as Pagefind's are."""

from __future__ import annotations

import gzip
import heapq
import json
import re
import unicodedata
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from liandong.model.model import Item, Model
from liandong.model.status import Status

FOLDER = "search"
NAMES = f"{FOLDER}/names"  # Chinese keys
PINYIN = f"{FOLDER}/pinyin"  # pinyin, initials, Latin words
MANIFEST = f"{FOLDER}/lookup.json"  # how many shards each folder has, and the traditional map
MAX_SHARDS = 4096  # files per folder at most (three hex digits); about KEYS_PER_SHARD keys each
KEYS_PER_SHARD = 8
LIMIT = 20  # records kept per key: a page of results
CJK_LONGEST = 4  # Chinese keys of 1–4 characters; "^" prefixes beyond, up to CARET_LONGEST
CARET_LONGEST = 16
STATE = "~"  # STATE + a derived code (overdue, unsigned, …): the records in that state, a Chinese key
LATIN_LENGTHS = (2, 4, 6)
# The fields that name a record besides its title: organisations' short_name and other_names
# (entries with a `name`), mechanisms' other_names (plain names), documents' doc_number.
NAME_FIELDS = ("title", "short_name", "other_names", "doc_number")
# A record's names in other languages (#16, #18): the title and short name of its translations, so
# that a Vietnamese or English name finds the record in every edition (latin() drops the diacritics).
TRANSLATED_NAME_FIELDS = ("title", "short_name")
_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
# Spaces, as search.js writes them (Python's \s and JavaScript's differ in a few characters).
_SPACE = re.compile(r"[ \t\n\r\f\v\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+")
_LATIN = re.compile(r"[a-z0-9]+")
_UMLAUT = re.compile("[üǖǘǚǜ]")  # ü: pinyin spells it v
_NUMBER_IN = re.compile(r"\d+")
# A posting: (group << 50) | (name length << 30) | record number, so that the best sort first.
_GROUP, _LENGTH, _NUMBER, _LENGTH_MAX = 50, 30, (1 << 30) - 1, (1 << 20) - 1
_EXAMPLE = 56  # an example record ranks after every real one: examples are never facts


def shard(key: str, shards: int) -> str:
    """FNV-1a over the UTF-16 code units, as search.js computes it, in hex digits enough for `shards`."""
    data, value = key.encode("utf-16-le"), 0x811C9DC5
    for i in range(0, len(data), 2):
        value = ((value ^ (data[i] | data[i + 1] << 8)) * 0x01000193) & 0xFFFFFFFF
    return f"{value % shards:0{len(f'{shards - 1:x}')}x}"


# -- what both sides compare -------------------------------------------------------------------


def fold(text: str, t2s: dict[str, str]) -> str:
    """A name or query as the Chinese keys spell it: NFKC, traditional characters as simplified,
    lower case, without spaces."""
    return _SPACE.sub("", "".join(t2s.get(c, c) for c in unicodedata.normalize("NFKC", text)).lower())


def latin(text: str) -> str:
    """A name's words or a query as the pinyin keys spell them: ü as v, no tone marks or other
    diacritics (Hà Nội → hanoi, đ → d), lower case, only a–z and 0–9."""
    return "".join(_LATIN.findall(latin_words(text)))


def latin_words(text: str) -> str:
    """latin() with the spaces and punctuation between words left in."""
    bare = unicodedata.normalize("NFKD", _UMLAUT.sub("v", text.lower())).replace("đ", "d")
    return "".join(c for c in bare if not unicodedata.combining(c))


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


@dataclass(frozen=True)
class Lookup:
    """What the search page fetches for a query: the folder, the query as compared, the keys."""

    folder: str
    term: str
    keys: tuple[str, ...]

    def files(self, shards: dict[str, int]) -> list[str]:
        """The files it fetches, given the manifest's shard counts."""
        count = shards[self.folder.rsplit("/", 1)[1]]
        return sorted({f"{self.folder}/{shard(key, count)}.json.gz" for key in self.keys})


def lookup(query: str, t2s: dict[str, str]) -> Lookup:
    """The keys search.js looks `query` up under (its keys() function)."""
    term = fold(query, t2s)
    if has_cjk(term):
        chars = list(term)  # code points, as search.js's Array.from
        if len(chars) <= CJK_LONGEST:
            return Lookup(NAMES, term, (term,))
        window = next("".join(chars[i : i + CJK_LONGEST]) for i in range(len(chars)) if has_cjk("".join(chars[i : i + CJK_LONGEST])))
        return Lookup(NAMES, term, (window, "^" + "".join(chars[:CARET_LONGEST])))
    spelled = latin(query)
    lengths = [n for n in LATIN_LENGTHS if n <= len(spelled)]
    return Lookup(PINYIN, spelled, (spelled[: lengths[-1]],) if lengths else ())


# -- names -------------------------------------------------------------------------------------


def names(item: Item) -> list[str]:
    """The record's names, its title first, each once."""
    found: list[str] = []
    for field in NAME_FIELDS:
        value = item.title if field == "title" else item.data.get(field)
        for entry in value if isinstance(value, list) else [value]:
            name = entry.get("name") if isinstance(entry, dict) else entry
            if isinstance(name, str) and name.strip() and name not in found:
                found.append(name)
    for translation in (item.data.get("translations") or {}).values():
        for field in TRANSLATED_NAME_FIELDS:
            name = translation.get(field) if isinstance(translation, dict) else None
            if isinstance(name, str) and name.strip() and name not in found:
                found.append(name)
    return found


def syllables(name: str, spelled: dict[str, str] | None = None) -> list[str]:
    """The name read aloud: pinyin syllables without tones (ü as v; pypinyin picks each
    character's reading from the words around it), with its Latin words and numbers as they are.
    `spelled` remembers latin() of each piece pypinyin returns, across calls."""
    from pypinyin import Style, lazy_pinyin

    memo = {} if spelled is None else spelled
    words: list[str] = []
    for part in lazy_pinyin(name, style=Style.TONE, errors="default"):
        found = memo.get(part)
        if found is None:
            # A character without a known reading stays Chinese and is left out.
            found = memo[part] = "" if has_cjk(part[:1]) else " ".join(_LATIN.findall(latin_words(part)))
        if found:
            words.extend(found.split(" "))
    return words


def cjk_keys(folded: str) -> dict[str, int]:
    """The Chinese keys of a folded name, each with its group: 0 the name is the key, 1 the name
    starts with it, 2 the name contains it."""
    keys: dict[str, int] = {}
    for i in range(len(folded)):
        for length in range(1, CJK_LONGEST + 1):
            key = folded[i : i + length]
            if len(key) < length:
                break
            if key not in keys and has_cjk(key):
                keys[key] = 0 if key == folded else 1 if i == 0 else 2
    for end in range(CJK_LONGEST + 1, min(len(folded), CARET_LONGEST) + 1):
        keys["^" + folded[:end]] = 0 if end == len(folded) else 1
    return keys


def latin_keys(words: list[str]) -> dict[str, int]:
    """The pinyin keys of a name's words, each with its group as in cjk_keys."""
    full, initials = "".join(words), "".join(w[0] for w in words)
    keys: dict[str, int] = {}
    start = 0
    for i, word in enumerate(words):
        for text, at in ((full, start), (initials, i)):
            for length in LATIN_LENGTHS:
                key = text[at : at + length]
                if len(key) < length:
                    break
                group = 0 if key == text else 1 if at == 0 else 2
                if group < keys.get(key, 3):
                    keys[key] = group
        start += len(word)
    return keys


# -- traditional characters --------------------------------------------------------------------


def t2s_map(texts: Iterable[str]) -> dict[str, str]:
    """Traditional character → simplified, for the Chinese characters of `texts` and every
    traditional form of each: alone, and as OpenCC writes it within each line of the texts (签 is
    籤 alone and 簽 in 签收; 发 is 發 in 发展, 髮 in 头发). The simplified form is OpenCC's t2s of
    the traditional one; characters that stay the same are left out."""
    import opencc

    to_simplified = opencc.OpenCC("t2s.json")
    found: dict[str, str] = {}

    def add(traditional: str) -> None:
        if traditional not in found:
            simplified = to_simplified.convert(traditional)
            if len(simplified) == 1 and simplified != traditional:
                found[traditional] = simplified

    lines = sorted({line for text in texts for line in text.splitlines() if has_cjk(line)})
    chars = sorted({c for line in lines for c in line if has_cjk(c)})
    for config in ("s2t.json", "s2tw.json", "s2hk.json"):
        converter = opencc.OpenCC(config)
        # One call for all the lines (OpenCC is fast, a call is not); a line whose length changed
        # cannot be read character by character and is left to its characters alone.
        for line, converted in zip(lines, converter.convert("\n".join(lines)).split("\n")):
            if len(converted) == len(line):
                for before, after in zip(line, converted):
                    if before != after:
                        add(after)
        for converted in converter.convert("\n".join(chars)).split("\n"):
            if len(converted) == 1:
                add(converted)
    for char in chars:
        add(char)
    return dict(sorted(found.items()))


def _state_words() -> list[str]:
    """The derived states' words the search page offers (templates/_search.html.j2's STATES)."""
    from liandong.site.render import environment

    return list(environment().get_template("_search.html.j2").module.STATES.values())  # type: ignore[attr-defined]


def _texts(model: Model) -> Iterator[str]:
    """Every text of the published records."""
    stack: list[Any] = [item.data for item in model.items.values()]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


# -- the files ---------------------------------------------------------------------------------


@dataclass
class _Record:
    url: str
    title: str
    label: int  # its [type, status, derived codes, example] in name_index's table
    shown: list[str]  # fold() of each name, "" for the title when it is folded already
    spoken: list[str]  # syllables() of each name, joined by spaces


def _gzip(value: Any) -> bytes:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return gzip.compress(text, compresslevel=6, mtime=0)


def shard_count(keys: int) -> int:
    """The power of two that gives about KEYS_PER_SHARD keys a file, from 16 to MAX_SHARDS."""
    count = 16
    while count < MAX_SHARDS and count * KEYS_PER_SHARD < keys:
        count *= 2
    return count


def _files(folder: str, postings: dict[str, array[int]], records: list[_Record], labels: list[list[Any]], pinyin: bool) -> dict[str, bytes]:
    """One file per shard, gzipped JSON: {"l": labels, "r": rows, "k": {key: [total, row, …]}},
    each key's LIMIT best records and how many there are. A row is [url, title, label, names]:
    "l"[label] is its [type, status, derived codes], with a 1 after them for an example; names are its folded names ("" for the title
    as written) or, for pinyin, each name's syllables joined by spaces."""
    shards: dict[str, tuple[dict[int, int], list[list[Any]], dict[str, list[int]], dict[int, int]]] = {}
    count = shard_count(len(postings))
    for key in sorted(postings):
        found = postings[key]
        numbers, rows, keys, used = shards.setdefault(shard(key, count), ({}, [], {}, {}))
        refs = [len(found)]
        for posting in sorted(found)[:LIMIT] if len(found) <= 4 * LIMIT else heapq.nsmallest(LIMIT, found):
            number = posting & _NUMBER
            if number not in numbers:
                numbers[number] = len(rows)
                record = records[number]
                rows.append([record.url, record.title, used.setdefault(record.label, len(used)), record.spoken if pinyin else record.shown])
            refs.append(numbers[number])
        keys[key] = refs
    return {
        f"{folder}/{name}.json.gz": _gzip({"l": [labels[label] for label in used], "r": rows, "k": keys})
        for name, (_, rows, keys, used) in sorted(shards.items())
    }


def name_index(model: Model, status: Status | None = None) -> dict[str, bytes]:
    """Site path → content: the Chinese and pinyin key files and the traditional map. With
    `status`, the records in each derived state are filed under STATE + its code, and each row
    carries its record's codes, for the search page's 办理情况 filter and words."""
    items = sorted(model.items.values(), key=lambda i: i.url)
    own = [names(item) for item in items]
    labels: dict[tuple[str, str, tuple[str, ...], bool], int] = {}
    words = [*_texts(model), *(f"{i.type_label} {i.status_label}" for i in items), *_state_words()]
    t2s = t2s_map([*(n for mine in own for n in mine), *words])
    records: list[_Record] = []
    cjk: dict[str, array[int]] = {}
    pinyin: dict[str, array[int]] = {}
    spelled: dict[str, str] = {}
    for number, (item, mine) in enumerate(zip(items, own)):
        label = (item.type_label, item.status_label, tuple(status.codes(item)) if status is not None else (), item.example)
        folded = [fold(name, t2s) for name in mine]
        spoken = [syllables(name, spelled) for name in mine]
        shown = ["" if i == 0 and text == item.title else text for i, text in enumerate(folded)]
        records.append(_Record(item.url, item.title, labels.setdefault(label, len(labels)), shown, [" ".join(w) for w in spoken]))
        # The records in each derived state, longest in it first (逾期 148 天 before 逾期 3 天).
        longest: dict[str, int] = {}
        for badge in status.badges(item) if status is not None else []:
            days = int(found.group()) if (found := _NUMBER_IN.search(badge.label)) else 0
            longest[badge.code] = max(days, longest.get(badge.code, 0))
        for code, days in longest.items():
            held = cjk.get(STATE + code)
            if held is None:
                held = cjk[STATE + code] = array("Q")
            held.append(int(item.example) << _EXAMPLE | (_LENGTH_MAX - min(days, _LENGTH_MAX)) << _LENGTH | number)
        for postings, found_keys in ((cjk, [(cjk_keys(text), len(text)) for text in folded]), (pinyin, [(latin_keys(words), len(words)) for words in spoken])):
            best: dict[str, int] = {}  # key → the rank of the record's best name under it
            for keys, length in found_keys:
                for key, group in keys.items():
                    rank = int(item.example) << _EXAMPLE | group << _GROUP | min(length, _LENGTH_MAX) << _LENGTH
                    if rank < best.get(key, 1 << 62):
                        best[key] = rank
            for key, rank in best.items():
                held = postings.get(key)
                if held is None:
                    held = postings[key] = array("Q")
                held.append(rank | number)
    table = [[kind, state, list(codes), *([1] if example else [])] for (kind, state, codes, example) in labels]  # in order of first use
    files = _files(NAMES, cjk, records, table, pinyin=False)
    files.update(_files(PINYIN, pinyin, records, table, pinyin=True))
    pairs = list(t2s.items())
    manifest = {"names": shard_count(len(cjk)), "pinyin": shard_count(len(pinyin)), "t": "".join(t for t, _ in pairs), "s": "".join(s for _, s in pairs)}
    files[MANIFEST] = json.dumps(manifest, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return files
