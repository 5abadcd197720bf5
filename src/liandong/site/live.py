"""`liandong serve`: the live preview, kept in memory and rendered again page by page.

MkDocs' own `serve` rebuilds the whole site on every save (26 s at 10,000 records). Here the site is
built once by MkDocs into a temporary folder, as `liandong build` does; then each save, which the
system tells of (site/watching.py), is handled alone: only the files whose bytes changed are parsed
and schema-checked again (validation.files.ParseCache, which also keeps what the one-record rules
found), the cross-record rules run over the whole registry, the model is built again, and only the
pages the change can show differently are rendered (`affected`), through MkDocs' own page renderer
and the theme, and written where the build put them: the edited records' first, then the rest,
which a newer save cuts short (it is owed to the next update, so the edited page never waits for
the last edit's). A page whose text is unchanged is not rendered at all. The downloads and other data files are made again when one of
them is asked for. A save that breaks the registry shows its diagnostics in the browser (escaped)
until the next good save; a change to schemas/ or the configuration builds everything again.

Browsers learn of a change by a long poll (RELOAD_PATH) from a script added to every HTML answer;
the files on disk are the build's, without it, so tests/test_live.py can compare them with a full
build. A change to site/ or mkdocs.yml builds everything again too."""

from __future__ import annotations

import datetime
import html
import http.server
import logging
import os
import re
import shutil
import signal
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from liandong.diagnostics import Diagnostic
from liandong.errors import RegistryHasErrors
from liandong.model.model import Model
from liandong.model.visibility import hidden_ids, public_record
from liandong.model.workdays import registry_calendar
from liandong.repo import REGISTRY_DIR, SCHEMAS_DIR, no_gc
from liandong.site.pipeline import SiteContent, assemble, published, site_files
from liandong.site.render import Page
from liandong.site.watching import Told
from liandong.validation.configuration import CONFIG_PATH
from liandong.validation.files import ParseCache
from liandong.validation.pipeline import Result, validate
from liandong.validation.schema import SchemaSet

log = logging.getLogger(__name__)

RELOAD_PATH = "/__liandong__/reload"
ROW_FILE = re.compile(r"^[a-z]+/rows/\d+\.json$")  # a long list's rows (lists.row_files)
SITE_DIR, MKDOCS_FILE = "site", "mkdocs.yml"  # docs_dir and the configuration: a change builds everything again
WAIT_SECONDS = 25  # a long poll is answered after this at the latest
RELOAD_SCRIPT = (
    "<script>(function(){var v=%d;function poll(){fetch('%s?v='+v).then(function(r){return r.json()})"
    ".then(function(d){if(d.version!==v){location.reload()}else{poll()}},function(){setTimeout(poll,1000)})}poll()})();</script>"
)


def _neighbours(model: Model, ids: Iterable[str]) -> set[str]:
    """The records that refer to these or that these refer to: their pages show each other's
    titles, states and counts."""
    found: set[str] = set()
    for rid in ids:
        item = model.get(rid)
        if item is None:
            continue
        found.update(r.target.id for r in model.refers_to(item))
        found.update(r.source.id for r in model.incoming.get(rid, []))
    return found


def changed_ids(old: Model, new: Model) -> set[str]:
    """Records added, removed or whose file changed."""
    found = {rid for rid in old.items.keys() ^ new.items.keys()}
    found.update(rid for rid, item in new.items.items() if rid in old.items and old.items[rid].record.text != item.record.text)
    return found


def affected(old: Model, new: Model, changed: set[str]) -> set[str]:
    """The record pages an edit of `changed` can alter: the records themselves, the records they
    refer to and that refer to them (before and after the edit), and one step further out from
    the records they refer to (a meeting's mechanism charts the tasks its meetings assigned; a
    decision's chain runs from the meeting through its tasks)."""
    near = changed | _neighbours(old, changed) | _neighbours(new, changed)
    out = {r.target.id for model in (old, new) for rid in near if (item := model.get(rid)) is not None for r in model.refers_to(item)}
    return (near | out) & set(new.items)


