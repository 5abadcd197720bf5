"""Long lists (#17): a list page holds its first rows (lists.FIRST_ROWS); every row is in its row
files (<type>/rows/N.json), which lists.js loads when a filter, a sort or 显示更多 needs them.

The row files hold every published record of the type once, in the page's order, rendered as the
page renders its rows, and nothing internal on the public build. In Chromium, on a site built from
a synthetic registry of SYNTHETIC records (its tasks list needs several row files): the first load
of the tasks list fetches no row file and at most FIRST_LOAD_KB of its own (the page's HTML and
anything else it loads that is not one of the files every page of the site shares: the theme's
and the site's CSS and scripts under assets/, stylesheets/ and javascripts/), filters find rows the
page does not hold, with the count of matching records the model gives, sorting by 办理时限 orders
every row, and no script error."""

from __future__ import annotations

import datetime
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from benchmarks.synthetic import REPO_SCHEMAS, write_synthetic
from liandong.site import contexts, lists
from liandong.site.pipeline import prepare

from ..helpers import REPO
from .conftest import (
    HOSTILE,
    HOSTILE_INTERNAL_ID,
    MARKER,
    MARKER_ZH,
    PHONE,
    SUB_PATH,
    Project,
    Tab,
    _with_site,
    build,
    copy_project,
    is_public,
    read_records,
    serve,
)

SYNTHETIC = 3000  # records; about 1,270 public tasks: three row files of the tasks list (a build of about 40 s)
FIRST_LOAD_KB = 300
SHARED = ("/assets/", "/stylesheets/", "/javascripts/")  # loaded by every page of the site
ROW_LINK = re.compile(r'<td data-label="[^"]*"><a href="\.\./([a-z]+)/([^/"]+)/"')


def _rows(files: dict[str, bytes], type_name: str) -> list[str]:
    """Every row of a type's row files, in order."""
    names = sorted((p for p in files if p.startswith(f"{type_name}/{lists.ROWS_FOLDER}/")), key=lambda p: int(Path(p).stem))
    return [row for name in names for row in json.loads(files[name])]


# -- the row files, without a browser ---------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("lists-hostile") / "repo", REPO / "registry", HOSTILE)


