#!/usr/bin/env python3
"""How long does the full public build take on a large registry, and what does it produce?

    .venv/bin/python benchmarks/build_bench.py [--sizes 1000,10000] [--seed 0] [--repeat 3] [--keep DIR] [--json FILE]
                                               [--history-commits 20000] [--languages zh,vi,en]

For each size, a seeded synthetic registry (benchmarks/synthetic.py) plus the repository's
schemas/, site/ and mkdocs.yml is written to a temporary folder, then built with
`python -m liandong build` in a fresh process (MkDocs + Pagefind). Reported:

  build wall time (the median of --repeat builds, each from scratch into a new folder) and peak
    RSS: os.wait4's (the largest single process: the build, the process it forks to make the
    downloads, a Pagefind run), each process's peak sampled from /proc every 0.25 s (by name;
    "main" is the build's own), and the peak of their sum (the memory the machine needs at once)
  pages, total output size, and the size of a record page (median over task pages), which must
    not grow with the number of records
  bytes a browser downloads for a first search, per kind of query (QUERIES: Chinese of 2 and of 4
    or more characters, traditional characters, pinyin, initials, a state): Debian's Chromium opens the
    search page in a fresh context (nothing cached), types the query, and every response for the
    search is counted — Pagefind's (pagefind/) and the name index's (search/lookup.json,
    search/names/, search/pinyin/), the latter also on its own; skipped without Chromium
  bytes a browser downloads when it first opens the tasks list (#17), in the same fresh context:
    the list's own (tasks/index.html and any row file, tasks/rows/N.json, it fetches before the
    page is idle: none, the page holds its first rows), and everything the page loads, the theme's
    and the site's CSS and scripts that every page shares included; each also as gzip would send it
    (GitHub Pages compresses HTML, CSS, JS and JSON); skipped without Chromium

Targets at 10,000 records on a 2-core machine: ≤ 60 s, ≤ 1 GB, every first search ≤ 300 KB, the
tasks list's first load ≤ 300 KB.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import platform
import shutil
import statistics
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench import describe_processes, run_child  # noqa: E402
from history_bench import make_repository  # noqa: E402

from benchmarks.synthetic import REPO_SCHEMAS, write_synthetic  # noqa: E402

TARGET_S, TARGET_MB, TARGET_SEARCH_KB, TARGET_LIST_KB = 60, 1024, 300, 300
CHROMIUM = Path("/usr/bin/chromium")
# One query of each kind the search answers, in the synthetic registry: 东兴 is its most common
# character pair, 东兴市财政局 a unit's full name, 整改 and 办理时限 are in records' text but in no
# name (the search page then asks Pagefind alone), the last two are a derived state.
QUERIES = {
    "Chinese, 2 characters": "口岸",
    "Chinese, 2 characters, the commonest pair": "东兴",
    "Chinese, 4 characters": "联席会议",
    "Chinese, a full unit name": "东兴市财政局",
    "Chinese, 2 characters in no name (Pagefind alone)": "整改",
    "Chinese, 4 characters in no name (Pagefind alone)": "办理时限",
    "traditional characters": "聯席會議",
    "pinyin": "lianxi huiyi",
    "initials": "lxhy",
    "a derived state's word": "逾期",
    "the 办理情况 filter, no query": "办理情况=逾期",  # chosen in the search page's select
}
NAME_INDEX = ("/search/lookup.json", "/search/names/", "/search/pinyin/")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def first_search_bytes(site: Path, queries: dict[str, str]) -> dict[str, dict[str, int]] | None:
    """For each query: the bytes its first search fetches in a real browser ("all": Pagefind and
    the name index; "names": the name index alone), or None without Chromium."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not CHROMIUM.exists():
        return None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    found: dict[str, dict[str, int]] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=str(CHROMIUM),
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
            )
            for kind, query in queries.items():
                context = browser.new_context()  # a first search: nothing cached
                page = context.new_page()
                fetched: list[tuple[str, int]] = []

                def count(response: Any, fetched: list[tuple[str, int]] = fetched) -> None:
                    path = urlsplit(response.url).path
                    if response.ok and (path.startswith("/pagefind") or path.startswith(NAME_INDEX)):  # every bundle: pagefind/, pagefind-2/…
                        fetched.append((path, len(response.body())))

                page.on("response", count)
                page.goto(f"http://127.0.0.1:{server.server_port}/search/")
                if query.startswith("办理情况="):
                    page.select_option("#ld-search-state", query.removeprefix("办理情况="))
                else:
                    page.fill("#ld-search-input", query)
                page.wait_for_function(
                    "() => /^(找到|没有)/.test(document.querySelector('.ld-search-status').textContent)",
                    timeout=60_000,
                )
                page.wait_for_timeout(500)
                context.close()
                found[kind] = {"all": sum(n for _, n in fetched), "names": sum(n for path, n in fetched if path.startswith(NAME_INDEX))}
            browser.close()
    finally:
        server.shutdown()
    return found


