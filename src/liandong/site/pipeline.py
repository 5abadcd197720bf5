"""Everything the site shows, prepared without MkDocs: validate → model → pages and downloads."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from liandong.diagnostics import Diagnostic
from liandong.errors import RegistryHasErrors
from liandong.history.reader import read_history
from liandong.history.timeline import Timeline
from liandong.model.model import Model
from liandong.site.atom import FEED_PATH, atom
from liandong.site.contribute import pages as contrib_pages
from liandong.site.downloads import downloads
from liandong.site.render import Page, Renderer
from liandong.site.search_index import title_index
from liandong.validation.pipeline import validate


@dataclass
class SiteContent:
    pages: list[Page]
    files: dict[str, bytes]  # site-relative path → content (downloads)
    model: Model  # what was published: the public model unless internal
    warnings: list[Diagnostic]
    renderer: Renderer

    @property
    def history_note(self) -> str:
        """Why the history is missing or partial ("" when complete), for the command line."""
        return self.renderer.timeline.note

    @property
    def report(self) -> str:
        """The overdue/escalation report as Markdown (`liandong report`)."""
        return self.renderer.report_markdown()


def prepare(root: Path, today: datetime.date, internal: bool = False, site_url: str = "", with_history: bool = True) -> SiteContent:
    result = validate(root, today=today)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    if errors:
        raise RegistryHasErrors(errors)
    full = Model.build(result.schemas, result.valid)
    model = full if internal else full.public()
    timeline = None
    if with_history:
        history = read_history(root, result.schemas.append_only)
        # The public history holds public records only, and only the commits that touched one.
        timeline = Timeline(history if internal else history.for_records(set(model.items)), model)
    renderer = Renderer(model, today, internal=internal, timeline=timeline)
    warnings = [d for d in result.diagnostics if d.severity == "warning"]
    files = downloads(model, today, site_url)
    files[FEED_PATH] = atom(renderer.timeline, model, today, site_url)
    files.update(title_index(model))
    return SiteContent(renderer.pages() + contrib_pages(renderer, root), files, model, warnings, renderer)
