"""benchmarks/bench.py hands check-jsonschema its files in runs that fit on a command line: at
100,000 records one run per type failed with "Argument list too long"."""

from __future__ import annotations

from benchmarks.bench import ARGUMENT_BYTES, batches


def test_every_file_once_in_order_and_each_run_within_the_limit() -> None:
    files = [f"/tmp/bench/registry/tasks/task-{n:06d}.yaml" for n in range(100_000)]
    runs = batches(files)
    assert [name for run in runs for name in run] == files
    assert len(runs) > 1
    assert all(sum(len(name.encode()) + 1 for name in run) <= ARGUMENT_BYTES for run in runs)


def test_no_files_no_run_and_a_long_name_runs_alone() -> None:
    assert batches([]) == []
    assert batches(["a" * 100, "b"], limit=10) == [["a" * 100], ["b"]]
