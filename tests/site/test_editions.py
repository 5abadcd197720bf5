"""The Vietnamese and English editions (#18), on the bundled registry built for real.

- every page of each edition names its language, and shows no Chinese that is not marked as
  Chinese (a missing label, or a record's text without lang="zh": tests/editions.py);
- the switcher leads to the same page in each edition;
- a translated record says its translation is unofficial and links to the Chinese; a record without
  one says it is shown in Chinese;
- the Vietnamese edition gives a meeting's time in Hanoi time beside Beijing time;
- a registry that configures Chinese alone builds no other edition and no switcher;
- in Chromium a Vietnamese visitor switches to Vietnamese, searches "Mong Cai" and "uy thac" without
  diacritics and reaches the right records; axe finds nothing serious on the vi and en pages."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest

from tests.editions import unmarked_chinese

from .conftest import Site, Tab, build, copy_project

EDITIONS = ("vi", "en")
NOT_PAGES = ("pagefind", "assets", "data", "schemas", "javascripts", "stylesheets", "contribute")


def pages_of(site: Site, code: str) -> list[Path]:
    folder = site.output / code
    return sorted(p for p in folder.rglob("index.html") if p.relative_to(folder).parts[0] not in NOT_PAGES)


@pytest.mark.parametrize("code", EDITIONS)
def test_every_page_of_an_edition_is_in_its_language(public_site: Site, code: str) -> None:
    pages = pages_of(public_site, code)
    chinese_pages = sorted(p for p in public_site.output.rglob("index.html") if p.relative_to(public_site.output).parts[0] not in (*EDITIONS, *NOT_PAGES))
    assert len(pages) == len(chinese_pages), "each Chinese page has its page in the edition"
    missing: dict[str, list[str]] = {}
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert re.search(rf'<html lang="{code}"', html), page
        for word in unmarked_chinese(html):
            missing.setdefault(word, []).append(str(page.relative_to(public_site.output)))
    shown = [f"{word!r} on {len(where)} pages, e.g. {where[0]}" for word, where in sorted(missing.items(), key=lambda kv: -len(kv[1]))]
    assert not shown, f'{len(shown)} Chinese words not translated or not marked lang="zh":\n' + "\n".join(shown[:60])


def _links(html: str) -> dict[str, str]:
    """The switcher's links by language."""
    return {lang: href for href, lang in re.findall(r'<a class="ld-languages__link" href="([^"]+)" hreflang="(\w+)"', html)}


@pytest.mark.parametrize("page", ["tasks/task-0001/", "meetings/", "", "report/", "organizations/org-example-mongcai-committee/"])
def test_the_switcher_leads_to_the_same_page_in_each_edition(public_site: Site, page: str) -> None:
    for here in ("", "vi/", "en/"):
        html = (public_site.output / here / page / "index.html").read_text(encoding="utf-8")
        links = _links(html)
        others = {"zh": "", "vi": "vi/", "en": "en/"}
        del others[{"": "zh", "vi/": "vi", "en/": "en"}[here]]
        assert set(links) == set(others), (here, page, links)
        for lang, prefix in others.items():
            target = urljoin(f"http://site/{here}{page}", links[lang])
            assert target == f"http://site/{prefix}{page}", (here, page, lang, links[lang])


def test_a_translated_record_is_marked_unofficial_and_an_untranslated_one_is_shown_in_chinese(public_site: Site) -> None:
    vi = (public_site.output / "vi/organizations/org-example-mongcai-committee/index.html").read_text(encoding="utf-8")
    assert "Ủy ban nhân dân thành phố Móng Cái" in vi
    assert "Bản dịch không chính thức — văn bản tiếng Trung là bản chính thức" in vi
    en = (public_site.output / "en/organizations/org-example-mongcai-committee/index.html").read_text(encoding="utf-8")
    assert "Mong Cai City People&#39;s Committee" in en or "Mong Cai City People's Committee" in en
    assert "Unofficial translation — the Chinese text is authoritative" in en
    plain = (public_site.output / "vi/tasks/task-0001/index.html").read_text(encoding="utf-8")
    assert "chưa được dịch" in plain
    assert "Bản dịch không chính thức" not in plain
    chinese = (public_site.output / "organizations/org-example-mongcai-committee/index.html").read_text(encoding="utf-8")
    assert "Móng Cái" not in chinese.split("<article", 1)[1], "the Chinese page shows the Chinese record"


