"""The MkDocs adapter, and the only module that imports MkDocs' plugin API.

It asks content.prepare() for the pages and adds them as generated files; the rest of the
generator would work the same behind another static-site generator."""

from __future__ import annotations

import copy
import dataclasses
import datetime
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import escape
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from liandong.errors import RegistryHasErrors
from liandong.model.today import resolve_today
from liandong.site.background import FilesFailed, PendingFiles, can_fork
from liandong.site.i18n import CHINESE_ONLY, DEFAULT, LANGUAGES, Language
from liandong.site.pipeline import Alternate, SiteContent, prepare
from liandong.site.shards import Shard
from liandong.validation.files import ParseCache

HELD_FILES = ".liandong-files"  # in the site folder while MkDocs builds: the downloads, until moved into place (background.py)
LATER_PAGES = ".liandong-pages"  # the same for the process that renders SiteContent.later (its pages go straight into place)
# The theme template of the pages another process renders (on_env).
ELSEWHERE_TEMPLATE = "liandong-elsewhere.html"
FEED_TITLE = "联动登记册 · 最近修改"  # the site's Atom feed (site/overrides/main.html), as the Chinese pages name it
# mkdocs-material's header: the page's title, shown once the page scrolls (partials/header.html)
_HEADER_TOPIC = re.compile(r'(<div class="md-header__topic" data-md-component="header-topic">\s*<span class="md-ellipsis")')


class _Options(Config):
    internal = config_options.Type(bool, default=False)
    # A string from `liandong build` and `serve`; written in mkdocs.yml, 2026-11-25 is a YAML date.
    today = config_options.Optional(config_options.Type((str, datetime.date)))
    # The live preview (live.py) makes the data files when they are first asked for.
    preview = config_options.Type(bool, default=False)
    # A shard's build (shards.py): "K/N", only that shard's record pages; and the merge's: no record page.
    shard = config_options.Optional(config_options.Type(str))
    records = config_options.Type(bool, default=True)


