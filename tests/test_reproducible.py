"""The same repository and the same `today` give byte-identical output."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import REPO, make_repo

# Two full builds.
pytestmark = pytest.mark.slow


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_on_the_same_day_are_identical(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", REPO / "tests/golden/registry")
    shutil.copytree(REPO / "site", root / "site")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for name in ("one", "two"):
        done = subprocess.run(
            [sys.executable, "-m", "liandong", "build", "--today", "2024-05-15", "--output", str(tmp_path / name)],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
    one, two = _digest(tmp_path / "one"), _digest(tmp_path / "two")
    assert one == two
