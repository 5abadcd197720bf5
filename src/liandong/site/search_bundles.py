"""The site's Pagefind indexes: its pages in runs of at most BATCH pages, each run's bundle beside the site's own.

Pagefind holds every page it indexes in memory until it writes: 7.9 GB for the 86,510 pages of
100,000 records. So the pages go to Pagefind in runs, each edition apart (vi/, en/; the Chinese
pages are all the rest) and each edition in runs of at most BATCH pages. The first run of every
edition writes into `pagefind/` (Pagefind keeps an index per language anyway and names its files by
their content, so only the bundle's entry file, which each run writes, is put together); an
edition's further runs write `pagefind-2/`, `pagefind-3/`…, listed by language in
search/shards.json, which site/javascripts/search.js merges into the first (Pagefind's mergeIndex).
Should two runs of one bundle find the same language, every bundle is one run of its own over
every edition's pages together instead.

A run sees its pages only: they are hard-linked (copied where links are refused) into a folder of
their own inside the site, at the same paths, so Pagefind gives them the same URLs. (Pagefind's
Python API would take the pages one by one, but at about 100 ms a page: 300 s for 3,000.)"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from liandong.errors import SiteBuildFailed

BATCH = 20_000  # pages a Pagefind run indexes at most: 2.0–2.2 GB of its memory (benchmarks at 100,000 records)
FIRST = "pagefind/"
BODY = b"data-pagefind-body"
RUN_FOLDER = ".pagefind-run"  # the pages of one run, inside the site while the run lasts
SHARDS_FILE = "search/shards.json"  # the bundles besides pagefind/, by language, for search.js
Bundles = dict[str, list[str]]  # language → bundle folders ("pagefind-2/"), as search/shards.json lists them


def index_search(site: Path, editions: Iterable[str] = (), batch: int = BATCH) -> Bundles:
    """Index the site's pages; the bundles besides pagefind/ by language (search/shards.json).

    `editions`: the other editions' folders ("vi/", "en/")."""
    folders = {prefix.strip("/") for prefix in editions}
    found_pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if not p.relative_to(site).parts[0].startswith(("pagefind", RUN_FOLDER)))
    # Pagefind indexes only the pages marked data-pagefind-body when any page is; chosen here over
    # all of them, so that no run of unmarked pages (the 404 page, a shard's stand-ins) is indexed.
    marked = [page for page in found_pages if BODY in (site / page).read_bytes()]
    pages = marked or found_pages
    groups: dict[str, list[str]] = {}
    for page in pages:
        head = page.split("/", 1)[0]
        groups.setdefault(head if head in folders and "/" in page else "", []).append(page)
    runs = [(_bundle(j), group[i : i + batch]) for group in groups.values() for j, i in enumerate(range(0, len(group), batch))]
    found = _index(site, runs)
    if found is None:
        for bundle in {bundle for bundle, _ in runs}:
            shutil.rmtree(site / bundle, ignore_errors=True)
        found = _index(site, [(_bundle(j), pages[i : i + batch]) for j, i in enumerate(range(0, len(pages), batch))])
        assert found is not None  # one run a bundle: no language twice in one
    further: Bundles = {}
    for bundle in sorted((b for b in found if b != FIRST), key=_order):
        for language in sorted(found[bundle]):
            further.setdefault(language, []).append(bundle)
    return further


def _bundle(j: int) -> str:
    return FIRST if j == 0 else f"pagefind-{j + 1}/"


def _order(bundle: str) -> int:
    return int(bundle.rstrip("/").rpartition("-")[2])


def _index(site: Path, runs: list[tuple[str, list[str]]]) -> dict[str, set[str]] | None:
    """Run Pagefind once for each (bundle, pages); each bundle's languages. None when two runs of
    one bundle found the same language (their entry files cannot be put together)."""
    entries: dict[str, dict[str, Any]] = {}
    for bundle, pages in runs:
        found = _run(site, pages, site / bundle)
        entry = entries.setdefault(bundle, {**found, "languages": {}})
        if entry["languages"].keys() & found.get("languages", {}).keys():
            return None
        entry["languages"].update(found.get("languages", {}))
    for bundle, entry in entries.items():
        write_entry(site / bundle / "pagefind-entry.json", entry)
    return {bundle: set(entry["languages"]) for bundle, entry in entries.items()}


def _run(site: Path, pages: list[str], bundle: Path) -> dict[str, Any]:
    """One Pagefind run over `pages` into `bundle`: the entry file it wrote."""
    folder = site / RUN_FOLDER
    shutil.rmtree(folder, ignore_errors=True)
    try:
        for page in pages:
            target = folder / page
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(site / page, target)
            except OSError:
                shutil.copyfile(site / page, target)
        command = [sys.executable, "-m", "pagefind", "--site", str(folder), "--output-path", str(bundle), "--silent"]
        run = subprocess.run(command, capture_output=True, text=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if run.returncode != 0:
        raise SiteBuildFailed(f"Pagefind 建立搜索索引失败：{run.stderr.strip() or run.stdout.strip()}")
    entry = bundle / "pagefind-entry.json"
    return dict(json.loads(entry.read_text(encoding="utf-8"))) if entry.is_file() else {}


def write_entry(entry: Path, data: dict[str, Any]) -> None:
    """Pagefind lists the languages in no fixed order; sorted, the same site is the same bytes."""
    if data:
        data["languages"] = dict(sorted((data.get("languages") or {}).items()))
        entry.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def list_bundles(site: Path, bundles: Bundles) -> None:
    """search/shards.json: the bundles search.js merges into pagefind/, by language."""
    (site / SHARDS_FILE).parent.mkdir(parents=True, exist_ok=True)
    (site / SHARDS_FILE).write_text(json.dumps(bundles, sort_keys=True) + "\n", encoding="utf-8")


def read_bundles(site: Path) -> Bundles:
    path = site / SHARDS_FILE
    return dict(json.loads(path.read_text(encoding="utf-8"))) if path.is_file() else {}


def languages_of(bundle: Path) -> list[str]:
    """The languages a bundle indexes (its entry file's)."""
    entry = bundle / "pagefind-entry.json"
    return sorted(json.loads(entry.read_text(encoding="utf-8")).get("languages", {})) if entry.is_file() else []
