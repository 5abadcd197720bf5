#!/usr/bin/env python3
"""How long does reading the registry's history from Git take on a large, long-lived repository?

    .venv/bin/python benchmarks/history_bench.py [--records 10000] [--commits 20000] [--seed 0]
                                                 [--keep DIR] [--json FILE] [--profile]

A synthetic repository is written to a temporary folder (or DIR with --keep) by `git fast-import`
(20,000 commits through GitPython's index would take many minutes): the final records of a
seeded synthetic registry (benchmarks/synthetic.py), each grown there step by step as it would be
by hand. Tasks are created 已交办, gain progress entries one by one (办理中), are extended (the
deadline moves in the same commit as the new extension entry), completed and closed; coordination
items gain progress and are resolved; meetings are planned and then get their minutes and
decisions; powers go from proposed into force; every record's notes are edited now and then.
A few records are moved into the wrong folder and back, a few are deleted, and a few versions are
broken YAML fixed in the next commit. Steps are spread over the commits in time order, at fixed
author dates, one to a few records per commit.

`read_history(root)` is then timed in fresh Python processes, each figure the median of --runs
(3) runs: wall time (interpreter start-up included; the call alone is reported as well) and the
highest peak RSS of those runs (os.wait4), in three situations:

  cold         no history cache (history/cache.py): the whole log is read, and the cache written
  warm         a second build at the same HEAD: the cache is loaded, no `git log`
  incremental  the cache of that HEAD, and --new (20) commits on top of it (a record created, one
               deleted, the others edited): only those commits are read

The new commits are on refs/bench/incremental-N (made once, kept with --keep); refs/bench/base
is the repository as built, and main is put back there at the end.
Targets at 10,000 records and 20,000 commits on a 2-core machine: cold ≤ 5 s and ≤ 1 GB; warm ≤ 1 s.
Exit status: 0 when the history read back matches what was written and the incremental read
equals a full read of the same commits, 1 otherwise.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench import run_child  # noqa: E402

from benchmarks.synthetic import build_records, record_text  # noqa: E402

TARGET_S, TARGET_MB, TARGET_WARM_S = 5.0, 1024, 1.0
START = datetime.datetime(2023, 1, 1, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
SPAN = datetime.timedelta(days=3 * 365)
AUTHORS = [
    ("东兴市商务局 王芳", "wangfang"),
    ("试验区工管委办公室 李强", "liqiang"),
    ("防城港市财政局 陈静", "chenjing"),
    ("东兴市政务服务中心 黄伟", "huangwei"),
    ("登记册维护组", "registry"),
]
INITIAL = {"tasks": "assigned", "coordination": "open", "meetings": "planned", "powers": "proposed"}
# Fields a record only gains later in its life (they are removed from its first version).
LATER = {
    "tasks": ("progress", "extensions", "completion", "closure", "termination", "reopenings", "reminders"),
    "coordination": ("progress", "escalation", "resolution", "withdrawal"),
    "meetings": ("attendees", "observers", "absentees", "minutes", "decisions"),
    "powers": ("implementer",),
}


# ---------------------------------------------------------------------------------------------
# Each record's versions


def _days(date: str, n: int) -> str:
    return (datetime.date.fromisoformat(date) + datetime.timedelta(days=n)).isoformat()


def grow(type_name: str, final: dict[str, Any], rng: random.Random) -> list[tuple[str, dict[str, Any]]]:
    """A record's versions from its creation to its final state, each with a commit subject."""
    first = {k: v for k, v in final.items() if k not in LATER.get(type_name, ())}
    if type_name in INITIAL:
        first["status"] = INITIAL[type_name]
    extensions = final.get("extensions") or []
    if type_name == "tasks" and extensions and "deadline" in final:
        first["deadline"] = _days(extensions[0]["requested"], 30)  # the deadline before any extension
    steps = [("新建", first)]
    current = first

    def step(subject: str, **changes: Any) -> None:
        nonlocal current
        current = {**current, **changes}
        steps.append((subject, current))

    if type_name in ("tasks", "coordination"):
        entries = [("progress", e, e["date"]) for e in final.get("progress") or []]
        entries += [("extensions", e, e["requested"]) for e in extensions]
        for name, entry, _date in sorted(entries, key=lambda x: x[2]):
            grown = [*current.get(name, []), entry]
            if name == "extensions":
                step("延期", extensions=grown, deadline=entry["new_deadline"], status="extended")
            else:
                status = current["status"]
                if status in ("assigned", "open"):
                    status = "in_progress" if type_name == "tasks" else "coordinating"
                step("报送办理进度", progress=grown, status=status)
        if "completion" in final:
            step("办结", completion=final["completion"], status="completed")
    if type_name == "meetings" and final["status"] in ("held", "minutes_issued"):
        step("会议已召开", status="held", attendees=final.get("attendees", []))
    for _ in range(rng.choice((0, 0, 1, 2))):
        step("修改备注", notes=f"{final.get('notes', '备注')}\n\n补充说明第{len(steps)}条。")
    if current != final:
        step("更新状态", **{k: v for k, v in final.items()})
        current = final
        steps[-1] = (steps[-1][0], final)
    return steps