def first_list_load(site: Path, page_path: str = "/tasks/") -> dict[str, int] | None:
    """The bytes a fresh browser fetches when it opens a list page, until the network is idle:
    "own" (the page's HTML and its row files), "all" (everything, shared CSS and scripts included),
    each raw and as gzip -6 ("_gzip"), and "row_files" (how many it fetched); None without Chromium."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not CHROMIUM.exists():
        return None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fetched: list[tuple[str, bytes]] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            page = browser.new_context().new_page()
            page.on("response", lambda response: fetched.append((urlsplit(response.url).path, response.body())) if response.ok else None)
            page.goto(f"http://127.0.0.1:{server.server_port}{page_path}")
            page.wait_for_load_state("networkidle")
            browser.close()
    finally:
        server.shutdown()
    own = [body for path, body in fetched if path == page_path or path.startswith(page_path + "rows/")]
    every = [body for _, body in fetched]
    return {
        "own": sum(map(len, own)),
        "own_gzip": sum(len(gzip.compress(b, 6)) for b in own),
        "all": sum(map(len, every)),
        "all_gzip": sum(len(gzip.compress(b, 6)) for b in every),
        "row_files": sum(1 for path, _ in fetched if path.startswith(page_path + "rows/")),
    }


def measure(root: Path, n: int, seed: int, history_commits: int = 0, languages: str = "zh", repeat: int = 1) -> dict:
    if history_commits:
        # The same kind of registry, grown over that many commits, so the build reads its history too.
        expect = make_repository(root, n, history_commits, seed, delete=False)
        counts = {"records": expect["records"], "commits": expect["commits"]}
    else:
        counts = write_synthetic(root, n, seed)
    if languages != "zh":  # the editions (#18): the synthetic registry has no configuration of its own
        codes = ", ".join(languages.split(","))
        (root / "registry" / "liandong.yaml").write_text(f"site:\n  title: 协同工作登记册\n  languages: [{codes}]\n", encoding="utf-8")
    shutil.copytree(REPO_SCHEMAS, root / "schemas")
    shutil.copytree(REPO / "site", root / "site")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    out = root / "public"
    runs = []
    for _ in range(repeat):
        shutil.rmtree(out, ignore_errors=True)  # each build from scratch, not replacing the one before
        runs.append(run_child([sys.executable, "-m", "liandong", "build", "--root", str(root), "--output", str(out), "--today", "2026-11-25"], sample=True))
    build = max(runs, key=lambda r: r["code"] != 0)  # a failed run, if any, is the one reported
    processes: dict[str, list] = {}
    for run in runs:
        for name, (count, peak) in run.get("processes", {}).items():
            processes[name] = [max(count, processes.get(name, [0, 0])[0]), max(peak, processes.get(name, [0, 0])[1])]
    row = {
        "records": n,
        "languages": languages,
        "counts": counts,
        "build_s": statistics.median(r["wall"] for r in runs),
        "build_runs_s": [round(r["wall"], 1) for r in runs],
        "build_rss_mb": max(r["rss_mb"] or 0 for r in runs) or None,
        "build_processes": describe_processes(processes) if processes else None,
        "build_together_mb": max(r.get("together_mb", 0) for r in runs) or None,
        "build_exit": build["code"],
    }
    if build["code"] != 0:
        row["output"] = (build["stdout"] + build["stderr"])[-3000:]
        return row
    files = [p for p in out.rglob("*") if p.is_file()]
    task_pages = [p.stat().st_size for p in (out / "tasks").glob("*/index.html")]
    row.update(
        {
            "pages": sum(1 for p in files if p.name == "index.html"),
            "output_mb": sum(p.stat().st_size for p in files) / 2**20,
            "record_page_kb": statistics.median(task_pages) / 1024 if task_pages else None,
            "search_index_mb": sum(p.stat().st_size for p in (out / "pagefind").rglob("*") if p.is_file()) / 2**20,
            "name_index_mb": sum(p.stat().st_size for p in (out / "search").rglob("*") if p.is_file() and p.name != "index.html") / 2**20,
            "name_index_files": sum(1 for p in (out / "search").rglob("*") if p.is_file() and p.name != "index.html"),
            "timeline_kb": _figure_kb(out / "tasks" / "index.html", "ld-gantt"),
            "trend_kb": _figure_kb(out / "index.html", "ld-trend"),
        }
    )
    listed = first_list_load(out)
    row["list_rows"] = sum(1 for _ in (out / "tasks").glob("*/index.html"))
    row["list_row_files_kb"] = sum(p.stat().st_size for p in (out / "tasks" / "rows").glob("*.json")) / 1024
    for key in ("own", "own_gzip", "all", "all_gzip"):
        row[f"list_first_load_{key}_kb"] = listed[key] / 1024 if listed else None
    row["list_first_load_row_files"] = listed["row_files"] if listed else None
    searches = first_search_bytes(out, QUERIES)
    for n, kind in enumerate(QUERIES):
        row[f"first_search_{n}_kb"] = searches[kind]["all"] / 1024 if searches else None
        row[f"first_search_{n}_names_kb"] = searches[kind]["names"] / 1024 if searches else None
    return row


def _figure_kb(page: Path, css_class: str) -> float | None:
    """The size of a page's figure (#20: the task timeline, the counts over time), its inline SVG alone."""
    if not page.exists():
        return None
    html = page.read_text(encoding="utf-8")
    start = html.find(f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}"')
    return None if start < 0 else (html.index("</svg>", start) + len("</svg>") - start) / 1024


