"""Shared by test_import.py and test_export.py: a copy of the bundled registry to import into, real
workbooks written with openpyxl, and `liandong` run as a separate process."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from tests.helpers import REPO, clean_env, make_repo

TODAY = "2026-11-25"


def bundled(tmp_path: Path) -> Path:
    """A repository holding a copy of the bundled registry and the real schemas."""
    return make_repo(tmp_path / "repo", REPO / "registry")


def workbook(path: Path, rows: Sequence[Sequence[Any]], title: str = "权力事项") -> Path:
    """An .xlsx file with one sheet, `rows` from row 1."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def liandong(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m liandong ARGS --root ROOT` in its own process."""
    return subprocess.run(
        [sys.executable, "-m", "liandong", *args, "--root", str(root)], cwd=root, capture_output=True, text=True, env=clean_env(), timeout=300
    )


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under registry/, by relative path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "registry").rglob("*")) if p.is_file()}
