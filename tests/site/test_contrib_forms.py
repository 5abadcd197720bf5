"""The browser forms for staff who never touch Git (site/forms.py, javascripts/contribute.js), in
Chromium against built sites:

- the form's YAML is the text `liandong new` writes (yamlio/dumper.py), compared on every record of
  the bundled registry and on strings that need quoting;
- a task is created without seeing YAML (a unit picked by typing part of its Chinese name), and
  `liandong validate` accepts the file; wrong input shows the Chinese message at its field;
- 提交修改请求 opens the forge's new-file page with the exact text, served by a stand-in on
  127.0.0.1 that records the request; a text too long for a URL is copied and the page opened with
  the file name only;
- the draft survives a reload and is gone once discarded;
- 追加进度 gives the lines to insert, which `liandong validate` accepts once inserted;
- axe-core finds no serious or critical violation on the forms."""

from __future__ import annotations

import http.server
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from liandong.scaffold import next_id, record_text
from liandong.validation.messages import diagnostics_for
from liandong.validation.schema import SchemaSet
from liandong.yamlio.dumper import dump
from liandong.yamlio.loader import parse_text

from .conftest import DESKTOP, REPO, Project, Site, Tab, _built, copy_project, liandong, serve
from .test_access import blocking_violations

pytestmark = [pytest.mark.browser]

TASK_FORM = "contribute/tasks/new/"
UNIT_TYPED = "东兴市人民"  # part of a unit's Chinese name in the bundled registry
UNIT_ID = "org-dongxing-gov"
TRACKED_TASK = "tasks/task-0002/"  # open, no progress yet: the lines start the list
WITH_PROGRESS = "tasks/task-0016/"  # open, progress followed by extensions: the lines go in between


def open_form(page: Any, base: str, path: str = TASK_FORM) -> None:
    page.goto(base + path)
    page.wait_for_selector(".ld-new-form .ld-form")
    page.evaluate("LiandongForms.ready.form")


def form_yaml(page: Any) -> str:
    return str(page.evaluate("LiandongForms.ready.form.then(f => f.update().then(() => f.yaml()))"))


def problems(page: Any) -> list[str]:
    return list(page.evaluate("LiandongForms.ready.form.then(f => f.update()).then(ps => ps.map(p => p.message))"))


def field(page: Any, *keys: str) -> Any:
    """The input of a field by its keys, e.g. field(page, "source", "clause")."""
    selector = " ".join(f"[data-key={key}]" for key in keys)
    return page.locator(f".ld-new-form {selector}").locator("input, select, textarea").first


def pick(page: Any, input_locator: Any, typed: str, wanted: str) -> None:
    """Type part of a name in a reference picker and click the option with `wanted` (an id)."""
    input_locator.click()
    input_locator.fill(typed)
    option = page.locator(f"[role=listbox]:visible [role=option]:has-text('（{wanted}）')")
    option.first.click()


def fill_task(page: Any, title: str = "浏览器中新建的测试任务") -> None:
    field(page, "title").fill(title)
    pick(page, page.locator(".ld-new-form [data-key=lead] input").first, UNIT_TYPED, UNIT_ID)
    field(page, "source", "meeting").fill("mtg-0001")
    field(page, "source", "decision").fill("1")
    field(page, "duty").fill("第一行任务内容。\n第二行：说明。")
    field(page, "assigned").fill("2026-11-20")
    field(page, "deadline").fill("2026-12-31")


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(copy_project(tmp_path / "repo"))


def accepted(project: Project, path: str, text: str) -> str:
    """`liandong validate` of the registry with `text` written at `path`; its output when it fails."""
    (project.root / path).write_text(text, encoding="utf-8")
    done = liandong(project.root, "validate")
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


# -- the text ------------------------------------------------------------------------------------

