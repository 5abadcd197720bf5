from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import make_repo


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite expected outputs (expected.txt, golden pages) from the current code")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """An empty repository (real schemas, empty registry)."""
    return make_repo(tmp_path / "repo")
