#!/usr/bin/env python3
"""The sharded build (#17) against the whole build, on a large synthetic registry:

    .venv/bin/python benchmarks/shard_bench.py [--records 100000] [--shards 4] [--parallel 4]
                                               [--no-whole] [--languages zh] [--keep DIR]

A seeded synthetic registry (benchmarks/synthetic.py) with the repository's schemas/, site/ and
mkdocs.yml is built (1) whole, `liandong build`, unless --no-whole; (2) as N shards,
`liandong build --shard K/N`, --parallel of them at a time (as a CI matrix runs them, one machine
each; on one machine they share its cores), then merged with `liandong build --merge …`. Reported
for each process: wall time and peak RSS (os.wait4: the process and the Pagefind process it waits
for); for the sharded build the longest shard (what a matrix of N machines waits for), the sum of
the shards (the work), the merge, and the output size.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench import run_child  # noqa: E402

from benchmarks.synthetic import REPO_SCHEMAS, write_synthetic  # noqa: E402

TODAY = "2026-11-25"


def project(root: Path, n: int, seed: int, languages: str) -> None:
    write_synthetic(root, n, seed)
    if languages != "zh":
        codes = ", ".join(languages.split(","))
        (root / "registry" / "liandong.yaml").write_text(f"site:\n  title: 协同工作登记册\n  languages: [{codes}]\n", encoding="utf-8")
    shutil.copytree(REPO_SCHEMAS, root / "schemas")
    shutil.copytree(REPO / "site", root / "site")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")


def liandong(root: Path, *args: str) -> dict:
    run = run_child([sys.executable, "-m", "liandong", "build", "--root", str(root), "--today", TODAY, *args])
    if run["code"] != 0:
        sys.exit(f"liandong build {' '.join(args)} failed:\n{(run['stdout'] + run['stderr'])[-3000:]}")
    return run


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--parallel", type=int, default=4, help="shards built at the same time (default 4)")
    parser.add_argument("--no-whole", action="store_true", help="skip the whole build")
    parser.add_argument("--languages", default="zh", help="the site's editions, e.g. zh,vi,en")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="keep the registry and the sites in DIR")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="liandong-shard-bench-"))
    root = base / "project"
    shutil.rmtree(base / "project", ignore_errors=True)
    for old in base.glob("out-*"):
        shutil.rmtree(old)
    rows: list[tuple[str, float, float | None]] = []
    try:
        print(f"… {args.records:,} records in {root}", file=sys.stderr)
        project(root, args.records, args.seed, args.languages)
        if not args.no_whole:
            whole = liandong(root, "--output", str(base / "out-whole"))
            rows.append(("whole build", whole["wall"], whole["rss_mb"]))
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.parallel) as pool:
            shards = list(
                pool.map(lambda k: liandong(root, "--shard", f"{k}/{args.shards}", "--output", str(base / f"out-shard-{k}")), range(1, args.shards + 1))
            )
        shards_wall = time.perf_counter() - started
        for k, run in enumerate(shards, 1):
            rows.append((f"shard {k}/{args.shards}", run["wall"], run["rss_mb"]))
        merge_args = [arg for k in range(1, args.shards + 1) for arg in ("--merge", str(base / f"out-shard-{k}"))]
        merged = liandong(root, *merge_args, "--output", str(base / "out-merged"))
        rows.append(("merge", merged["wall"], merged["rss_mb"]))
        longest = max(run["wall"] for run in shards)
        machine = f"Python {platform.python_version()} on {platform.system()} {platform.machine()}"
        print(f"{machine}, {args.records:,} records, {args.shards} shards, {args.parallel} at a time, editions {args.languages}\n")
        print("| process | wall (s) | peak RSS (MB) |\n|---|---|---|")
        for name, wall, rss in rows:
            print(f"| {name} | {wall:.1f} | {rss:.0f} |" if rss is not None else f"| {name} | {wall:.1f} | – |")
        print(f"\nshards together: {shards_wall:.1f} s on this machine ({args.parallel} at a time); the longest shard {longest:.1f} s")
        print(
            f"sum of the shards (the work): {sum(run['wall'] for run in shards):.1f} s; on N machines: longest shard + merge = {longest + merged['wall']:.1f} s"
        )
        print(f"merged output: {size_mb(base / 'out-merged'):.0f} MB")
        if not args.no_whole:
            print(f"whole output: {size_mb(base / 'out-whole'):.0f} MB")
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