def test_the_vietnamese_edition_gives_meeting_times_in_hanoi_time(public_site: Site, bundled: Any) -> None:
    vi = (public_site.output / "vi/meetings/mtg-0001/index.html").read_text(encoding="utf-8")
    assert "15:00 giờ Bắc Kinh (14:00 giờ Hà Nội)" in vi  # registry/meetings/mtg-0001.yaml starts at 15:00
    zh = (public_site.output / "meetings/mtg-0001/index.html").read_text(encoding="utf-8")
    assert "下午3:00" in zh and "Hà Nội" not in zh


def test_a_registry_in_chinese_alone_builds_no_other_edition(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    config = root / "registry" / "liandong.yaml"
    config.write_text(re.sub(r"\n  languages: \[[^\]]*\]", "", config.read_text(encoding="utf-8")), encoding="utf-8")
    out = tmp_path / "site"
    done = build(root, out)
    assert done.returncode == 0, done.stderr
    assert not (out / "vi").exists() and not (out / "en").exists()
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "ld-languages" not in home and 'hreflang="vi"' not in home


def test_the_editions_indexed_one_run_each_make_the_index_one_run_makes(public_site: Site, tmp_path: Path) -> None:
    """search_bundles.index_search runs Pagefind once per edition (a third of the memory): the bundle it
    puts together is the one Pagefind writes from the whole site at once, file for file."""
    whole = tmp_path / "pagefind"
    run = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(public_site.output), "--output-path", str(whole), "--silent"], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    ours = public_site.output / "pagefind"
    entry = json.loads((ours / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"] == json.loads((whole / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"]
    assert list(entry["languages"]) == sorted(entry["languages"]) and {"zh", "vi", "en"} <= {code[:2] for code in entry["languages"]}

    def files(folder: Path) -> dict[str, bytes]:
        return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file() and p.name != "pagefind-entry.json"}

    assert files(ours) == files(whole)


# -- in Chromium ----------------------------------------------------------------------------------


def _search(page: Any, query: str) -> list[str]:
    page.fill("#ld-search-input", query)
    answered = """query => {
      const s = document.querySelector(".ld-search-status");
      return s.dataset.query === query && ["done", "failed"].includes(s.dataset.state);
    }"""
    page.wait_for_function(answered, arg=query)
    assert page.locator(".ld-search-status").get_attribute("data-state") == "done"
    return page.eval_on_selector_all("ol.ld-search-results > li a", "links => links.map(a => a.href)")


def test_a_vietnamese_visitor_switches_searches_without_diacritics_and_reads_hanoi_time(tab: Tab, public_url: str) -> None:
    page = tab.page
    page.goto(public_url + "meetings/mtg-0001/")
    page.click('a.ld-languages__link[hreflang="vi"]')
    page.wait_for_url(public_url + "vi/meetings/mtg-0001/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert "giờ Hà Nội" in page.locator("article.ld-record").inner_text()
    page.goto(public_url + "vi/search/")
    found = _search(page, "Mong Cai")
    # The opinion's translated title names Móng Cái; the Móng Cái committee, an example, comes after it.
    assert found[:2] == [public_url + "vi/documents/doc-kuahequ-liandong-opinion/", public_url + "vi/organizations/org-example-mongcai-committee/"], found[:3]
    found = _search(page, "uy thac")
    assert any("/vi/powers/" in url for url in found[:5]), found[:5]
    assert all(url.startswith(public_url + "vi/") for url in found), "results stay in the edition"
    assert not tab.errors, tab.errors


@pytest.mark.parametrize("path", ["vi/", "en/", "vi/tasks/", "en/meetings/mtg-0001/", "vi/organizations/org-example-mongcai-committee/", "vi/search/"])
def test_the_editions_pass_axe(tab: Tab, public_url: str, path: str) -> None:
    from .test_access import blocking_violations

    tab.page.goto(public_url + path)
    assert blocking_violations(tab.page) == []
