"""The history the built site shows: record timelines, the recent-changes page and the Atom feed,
from a real Git repository with fixed dates; a shallow clone and a folder without Git say so."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from ..helpers import Git
from .conftest import REPO, Site, build, contents, copy_project, is_public, read_records, serve

# Each test builds the site or reads the build of a module-wide repository with a real history.
pytestmark = pytest.mark.slow

ATOM = "{http://www.w3.org/2005/Atom}"
TASK = "registry/tasks/task-0013.yaml"
INTERNAL_SUBJECT = "INTERNAL-ONLY-SUBJECT-4711"
REMOTE = "https://github.com/example-org/liandong.git"


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{rel} no longer contains {old!r}: update this test's edits"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def commit(git: Git, subject: str, date: str, author: str = "Liandong Bot") -> str:
    return git.commit(subject, date=date, author=author)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The bundled registry in a real repository, task-0013 grown over four commits:
    created 已交办 → 办理中 with a progress entry → extended with a new deadline; and one
    commit that touches only an internal record."""
    root = copy_project(tmp_path_factory.mktemp("history") / "repo")
    final = (root / TASK).read_text(encoding="utf-8")
    start, progress = final.split("progress:\n", 1)
    first_entry = "progress:\n" + "".join(re.split(r"(?m)^(?=  - date:)", progress)[1:2])
    (root / TASK).write_text(start.replace("status: in_progress", "status: assigned"), encoding="utf-8")
    git = Git(root)
    git("remote", "add", "origin", REMOTE)
    shas = {"created": commit(git, "登记册初始记录", "2026-06-15T09:00:00+08:00")}
    (root / TASK).write_text(start.replace("status: in_progress", "status: in_progress") + first_entry, encoding="utf-8")
    shas["progress"] = commit(git, "task-0013 报送第一次进展", "2026-06-29T17:30:00+08:00", author="东兴市自然资源局 李明")
    edit(root, TASK, "status: in_progress", "status: extended")
    edit(root, TASK, "deadline: 2026-06-30", "deadline: 2026-09-30")
    (root / TASK).write_text(
        (root / TASK).read_text(encoding="utf-8")
        + ("extensions:\n  - requested: 2026-06-28\n    approved_by: org-dxsyq-committee\n    new_deadline: 2026-09-30\n    reason: 需要补充测绘。\n"),
        encoding="utf-8",
    )
    shas["extended"] = commit(git, "task-0013 延期至 9 月底", "2026-07-02T10:00:00+08:00")
    edit(root, "registry/coordination/coord-0004.yaml", "status: open", "status: coordinating")
    shas["internal"] = commit(git, INTERNAL_SUBJECT, "2026-07-03T10:00:00+08:00")
    return root, shas


@pytest.fixture(scope="module")
def history_site(repo: tuple[Path, dict[str, str]]) -> Site:
    root, _ = repo
    done = build(root, root.parent / "public")
    assert done.returncode == 0, done.stderr
    assert "注意" not in done.stderr, "a full history needs no note"
    return Site(None, root.parent / "public", False)  # type: ignore[arg-type]


def page(site: Site, url: str) -> str:
    return (site.output / url / "index.html").read_text(encoding="utf-8")


def timeline(html: str) -> list[str]:
    """The timeline's entries as plain text, oldest first."""
    section = html.split('id="history"', 1)[1].split("</section>", 1)[0]
    items = re.findall(r"<li><p class=\"ld-commit\">(.*?)</ul></li>", section, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip() for item in items]


def test_record_timeline_tells_creation_status_progress_and_extension(history_site: Site, repo: tuple[Path, dict[str, str]]) -> None:
    _, shas = repo
    entries = timeline(page(history_site, "tasks/task-0013"))
    assert len(entries) == 3, entries
    created, progressed, extended = entries
    # The time the usual Chinese way; an English author name shown as the maintainers (#13 part 4).
    assert created.startswith("2026年6月15日上午9:00 · 登记册维护人员 · " + shas["created"][:7]) and "创建记录" in created
    assert "2026年6月29日下午5:30 · 东兴市自然资源局 李明" in progressed
    assert "状态：已交办 → 办理中" in progressed and "新增办理进度" in progressed and "已完成现场踏勘" in progressed
    assert "状态：办理中 → 已延期" in extended
    assert "办理时限：2026-06-30 → 2026-09-30" in extended and "批准" in extended and "需要补充测绘" in extended
    # The extension is told with the deadline it moved, not once more on its own.
    assert "新增延期" not in extended


def test_timeline_links_each_commit_on_the_hosting_service(history_site: Site, repo: tuple[Path, dict[str, str]]) -> None:
    _, shas = repo
    html = page(history_site, "tasks/task-0013")
    assert f'href="https://github.com/example-org/liandong/commit/{shas["extended"]}"' in html


def test_recent_changes_newest_first_and_nothing_internal(history_site: Site, repo: tuple[Path, dict[str, str]]) -> None:
    _, shas = repo
    html = page(history_site, "changes")
    order = [html.find(f'id="commit-{shas[key]}"') for key in ("extended", "progress", "created")]
    assert -1 not in order and order == sorted(order), order
    assert INTERNAL_SUBJECT not in html and shas["internal"] not in html and "coord-0004" not in html
    # Each commit is told in Chinese by what it did, not by its message (written for maintainers).
    assert "报送第一次进展" not in html and "修改 1 条记录" in html
    # The first commit created every public record: one list of them, not a section each.
    first = html.split(f'id="commit-{shas["created"]}"', 1)[1].split("</section>", 1)[0]
    created = re.search(r"新建 (\d+) 条记录：(.*?)</p>", first, re.S)
    assert created and 'href="../tasks/task-0013/"' in created[2] and "ld-change-record" not in first
    public = [r for r in read_records(REPO / "registry") if is_public(r)]
    assert int(created[1]) == created[2].count("<a ") == len(public)