TRICKY = [
    "",
    "true",
    "null",
    "~",
    "123",
    "-7",
    "1.5",
    "1e5",
    "2026-01-01",
    "it's",
    "a: b",
    "a:b",
    "#x",
    "a #x",
    "- a",
    "-a",
    "? q",
    "@x",
    "`x",
    "'q'",
    '"q"',
    "x\\y",
    " lead",
    "trail ",
    "中文：冒号",
    "多行\n文字",
    "多行\n\n  缩进\n",
    " 开头空格\n第二行",
    "行尾空格 \n第二行",
    "制表\t符",
    "---",
    "...x",
    "[a]",
    "{a}",
    "a, b",
    "𠀀 astral",
    "\u00a0nbsp",
]


def test_yaml_is_the_dumpers_on_every_record(tab: Tab, public_url: str) -> None:
    """yamlText in the browser writes byte for byte what yamlio/dumper.py writes, for every record
    of the bundled registry (nested lists, literal blocks) and for strings that need quoting."""
    open_form(tab.page, public_url)
    data = []
    for path in sorted((REPO / "registry").glob("*/*.yaml")):
        loaded, problems = parse_text(str(path), path.read_text(encoding="utf-8"))
        assert not problems and isinstance(loaded, dict)
        data.append(loaded)
    data.append({"tricky": TRICKY, "nested": [{"k": value} for value in TRICKY], "deep": {"a": {"b": TRICKY[-12:]}}, "empty": [], "none": {}})
    written = tab.page.evaluate("items => items.map(d => LiandongForms.yamlText(d))", data)
    for item, text in zip(data, written):
        assert text == dump(item), item.get("id", "tricky strings")
    assert tab.errors == []


# -- a new task --------------------------------------------------------------------------------


def test_a_task_created_in_the_browser_is_valid(tab: Tab, public_url: str, project: Project) -> None:
    """Filled in like a person would (the unit chosen by typing part of its name), the form's file
    is the one `liandong new` writes for the same fields, and the registry with it validates."""
    page = tab.page
    open_form(page, public_url)
    fill_task(page)
    assert page.locator(".ld-new-form [data-key=lead] .ld-picker-name").first.inner_text() == "东兴市人民政府"
    assert problems(page) == []
    text = form_yaml(page)
    data, found = parse_text("x.yaml", text)
    assert not found and isinstance(data, dict)
    schemas = SchemaSet.for_root(project.root)
    assert text == record_text(schemas.types["tasks"], data)
    assert data["lead"] == [UNIT_ID] and data["duty"] == "第一行任务内容。\n第二行：说明。"
    assert data["id"] == next_id(schemas.types["tasks"], (p.stem for p in (project.root / "registry").glob("*/*.yaml")))
    accepted(project, f"registry/tasks/{data['id']}.yaml", text)
    assert tab.errors == []


def test_wrong_input_is_told_at_its_field(tab: Tab, public_url: str) -> None:
    """An id in the wrong form, a unit that does not exist and a missing title: each Chinese
    message stands below its own field once the person tries to submit."""
    page = tab.page
    open_form(page, public_url)
    fill_task(page)
    field(page, "id").fill("Task 1")
    lead = page.locator(".ld-new-form [data-key=lead] input").first
    lead.fill("不存在的单位")
    field(page, "title").fill("   ")
    page.locator("[data-action=download]").click()
    page.wait_for_selector(".ld-new-form [data-key=id] [aria-invalid=true]")
    error = page.locator(".ld-new-form .ld-field[data-key=id] .ld-field-error").inner_text()
    assert "编号 “Task 1” 的写法不正确" in error
    lead_error = page.locator(".ld-new-form [data-key=lead] .ld-field .ld-field-error").first.inner_text()
    assert "单位 “不存在的单位” 不存在" in lead_error
    assert "缺少必填字段 “title”（任务名称）" in page.locator(".ld-new-form .ld-field[data-key=title] .ld-field-error").inner_text()
    assert "请先按红字修改" in page.locator(".ld-new-form .ld-form-note").inner_text()
    assert page.locator(".ld-form-summary").inner_text().startswith("还有 ")


# -- the forge -------------------------------------------------------------------------------------


