#!/usr/bin/env python3
"""How fast is `liandong validate` on a large registry, compared with merely parsing its YAML?

    .venv/bin/python benchmarks/bench.py [--sizes 1000,10000] [--seed 0] [--repeat 3] [--keep DIR] [--json FILE]

For each size, a seeded synthetic registry (benchmarks/synthetic.py) is written to a temporary
folder (or DIR/records-N with --keep) with a copy of schemas/, and then timed, each in a fresh
Python process so that every figure pays for interpreter start-up the same way:

  startup   `python -c pass`
  validate  `python -m liandong validate --root ROOT --format json`; must exit 0 with no findings,
            a benchmark of a failing run means nothing
  parse     PyYAML's C loader, `yaml.load(text, Loader=yaml.CSafeLoader)`, over the same files
  check-jsonschema, when it is installed (optional, never required): one run per record type, once

Wall times are the best of --repeat runs; peak RSS is the child's own (os.wait4), the largest
seen. "− startup" figures subtract the bare interpreter's start-up time.
The targets are for 10,000 records: validate ≤ 1.5 × parse, and < 300 MB.
Exit status: 0 when every validate run was clean, 1 otherwise (targets only inform).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.synthetic import REPO_SCHEMAS, TYPES, write_synthetic  # noqa: E402

TARGET_RATIO = 1.5
TARGET_RSS_MB = 300
TARGET_AT = 10_000

PARSE = """
import pathlib, sys, yaml
for path in sorted(pathlib.Path(sys.argv[1]).glob("registry/*/*.yaml")):
    yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
"""


def _processes() -> dict[int, tuple[int, str, int]]:
    """pid → (parent pid, command name, RSS in KiB) of every process, from /proc (Linux)."""
    page_kib = os.sysconf("SC_PAGE_SIZE") // 1024
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue  # ended meanwhile
        close = stat.rindex(")")  # the command name may hold spaces and parentheses
        fields = stat[close + 2 :].split()  # state, ppid, … rss is the 22nd after the name
        found[int(entry)] = (int(fields[1]), stat[stat.index("(") + 1 : close], int(fields[21]) * page_kib)
    return found


class TreeSampler(threading.Thread):
    """Samples the RSS of a process and of every process under it every `interval` seconds: the
    peak of each (by command name; the process itself is "main") and the peak of their sum, the
    memory the machine needs at once. os.wait4 gives only the largest single process."""

    def __init__(self, pid: int, interval: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.done = threading.Event()
        self.peaks: dict[int, tuple[str, int]] = {}  # pid → (name, peak KiB)
        self.together = 0  # KiB

    def run(self) -> None:
        while not self.done.is_set():
            every = _processes()
            tree, grew = {self.pid}, True
            while grew:
                grew = False
                for pid, (parent, _, _) in every.items():
                    if parent in tree and pid not in tree:
                        tree.add(pid)
                        grew = True
            now = 0
            for pid in tree & every.keys():
                _, name, kib = every[pid]
                now += kib
                name = "main" if pid == self.pid else name
                if kib > self.peaks.get(pid, (name, 0))[1]:
                    self.peaks[pid] = (name, kib)
            self.together = max(self.together, now)
            self.done.wait(self.interval)

    def result(self) -> dict:
        """{"processes": {name: [count, peak MB]}, "together_mb": peak of the sum}."""
        by_name: dict[str, list] = {}
        for name, kib in self.peaks.values():
            count, peak = by_name.get(name, [0, 0.0])
            by_name[name] = [count + 1, max(peak, kib / 1024)]
        return {"processes": by_name, "together_mb": self.together / 1024}


def describe_processes(processes: dict) -> str:
    """e.g. "main 303, python 371, pagefind_extende ×5 916" (MB, the peak of each; ×n: n processes, the largest)."""
    return ", ".join(
        f"{name}{f' ×{count}' if count > 1 else ''} {peak:.0f}" for name, (count, peak) in sorted(processes.items(), key=lambda kv: kv[0] != "main")
    )


def run_child(argv: list[str], sample: bool = False) -> dict:
    """Run one process; its wall time, its own peak RSS in MB, exit code and output. `sample`
    (Linux): also each process's peak under it and the peak of their sum (TreeSampler)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=REPO, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        sampler = TreeSampler(proc.pid) if sample and Path("/proc/self/stat").exists() else None
        if sampler is not None:
            sampler.start()
        if hasattr(os, "wait4"):
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            # Linux reports KiB, macOS bytes
            rss = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
        else:  # no per-child usage here (Windows)
            proc.wait()
            wall, rss = time.perf_counter() - start, None
        if sampler is not None:
            sampler.done.set()
            sampler.join()
        out.seek(0)
        err.seek(0)
        return {
            "wall": wall,
            "rss_mb": rss,
            "code": proc.returncode,
            "stdout": out.read().decode("utf-8", "replace"),
            "stderr": err.read().decode("utf-8", "replace"),
            **(sampler.result() if sampler is not None else {}),
        }


