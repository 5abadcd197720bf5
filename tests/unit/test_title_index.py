from __future__ import annotations

import json
from pathlib import Path

from liandong.model.model import Model
from liandong.site.search_index import FOLDER, pairs, shard, title_index
from liandong.validation.pipeline import validate
from tests.helpers import REPO, make_repo


def test_pairs_are_the_overlapping_chinese_character_pairs() -> None:
    assert pairs("东兴市财政局") == {"东兴", "兴市", "市财", "财政", "政局"}
    assert pairs("2024年第1次会议 <b>") == {"年第", "次会", "会议"}  # digits and markup split the runs


def test_shards_match_the_search_page_hash() -> None:
    # Values computed by search.js's shard() in Chromium/Node for the same strings.
    assert (shard("东兴"), shard("ab")) == ("3d", "ca")


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
