"""A small index of record titles by Chinese character pair, for search.js.

Pagefind splits Chinese into words when it indexes a page but cannot split a query the same
way, so a full name typed as one word (东兴市财政局) finds nothing, though 财政局 does. For a
query of three or more Chinese characters, search.js fetches the one shard that holds every
title containing the query's first character pair and keeps the titles that contain the whole
query. Shards are chosen by a hash both sides compute, so a search downloads one small file
(about 25 KB at 10,000 records)."""

from __future__ import annotations

import json
import re

from liandong.model.model import Model

SHARDS = 256
FOLDER = "search/titles"
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")


def shard(pair: str) -> str:
    """FNV-1a over the UTF-16 code units, as search.js computes it: two hex digits."""
    data, value = pair.encode("utf-16-le"), 0x811C9DC5
    for i in range(0, len(data), 2):
        value = ((value ^ (data[i] | data[i + 1] << 8)) * 0x01000193) & 0xFFFFFFFF
    return f"{value % SHARDS:02x}"


def pairs(text: str) -> set[str]:
    return {run[i : i + 2] for run in _CJK_RUN.findall(text) for i in range(len(run) - 1)}


def title_index(model: Model) -> dict[str, bytes]:
    """Site path → JSON list of [url, title, type, status], one file per shard that has titles."""
    shards: dict[str, dict[str, list[str]]] = {}
    for item in sorted(model.items.values(), key=lambda i: i.url):
        entry = [item.url, item.title, item.type_label, item.status_label]
        for pair in pairs(item.title):
            shards.setdefault(shard(pair), {})[item.url] = entry
    return {
        f"{FOLDER}/{name}.json": json.dumps(list(entries.values()), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        for name, entries in sorted(shards.items())
    }
