#!/usr/bin/env python3
"""How soon does an edit show in `liandong serve`, on a large registry?

    .venv/bin/python benchmarks/serve_bench.py [--sizes 1000,10000] [--edits 3] [--seed 0] [--json FILE]

For each size, a seeded synthetic registry (benchmarks/synthetic.py) with the repository's
schemas/, site/ and mkdocs.yml is written to a temporary Git repository (one commit), and
`python -m liandong serve` is started in a fresh process. Reported:

  startup: from launch until the preview says it is ready
  edit → visible: a task's title is changed on disk, then its page is fetched over HTTP until the
    new title is in it (median and each of --edits runs)
  broken → diagnostics: a save that makes the registry invalid, until the page answers with the
    diagnostics (HTTP 500 and the file's path); fixed → page: the next good save, until it is back
  peak RSS of the serve process (VmHWM from /proc)

Targets on a 2-core machine: visible ≤ 1 s at 1,000 records, ≤ 2 s at 10,000; the diagnostics
within the same time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.synthetic import write_synthetic  # noqa: E402


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return answer.status, answer.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8")


def _until(url: str, done: object, limit: float = 120.0) -> float:
    """Seconds until done(status, body) holds for the page at `url`."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        status, body = _fetch(url)
        if done(status, body):  # type: ignore[operator]
            return time.monotonic() - started
        time.sleep(0.02)
    raise RuntimeError(f"no change at {url} after {limit} s")


def _version(base: str) -> int:
    page = _fetch(base)[1]
    return int(page.split("var v=")[1].split(";")[0]) if "var v=" in page else -1


def _settled(base: str, quiet: float = 3.0) -> None:
    """Wait until the preview has told of no change for `quiet` seconds (its update is done)."""
    seen = _version(base)
    while True:
        try:
            with urllib.request.urlopen(f"{base}__liandong__/reload?v={seen}", timeout=quiet) as answer:
                seen = json.loads(answer.read())["version"]
        except (TimeoutError, urllib.error.URLError):
            return


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(size: int, edits: int, seed: int) -> dict[str, object]:
    folder = Path(tempfile.mkdtemp(prefix=f"serve-bench-{size}-"))
    try:
        write_synthetic(folder, size, seed)
        for name in ("schemas", "site"):
            shutil.copytree(REPO / name, folder / name)
        shutil.copy(REPO / "mkdocs.yml", folder / "mkdocs.yml")
        env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.org", "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@example.org"}
        subprocess.run(["git", "init", "-q"], cwd=folder, check=True)
        subprocess.run(["git", "add", "-A"], cwd=folder, check=True)
        subprocess.run(["git", "commit", "-qm", "synthetic"], cwd=folder, check=True, env=env)
        task = sorted((folder / "registry/tasks").glob("*.yaml"))[len(list((folder / "registry/tasks").glob("*.yaml"))) // 2]
        url_base, port = "", _port()
        started = time.monotonic()
        server = subprocess.Popen(
            [sys.executable, "-m", "liandong", "serve", "--dev-addr", f"127.0.0.1:{port}", "--today", "2026-11-25"],
            cwd=folder,
            stdout=subprocess.PIPE,
            stderr=(folder / "serve.log").open("w"),
            text=True,
        )
        try:
            assert server.stdout is not None
            for line in server.stdout:
                if "预览已就绪" in line:
                    break
            startup = time.monotonic() - started
            url_base = f"http://127.0.0.1:{port}/"
            url = f"{url_base}tasks/{task.stem}/"
            _fetch(url)
            good = task.read_text(encoding="utf-8")
            visible = []
            for n in range(edits):
                marker = f"基准测试修改{n}"
                task.write_text(good.replace("\ntitle: ", f"\ntitle: {marker}", 1), encoding="utf-8")
                visible.append(_until(url, lambda status, body, m=marker: status == 200 and m in body))
                _settled(url_base)  # the rest of the site follows; the next edit starts from quiet
            _settled(url_base)
            task.write_text(good.replace("\nstatus: ", "\nstatus: 不存在的状态", 1), encoding="utf-8")
            broken = _until(url, lambda status, body: status == 500 and task.name in body)
            task.write_text(good, encoding="utf-8")
            fixed = _until(url, lambda status, body: status == 200)
            peak = _peak_rss_mb(server.pid)
        except RuntimeError:
            print((folder / "serve.log").read_text(encoding="utf-8")[-3000:], file=sys.stderr)
            raise
        finally:
            server.terminate()
            server.wait(timeout=30)
        return {
            "records": size,
            "startup_s": round(startup, 1),
            "visible_median_s": round(statistics.median(visible), 2),
            "visible_s": [round(v, 2) for v in visible],
            "diagnostics_s": round(broken, 2),
            "recovered_s": round(fixed, 2),
            "peak_rss_mb": round(peak),
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        result = measure(size, args.edits, args.seed)
        results.append(result)
        print(
            f"{size:>7} records: startup {result['startup_s']} s; edit visible after {result['visible_median_s']} s "
            f"(median of {args.edits}: {result['visible_s']}); diagnostics after {result['diagnostics_s']} s, "
            f"recovered after {result['recovered_s']} s; peak RSS {result['peak_rss_mb']} MB",
            flush=True,
        )
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