def table(rows: list[dict]) -> str:
    def cell(row: dict, key: str, fmt: str) -> str:
        value = row.get(key)
        return "n/a" if value is None else format(value, fmt)

    def ok(value: float | None, limit: float) -> str:
        return "" if value is None else (" ✓" if value <= limit else " ✗")

    lines = ["| records | " + " | ".join(f"{r['records']:,}" for r in rows) + " | target (at 10,000) |", "|---|" + "---:|" * len(rows) + "---|"]
    spec = [
        ("build exit code", "build_exit", "d", None),
        ("build wall (s), median", "build_s", ".1f", TARGET_S),
        ("  each run (s)", "build_runs_s", "", None),
        ("build peak RSS, the largest process (MB)", "build_rss_mb", ".0f", TARGET_MB),
        ("  each process's peak (MB)", "build_processes", "", None),
        ("  all of them at once (MB)", "build_together_mb", ".0f", None),
        ("pages", "pages", ",", None),
        ("output (MB)", "output_mb", ".1f", None),
        ("record page, median (KB)", "record_page_kb", ".1f", None),
        ("Pagefind index on disk (MB)", "search_index_mb", ".1f", None),
        ("name index on disk (MB)", "name_index_mb", ".1f", None),
        ("name index files", "name_index_files", ",", None),
        ("tasks list's timeline figure (KB)", "timeline_kb", ".1f", None),
        ("home page's counts-over-time figure (KB)", "trend_kb", ".1f", None),
        ("tasks list: records", "list_rows", ",", None),
        ("tasks list: its row files on disk (KB)", "list_row_files_kb", ",.0f", None),
        ("tasks list, first load: its page and row files (KB)", "list_first_load_own_kb", ".0f", TARGET_LIST_KB),
        ("  the same, gzipped (KB)", "list_first_load_own_gzip_kb", ".0f", None),
        ("  row files fetched", "list_first_load_row_files", "d", None),
        ("  with the CSS and scripts every page shares (KB)", "list_first_load_all_kb", ".0f", None),
        ("  the same, gzipped (KB)", "list_first_load_all_gzip_kb", ".0f", None),
    ]
    targets = {"build_s": f"≤ {TARGET_S} s", "build_rss_mb": "≤ 1 GB", "build_exit": "0", "list_first_load_own_kb": f"≤ {TARGET_LIST_KB} KB"}
    for n, (kind, query) in enumerate(QUERIES.items()):
        spec.append((f"first search, {kind} “{query}” (KB)", f"first_search_{n}_kb", ".0f", TARGET_SEARCH_KB))
        spec.append(("  of which the name index (KB)", f"first_search_{n}_names_kb", ".1f", None))
        targets[f"first_search_{n}_kb"] = f"≤ {TARGET_SEARCH_KB} KB"
    for label, key, fmt, limit in spec:
        cells = [cell(r, key, fmt) + (ok(r.get(key), limit) if limit and r["records"] >= 10_000 else "") for r in rows]
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {targets.get(key, '')} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated record counts (default 1000,10000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=1, help="builds of each size; the median time is reported (default 1)")
    parser.add_argument("--keep", type=Path, help="keep the registries and sites in DIR/site-N")
    parser.add_argument("--json", type=Path, help="also write the results as JSON to FILE")
    parser.add_argument(
        "--history-commits",
        type=int,
        default=0,
        metavar="N",
        help="build a Git repository of N commits (as history_bench.py does) so the build reads history too",
    )
    parser.add_argument("--languages", default="zh", help="the site's editions, e.g. zh,vi,en (#18; default zh alone)")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="liandong-build-bench-"))
    rows = []
    try:
        for n in (int(s) for s in args.sizes.split(",")):
            root = base / f"site-{n}"
            shutil.rmtree(root, ignore_errors=True)
            print(f"… {n:,} records in {root}", file=sys.stderr)
            rows.append(measure(root, n, args.seed, args.history_commits, args.languages, args.repeat))
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    history = f", history of {args.history_commits:,} commits" if args.history_commits else ", no Git history"
    editions = f", editions {args.languages}" if args.languages != "zh" else ""
    print(f"Python {platform.python_version()} on {platform.system()} {platform.machine()}, seed {args.seed}{history}{editions}\n")
    print(table(rows))
    for row in rows:
        if row.get("output"):
            print(f"\nbuild of {row['records']:,} records failed:\n{row['output']}")
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0 if all(r["build_exit"] == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