class WebForge:
    """A stand-in for the forge's web pages: records each GET (path and query) and answers a page."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.url = ""

    def __enter__(self) -> WebForge:
        forge = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urllib.parse.urlsplit(self.path)
                if parts.path == "/favicon.ico":
                    self.send_error(404)
                    return
                forge.requests.append((urllib.parse.unquote(parts.path), dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))))
                body = b"<!doctype html><title>forge</title><p>new file</p>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/owner/registry"
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def web_forge() -> Iterator[WebForge]:
    with WebForge() as forge:
        yield forge


@pytest.fixture(scope="module")
def forge_url(web_forge: WebForge, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The bundled site built with LIANDONG_REPO_URL set to the stand-in forge, served."""
    root = tmp_path_factory.mktemp("forge-site")
    project = Project(copy_project(root / "repo"))
    site: Site = _built(project, root / "public", internal=False, env={"LIANDONG_REPO_URL": web_forge.url, "LIANDONG_REPO_BRANCH": "main"})
    yield from serve(site.output)


def test_submit_opens_the_new_file_page_with_the_text(tab: Tab, forge_url: str, web_forge: WebForge) -> None:
    page = tab.page
    open_form(page, forge_url)
    fill_task(page)
    text = form_yaml(page)
    web_forge.requests.clear()
    with tab.context.expect_page() as opened:
        page.locator("[data-action=submit]").click()
    opened.value.wait_for_load_state()
    path, query = web_forge.requests[-1]
    assert path == "/owner/registry/new/main/registry/tasks"
    assert query["filename"] == text.splitlines()[1].removeprefix("id: ") + ".yaml"
    assert query["value"] == text
    assert "文件名和内容都已填好" in page.locator(".ld-new-form .ld-form-note").inner_text()
    page.reload()
    page.wait_for_selector(".ld-new-form .ld-form")
    assert page.locator(".ld-form-restored").count() == 0, "a submitted draft is not offered again"


def test_a_text_too_long_for_a_url_is_copied(browser: Any, forge_url: str, web_forge: WebForge) -> None:
    """About 8 KB fit in a URL and a Chinese character takes 9 bytes there: a long duty goes by
    the clipboard, the page is opened with the file name only, and the note says so."""
    tab = Tab(browser, DESKTOP, permissions=["clipboard-read", "clipboard-write"])
    try:
        page = tab.page
        open_form(page, forge_url)
        fill_task(page)
        field(page, "duty").fill("跨境合作区联动工作任务内容。" * 80)
        text = form_yaml(page)
        assert len(urllib.parse.quote(text)) > 8000
        web_forge.requests.clear()
        with tab.context.expect_page() as opened:
            page.locator("[data-action=submit]").click()
        opened.value.wait_for_load_state()
        path, query = web_forge.requests[-1]
        assert path == "/owner/registry/new/main/registry/tasks" and "value" not in query and query["filename"].endswith(".yaml")
        assert page.evaluate("navigator.clipboard.readText()") == text
        assert "已复制到剪贴板" in page.locator(".ld-new-form .ld-form-note").inner_text()
    finally:
        tab.close()


def test_record_pages_link_to_the_forge_edit_page(tab: Tab, forge_url: str, web_forge: WebForge) -> None:
    tab.page.goto(forge_url + TRACKED_TASK)
    link = tab.page.locator("a.ld-edit-link")
    assert link.get_attribute("href") == f"{web_forge.url}/edit/main/registry/tasks/task-0002.yaml"
    assert link.inner_text() == "修改此记录"


# -- nothing typed is lost ---------------------------------------------------------------------------