def best_of(argv: list[str], repeat: int) -> dict:
    runs = [run_child(argv) for _ in range(repeat)]
    best = min(runs, key=lambda r: r["wall"])
    rss = [r["rss_mb"] for r in runs if r["rss_mb"] is not None]
    return {**best, "rss_mb": max(rss) if rss else None, "codes": sorted({r["code"] for r in runs})}


def check_jsonschema_command() -> list[str] | None:
    if shutil.which("check-jsonschema"):
        return ["check-jsonschema"]
    if importlib.util.find_spec("check_jsonschema"):
        return [sys.executable, "-m", "check_jsonschema"]
    return None


# The bytes of file arguments one check-jsonschema run is given: the system refuses a command line
# longer than ARG_MAX (with the environment), which 100,000 paths pass ("Argument list too long").
ARGUMENT_BYTES = 64 * 1024


def batches(files: list[str], limit: int = ARGUMENT_BYTES) -> list[list[str]]:
    """`files` in runs whose paths add up to at most `limit` bytes (at least one file a run)."""
    found: list[list[str]] = []
    size = limit + 1
    for name in files:
        length = len(name.encode()) + 1
        if size + length > limit:
            found.append([])
            size = 0
        found[-1].append(name)
        size += length
    return found


def time_check_jsonschema(command: list[str], root: Path) -> dict:
    """One run per record type (each type has its own schema) and batch of files (`batches`), once:
    it is slow; the times, each run's start-up included, are added up."""
    total, codes, runs = 0.0, set(), 0
    for type_name in TYPES:
        files = sorted(str(p) for p in (root / "registry" / type_name).glob("*.yaml"))
        for batch in batches(files):
            result = best_of([*command, "--schemafile", str(root / "schemas" / f"{type_name}.schema.json"), *batch], 1)
            total += result["wall"]
            codes.update(result["codes"])
            runs += 1
    return {"wall": total, "codes": sorted(codes), "runs": runs}


def measure(root: Path, n: int, seed: int, repeat: int, startup: float, cjs: list[str] | None) -> dict:
    counts = write_synthetic(root, n, seed)
    shutil.copytree(REPO_SCHEMAS, root / "schemas")
    files = sorted((root / "registry").glob("*/*.yaml"))
    validate = best_of([sys.executable, "-m", "liandong", "validate", "--root", str(root), "--format", "json"], repeat)
    parse = best_of([sys.executable, "-c", PARSE, str(root)], repeat)
    try:
        findings = len(json.loads(validate["stdout"]))
    except ValueError:
        findings = None
    row = {
        "records": n,
        "counts": counts,
        "files": len(files),
        "bytes": sum(f.stat().st_size for f in files),
        "validate_exit": max(validate["codes"]),
        "validate_findings": findings,
        "validate_s": validate["wall"],
        "parse_s": parse["wall"],
        "startup_s": startup,
        "validate_net_s": validate["wall"] - startup,
        "parse_net_s": parse["wall"] - startup,
        "validate_rss_mb": validate["rss_mb"],
        "parse_rss_mb": parse["rss_mb"],
    }
    row["ratio"] = row["validate_s"] / row["parse_s"]
    row["ratio_net"] = row["validate_net_s"] / row["parse_net_s"] if row["parse_net_s"] > 0 else None
    if validate["codes"] != [0]:
        row["validate_output"] = (validate["stdout"][:2000] + validate["stderr"][-2000:]).strip()
    if cjs:
        result = time_check_jsonschema(cjs, root)
        row["check_jsonschema_s"], row["check_jsonschema_exit"] = result["wall"], max(result["codes"])
    return row


def mark(ok: bool | None) -> str:
    return "" if ok is None else (" ✓" if ok else " ✗")