# ---------------------------------------------------------------------------------------------
# The repository


Change = tuple[str, "bytes | None"]  # (path, content), None to delete


def plan(n_records: int, n_commits: int, seed: int, delete: bool = True) -> tuple[list[list[tuple[list[Change], str]]], dict[str, Any]]:
    """Commits as lists of steps (changes, subject), oldest first, and what a correct history
    must say about them. Without `delete`, no record is deleted, so the final registry validates
    (a deleted record leaves references to it behind)."""
    rng = random.Random(seed)
    steps: list[tuple[float, int, str, list[Change], str]] = []  # (time, order, id, changes, subject)
    expect: Counter[str] = Counter()

    def add(t: float, rid: str, changes: list[Change], subject: str) -> None:
        steps.append((t, len(steps), rid, changes, subject))

    for index, (type_name, final) in enumerate(build_records(n_records, seed)):
        rid = final["id"]
        path = f"registry/{type_name}/{rid}.yaml"
        versions = grow(type_name, final, rng)
        # Reference records (organisations, documents, mechanisms) come first, as in a real registry.
        t = rng.uniform(0, 0.02) if type_name in ("organizations", "documents", "mechanisms") else rng.uniform(0.02, 0.7)
        gap = (1.0 - t) / (len(versions) + 2)
        for subject, data in versions:
            text = record_text(type_name, data).encode("utf-8")
            add(t, rid, [(path, text)], f"{rid}：{subject}")
            t += rng.uniform(0.1, 1.0) * gap
            if rng.random() < 0.002:  # a broken version, fixed by the next commit
                add(t, rid, [(path, text.replace(b"\nstatus: ", b"\nstatus: [", 1))], f"{rid}：修改")
                t += rng.uniform(0.1, 1.0) * gap
                add(t, rid, [(path, text)], f"{rid}：改正格式")
                t += rng.uniform(0.1, 1.0) * gap
                expect["skipped"] += 1
        if rng.random() < 0.005:  # put into the wrong folder, then moved back
            wrong = f"registry/{'coordination' if type_name == 'tasks' else 'tasks'}/{rid}.yaml"
            add(t, rid, [(path, None), (wrong, text)], f"{rid}：移动")
            add(t + gap / 2, rid, [(wrong, None), (path, text)], f"{rid}：移回")
            expect["moved"] += 1
        elif rng.random() < 0.003 and index % 7 and delete:
            add(t, rid, [(path, None)], f"{rid}：删除")
            expect["deleted"] += 1
        expect["records"] += 1
        expect["created"] += 1
    steps.sort(key=lambda s: (s[0], s[1]))
    # Spread the steps over the commits in time order, never two steps of one record in a commit.
    commits: list[list[tuple[list[Change], str]]] = []
    ids: list[set[str]] = []
    per = len(steps) / n_commits
    for k, (_t, _o, rid, changes, subject) in enumerate(steps):
        slot = max(len(commits) - 1, int(k / per))
        if slot < len(commits) and rid in ids[slot]:
            slot += 1
        while len(commits) <= slot:
            commits.append([])
            ids.append(set())
        commits[slot].append((changes, subject))
        ids[slot].add(rid)
    expect["commits"] = len(commits)
    return commits, dict(expect)


