"""Fixtures for every test folder: an empty repository, the --update-golden option, and the one
Chromium the browser tests drive (Debian's, through Playwright).

Markers (registered in pyproject.toml): `browser` for tests that drive Chromium, `slow` for those
that take more than about two seconds or need a full MkDocs build; `pytest -m "not slow"` is
the quick loop."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .helpers import make_repo

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite expected outputs (expected.txt, golden pages) from the current code")


def _without_browser() -> str:
    """Why the browser tests cannot run here, or "" when they can."""
    if not CHROMIUM.exists():
        return f"real-browser tests need Debian's Chromium at {CHROMIUM} (sudo apt-get install chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "real-browser tests need the playwright package (pip install -e '.[test]')"
    return ""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that uses the browser fixture is a browser test, marked or not."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A browser test is skipped before its fixtures run (no site is built for it) when it cannot run."""
    if item.get_closest_marker("browser") and (reason := _without_browser()):
        pytest.skip(reason)


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
    if reason := _without_browser():
        pytest.skip(reason)
    from playwright import sync_api

    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
