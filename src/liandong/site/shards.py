"""A build split into shards (#17): `liandong build --shard K/N` builds the record pages of one
partition, each shard with its own Pagefind index, so that N machines (the Pages workflow's matrix)
share the work; `liandong build --merge DIR…` builds what is not a record's page (home, lists,
report, downloads, feeds: cheap, from the model) and puts the shards' record pages and indexes in.

The partition: every record of the registry in type order, then by id, cut into N runs of nearly
equal length, so a shard is a few types or a range of ids of one. Every shard validates the whole
registry (the cross-record rules need it) and renders only its own records' pages, in every edition.

A shard's output holds, besides its pages, MANIFEST: which shard it is, of how many, of which
registry (its records' ids, hashed), and the folders of its record pages; the merge takes exactly
those folders, and refuses shards that are missing, repeated, of another count or of another
registry. The merged search reads each shard's index beside its own (search/shards.json, which
site/javascripts/search.js reads; Pagefind's mergeIndex)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from liandong.errors import SiteBuildFailed, UsageError
from liandong.model.model import Model

MANIFEST = ".liandong-shard.json"
BUNDLE = "pagefind-shard-{k}/"  # where a shard's index goes in the merged site


@dataclass(frozen=True)
class Shard:
    k: int  # 1-based
    n: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        found = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
        if found is None or not 1 <= int(found.group(1)) <= int(found.group(2)):
            raise UsageError(f"分片写法不对：{text!r}。应写成 K/N，例如 2/4 表示共 4 片中的第 2 片（1 ≤ K ≤ N）。")
        return cls(int(found.group(1)), int(found.group(2)))

    def __str__(self) -> str:
        return f"{self.k}/{self.n}"

    def ids(self, model: Model) -> set[str]:
        """The ids of this shard's records: the k-th of n nearly equal runs of every record, in
        type order and then by id."""
        ordered = ordered_ids(model)
        size, extra = divmod(len(ordered), self.n)
        start = (self.k - 1) * size + min(self.k - 1, extra)
        return set(ordered[start : start + size + (1 if self.k <= extra else 0)])


def ordered_ids(model: Model) -> list[str]:
    return [item.id for type_name in model.types for item in sorted(model.of_type(type_name), key=lambda i: i.id)]


def fingerprint(ids: Iterable[str]) -> str:
    """The registry a shard was built from, as the ids of its published records."""
    return hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()[:16]


def write_manifest(folder: Path, shard: Shard, model: Model, pages: list[str]) -> None:
    data = {"shard": shard.k, "of": shard.n, "registry": fingerprint(model.items), "pages": sorted(pages)}
    (folder / MANIFEST).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


@dataclass(frozen=True)
class Built:
    """A shard's output, as its manifest describes it."""

    folder: Path
    k: int
    n: int
    registry: str
    pages: list[str]


def read_shards(folders: list[Path], model: Model) -> list[Built]:
    """The shards to merge, checked: all N of one count, each once, of this registry, every
    record's page in one of them."""
    found: list[Built] = []
    for folder in folders:
        try:
            data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            found.append(Built(folder, int(data["shard"]), int(data["of"]), str(data["registry"]), [str(p) for p in data["pages"]]))
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise SiteBuildFailed(f"{folder} 不是 liandong build --shard 生成的分片（没有可读的 {MANIFEST}：{err}）；网站未更新。") from err
    counts = {b.n for b in found}
    if len(counts) != 1:
        raise SiteBuildFailed(f"这些分片的总片数不一致（{'、'.join(str(n) for n in sorted(counts))}）；网站未更新。")
    n = counts.pop()
    have = sorted(b.k for b in found)
    if have != list(range(1, n + 1)):
        missing = sorted(set(range(1, n + 1)) - set(have))
        repeated = sorted({k for k in have if have.count(k) > 1})
        said = "；".join(
            filter(None, (f"缺少第 {'、'.join(map(str, missing))} 片" if missing else "", f"第 {'、'.join(map(str, repeated))} 片重复" if repeated else ""))
        )
        raise SiteBuildFailed(f"分片不全：共 {n} 片，{said}；网站未更新。")
    expected = fingerprint(model.items)
    for built in found:
        if built.registry != expected:
            raise SiteBuildFailed(f"{built.folder}（第 {built.k}/{n} 片）不是由同一版本的登记册生成的，请重新生成全部分片；网站未更新。")
    return sorted(found, key=lambda b: b.k)