def fast_import_stream(commits: list[list[tuple[list[Change], str]]]) -> Iterator[bytes]:
    step = SPAN / max(len(commits), 1)
    for n, steps in enumerate(commits):
        when = START + step * n
        name, login = AUTHORS[n % len(AUTHORS)]
        stamp = f"{int(when.timestamp())} +0800"
        subjects = [subject for _changes, subject in steps]
        message = subjects[0] if len(subjects) == 1 else f"{subjects[0]} 等{len(subjects)}项"
        body = message.encode("utf-8")
        out = [
            f"commit refs/heads/main\nauthor {name} <{login}@example.org> {stamp}\ncommitter {name} <{login}@example.org> {stamp}\n".encode(),
            b"data %d\n%s\n" % (len(body), body),
        ]
        for path, content in (change for changes, _subject in steps for change in changes):
            if content is None:
                out.append(f"D {path}\n".encode())
            else:
                out.append(f"M 100644 inline {path}\n".encode() + b"data %d\n%s\n" % (len(content), content))
        out.append(b"\n")
        yield b"".join(out)


def make_repository(root: Path, n_records: int, n_commits: int, seed: int, delete: bool = True) -> dict[str, Any]:
    commits, expect = plan(n_records, n_commits, seed, delete)
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True, env=env)
    importer = subprocess.Popen(["git", "fast-import", "--quiet", "--done"], cwd=root, stdin=subprocess.PIPE, env=env)
    assert importer.stdin is not None
    for chunk in fast_import_stream(commits):
        importer.stdin.write(chunk)
    importer.stdin.write(b"done\n")
    importer.stdin.close()
    if importer.wait() != 0:
        raise SystemExit("git fast-import failed")
    subprocess.run(["git", "reset", "-q", "--hard"], cwd=root, check=True, env=env)
    return expect


# ---------------------------------------------------------------------------------------------
# Timing


CHILD = """
import hashlib, json, os, sys, time
from collections import Counter
from pathlib import Path
if sys.argv[2] == "off":
    os.environ["LIANDONG_HISTORY_CACHE"] = "0"
start = time.perf_counter()
from liandong.history.reader import read_history
imported = time.perf_counter()
history = read_history(Path(sys.argv[1]))
done = time.perf_counter()
kinds = Counter(e.kind for r in history.records.values() for e in r.events)
digest = hashlib.sha256()  # of everything read, a record at a time (no large string); not in timed runs
for record in history.records.values() if sys.argv[3] == "check" else ():
    digest.update(repr(record).encode())
for commit in history.commits if sys.argv[3] == "check" else ():
    digest.update(repr(commit).encode())
print(json.dumps({
    "import_s": imported - start, "read_s": done - imported, "available": history.available, "note": history.note,
    "records": len(history.records), "commits": len(history.commits), "events": sum(kinds.values()), "kinds": kinds,
    "skipped": sum(len(r.skipped) for r in history.records.values()),
    "incomplete": sum(not r.complete for r in history.records.values()),
    "digest": digest.hexdigest(),
}))
"""

PROFILE = """
import cProfile, os, pstats, sys
from pathlib import Path
os.environ["LIANDONG_HISTORY_CACHE"] = "0"
from liandong.history.reader import read_history
cProfile.run("read_history(Path(sys.argv[1]))", "/tmp/history.prof")
pstats.Stats("/tmp/history.prof").sort_stats("cumulative").print_stats(30)
"""


def git(root: Path, *args: str, input: bytes | None = None) -> str:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, input=input, env=env).stdout.decode("utf-8").strip()


