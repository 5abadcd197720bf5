from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite expected outputs (expected.txt, golden pages) from the current code")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def make_repo(root: Path, registry: Path | None = None) -> Path:
    """A repository in `root`: the real schemas plus a registry (copied, symlinks kept as links)."""
    shutil.copytree(REPO / "schemas", root / "schemas")
    if registry is not None:
        shutil.copytree(registry, root / "registry", symlinks=True)
    else:
        (root / "registry").mkdir()
    return root


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo")
