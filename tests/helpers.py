"""Shared by the tests: build throwaway repositories that use the real schemas."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def make_repo(root: Path, registry: Path | None = None) -> Path:
    """A repository in `root`: the real schemas plus a registry (copied, symlinks kept as links)."""
    shutil.copytree(REPO / "schemas", root / "schemas")
    if registry is not None:
        shutil.copytree(registry, root / "registry", symlinks=True)
    else:
        (root / "registry").mkdir()
    return root


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