class LiveSite:
    """The preview's state: the built folder, what MkDocs rendered with, the registry in memory."""

    def __init__(self, root: Path, today: datetime.date, internal: bool) -> None:
        self.root = root
        self.today = today
        self.internal = internal
        self.output = Path(tempfile.mkdtemp(prefix="liandong-serve-"))
        self.version = 0
        self.changed = threading.Condition()
        self.lock = threading.Lock()  # one update at a time; answers wait for it
        self.errors: list[Diagnostic] = []
        self.failure = ""  # a build that failed for another reason, in Chinese
        self.plugin: Any = None
        self.content: SiteContent | None = None
        self.cache = ParseCache()
        self.schemas: SchemaSet | None = None
        self.result: Result | None = None
        self.texts: dict[str, str] = {}  # page path → the text MkDocs last rendered
        self.files_stale = False
        self.rows_stale = False
        self.file_paths: set[str] = set()
        self.owed: set[str] | None = None  # an update was cut short: these records' pages and the site pages are still to render

    # -- building ---------------------------------------------------------------------------------

    def start(self) -> None:
        """Everything, as `liandong build` makes it (without the search index)."""
        from mkdocs.commands.build import build as mkdocs_build
        from mkdocs.exceptions import Abort, MkDocsException

        from liandong.site.build import _configure
        from liandong.site.plugin import LiandongPlugin

        shutil.rmtree(self.output, ignore_errors=True)
        self.output.mkdir(parents=True)
        config = _configure(self.root, self.output, self.today, self.internal, preview=True)
        config.strict = False  # the preview shows what it can; `liandong build` stays strict
        self.cache = ParseCache()
        plugin = config.plugins["liandong"]
        assert isinstance(plugin, LiandongPlugin)
        plugin.parse_cache = self.cache  # the build's validation fills it
        try:
            mkdocs_build(config)
        except (Abort, MkDocsException) as err:
            self._failed(err)
            return
        self.plugin = plugin
        self.content = self.plugin.content
        assert self.content is not None and self.content.result is not None
        self.result = self.content.result
        self.schemas = self.result.schemas
        self.texts = {page.path: page.text for page in self.content.pages}
        self.file_paths = set()  # the data files are made on the first ask (the downloads take long)
        self.errors, self.failure, self.files_stale, self.rows_stale, self.owed = [], "", True, True, None

    def _failed(self, err: BaseException) -> None:
        cause = err.__cause__ or err.__context__
        while cause is not None and not isinstance(cause, RegistryHasErrors):
            cause = cause.__cause__ or cause.__context__
        if isinstance(cause, RegistryHasErrors):
            self.errors, self.failure = cause.diagnostics, ""
        else:
            self.errors, self.failure = [], str(err)
        self.plugin = None

    def update(self, newer: Callable[[], bool] = lambda: False) -> float:
        """Take in the registry as it is on disk now; the seconds it took. When `newer` says a
        later save waits, the pages around the edit are left for the next update (self.owed)."""
        started = time.monotonic()
        if self.plugin is None or self.schemas is None or self.content is None:
            self.start()  # the last full build failed: try again from the start
            return time.monotonic() - started
        # The preview holds the whole site in memory: until the edited page is written, the
        # collector would only walk it again and again (a fifth of the validation at 10,000 records).
        with no_gc():
            edit = self._edited(self.content)
        if edit is None:
            if self.owed is not None and not self.errors:
                self._render_around(self.content, set(), newer)
        else:
            self.bump()
            self._render_around(self.content, edit, newer)
        return time.monotonic() - started

    def _edited(self, before: SiteContent) -> set[str] | None:
        """Validate, and render the pages of the records that changed (so the one being edited
        shows at once); the records around them, whose pages are still to render, or None when
        nothing changed or the registry has errors."""
        result = validate(self.root, self.schemas, today=self.today, cache=self.cache)
        errors = [d for d in result.diagnostics if d.severity == "error"]
        if errors:
            self.errors = errors
            return None
        self.errors = []
        old = before.model
        model = self._model(old, result)
        changed = changed_ids(old, model)
        if not changed and self.result is not None:
            self.result = result
            return None
        history, repo_url = before.history, self.plugin_repo_url()
        content = assemble(self.root, result, self.today, self.internal, "", history, repo_url, only=changed, with_files=False, model=model, site_pages=False)
        prefixes = [language.prefix for language in content.renderer.languages]  # every edition's page of a removed record
        gone = {prefix + old.items[rid].source_path for rid in changed if rid not in model.items for prefix in prefixes}
        self._render(content, content.pages, gone=gone)
        self.content, self.result, self.files_stale, self.rows_stale = content, result, True, True
        return affected(old, model, changed) - changed

    def _render_around(self, content: SiteContent, ids: set[str], newer: Callable[[], bool]) -> None:
        """The pages of `ids` and of the records owed from an update cut short, and every page
        that is not a record's; cut short in turn (all of it owed) when a newer save waits."""
        ids = (ids | (self.owed or set())) & set(content.model.items)
        self.owed = ids
        for job in content.renderer.page_jobs(ids):
            if newer():
                return
            self._render(content, job(), gone=set())
        self.owed = None

    def _model(self, old: Model, result: Result) -> Model:
        """The published model of `result`, made from `old` where the same files gave the same
        records (ParseCache keeps their objects); anew when what is hidden changed."""
        if self.result is None:
            return published(result, self.internal)
        before = {r.id: r for r in self.result.valid}
        now = {r.id: r for r in result.valid}
        edited = {rid for rid, r in now.items() if before.get(rid) is not r} | (before.keys() - now.keys())
        calendar = registry_calendar(result.valid)
        if self.internal:
            return old.updated(result.valid, edited, calendar)
        hidden = hidden_ids(result.valid)
        if hidden != hidden_ids(self.result.valid):
            return published(result, self.internal)
        shown = [old.items[r.id].record if r.id in old.items and r.id not in edited else public_record(r, hidden) for r in result.valid if r.public]
        return old.updated(shown, edited, calendar)

    def plugin_repo_url(self) -> str | None:
        built = self.plugin.built if self.plugin is not None else None
        return built[0].repo_url if built is not None else None

    def _render(self, content: SiteContent, pages: list[Page], gone: set[str]) -> None:
        """MkDocs renders the pages whose text changed, with the files, nav and theme of the build."""
        from mkdocs.commands.build import _build_page, _populate_page
        from mkdocs.structure.files import File
        from mkdocs.structure.pages import Page as MkPage

        plugin = self.plugin
        config, files, nav, env = plugin.built
        plugin.content = content
        plugin.lastmod, plugin.newest = content.last_changed()
        plugin.alternates = content.alternates()
        for path in gone:
            file = files.get_file_from_path(path)
            if file is not None:
                Path(file.abs_dest_path).unlink(missing_ok=True)
                files.remove(file)
            self.texts.pop(path, None)
        fresh = [page for page in pages if self.texts.get(page.path) != page.text]
        for page in fresh:
            file = files.get_file_from_path(page.path)
            if file is None:
                file = File.generated(config, page.path, content=page.text)
                files.append(file)
            else:
                file.content_string = page.text
            plugin.generated.add(page.path)
            if file.page is None:
                MkPage(None, file, config)
        documentation = files.documentation_pages()
        for page in fresh:
            file = files.get_file_from_path(page.path)
            _populate_page(file.page, config, files)
            _build_page(file.page, config, documentation, nav, env)
            self.texts[page.path] = page.text

    def fresh_rows(self) -> None:
        """The long lists' row files (lists.py), made again on the first ask after an edit."""
        if not self.rows_stale or self.content is None:
            return
        from liandong.site.lists import list_row_files

        rows = list_row_files(self.content.renderer)
        self._write(rows)
        self.file_paths.update(rows)
        self.rows_stale = False

    def fresh_files(self) -> None:
        """The data files, made again from the registry as it is now (on the first ask after an edit)."""
        if not self.files_stale or self.content is None or self.result is None:
            return
        made = dict(site_files(self.root, self.result, self.content.renderer, ""))
        for path in self.file_paths - set(made):
            (self.output / path).unlink(missing_ok=True)
        self._write(made)
        self.file_paths, self.files_stale, self.rows_stale = set(made), False, False

    def _write(self, files: dict[str, bytes]) -> None:
        for path, data in files.items():
            target = self.output / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)

    # -- watching ---------------------------------------------------------------------------------

    def snapshot(self) -> dict[str, tuple[int, int]]:
        """(mtime, size) of every file the site is made from: the registry, the schemas, and the
        site's own pages, styles and scripts (MkDocs' docs_dir) with mkdocs.yml."""
        found: dict[str, tuple[int, int]] = {}
        for name in (MKDOCS_FILE,):
            try:
                stat = os.stat(self.root / name)
                found[name] = (stat.st_mtime_ns, stat.st_size)
            except OSError:
                pass
        for folder in (REGISTRY_DIR, SCHEMAS_DIR, SITE_DIR):
            for dirpath, _dirs, names in os.walk(self.root / folder):
                for name in names:
                    path = os.path.join(dirpath, name)
                    try:
                        stat = os.stat(path)
                    except OSError:
                        continue
                    found[os.path.relpath(path, self.root)] = (stat.st_mtime_ns, stat.st_size)
        return found

    def look(self, seen: dict[str, tuple[int, int]], paths: set[str] | None) -> dict[str, tuple[int, int]]:
        """`seen` brought up to date: at the given paths, or (None) at every file."""
        if paths is None:
            return self.snapshot()
        now = dict(seen)
        for path in paths:
            try:
                stat = os.stat(self.root / path)
                now[path] = (stat.st_mtime_ns, stat.st_size)
            except OSError:
                now.pop(path, None)
        return now

    def watch(self, stop: threading.Event, seen: dict[str, tuple[int, int]]) -> None:
        """Follow the files from `seen`, the snapshot taken before the build: a save made while
        the site was being built is taken in at the first look, which looks at every file."""
        told = Told(self.root, (REGISTRY_DIR, SCHEMAS_DIR, SITE_DIR), (MKDOCS_FILE,))
        paths: set[str] | None = None
        try:
            while not stop.is_set():
                now = self.look(seen, paths)
                moved = {p for p in now.keys() | seen.keys() if now.get(p) != seen.get(p)}
                seen = now
                if moved:
                    self._take(moved, told.waiting)
                paths = told.wait(stop)
        finally:
            told.close()

    def _take(self, moved: set[str], newer: Callable[[], bool]) -> None:
        with self.lock:
            try:
                if any(not p.startswith(REGISTRY_DIR + os.sep) or p == CONFIG_PATH for p in moved):
                    self.start()
                else:
                    seconds = self.update(newer)
                    log.info("已更新（%.2f 秒）", seconds)
            except Exception as err:  # a preview must survive any save; the page says what went wrong
                log.exception("预览更新失败")
                self.errors, self.failure = [], f"预览更新失败：{err}"
        self.bump()

    def bump(self) -> None:
        with self.changed:
            self.version += 1
            self.changed.notify_all()

    def wait(self, seen: int) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.version != seen, timeout=WAIT_SECONDS)
            return self.version

    # -- answering --------------------------------------------------------------------------------

    def error_page(self) -> bytes:
        if self.errors:
            items = "".join(
                f"<li><code>{html.escape(d.path)}{f':{d.line}' if d.line else ''}{f':{d.col}' if d.col else ''}</code> "
                f"{html.escape(d.severity)}[{html.escape(d.rule)}]: {html.escape(d.message)}"
                f"{f'<br><small>{html.escape(d.hint)}</small>' if d.hint else ''}</li>"
                for d in self.errors[:200]
            )
            more = f"<p>另有 {len(self.errors) - 200} 个问题未列出，请运行 liandong validate 查看。</p>" if len(self.errors) > 200 else ""
            body = f"<h1>登记册有 {len(self.errors)} 个错误，预览暂停</h1><p>改正后保存，本页会自动刷新。</p><ol>{items}</ol>{more}"
        else:
            body = f"<h1>预览无法生成</h1><p>{html.escape(self.failure)}</p><p>改正后保存，本页会自动刷新。</p>"
        page = f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>预览暂停 · 联动</title></head><body>{body}</body></html>'
        return self.with_reload(page.encode("utf-8"))

    def with_reload(self, page: bytes) -> bytes:
        script = (RELOAD_SCRIPT % (self.version, RELOAD_PATH)).encode()
        at = page.rfind(b"</body>")
        return page[:at] + script + page[at:] if at >= 0 else page + script


