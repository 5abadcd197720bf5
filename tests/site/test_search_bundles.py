"""A large site's search index in several Pagefind runs (site/search_bundles.py, #17): the bundled
registry's site indexed again in runs of at most 40 pages finds, in every edition, exactly what the
build's index finds, and the search page (search.js) merges its edition's bundles and no other's."""

from __future__ import annotations

import json
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from liandong.site.search_bundles import index_search, list_bundles

from .conftest import Site, Tab, pagefind_results, serve

serving = contextmanager(serve)

BATCH = 40


@pytest.fixture(scope="module")
def batched(public_site: Site, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[str]]]:
    site = tmp_path_factory.mktemp("batched") / "site"
    shutil.copytree(public_site.output, site, ignore=shutil.ignore_patterns("pagefind*"))
    bundles = index_search(site, ["vi/", "en/"], batch=BATCH)
    list_bundles(site, bundles)
    return site, bundles


def _entry(bundle: Path) -> dict[str, Any]:
    return dict(json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8")))


def test_each_run_indexes_at_most_the_batch_and_together_every_page(public_site: Site, batched: tuple[Path, dict[str, list[str]]]) -> None:
    site, bundles = batched
    whole = _entry(public_site.output / "pagefind")["languages"]
    assert set(bundles) == set(whole) and all(bundles[language] for language in whole)  # every edition has more than 40 pages
    counts: dict[str, int] = {}
    for folder in ["pagefind/", *{b for listed in bundles.values() for b in listed}]:
        for language, index in _entry(site / folder)["languages"].items():
            assert index["page_count"] <= BATCH, (folder, language)
            counts[language] = counts.get(language, 0) + index["page_count"]
    assert counts == {language: index["page_count"] for language, index in whole.items()}
    # the runs' linked pages are gone, and so no page is indexed twice in a later build
    assert not list(site.glob(".pagefind-run*"))


@pytest.mark.parametrize(
    ("edition", "query"), [("", "联席会议"), ("", "逾期"), ("", "财政局"), ("vi/", "Mong Cai"), ("vi/", "uy thac"), ("en/", "joint meeting")]
)
def test_the_bundles_find_what_one_index_finds(public_site: Site, batched: tuple[Path, dict[str, list[str]]], tab: Tab, edition: str, query: str) -> None:
    site, _ = batched
    with serving(public_site.output) as whole_url, serving(site) as batched_url:
        expected = pagefind_results(tab.page, whole_url, query, edition)
        found = pagefind_results(tab.page, batched_url, query, edition)
    assert expected, query
    if edition == "vi/":
        # Pagefind matches a word typed without its diacritics (mong) only exactly where an index
        # holds that word, and otherwise with them (móng): a bundle without the bare word finds
        # pages the one index does not show, but never loses one.
        assert set(expected) <= set(found)
    else:
        assert found == expected


@pytest.mark.parametrize("edition", ["", "vi/"])
def test_the_search_page_merges_its_editions_bundles_and_no_other(batched: tuple[Path, dict[str, list[str]]], tab: Tab, edition: str) -> None:
    site, bundles = batched
    language = edition.strip("/") or "zh"
    asked: list[str] = []
    with serving(site) as base:
        page = tab.page
        page.on("request", lambda request: asked.append(request.url.removeprefix(base)))
        page.goto(base + edition + "search/")
        page.fill("#ld-search-input", "Mong Cai" if edition else "联席会议")
        page.wait_for_function("() => ['done', 'failed'].includes(document.querySelector('.ld-search-status').dataset.state)")
        assert page.locator(".ld-search-status").get_attribute("data-state") == "done"
        assert page.locator("ol.ld-search-results > li").count() > 0
    loaded = {url.split("/", 1)[0] + "/" for url in asked if url.startswith("pagefind-")}
    assert loaded == set(bundles[language])