def new_commits(root: Path, base: str, n: int) -> str:
    """refs/bench/incremental-N: n commits on top of `base` (made once): the first creates a
    record, the second deletes one, the others edit one record each (a new field)."""
    ref = f"refs/bench/incremental-{n}"
    if git(root, "for-each-ref", "--format=%(objectname)", ref):
        return git(root, "rev-parse", ref)
    paths = sorted(p for p in git(root, "ls-tree", "-r", "--name-only", base, "--", "registry").splitlines() if p.endswith(".yaml"))
    picked = [paths[(k * 7919) % len(paths)] for k in range(n)]
    when = int(git(root, "log", "-1", "--format=%ct", base)) + 3600
    out: list[bytes] = []
    for k in range(n):
        path = picked[k]
        stamp = f"{when + k * 600} +0800"
        if k == 0:
            change = b"M 100644 inline registry/tasks/task-bench-new.yaml\n"
            text = git(root, "cat-file", "blob", f"{base}:{path}").encode("utf-8") + b"\n"
            change += b"data %d\n%s\n" % (len(text), text)
            subject = "新建 task-bench-new"
        elif k == 1:
            change, subject = f"D {path}\n".encode(), f"删除 {path}"
        else:
            text = git(root, "cat-file", "blob", f"{base}:{path}").encode("utf-8") + f"\nbench_note: 第{k}次修改\n".encode()
            change = f"M 100644 inline {path}\n".encode() + b"data %d\n%s\n" % (len(text), text)
            subject = f"修改 {path}"
        body = subject.encode("utf-8")
        out += [
            f"commit {ref}\nauthor 登记册维护组 <registry@example.org> {stamp}\ncommitter 登记册维护组 <registry@example.org> {stamp}\n".encode(),
            b"data %d\n%s\n" % (len(body), body),
            f"from {base}\n".encode() if k == 0 else b"",
            change,
            b"\n",
        ]
    out.append(b"done\n")
    git(root, "fast-import", "--quiet", "--done", input=b"".join(out))
    return git(root, "rev-parse", ref)


