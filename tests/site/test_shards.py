"""A build split into shards and merged (#17) is the same site as the whole build: the same files,
byte for byte (the indexes apart), and the same search results; incomplete or mismatched shards
are refused with nothing written."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import pytest

from .conftest import Tab, build, copy_project, pagefind_results, serve

serving = contextmanager(serve)

pytestmark = pytest.mark.slow  # six builds of the bundled registry

N = 4


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file() and not p.relative_to(folder).parts[0].startswith("pagefind")
    }


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[Path]]:
    base = tmp_path_factory.mktemp("shards")
    root = copy_project(base / "project")
    whole = base / "whole"
    done = build(root, whole)
    assert done.returncode == 0, done.stderr
    parts = []
    for k in range(1, N + 1):
        part = base / f"shard-{k}"
        done = build(root, part, "--shard", f"{k}/{N}")
        assert done.returncode == 0, done.stderr
        parts.append(part)
    merged = base / "merged"
    done = build(root, merged, *(arg for part in reversed(parts) for arg in ("--merge", str(part))))
    assert done.returncode == 0, done.stderr
    return whole, merged, parts


def test_the_merged_shards_are_the_whole_build(sites: tuple[Path, Path, list[Path]]) -> None:
    whole, merged, parts = sites
    ours, theirs = _files(merged), _files(whole)
    assert set(ours) == set(theirs)
    # only the list of bundles search.js merges differs: the whole build's is empty
    assert [path for path in theirs if ours[path] != theirs[path]] == ["search/shards.json"]
    # each shard renders its own share of the records, and no record twice
    shown = [p.relative_to(part).as_posix() for part in parts for p in part.glob("tasks/task-*/index.html")]
    assert len(shown) == len(set(shown)) == len(list(whole.glob("tasks/task-*/index.html")))
    assert all((merged / f"pagefind-shard-{k}" / "pagefind.js").is_file() for k in range(1, N + 1))


def test_missing_or_mismatched_shards_are_refused(sites: tuple[Path, Path, list[Path]], tmp_path: Path) -> None:
    _, _, parts = sites
    root = copy_project(tmp_path / "project")
    out = tmp_path / "out"
    done = build(root, out, *(arg for part in parts[:-1] for arg in ("--merge", str(part))))
    assert done.returncode != 0 and f"缺少第 {N} 片" in done.stderr and not out.exists()
    done = build(root, out, *(arg for part in [*parts, parts[0]] for arg in ("--merge", str(part))))
    assert done.returncode != 0 and "第 1 片重复" in done.stderr
    (root / "registry" / "tasks" / "task-0001.yaml").unlink()  # another registry than the shards'
    done = build(root, out, *(arg for part in parts for arg in ("--merge", str(part))))
    assert done.returncode != 0 and "同一版本的登记册" in done.stderr and not out.exists()
    done = build(root, out, "--shard", "5/4")
    assert done.returncode == 2 and "1 ≤ K ≤ N" in done.stderr


@pytest.mark.parametrize("query", ["联席会议", "逾期", "财政局", "Mong Cai"])
def test_the_merged_search_finds_what_the_whole_search_finds(sites: tuple[Path, Path, list[Path]], tab: Tab, query: str) -> None:
    whole, merged, _ = sites
    with serving(whole) as whole_url, serving(merged) as merged_url:
        expected = pagefind_results(tab.page, whole_url, query)
        assert expected, query
        assert pagefind_results(tab.page, merged_url, query) == expected