def test_the_draft_survives_a_reload_until_discarded(tab: Tab, public_url: str) -> None:
    page = tab.page
    open_form(page, public_url)
    fill_task(page, "还没提交的草稿")
    before = form_yaml(page)
    page.reload()
    page.wait_for_selector(".ld-new-form .ld-form")
    assert "已恢复上次未提交的草稿" in page.locator(".ld-form-restored").inner_text()
    assert field(page, "title").input_value() == "还没提交的草稿"
    assert form_yaml(page) == before
    page.locator("[data-action=discard]").click()
    page.wait_for_selector(".ld-form-restored", state="detached")
    assert field(page, "title").input_value() == ""
    page.reload()
    page.wait_for_selector(".ld-new-form .ld-form")
    assert page.locator(".ld-form-restored").count() == 0


# -- 追加进度 ------------------------------------------------------------------------------------------


def append_form(page: Any, base: str, path: str) -> None:
    page.goto(base + path)
    page.locator("details[data-ld-append] > summary").click()
    page.wait_for_selector("details[data-ld-append] .ld-form")
    page.evaluate("LiandongForms.ready.progress")


@pytest.mark.parametrize("record", [WITH_PROGRESS, TRACKED_TASK])
def test_a_progress_entry_appended_in_the_browser_is_valid(tab: Tab, public_url: str, project: Project, record: str) -> None:
    """The lines go where the page says (after the last entry, or a new list), dated today by
    default, and the registry validates with them; a date before the last entry is refused at the field."""
    page = tab.page
    append_form(page, public_url, record)
    box = page.locator("details[data-ld-append]")
    box.locator("[data-key=text] textarea").fill("已完成现场核查，正在起草办理意见。")
    lines = str(page.evaluate("LiandongForms.ready.progress.then(f => f.update().then(() => f.lines()))"))
    assert "text: 已完成现场核查，正在起草办理意见。" in lines
    where = box.locator(".ld-append-where").inner_text()
    line = int(where.split("第 ")[1].split(" 行")[0])
    file = f"registry/{record.rstrip('/')}.yaml"
    original = (project.root / file).read_text(encoding="utf-8").splitlines(keepends=True)
    updated = "".join(original[:line]) + lines + "".join(original[line:])
    accepted(project, file, updated)
    data, _ = parse_text("x", updated)
    before, _ = parse_text("x", "".join(original))
    assert data is not None and before is not None
    assert data["progress"][:-1] == before.get("progress", []) and data["progress"][-1]["text"] == "已完成现场核查，正在起草办理意见。"
    assert {k: v for k, v in data.items() if k != "progress"} == {k: v for k, v in before.items() if k != "progress"}
    if not before.get("progress"):
        return
    box.locator("[data-key=date] input").fill("2000-01-01")
    page.evaluate("LiandongForms.ready.progress.then(f => f.update())")
    assert "早于上一条记录的日期" in box.locator(".ld-field[data-key=date] .ld-field-error").inner_text()


# -- accessibility ---------------------------------------------------------------------------------


def test_axe_finds_nothing_serious_on_the_forms(tab: Tab, public_url: str) -> None:
    page = tab.page
    open_form(page, public_url)
    fill_task(page)
    page.locator(".ld-form-later > summary").click()
    found = blocking_violations(page)
    append_form(page, public_url, TRACKED_TASK)
    found += blocking_violations(page)
    assert found == []


def test_every_type_has_a_form_with_the_validators_messages(tab: Tab, public_url: str) -> None:
    """Each type's form draws, and on the record it starts with (id, initial state, public) the
    browser gives the same Chinese messages as `liandong validate`'s schema stage."""
    schemas = SchemaSet.for_root(REPO)
    page = tab.page
    for name, ts in schemas.types.items():
        open_form(page, public_url, f"contribute/{name}/new/")
        page.evaluate("localStorage.clear()")
        data = page.evaluate("LiandongForms.ready.form.then(f => f.update().then(() => f.current.data))")
        assert data["id"].startswith(ts.id_prefix + "-") and data["status"] in ts.lifecycle.initial, name
        shown = sorted(set(problems(page)))
        python = sorted({d.message for d in diagnostics_for(f"registry/{name}/x.yaml", ts, schemas.errors(name, data))})
        assert shown == python, (name, shown, python)
    assert tab.errors == []