def _median(runs: list[dict[str, Any]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def timed(root: Path, runs: int, cache: str, before: Any = None) -> dict[str, Any]:
    """`runs` fresh processes reading the history (`before` run ahead of each), then one more that
    digests what it read (not timed: hashing the whole history takes about a second): the
    medians, the highest peak RSS, the runs' figures and the digest."""
    results = []
    for n in range(runs + 1):
        if before is not None:
            before()
        child = run_child([sys.executable, "-c", CHILD, str(root), cache, "check" if n == runs else "time"])
        if child["code"] != 0:
            raise SystemExit(f"read_history failed:\n{child['stderr']}")
        results.append({**json.loads(child["stdout"]), "wall_s": child["wall"], "rss_mb": child["rss_mb"]})
    check, results = results[-1], results[:-1] or results
    rss = [r["rss_mb"] for r in results if r["rss_mb"] is not None]
    return {
        **check,
        "wall_s": _median(results, "wall_s"),
        "read_s": _median(results, "read_s"),
        "rss_mb": max(rss) if rss else None,
        "walls": [r["wall_s"] for r in results],
    }


def measure(root: Path, n_records: int, n_commits: int, seed: int, profile: bool, runs: int = 3, new: int = 20) -> dict[str, Any]:
    marker = root / ".git" / "history-bench.json"
    wanted = {"records": n_records, "commits": n_commits, "seed": seed}
    built = None
    if marker.exists() and json.loads(marker.read_text())["params"] == wanted:
        expect = json.loads(marker.read_text())["expect"]  # --keep: the repository built last time
    else:
        if root.exists() and any(root.iterdir()):
            raise SystemExit(f"{root} is not empty and holds no repository built by this benchmark with these parameters")
        start = time.perf_counter()
        expect = make_repository(root, n_records, n_commits, seed)
        built = time.perf_counter() - start
        marker.write_text(json.dumps({"params": wanted, "expect": expect}))
    pack = sum(f.stat().st_size for f in (root / ".git").rglob("*") if f.is_file())
    if not git(root, "for-each-ref", "--format=%(objectname)", "refs/bench/base"):
        git(root, "update-ref", "refs/bench/base", "HEAD")
    base = git(root, "rev-parse", "refs/bench/base")
    git(root, "update-ref", "refs/heads/main", base)
    from liandong.history.cache import FOLDER, NAME

    cache_file = Path(git(root, "rev-parse", "--absolute-git-dir")) / FOLDER / NAME
    saved = cache_file.with_name("history-bench-saved.pickle")
    top = new_commits(root, base, new)

    def no_cache() -> None:
        cache_file.unlink(missing_ok=True)

    def from_base_cache() -> None:
        shutil.copyfile(saved, cache_file)
        git(root, "update-ref", "refs/heads/main", top)

    try:
        cold = timed(root, runs, "on", no_cache)
        warm = timed(root, runs, "on")
        shutil.copyfile(cache_file, saved)
        incremental = timed(root, runs, "on", from_base_cache)
        full_top = timed(root, 0, "off")
    finally:
        git(root, "update-ref", "refs/heads/main", base)
        if saved.exists():
            os.replace(saved, cache_file)
    if profile:
        print(run_child([sys.executable, "-c", PROFILE, str(root)])["stdout"])
    checks = {
        "records": cold["records"] == expect["records"],
        "created": cold["kinds"].get("created", 0) == expect["created"],
        "deleted": cold["kinds"].get("deleted", 0) == expect.get("deleted", 0),
        "skipped": cold["skipped"] == expect.get("skipped", 0),
        "commits": cold["commits"] == expect["commits"],
        "complete": cold["incomplete"] == 0,
        "warm = cold": warm["digest"] == cold["digest"],
        "incremental = full read": incremental["digest"] == full_top["digest"],
        "incremental commits": incremental["commits"] == expect["commits"] + new,
    }
    return {
        "records": n_records,
        "commits": expect["commits"],
        "new_commits": new,
        "build_repo_s": built,
        "git_dir_mb": pack / 1e6,
        "cache_mb": cache_file.stat().st_size / 1e6 if cache_file.exists() else None,
        "runs": runs,
        **cold,
        "cold": cold,
        "warm": warm,
        "incremental": incremental,
        "expected": expect,
        "checks": checks,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--commits", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--keep", type=Path, help="build the repository in DIR and keep it; a later run with the same parameters and DIR times it again without rebuilding"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to FILE")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of a cold read_history (one more run)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each situation; the median is reported")
    parser.add_argument("--new", type=int, default=20, help="commits on top of the cached HEAD for the incremental read")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="history-bench-") as tmp:
        row = measure(args.keep or Path(tmp) / "repo", args.records, args.commits, args.seed, args.profile, args.runs, args.new)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{subprocess.run(['git', '--version'], capture_output=True, text=True).stdout.strip()}"
    )
    built = f"built in {row['build_repo_s']:.1f} s" if row["build_repo_s"] is not None else "kept from an earlier run"
    sizes = f".git {row['git_dir_mb']:.0f} MB, history cache {row['cache_mb']:.0f} MB"
    print(f"repository: {row['records']:,} records, {row['commits']:,} commits ({built}, {sizes})")
    print(f"read_history, median of {row['runs']} fresh processes (the call alone in brackets), peak RSS:")
    for name, what in (("cold", "no cache"), ("warm", "same HEAD"), ("incremental", f"{row['new_commits']} new commits")):
        r = row[name]
        walls = ", ".join(f"{w:.2f}" for w in r["walls"])
        print(f"  {name:<12} {r['wall_s']:6.2f} s ({r['read_s']:.2f} s)  {r['rss_mb']:5.0f} MB   [{what}; runs {walls}]")
    print(f"targets: cold ≤ {TARGET_S:.0f} s and ≤ {TARGET_MB} MB, warm ≤ {TARGET_WARM_S:.0f} s")
    kinds = ", ".join(f"{k} {n:,}" for k, n in sorted(row["kinds"].items(), key=lambda kv: -kv[1]))
    print(f"found: {row['records']:,} records, {row['events']:,} events ({kinds}); {row['skipped']} versions skipped")
    failed = [name for name, ok in row["checks"].items() if not ok]
    print("checks: " + ("all as written" if not failed else f"MISMATCH in {', '.join(failed)} (expected {row['expected']})"))
    if args.json:
        args.json.write_text(json.dumps(row, ensure_ascii=False, indent=2), encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