def test_atom_feed_is_well_formed_and_public(history_site: Site, repo: tuple[Path, dict[str, str]]) -> None:
    _, shas = repo
    text = contents(history_site.output / "data/changes.atom")
    feed = ET.fromstring(text.encode("utf-8"))
    entries = feed.findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") or "" for e in entries]
    # Each title says in Chinese what changed, never the commit subject ("task-0013 延期至 9 月底"…).
    task = "督办任务《核实某片区项目用地规划条件》："
    assert titles[0] == task + "状态 办理中 → 已延期；办理时限 2026-06-30 → 2026-09-30"
    assert titles[1] == task + "状态 已交办 → 办理中；新增办理进度"
    public = [r for r in read_records(REPO / "registry") if is_public(r)]
    assert titles[2].endswith(f"：创建记录（等 {len(public)} 条记录）")
    assert not any(subject in text for subject in ("延期至 9 月底", "报送第一次进展", "登记册初始记录"))
    assert feed.findtext(f"{ATOM}updated") == "2026-07-02T10:00:00+08:00"
    assert "状态 办理中 → 已延期" in (entries[0].findtext(f"{ATOM}content") or "")
    # Built without the site's address: a reader could not resolve a link, so there is none.
    assert feed.find(f"{ATOM}link") is None and all(e.find(f"{ATOM}link") is None for e in entries)
    assert INTERNAL_SUBJECT not in text and "coord-0004" not in text and shas["internal"] not in text


def test_internal_build_shows_internal_history(repo: tuple[Path, dict[str, str]]) -> None:
    root, _ = repo
    output = root.parent / "internal"
    assert build(root, output, "--internal").returncode == 0
    assert INTERNAL_SUBJECT in page(Site(None, output, True), "changes")  # type: ignore[arg-type]


def test_shallow_clone_says_history_is_partial_and_invents_no_creation(repo: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    root, _ = repo
    clone = tmp_path / "shallow"
    Git(root, init=False).clone(clone, "--depth", "1")
    done = build(clone, tmp_path / "public")
    assert done.returncode == 0, done.stderr
    assert "浅克隆" in done.stderr and "fetch-depth: 0" in done.stderr
    site = Site(None, tmp_path / "public", False)  # type: ignore[arg-type]
    html = page(site, "tasks/task-0013")
    assert "浅克隆" in html and "创建时间不详" in html
    assert "创建记录" not in html and "2026-06-15" not in html.split('id="history"', 1)[1]


def test_without_git_the_site_says_there_is_no_history(public_site: Site) -> None:
    html = page(public_site, "tasks/task-0001")
    assert "没有修改历史" in html and "fetch-depth: 0" in html
    assert "没有修改历史" in page(public_site, "changes")


@pytest.mark.browser
def test_a_record_page_shows_its_timeline_in_chromium(history_site: Site, browser: Any) -> None:
    tab = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        for url in serve(history_site.output):
            tab.goto(url + "tasks/task-0013/")
            tab.get_by_role("heading", name="修改历史").scroll_into_view_if_needed()
            assert tab.get_by_role("heading", name="修改历史").is_visible()
            items = tab.locator("ol.ld-timeline > li")
            assert items.count() == 3
            items.nth(2).scroll_into_view_if_needed()
            assert items.nth(2).is_visible() and "办理中 → 已延期" in items.nth(2).inner_text()
            assert tab.locator("ol.ld-timeline a[href*='/commit/']").count() == 3
    finally:
        tab.close()


def test_feed_links_go_to_the_record_once_the_site_address_is_known(repo: tuple[Path, dict[str, str]]) -> None:
    root, shas = repo
    output = root.parent / "published-feed"
    assert build(root, output, env={"LIANDONG_SITE_URL": "https://example.org/r/"}).returncode == 0
    feed = ET.fromstring((output / "data/changes.atom").read_bytes())
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None and self_link.get("href") == "https://example.org/r/data/changes.atom"
    links = [link.get("href") for e in feed.findall(f"{ATOM}entry") if (link := e.find(f"{ATOM}link")) is not None]
    # One record changed: its page. The first commit created them all: that commit on 最近修改.
    assert links == ["https://example.org/r/tasks/task-0013/"] * 2 + [f"https://example.org/r/changes/#commit-{shas['created']}"]

    # sitemap.xml: a record's lastmod is its last commit (Beijing date), not the build date.
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    lastmod = dict(re.findall(r"<loc>([^<]+)</loc>\s*<lastmod>([^<]+)</lastmod>", sitemap))
    assert lastmod["https://example.org/r/tasks/task-0013/"] == "2026-07-02"
    assert lastmod["https://example.org/r/tasks/task-0001/"] != lastmod["https://example.org/r/tasks/task-0013/"]
    assert (output / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nAllow: /\nSitemap: https://example.org/r/sitemap.xml\n"