@pytest.mark.parametrize("internal", [False, True], ids=["public", "internal"])
def test_row_files_hold_every_record_once_and_nothing_internal(hostile_root: Path, internal: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    # Short pages, small files: every type of the bundled and hostile registries has row files.
    monkeypatch.setattr(lists, "FIRST_ROWS", 2)
    monkeypatch.setattr(contexts, "FIRST_ROWS", 2)
    monkeypatch.setattr(lists, "ROW_FILE_ROWS", 3)
    content = prepare(hostile_root, datetime.date(2026, 11, 25), internal=internal, with_history=False)
    pages = {page.path: page.text for page in content.pages}
    records = read_records(hostile_root / "registry")
    for type_name in content.model.types:
        published = [r["id"] for r in sorted(records, key=lambda r: r["id"]) if r["_type"] == type_name and (internal or is_public(r))]
        rows = _rows(content.files, type_name)
        if len(published) <= 2:
            assert rows == [] and f'id="ld-table-{type_name}-more"' not in pages[f"{type_name}/index.md"]
            continue
        names = lists.row_file_names(len(published))
        assert sorted(p for p in content.files if p.startswith(f"{type_name}/{lists.ROWS_FOLDER}/")) == sorted(f"{type_name}/{n}" for n in names)
        assert [len(json.loads(content.files[f"{type_name}/{n}"])) for n in names[:-1]] == [3] * (len(names) - 1)
        # Every published record once, in the page's order (by id), each row linking to its record.
        assert [ROW_LINK.match(row.split("\n")[1]).group(2) for row in rows] == [item.id for item in content.model.of_type(type_name)]  # type: ignore[union-attr]
        assert sorted(item.id for item in content.model.of_type(type_name)) == sorted(published)
        # The page's first rows are the files' first rows, byte for byte; the page holds no other.
        page = pages[f"{type_name}/index.md"]
        assert rows[0] in page and rows[1] in page and rows[2] not in page
        assert f'data-ld-rows="{" ".join(names)}" data-ld-total="{len(published)}"' in page
    everything = b"".join(content.files[p] for p in content.files if f"/{lists.ROWS_FOLDER}/" in p).decode()
    assert (HOSTILE_INTERNAL_ID in everything) == internal and (MARKER in everything) == internal and (MARKER_ZH in everything) == internal
    # Record text is escaped as on the page: the hostile titles are text, never markup.
    assert "<script" not in everything.lower() and not re.search(r"<[a-z]+[^>]*\son[a-z]+=", everything, re.IGNORECASE)
    assert not re.search(r'(href|src|action)="\s*(javascript|data|vbscript):', everything, re.IGNORECASE)


# -- in Chromium, on a long list --------------------------------------------------------------------


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = tmp_path_factory.mktemp("large") / "repo"
    write_synthetic(root, SYNTHETIC, seed=0)
    shutil.copytree(REPO_SCHEMAS, root / "schemas")
    _with_site(root)
    done = build(root, root.parent / "public")
    if done.returncode != 0:
        pytest.fail(f"liandong build failed ({done.returncode}):\n{done.stderr}", pytrace=False)
    return Project(root)


@pytest.fixture(scope="module")
def tasks(large: Project) -> list[dict[str, Any]]:
    """The public tasks, in the list page's order (by id)."""
    return sorted((r for r in read_records(large.root / "registry") if r["_type"] == "tasks" and is_public(r)), key=lambda r: r["id"])


@pytest.fixture(scope="module")
def large_url(large: Project, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site under a sub-path, as GitHub Pages serves a project site: the row files are fetched relative to the page."""
    above = tmp_path_factory.mktemp("large-above")
    (above / SUB_PATH).symlink_to(large.root.parent / "public", target_is_directory=True)
    for base in serve(above):
        yield f"{base}{SUB_PATH}/"


def _open(tab: Tab, url: str) -> list[tuple[str, int]]:
    fetched: list[tuple[str, int]] = []
    tab.page.on("response", lambda response: fetched.append((urlsplit(response.url).path, len(response.body()) if response.ok else -response.status)))
    tab.page.goto(url)
    tab.page.wait_for_load_state("networkidle")
    return fetched


def _settled(tab: Tab) -> None:
    tab.page.wait_for_function("() => !document.getElementById('ld-table-tasks').hasAttribute('aria-busy')")


def _ids(tab: Tab) -> list[str]:
    hrefs = tab.page.eval_on_selector_all("#ld-table-tasks tbody tr td:first-child a", "links => links.map(a => a.getAttribute('href'))")
    return [h.rstrip("/").rsplit("/", 1)[-1] for h in hrefs]


def _all_shown(tab: Tab) -> list[str]:
    """Click 显示更多 until every matching row is on screen; their ids."""
    more = tab.page.locator("#ld-table-tasks-more button.ld-more")
    while more.is_visible():
        before = tab.page.locator("#ld-table-tasks tbody tr").count()
        more.click()
        tab.page.wait_for_function(f"() => document.querySelectorAll('#ld-table-tasks tbody tr').length > {before}")
    return _ids(tab)


@pytest.mark.browser
@pytest.mark.slow
def test_the_first_load_is_small_and_holds_the_first_rows(tab: Tab, large_url: str, tasks: list[dict[str, Any]]) -> None:
    assert len(tasks) > 2 * lists.ROW_FILE_ROWS  # several row files
    fetched = _open(tab, large_url + "tasks/")
    assert all(n >= 0 for _, n in fetched), fetched
    assert not [p for p, _ in fetched if f"/{lists.ROWS_FOLDER}/" in p]  # no row file on first paint
    own = sum(n for path, n in fetched if not path.startswith(tuple(f"/{SUB_PATH}{s}" for s in SHARED)))
    assert own <= FIRST_LOAD_KB * 1024, fetched
    page = tab.page
    assert _ids(tab) == [t["id"] for t in tasks[: lists.FIRST_ROWS]]
    assert page.locator(".ld-count").inner_text() == f"显示 {len(tasks)} / 共 {len(tasks)} 条"
    assert page.locator("button.ld-more").inner_text() == f"显示更多（还有 {len(tasks) - lists.FIRST_ROWS} 条）"
    assert not page.locator(".ld-list-partial").is_visible()  # the note for readers without scripts
    # 显示更多 adds the next rows, in the page's order, and the keyboard goes on from the first of them.
    page.locator("button.ld-more").click()
    page.wait_for_function(f"() => document.querySelectorAll('#ld-table-tasks tbody tr').length === {2 * lists.FIRST_ROWS}")
    assert _ids(tab) == [t["id"] for t in tasks[: 2 * lists.FIRST_ROWS]]
    assert page.evaluate("document.activeElement.getAttribute('href')").endswith(f"/{tasks[lists.FIRST_ROWS]['id']}/")
    assert page.locator("button.ld-more").inner_text() == f"显示更多（还有 {len(tasks) - 2 * lists.FIRST_ROWS} 条）"
    assert tab.errors == []


@pytest.mark.browser
@pytest.mark.slow
def test_filters_find_every_matching_row(tab: Tab, large_url: str, tasks: list[dict[str, Any]]) -> None:
    _open(tab, large_url + "tasks/")
    page = tab.page
    first = {t["id"] for t in tasks[: lists.FIRST_ROWS]}
    # A status, and a leading unit whose tasks are mostly beyond the first page.
    status = max({t["status"] for t in tasks}, key=lambda s: sum(t["status"] == s and t["id"] not in first for t in tasks))
    units = {u for t in tasks for u in t.get("lead", [])}
    unit = max(sorted(units), key=lambda u: sum(u in t.get("lead", []) and t["id"] not in first for t in tasks))
    for select, value, wanted in (
        ("status", status, [t["id"] for t in tasks if t["status"] == status]),
        ("leads", unit, [t["id"] for t in tasks if unit in t.get("lead", [])]),
    ):
        page.click("form.ld-filters button[type=reset]")
        _settled(tab)
        page.select_option(f"select[data-filter={select}]", value)
        _settled(tab)
        assert page.locator(".ld-count").inner_text() == f"显示 {len(wanted)} / 共 {len(tasks)} 条", select
        assert _ids(tab) == wanted[: lists.FIRST_ROWS]
        assert set(wanted) - first  # rows the page does not hold
        assert _all_shown(tab) == wanted
    # A filter in the address loads the rows at once.
    page.goto(large_url + f"tasks/?status={status}")
    _settled(tab)
    assert page.locator(".ld-count").inner_text() == f"显示 {sum(t['status'] == status for t in tasks)} / 共 {len(tasks)} 条"
    assert tab.errors == []


@pytest.mark.browser
@pytest.mark.slow
def test_sorting_orders_every_row(tab: Tab, large_url: str, tasks: list[dict[str, Any]]) -> None:
    _open(tab, large_url + "tasks/")
    page = tab.page
    page.get_by_role("button", name="办理时限").click()
    page.wait_for_selector("thead th[aria-sort=ascending]")
    _settled(tab)
    deadlines = [str(t.get("deadline") or "—") for t in tasks]
    expected = page.evaluate("xs => xs.sort(new Intl.Collator('zh-Hans-CN', { numeric: true }).compare)", deadlines)
    shown = page.eval_on_selector_all("#ld-table-tasks tbody tr td[data-label=办理时限]", "cells => cells.map(c => c.textContent.trim())")
    assert shown == expected[: lists.FIRST_ROWS]
    assert set(_ids(tab)) - {t["id"] for t in tasks[: lists.FIRST_ROWS]}  # rows the page does not hold
    page.get_by_role("button", name="办理时限").click()
    page.wait_for_selector("thead th[aria-sort=descending]")
    shown = page.eval_on_selector_all("#ld-table-tasks tbody tr td[data-label=办理时限]", "cells => cells.map(c => c.textContent.trim())")
    assert shown == expected[::-1][: lists.FIRST_ROWS]
    assert len(_all_shown(tab)) == len(tasks)
    assert tab.errors == []


@pytest.mark.browser
@pytest.mark.slow
def test_without_scripts_the_first_rows_and_the_downloads(browser: Any, large_url: str, tasks: list[dict[str, Any]]) -> None:
    tab = Tab(browser, PHONE, java_script_enabled=False)
    try:
        tab.page.goto(large_url + "tasks/")
        assert tab.page.locator("#ld-table-tasks tbody tr").count() == lists.FIRST_ROWS
        note = tab.page.locator(".ld-list-partial")
        assert note.is_visible() and f"共 {len(tasks)} 条" in note.inner_text()
        assert not tab.page.locator("button.ld-more").is_visible()
        for link in note.locator("a").all():
            assert tab.page.request.get(link.evaluate("a => a.href")).ok
    finally:
        tab.close()


@pytest.mark.browser
@pytest.mark.slow
def test_a_long_list_fits_a_phone(phone: Tab, large_url: str) -> None:
    _open(phone, large_url + "tasks/")
    phone.page.locator("button.ld-more").click()
    phone.page.wait_for_function(f"() => document.querySelectorAll('#ld-table-tasks tbody tr').length === {2 * lists.FIRST_ROWS}")
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    assert (
        phone.page.locator("#ld-table-tasks tbody tr").nth(lists.FIRST_ROWS).locator("td").first.evaluate("td => getComputedStyle(td, '::before').content")
        == '"任务名称："'
    )
    assert phone.errors == []
