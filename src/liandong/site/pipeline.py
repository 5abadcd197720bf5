"""Everything the site shows, prepared without MkDocs: validate → model → pages and downloads.

`report` is the short way of `liandong report`: the model, its derived status and the report's
context, rendered by report.txt.j2 alone (no other page, no download, no history);
`report_document` the same context as a .docx."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from liandong.diagnostics import Diagnostic
from liandong.errors import RegistryHasErrors
from liandong.history.types import History
from liandong.model.model import Model
from liandong.model.status import Status
from liandong.model.visibility import public_records
from liandong.model.workdays import registry_calendar
from liandong.repo import SCHEMAS_DIR
from liandong.site.background import PendingFiles
from liandong.site.contexts import report_context
from liandong.site.render import BEIJING, Page, Renderer, markdown_report
from liandong.site.shards import Shard
from liandong.validation.files import ParseCache
from liandong.validation.pipeline import Result, validate

SPLIT_SHARE = 3  # with `split`, one record in this many is rendered by another process


@dataclass(frozen=True)
class Alternate:
    """A <link rel="alternate feed"> of a page's head: the file's type, its title, its site path."""

    type: str
    title: str
    href: str


@dataclass
class SiteContent:
    pages: list[Page]
    files: dict[str, bytes]  # site-relative path → content (downloads)
    model: Model  # what was published: the public model unless internal
    warnings: list[Diagnostic]
    renderer: Renderer
    history: History | None = None  # as read from Git, before the public filter; None: not read
    result: Result | None = None  # the validated registry it was made from
    pending: PendingFiles | None = None  # the files being made beside the pages (background.py), not in `files`
    later: frozenset[str] = frozenset()  # records whose pages are places only: another process renders them (plugin.on_env)

    def alternates(self) -> dict[str, list[Alternate]]:
        """The feeds a page announces besides the site-wide Atom feed (site/overrides/main.html),
        by the page's Markdown path: an organisation's page its own feed and calendar."""
        from liandong.site.unit_feeds import feeds_of

        found = {}
        for unit in self.model.of_type("organizations"):
            feeds = feeds_of(unit)
            found[unit.source_path] = [
                Alternate("application/atom+xml", feeds.atom_title, feeds.atom_url),
                Alternate("text/calendar", feeds.calendar_title, feeds.calendar_url),
            ]
        return found

    @property
    def history_note(self) -> str:
        """Why the history is missing or partial ("" when complete), for the command line."""
        return self.renderer.timeline.note

    def last_changed(self) -> tuple[dict[str, str], str | None]:
        """The Beijing date of each record page's last commit (by the page's Markdown path), and
        of the newest commit that touched any published record, for sitemap.xml's lastmod; None
        where Git says nothing (no history: no lastmod rather than the build date)."""
        history = self.renderer.timeline.history
        by_page: dict[str, str] = {}
        for item in self.model.items.values():
            record = history.records.get(item.id)
            if record is not None and record.last_changed is not None:
                by_page[item.source_path] = record.last_changed.date.astimezone(BEIJING).date().isoformat()
        return by_page, max(by_page.values(), default=None)

    @property
    def report(self) -> str:
        """The overdue/escalation report as Markdown, as `liandong report` prints it."""
        return self.renderer.report_markdown()


def _validated(root: Path, today: datetime.date, cache: ParseCache | None = None) -> Result:
    result = validate(root, today=today, cache=cache)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if errors:
        raise RegistryHasErrors(errors)
    return result


def published(result: Result, internal: bool) -> Model:
    """What is published: the public model unless internal (built once, not the whole registry
    first: the working-day calendar is still every record's, as Model.public keeps it)."""
    if internal:
        return Model.build(result.schemas, result.valid)
    return Model.build(result.schemas, public_records(result.valid), registry_calendar(result.valid))


def report(root: Path, today: datetime.date, internal: bool = False) -> str:
    """The overdue/escalation report as Markdown (`liandong report`), the same as the site's report page."""
    model = published(_validated(root, today), internal)
    return markdown_report(report_context(Status(model, today)))


def report_document(root: Path, today: datetime.date, internal: bool = False) -> bytes:
    """The same report as a Word 督办通报 (`liandong report --format docx`, site/report_docx.py)."""
    from liandong.site.report_docx import report_docx

    model = published(_validated(root, today), internal)
    return report_docx(report_context(Status(model, today)), model.schemas.configuration.title, internal)


def prepare(
    root: Path,
    today: datetime.date,
    internal: bool = False,
    site_url: str = "",
    with_history: bool = True,
    repo_url: str | None = None,
    with_files: bool = True,
    cache: ParseCache | None = None,
    shard: Shard | None = None,
    records: bool = True,
    files_into: Path | None = None,
    split: bool = False,
) -> SiteContent:
    """`cache`: the live preview's (live.py), filled by this first validation. `shard`: only the
    record pages of that shard, nothing else (shards.py); not `records`: every page but the
    records' (the merge of the shards). `files_into`: make the files there, beside the pages
    (SiteContent.pending), instead of into SiteContent.files. `split`: leave a share of the
    record pages to another process (SiteContent.later) when the site has more than one edition."""
    from liandong.history.reader import read_history

    result = _validated(root, today, cache)
    history = read_history(root, result.schemas.append_only) if with_history else None
    if shard is not None:
        model = published(result, internal)
        only = shard.ids(model)
        return assemble(root, result, today, internal, site_url, history, repo_url, only=only, with_files=False, model=model, site_pages=False)
    if not records:
        return assemble(
            root, result, today, internal, site_url, history, repo_url, only=set(), with_files=with_files, contributor_pages=True, files_into=files_into
        )
    return assemble(root, result, today, internal, site_url, history, repo_url, with_files=with_files, files_into=files_into, split=split)


def assemble(
    root: Path,
    result: Result,
    today: datetime.date,
    internal: bool,
    site_url: str,
    history: History | None,
    repo_url: str | None,
    only: set[str] | None = None,
    with_files: bool = True,
    model: Model | None = None,
    site_pages: bool = True,
    contributor_pages: bool | None = None,
    files_into: Path | None = None,
    split: bool = False,
) -> SiteContent:
    """The pages and files of a validated registry with its history (None: not read). The live
    preview (live.py) asks for the pages an edit can change (`only`: the record pages of those ids,
    and every page that is not a record's) and makes the files when they are asked for."""
    # Imported here: `liandong report` (report above) needs none of them.
    from liandong.history.timeline import Timeline
    from liandong.site.contribute import pages as contrib_pages
    from liandong.site.forms import Forge
    from liandong.site.i18n import languages

    model = model or published(result, internal)
    # The public history holds public records only, and only the commits that touched one.
    timeline = None if history is None else Timeline(history if internal else history.for_records(set(model.items)), model)
    forge = Forge.from_settings(repo_url)
    settings = model.schemas.configuration
    editions = languages(settings.languages, settings.translations)
    renderer = Renderer(model, today, internal=internal, timeline=timeline, forge=forge, languages=editions)
    warnings = [d for d in result.diagnostics if d.severity == "warning"]
    pending = None
    files: dict[str, bytes] = {}
    if with_files and files_into is not None:
        pending = PendingFiles.start(lambda: site_files(root, result, renderer, site_url), files_into)
    elif with_files:
        files = dict(site_files(root, result, renderer, site_url))
    with_contributors = only is None if contributor_pages is None else contributor_pages
    # Every SPLIT_SHARE-th record: what another process renders while this one renders the rest
    # through the theme (its pages' bodies and theme both; a third balances the two on two cores).
    # With one edition the process making the files already keeps the second core busy (10,000
    # records: 64.3 s split, 59.0 s not, medians of 3); with three the pages are three times the work.
    later = frozenset(list(model.items)[SPLIT_SHARE - 1 :: SPLIT_SHARE]) if split and only is None and len(editions) > 1 else frozenset()
    try:
        pages = renderer.pages(only, site_pages, later) + (contrib_pages(renderer, root) if with_contributors else [])
    except BaseException:
        if pending is not None:
            pending.cancel()
        raise
    return SiteContent(pages, files, model, warnings, renderer, history, result, pending, later)


def site_files(root: Path, result: Result, renderer: Renderer, site_url: str) -> Iterator[tuple[str, bytes]]:
    """Every file of the site that is not a page (path, bytes), one at a time: downloads, feeds,
    schemas, indexes, form data."""
    from liandong.site.atom import FEED_PATH, atom
    from liandong.site.downloads import downloads
    from liandong.site.forms import files as form_files
    from liandong.site.lists import list_row_files
    from liandong.site.open_data import published_schemas
    from liandong.site.search_index import name_index
    from liandong.site.unit_feeds import unit_files

    model, today = renderer.model, renderer.today
    # Each record's last commit: the calendars' DTSTAMP, so that they change only when a record does.
    changed = {rid: r.last_changed.date for rid, r in renderer.timeline.history.records.items() if r.last_changed is not None and rid in model.items}
    yield from downloads(model, renderer.status, today, site_url, changed, renderer.internal)
    yield from published_schemas(root / SCHEMAS_DIR).items()
    yield FEED_PATH, atom(renderer.timeline, model, today, site_url)
    yield from unit_files(model, renderer.timeline, today, site_url, changed).items()
    yield from name_index(model, renderer.status).items()
    yield from form_files(model, [r.id for r in result.valid], renderer.forge).items()
    yield from list_row_files(renderer).items()  # a long list's rows beyond its page (lists.py)
    if site_url:  # where the published site's sitemap is; an unpublished build has none
        yield "robots.txt", f"User-agent: *\nAllow: /\nSitemap: {site_url.rstrip('/')}/sitemap.xml\n".encode()
