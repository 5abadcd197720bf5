"""The live preview (site/live.py) renders again only what an edit changed; after any sequence of
edits its folder must hold exactly what a full build of the same registry holds."""

from __future__ import annotations

import datetime
import filecmp
import shutil
from pathlib import Path

import pytest

from liandong.site.live import LiveSite

from .helpers import REPO, copy_tree, make_repo

pytestmark = pytest.mark.slow  # several MkDocs builds of the bundled registry

TODAY = datetime.date(2026, 11, 25)


def _pages(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _same_as_a_full_build(live: LiveSite, root: Path) -> None:
    live.fresh_files()
    full = LiveSite(root, TODAY, live.internal)
    try:
        full.start()
        full.fresh_files()
        assert full.errors == [] and full.failure == ""
        ours, theirs = _pages(live.output), _pages(full.output)
        assert sorted(ours) == sorted(theirs)
        different = [path for path in ours if ours[path] != theirs[path]]
        assert different == []
    finally:
        shutil.rmtree(full.output, ignore_errors=True)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The bundled registry with the site's sources (no Git: the pages say there is no history)."""
    root = make_repo(tmp_path, REPO / "registry")
    copy_tree(REPO / "site", root / "site")
    (root / "mkdocs.yml").write_bytes((REPO / "mkdocs.yml").read_bytes())
    return root


def test_a_sequence_of_edits_gives_the_full_builds_pages(project: Path) -> None:
    live = LiveSite(project, TODAY, internal=False)
    try:
        live.start()
        registry = project / "registry"
        task = registry / "tasks/task-0016.yaml"
        # A title (shown on the unit, meeting and list pages), a new progress entry, a deadline.
        _edit(task, "\ntitle: ", "\ntitle: 改过的")
        live.update()
        _edit(task, "\nextensions:", "\n  - date: 2026-11-20\n    text: 新增的进度。\nextensions:")
        live.update()
        # A new record that refers to others, then a record removed.
        new = registry / "coordination/coord-0099.yaml"
        new.write_text(
            (registry / "coordination/coord-0004.yaml").read_text(encoding="utf-8").replace("id: coord-0004", "id: coord-0099"),
            encoding="utf-8",
        )
        live.update()
        (registry / "coordination/coord-0003.yaml").unlink()
        live.update()
        # A reference moved to another unit (both units' pages change), then a record made internal
        # (what the public sees of the records referring to it changes: everything is made anew).
        _edit(new, "  - org-dxsyq-committee", "  - org-dongxing-gov")
        live.update()
        _edit(registry / "organizations/org-dongxing-gov.yaml", "\ntitle: ", "\ntitle: 改名的")  # named on many pages
        live.update()
        _edit(registry / "coordination/coord-0002.yaml", "visibility: public", "visibility: internal")
        # A newer save waits (as told by the system while this one renders): the edited records'
        # pages are written, the pages around them are owed to the next update.
        live.update(newer=lambda: True)
        assert live.owed
        # A broken save shows the diagnostics and changes nothing on disk; the next good one recovers.
        before = _pages(live.output)
        good = task.read_text(encoding="utf-8")
        task.write_text(good.replace("\nstatus: ", "\nstatus: 不存在的状态", 1), encoding="utf-8")
        live.update()
        assert live.errors and live.errors[0].path == "registry/tasks/task-0016.yaml" and live.errors[0].line
        assert "不存在的状态" in live.error_page().decode() and "<script>" not in live.error_page().decode().split("</ol>")[0]
        assert _pages(live.output) == before
        task.write_text(good, encoding="utf-8")
        live.update()  # the registry as before the broken save: nothing changed, the owed pages are rendered
        assert live.errors == [] and live.owed is None
        _same_as_a_full_build(live, project)
    finally:
        shutil.rmtree(live.output, ignore_errors=True)


def test_an_unchanged_save_renders_nothing(project: Path) -> None:
    live = LiveSite(project, TODAY, internal=False)
    try:
        live.start()
        before = {p: p.stat().st_mtime_ns for p in live.output.rglob("*.html")}
        path = project / "registry/tasks/task-0001.yaml"
        path.write_bytes(path.read_bytes())
        live.update()
        assert {p: p.stat().st_mtime_ns for p in live.output.rglob("*.html")} == before
        assert filecmp.cmp(path, path)
    finally:
        shutil.rmtree(live.output, ignore_errors=True)
