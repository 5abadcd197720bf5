"""Fixtures for every test folder: an empty repository, the --update-golden option, and the one
Chromium the browser tests drive (Debian's, through Playwright).

Markers (registered in pyproject.toml): `browser` for tests that drive Chromium, `slow` for those
that take more than about two seconds or need a full MkDocs build; `pytest -m "not slow"` is
the quick loop."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .helpers import make_repo

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite expected outputs (expected.txt, golden pages) from the current code")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """An empty repository (real schemas, empty registry)."""
    return make_repo(tmp_path / "repo")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, launched once for the whole run; each test opens its own pages or
    contexts in it. Skips the test when Chromium or the playwright package is missing."""
    if not CHROMIUM.exists():
        pytest.skip(f"real-browser tests need Debian's Chromium at {CHROMIUM} (sudo apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="real-browser tests need the playwright package (pip install -e '.[test]')")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