def table(rows: list[dict]) -> str:
    def line(label: str, cells: list[str], target: str = "") -> str:
        return f"| {label} | " + " | ".join(cells) + f" | {target} |"

    def fmt(value: float | None, spec: str) -> str:
        return "n/a" if value is None else format(value, spec)

    head = [f"{r['records']:,}" for r in rows]
    out = [line("records", head, f"target (at {TARGET_AT:,})"), "|---|" + "---:|" * len(rows) + "---|"]
    out.append(line("files", [f"{r['files']:,}" for r in rows]))
    out.append(line("total size (MB)", [f"{r['bytes'] / 1e6:.1f}" for r in rows]))
    out.append(
        line("validate exit code (findings)", [f"{r['validate_exit']} ({r['validate_findings']}){mark(r['validate_exit'] == 0)}" for r in rows], "0 (0)")
    )
    out.append(line("validate wall (s)", [f"{r['validate_s']:.3f}" for r in rows]))
    out.append(line("parse wall (s), CSafeLoader", [f"{r['parse_s']:.3f}" for r in rows]))
    out.append(line("validate / parse", [f"{r['ratio']:.2f}×{mark(r['ratio'] <= TARGET_RATIO)}" for r in rows], f"≤ {TARGET_RATIO}×"))
    out.append(line("interpreter startup (s)", [f"{r['startup_s']:.3f}" for r in rows]))
    out.append(line("validate − startup (s)", [f"{r['validate_net_s']:.3f}" for r in rows]))
    out.append(line("parse − startup (s)", [f"{r['parse_net_s']:.3f}" for r in rows]))
    out.append(
        line(
            "validate / parse, startup excluded",
            [fmt(r["ratio_net"], ".2f") + "×" + mark(r["ratio_net"] is not None and r["ratio_net"] <= TARGET_RATIO) for r in rows],
            f"≤ {TARGET_RATIO}×",
        )
    )
    out.append(
        line(
            "validate peak RSS (MB)",
            [fmt(r["validate_rss_mb"], ".0f") + mark(None if r["validate_rss_mb"] is None else r["validate_rss_mb"] < TARGET_RSS_MB) for r in rows],
            f"< {TARGET_RSS_MB} MB",
        )
    )
    out.append(line("parse peak RSS (MB)", [fmt(r["parse_rss_mb"], ".0f") for r in rows]))
    out.append(
        line(
            "check-jsonschema wall (s)",
            [fmt(r.get("check_jsonschema_s"), ".3f") + (f" (exit {r['check_jsonschema_exit']})" if "check_jsonschema_exit" in r else "") for r in rows],
            "optional",
        )
    )
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated record counts (default 1000,10000)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best wall time is kept (default 3)")
    parser.add_argument("--keep", type=Path, help="write the registries to DIR/records-N and keep them")
    parser.add_argument("--json", type=Path, help="also write the results as JSON to FILE")
    args = parser.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]

    cjs = check_jsonschema_command()
    startup = best_of([sys.executable, "-c", "pass"], max(args.repeat, 5))["wall"]
    rows = []
    with tempfile.TemporaryDirectory(prefix="liandong-bench-") as temp:
        base = args.keep or Path(temp)
        for n in sizes:
            root = base / f"records-{n}"
            if root.exists():
                parser.error(f"{root} already exists; remove it or choose another --keep folder")
            print(f"… {n:,} records in {root}", file=sys.stderr, flush=True)
            rows.append(measure(root, n, args.seed, args.repeat, startup, cjs))

    print(
        f"Python {platform.python_version()} on {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs; "
        f"seed {args.seed}, best of {args.repeat}" + ("" if cjs else "; check-jsonschema not installed")
    )
    print()
    print(table(rows))
    for r in rows:
        if r["validate_exit"] == 0 and r["validate_findings"]:
            print(
                f"\nnote: {r['validate_findings']} warning(s) on {r['records']:,} synthetic records; the generator should produce none (a new rule?)",
                file=sys.stderr,
            )
    failed = [r for r in rows if r["validate_exit"] != 0]
    for r in failed:
        print(
            f"\nvalidate failed on {r['records']:,} records (exit {r['validate_exit']}); the timings above mean nothing:\n{r.get('validate_output', '')}",
            file=sys.stderr,
        )
    if args.json:
        report = {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "seed": args.seed,
            "repeat": args.repeat,
            "targets": {"at_records": TARGET_AT, "max_ratio": TARGET_RATIO, "max_rss_mb": TARGET_RSS_MB},
            "results": [{k: v for k, v in r.items() if k != "validate_output"} for r in rows],
        }
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
