"""The synthetic registry (benchmarks use it) is valid, deterministic per seed, and written as it was built."""

from __future__ import annotations

from pathlib import Path

from benchmarks.synthetic import build_records, plan, record_text, write_synthetic
from liandong.reporters import text
from liandong.validation.pipeline import validate
from liandong.yamlio.loader import parse_text

from .helpers import make_repo

N = 300


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "registry").rglob("*.yaml"))}


def test_synthetic_registry_is_clean_and_deterministic(tmp_path: Path) -> None:
    first = make_repo(tmp_path / "first")
    counts = write_synthetic(first, N, seed=1)
    assert counts == plan(N) and sum(counts.values()) == N

    result = validate(first)
    assert text(result.diagnostics) == ""
    assert result.file_count == N and len(result.valid) == N

    same = make_repo(tmp_path / "same")
    write_synthetic(same, N, seed=1)
    other = make_repo(tmp_path / "other")
    write_synthetic(other, N, seed=2)
    files = _files(first)
    assert len(files) == N
    assert _files(same) == files
    assert _files(other) != files


def test_written_text_reads_back_as_built() -> None:
    for type_name, data in build_records(N, seed=3):
        written = record_text(type_name, data)
        assert written.startswith(f"# yaml-language-server: $schema=../../schemas/{type_name}.schema.json\n")
        parsed, problems = parse_text(f"registry/{type_name}/{data['id']}.yaml", written)
        assert problems == [] and parsed == data, data["id"]