class LiandongPlugin(BasePlugin[_Options]):
    def __init__(self) -> None:
        self.content: SiteContent | None = None  # what was published; build_site reports its warnings and notes
        self.root = Path.cwd()
        self.docs_dir = Path.cwd()
        self.generated: set[str] = set()  # src paths of our pages
        self.stash: dict[str, str] = {}  # src path → body HTML, kept away from Python-Markdown
        self.lastmod: dict[str, str] = {}  # src path → the Beijing date of its record's last commit
        self.newest: str | None = None  # the newest of them, for the other pages
        self.alternates: dict[str, list[Alternate]] = {}  # src path → the feeds its head announces (SiteContent.alternates)
        # What the build rendered with, kept for the live preview (live.py), which renders again
        # only the pages an edit changed: the files, the nav and the theme's environment.
        self.built: tuple[MkDocsConfig, Files, Navigation, Any] | None = None
        self.nav: Navigation | None = None
        self.parse_cache: ParseCache | None = None  # set by the live preview before it builds
        # The other editions (i18n.py), by folder: their languages, navs and site names.
        self.editions: dict[str, Language] = {}
        self.navs: dict[str, Navigation] = {}
        self.edition_configs: dict[str, MkDocsConfig] = {}
        self.elsewhere: set[str] = set()  # src paths of the pages another process renders (SiteContent.later)
        self.later_pages: PendingFiles | None = None  # that process (on_env)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path).resolve().parent
        self.docs_dir = Path(config.docs_dir)
        option = self.config.today
        if isinstance(option, str):
            today = datetime.date.fromisoformat(option)
        else:
            today = option if isinstance(option, datetime.date) else resolve_today()
        try:
            self.content = prepare(
                self.root,
                today,
                internal=self.config.internal,
                site_url=config.site_url or "",
                repo_url=config.repo_url,
                with_files=not self.config.preview,
                cache=self.parse_cache,
                shard=Shard.parse(self.config.shard) if self.config.shard else None,
                records=self.config.records,
                # Hidden: MkDocs' cleaning of the site folder, after this event, leaves it alone.
                files_into=None if self.config.preview else Path(config.site_dir) / HELD_FILES,
                # The live preview compares the pages' texts; a shard has few pages to share.
                split=not self.config.preview and not self.config.shard and can_fork(),
            )
        except RegistryHasErrors as err:
            raise PluginError(str(err)) from err
        self.lastmod, self.newest = self.content.last_changed()
        self.alternates = self.content.alternates()
        # The title and description are the registry's (registry/liandong.yaml), not mkdocs.yml's.
        settings = self.content.model.schemas.configuration
        product = config.site_name
        config.site_name = f"{product} · {settings.title}" + ("（内部版）" if self.config.internal else "")
        config.site_description = settings.description or config.site_description
        self.editions = {language.prefix: language for language in self.content.renderer.languages if language.translates}
        if self.editions:
            config.extra["alternate"] = True  # the theme's header shows partials/alternate.html, our switcher
        for prefix, language in self.editions.items():
            # The theme reads the site's name from the config it is given (on_page_context).
            edition = copy.copy(config)
            edition["site_name"] = f"{language.t(product)} · {language.t(settings.title)}" + (language.t("（内部版）") if self.config.internal else "")
            edition["site_description"] = language.t(config.site_description or "")
            self.edition_configs[prefix] = edition
        return config

    def edition_of(self, src_uri: str) -> str:
        """The folder of the edition a page belongs to: "" (Chinese) or "vi/", "en/"."""
        head = src_uri.split("/", 1)[0] + "/"
        return head if head in self.editions else ""

    def chinese_path(self, src_uri: str) -> str:
        return src_uri[len(self.edition_of(src_uri)) :]

    def _pending(self) -> list[PendingFiles]:
        """The processes still making files or pages for this build (background.py)."""
        return [p for p in (self.later_pages, self.content.pending if self.content is not None else None) if p is not None]

    def on_build_error(self, *, error: Exception) -> None:
        for pending in self._pending():
            pending.cancel()

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        pending = self._pending()
        try:
            for each in pending:
                each.finish(Path(config.site_dir))
        except FilesFailed as err:
            for each in pending:
                each.cancel()
            raise PluginError(str(err)) from err
        finally:
            self.later_pages = None
            if self.content is not None:
                self.content.pending = None
        # Without the site's address MkDocs writes a sitemap with no <url> at all, which is
        # invalid; the unpublished build has none (these files are MkDocs' own, in our output).
        if not config.site_url:
            for name in ("sitemap.xml", "sitemap.xml.gz"):
                Path(config.site_dir, name).unlink(missing_ok=True)

    # Record pages are not in the nav, so their sidebars are the same on every page in the same
    # folder (MkDocs makes links relative, so tasks/… and coordination/… differ); the theme
    # renders them once per folder instead of once a page (a tenth of the build at 10,000
    # records). site/overrides/main.html asks these two globals.
    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        assert self.content is not None
        records = {item.source_path for item in self.content.model.items.values()}

        def shared_nav_key(page: Page | None) -> str:
            if page is None or self.chinese_path(page.file.src_uri) not in records or page.toc.items or page.meta.get("hide"):
                return ""
            return page.url.rstrip("/").rpartition("/")[0] or "/"  # e.g. "tasks" for tasks/task-0001/

        env.globals["liandong_nav_key"] = shared_nav_key
        env.globals["liandong_nav_cache"] = {}
        self.built = (config, files, self.nav, env) if self.nav is not None else None
        # What MkDocs renders a page another process renders with: nothing (it writes no file then).
        env.loader = jinja2.ChoiceLoader([env.loader, jinja2.DictLoader({ELSEWHERE_TEMPLATE: ""})])
        if self.content.later and self.nav is not None:
            # Every page is read and the theme is ready: a forked process renders the records left
            # for it (their bodies, then through the theme), while MkDocs renders the others here.
            nav = self.nav
            self.later_pages = PendingFiles.start(lambda: self._render_later(config, files, nav, env), Path(config.site_dir) / LATER_PAGES, "记录页面")
        return env

    def _render_later(self, config: MkDocsConfig, files: Files, nav: Navigation, env: Any) -> Iterator[tuple[str, bytes]]:
        """In the forked process: the pages of SiteContent.later, written into the site as MkDocs'
        own loop writes a page (which here renders them with ELSEWHERE_TEMPLATE: nothing)."""
        from mkdocs.commands.build import _build_page, _populate_page

        assert self.content is not None
        self.elsewhere = set()  # in this process they are rendered, not passed over
        renderer, model = self.content.renderer, self.content.model
        documentation = files.documentation_pages()
        for item_id in sorted(self.content.later):
            for page in renderer.record_pages(model.items[item_id]):
                file = files.get_file_from_path(page.path)
                assert file is not None and file.page is not None
                file.content_string = page.text
                _populate_page(file.page, config, files)
                _build_page(file.page, config, documentation, nav, env)
        yield from ()

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        self.navs = {prefix: self._edition_nav(nav, prefix, language, files) for prefix, language in self.editions.items()}
        return nav

    def _edition_nav(self, nav: Navigation, prefix: str, language: Language, files: Files) -> Navigation:
        """The nav of an edition: the same entries, in its words, leading to its own pages; a page
        it does not have (the contributor pages) to the Chinese one, said so."""
        from mkdocs.structure.nav import Link

        items: list[Any] = []
        pages: list[Page] = []
        for entry in nav.items:
            if not isinstance(entry, Page):
                items.append(entry)
                continue
            title = language.t(entry.title or "")
            file = files.get_file_from_path(prefix + entry.file.src_uri)
            if file is not None and file.page is not None:
                file.page.title = title
                items.append(file.page)
                pages.append(file.page)
            else:
                items.append(Link(language.t("{title}（中文）", title=title), entry.url))
        edition = Navigation(items, pages)
        home = files.get_file_from_path(prefix + "index.md")
        edition.homepage = home.page if home is not None else nav.homepage
        return edition

    def on_page_context(self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation) -> TemplateContext:
        prefix = self.edition_of(page.file.src_uri)
        if prefix:
            context["nav"] = self.navs[prefix]
            context["config"] = self.edition_configs[prefix]
        return context

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.content is not None
        # The hand-written pages of an edition the registry does not configure (site/vi/about.md
        # where only Chinese is set) are not published: their links lead into that edition.
        unused = tuple(f"{code}/" for code in LANGUAGES if code != DEFAULT and f"{code}/" not in self.editions)
        for file in [f for f in files if unused and f.src_uri.startswith(unused)]:
            files.remove(file)
        for page in self.content.pages:
            existing = files.get_file_from_path(page.path)
            if existing is not None:
                files.remove(existing)  # a generated page wins over a hand-written one of the same name
            files.append(File.generated(config, page.path, content=page.text))
            self.generated.add(page.path)
        self.elsewhere = {page.path for item_id in self.content.later for page in self.content.renderer.record_page_places(self.content.model.items[item_id])}
        # The downloads are not MkDocs' files: they are being made beside the pages and are moved
        # into place after them (on_post_build). MkDocs checks the links of Markdown pages only,
        # and none of those links to a download.
        if not self.config.preview:
            # The files hold the pages' texts now; a build needs only their paths (the live preview
            # compares texts). At 100,000 records every copy of the texts is a gigabyte.
            self.content.pages = [dataclasses.replace(page, text="") for page in self.content.pages]
        if self.config.shard:
            self._stand_ins(files, config)
        return files

    def _stand_ins(self, files: Files, config: MkDocsConfig) -> None:
        """A shard renders no page but its records' (shards.py); the nav's other pages get an empty
        stand-in, which the merge does not take and Pagefind does not index (no data-pagefind-body)."""

        def paths(entries: Any) -> Any:
            for entry in entries if isinstance(entries, list) else [entries]:
                if isinstance(entry, dict):
                    for value in entry.values():
                        yield from paths(value)
                elif isinstance(entry, str) and entry.endswith(".md"):
                    yield entry

        for path in paths(config.nav or []):
            if files.get_file_from_path(path) is not None:
                continue  # a hand-written page (about.md): each edition has its own or not, as in the whole build
            for prefix in ["", *self.editions]:
                if prefix and path.startswith(CHINESE_ONLY):
                    continue  # an edition links to the Chinese page (_edition_nav), as the whole build does
                files.append(File.generated(config, prefix + path, content="---\ntitle: —\n---\n"))

    # Generated page bodies are already HTML (see render.py). Python-Markdown would re-parse every
    # raw HTML block with html.parser, which was a third of the build time, to hand it back
    # unchanged; so the body skips Markdown and is put back as the page's content.
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        # sitemap.xml's lastmod: the record's last commit, other pages the registry's newest, so
        # search engines are not told every page changed every day. Without Git history MkDocs'
        # own date stays (the build's `today`): it needs one on every page.
        chinese = self.chinese_path(page.file.src_uri)
        page.update_date = self.lastmod.get(chinese) or self.newest or page.update_date
        if chinese in self.alternates:  # site/overrides/main.html writes them in the head
            language = self.editions.get(self.edition_of(page.file.src_uri))
            feeds = self.alternates[chinese]
            page.meta["liandong_alternates"] = [dataclasses.replace(f, title=language.t(f.title)) for f in feeds] if language else feeds
        if self.editions:
            self._languages(page, chinese)
        if page.file.src_uri in self.elsewhere:
            page.meta["template"] = ELSEWHERE_TEMPLATE
            return ""
        if page.file.src_uri in self.generated and markdown.lstrip().startswith("<"):
            self.stash[page.file.src_uri] = markdown
            if not self.config.preview:
                page.file.content_string = ""  # read once: the body (without its front matter) is all that is kept
            return ""
        return markdown

    def _languages(self, page: Page, chinese: str) -> None:
        """The page's language (site/overrides/partials/language.html) and the switcher's links to
        the same page in each edition (partials/alternate.html), relative to the page."""
        prefix = self.edition_of(page.file.src_uri)
        language = self.editions.get(prefix)
        page.meta["liandong_lang"] = language.code if language is not None else DEFAULT
        if language is not None:  # site/overrides/main.html: the site's feed, named in the edition's words
            page.meta["liandong_feed_title"] = language.t(FEED_TITLE)
        assert self.content is not None
        depth = page.url.count("/")
        links = []
        for edition in self.content.renderer.languages:
            target = edition.prefix + chinese
            exists = target == page.file.src_uri or target in self.generated or (self.docs_dir / target).is_file()
            url = _url_of(target if exists else edition.prefix + "index.md")
            links.append({"lang": edition.code, "name": edition.name, "href": ("../" * depth + url) or "./", "current": edition.prefix == prefix})
        page.meta["liandong_editions"] = links

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        return self.stash.pop(page.file.src_uri, html)

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """An edition's page whose title is the record's Chinese text (its h1 says so): the theme's
        header repeats the title, so it is marked Chinese there too, for screen readers."""
        if not self.edition_of(page.file.src_uri) or not page.title or f'<h1><span lang="zh">{escape(page.title)}</span></h1>' not in output:
            return output
        return _HEADER_TOPIC.sub(r'\1 lang="zh"', output, count=1)

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        for folder in ("registry", "schemas"):
            server.watch(str(self.root / folder))
        return server


def _url_of(src_path: str) -> str:
    """A Markdown page's directory URL: tasks/index.md → tasks/, report.md → report/."""
    stem = src_path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"
