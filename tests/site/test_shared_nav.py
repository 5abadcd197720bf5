"""Record pages reuse the sidebars rendered for the first record page of their folder
(src/liandong/site/plugin.py, on_env; site/overrides/main.html): the output must not change by a byte."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import Site, build, copy_project, fingerprint

# Full builds: the session's and one with the shared sidebars taken out.
pytestmark = pytest.mark.slow


BLOCK = re.compile(r"\{# The sidebars of record pages.*?\{% endblock %\}\n", re.S)


def test_shared_sidebars_change_no_byte_of_the_site(public_site: Site, tmp_path: Path) -> None:
    root = copy_project(tmp_path / "repo")
    overrides = root / "site/overrides/main.html"
    text, count = BLOCK.subn("", overrides.read_text(encoding="utf-8"))
    assert count == 1, "site/overrides/main.html no longer has the shared-sidebar block this test removes"
    overrides.write_text(text, encoding="utf-8")
    done = build(root, tmp_path / "public")
    assert done.returncode == 0, done.stderr
    theirs, ours = fingerprint(tmp_path / "public"), fingerprint(public_site.output)
    assert sorted(theirs) == sorted(ours)
    assert [path for path in ours if ours[path] != theirs[path]] == []
    assert any(path.startswith("tasks/task-") for path in ours)


@pytest.mark.parametrize("folder", ["tasks", "organizations"])
def test_record_pages_mark_no_nav_entry_active(public_site: Site, folder: str) -> None:
    page = next((public_site.output / folder).glob("*/index.html")).read_text(encoding="utf-8")
    assert "md-nav__link--active" not in page and "md-nav__item--active" not in page
