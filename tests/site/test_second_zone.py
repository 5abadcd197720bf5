"""A second registry keeps the product honest about being any zone's (#19): tests/registries/second-zone/
is an invented zone — every record `example: true`, its own registry/liandong.yaml, a measure numbered
by articles (第六条第二款), powers held by 授权 and 直接行使, a joint meeting convened by two
governments under a leading group, escalation to the province and to a county — validated, built
with the real CLI, read in Chromium and checked by `check-changes`, beside the bundled registry.

No word of the bundled registry (its bodies, places, documents, ids) may appear anywhere in the
second site: tests/unit/test_no_zone_in_the_product.py says which words those are."""

from __future__ import annotations

import datetime
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from liandong.validation.pipeline import validate

from ..helpers import REPO, Git, clean_env, copy_tree
from ..unit.test_no_zone_in_the_product import hits, zone_words
from .conftest import TODAY, Project, Site, Tab, _built, contents, copy_project, fingerprint, serve

SECOND = REPO / "tests" / "registries" / "second-zone" / "registry"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def second(tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = copy_project(tmp_path_factory.mktemp("second") / "repo", SECOND)
    return Project(root, fingerprint(root))


@pytest.fixture(scope="module")
def second_site(second: Project) -> Site:
    return _built(second, second.root.parent / "public", internal=False)


@pytest.fixture(scope="module")
def second_url(second_site: Site) -> Iterator[str]:
    yield from serve(second_site.output)


def _page(site: Site, url: str) -> str:
    """A page's main text, tags dropped and spaces squeezed."""
    html = (site.output / url / "index.html").read_text(encoding="utf-8")
    article = re.search(r"<article.*?</article>", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", article.group(0) if article else html)
    return re.sub(r"\s+", " ", text)


def test_every_record_of_the_second_registry_is_an_example_and_it_validates(second: Project) -> None:
    assert second.records() and all(r.get("example") is True for r in second.records())
    result = validate(second.root, today=datetime.date.fromisoformat(TODAY))
    assert result.diagnostics == [], [f"{d.path}:{d.line}: {d.message}" for d in result.diagnostics]
    assert result.schemas.configuration.title == "南湾—北岭合作区协同工作登记册（示例）"
    # Its own code list: a leading group is a kind here without any code saying so.
    assert result.schemas.types["mechanisms"].enum_labels(("kind",))["leading_group"] == "领导小组"


def test_the_second_site_names_nothing_of_the_bundled_registry(second_site: Site) -> None:
    files = [p for p in second_site.output.rglob("*") if p.is_file() and p.suffix in {".html", ".json", ".js", ".xml", ".csv", ".ics", ".atom", ".txt", ".css"}]
    assert len(files) > 40
    assert hits(files, zone_words()) == []
    # Pagefind's index is gzipped: read it unpacked.
    index = [p for p in second_site.output.rglob("pagefind/**/*") if p.is_file() and p.suffix in {".pf_fragment", ".pf_meta", ".pf_index"}]
    assert index and not [p.name for p in index if any(w in contents(p) for w in zone_words())]


def test_the_second_site_says_what_its_records_say(second_site: Site) -> None:
    home = _page(second_site, ".")
    assert "南湾—北岭合作区协同工作登记册（示例）" in home and "青禾省南湾—北岭合作区由南湾市和北岭市两市人民政府共同管理" in home
    # Escalated to the province and, as its configuration allows, to a county government.
    assert "报青禾省人民政府，已等待 71 天" in home and "报青石县人民政府，已等待 46 天" in home
    assert "经 青禾省人民政府 示例 授权，由 南湾—北岭合作区管理委员会 示例 以自己的名义实施" in _page(second_site, "powers/power-0001")
    assert "由 南湾—北岭合作区管理委员会 示例 依法直接行使" in _page(second_site, "powers/power-0002")
    meeting = _page(second_site, "mechanisms/mech-example-joint-meeting")
    assert "南湾市人民政府 示例 、 北岭市人民政府 示例 （共同召集）" in meeting and "上级机制 合作区建设领导小组" in meeting
    assert "联席会议协商不一致的事项 青禾省人民政府" in meeting and "涉及所在县事权的 青石县人民政府" in meeting
    duty = _page(second_site, "tasks/task-0001")
    assert "《青禾省南湾—北岭合作区管理办法（示例）》第六条第二款" in duty and "可以办理" in duty and "不计逾期" in duty
    # Its own warning window: 60 days without progress, not the bundled registry's 30.
    assert "超过 60 天未更新" in _page(second_site, "coordination/coord-0001")


def test_the_configuration_sets_the_list_columns_and_filters(second_site: Site) -> None:
    powers = (second_site.output / "powers" / "index.html").read_text(encoding="utf-8")
    headers = re.findall(r'<th scope="col"><button type="button" class="ld-sort" data-col="\d+">([^<]+)</button>', powers)
    assert headers == ["事项名称", "行使方式", "授予单位", "实施主体", "状态"]  # lists.powers.columns, in its order
    tasks = (second_site.output / "tasks" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<label>来源文件\s*<select data-filter="source.document"><option value="">全部</option><option value="doc-example-zone-measures">', tasks)


def test_the_second_site_in_chromium(tab: Tab, second_url: str) -> None:
    page = tab.page
    page.goto(second_url)
    assert page.title() == "联动 · 南湾—北岭合作区协同工作登记册（示例）"
    page.get_by_role("link", name="跨县道路占用审批").first.click()
    page.wait_for_url("**/coordination/coord-0001/")
    assert "2026-10-10 报青石县人民政府，尚未答复" in page.locator("article.md-content__inner").inner_text()
    page.get_by_role("link", name="青石县人民政府").first.click()
    page.wait_for_url("**/organizations/org-example-qingshi-gov/")
    assert page.locator("h1").inner_text().startswith("青石县人民政府")
    assert "县级" in page.locator("article.md-content__inner").inner_text()
    # The tasks list filtered by the measure they come from.
    page.goto(second_url + "tasks/")
    page.select_option("select[data-filter='source.document']", "doc-example-zone-measures")
    assert page.locator("table[id^=ld-table-] tbody tr:visible").count() == 2
    assert tab.errors == [] and tab.dialogs == []


def _check_changes(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "liandong", "check-changes", "--base", "main", "--root", str(root)],
        cwd=root,
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=120,
    )


def test_check_changes_judges_the_second_registry(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    git = Git(root)
    copy_tree(REPO / "schemas", root / "schemas")
    copy_tree(SECOND, root / "registry")
    git.commit("第二个登记册")
    git("switch", "-q", "-c", "progress")
    task = root / "registry" / "tasks" / "task-0002.yaml"
    original = task.read_text(encoding="utf-8")
    # A progress entry is fine; moving the deadline without an extension is refused.
    task.write_text(original + "progress:\n  - date: 2026-11-20\n    text: 规划初稿已完成。\n    by: org-example-zone-committee\n", encoding="utf-8")
    done = _check_changes(root)
    assert done.returncode == 0, done.stdout + done.stderr
    task.write_text(original.replace("deadline: 2026-12-31", "deadline: 2027-06-30"), encoding="utf-8")
    done = _check_changes(root)
    assert done.returncode == 1 and "registry/tasks/task-0002.yaml" in done.stdout, done.stdout + done.stderr
    assert not hits([_written(tmp_path, done.stdout)], zone_words())


def _written(folder: Path, text: str) -> Path:
    file = folder / "output.txt"
    file.write_text(text, encoding="utf-8")
    return file