def handler(site: LiveSite) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urllib.parse.urlsplit(self.path)
            if parts.path == RELOAD_PATH:
                seen = int(dict(urllib.parse.parse_qsl(parts.query)).get("v", "-1") or -1)
                self._send(200, "application/json", f'{{"version": {site.wait(seen)}}}'.encode())
                return
            self._answer(urllib.parse.unquote(parts.path))

        def _answer(self, path: str) -> None:
            if site.errors or site.failure:
                if path.endswith(("/", ".html")):
                    self._send(500, "text/html; charset=utf-8", site.error_page())
                    return
            relative = path.lstrip("/")
            wanted = site.output / relative
            if relative in site.file_paths or (not wanted.exists() and (site.files_stale or site.rows_stale)):
                with site.lock:  # not while an update runs: it would make them from a registry half read
                    if ROW_FILE.match(relative):
                        site.fresh_rows()
                    else:
                        site.fresh_files()
            target = (site.output / relative).resolve()
            if not target.is_relative_to(site.output.resolve()):
                self._send(404, "text/plain; charset=utf-8", "没有这个页面".encode())
                return
            if target.is_dir():
                if not path.endswith("/"):
                    self.send_response(301)
                    self.send_header("Location", path + "/")
                    self.end_headers()
                    return
                target = target / "index.html"
            status = 200
            if not target.is_file():
                status, target = 404, site.output / "404.html"
                if not target.is_file():
                    self._send(404, "text/plain; charset=utf-8", "没有这个页面".encode())
                    return
            data = target.read_bytes()
            kind = self.guess(target)
            if kind.startswith("text/html"):
                data = site.with_reload(data)
            self._send(status, kind, data)

        @staticmethod
        def guess(target: Path) -> str:
            import mimetypes

            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            return f"{kind}; charset=utf-8" if kind.startswith("text/") or kind in ("application/javascript", "application/json") else kind

        def _send(self, status: int, kind: str, data: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


def serve(root: Path, today: datetime.date, internal: bool, dev_addr: str, ready: threading.Event | None = None, stop: threading.Event | None = None) -> None:
    """Build, then answer on `dev_addr` and follow the registry until `stop` (or Ctrl-C)."""
    host, _, port = dev_addr.rpartition(":")
    site = LiveSite(root, today, internal)
    started = time.monotonic()
    seen = site.snapshot()
    site.start()
    server = http.server.ThreadingHTTPServer((host or "127.0.0.1", int(port)), handler(site))
    server.daemon_threads = True
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():  # a terminated preview removes its folder too
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    watcher = threading.Thread(target=site.watch, args=(stop, seen), name="liandong-watch", daemon=True)
    watcher.start()
    print(
        f"预览已就绪（用时 {time.monotonic() - started:.1f} 秒）：http://{host or '127.0.0.1'}:{server.server_port}/  修改记录后页面自动刷新，Ctrl-C 退出。",
        flush=True,
    )
    if ready is not None:
        ready.set()
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
        shutil.rmtree(site.output, ignore_errors=True)
