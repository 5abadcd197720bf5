#!/usr/bin/env python3
"""How long does `liandong import` take for a sheet of N new powers, and `liandong export` of them?

    .venv/bin/python benchmarks/import_bench.py [--sizes 200,2000] [--repeat 3]

For each size, a copy of the bundled registry and schemas goes into a temporary folder and an
.xlsx sheet of N powers is written with openpyxl the way a department would fill one (Chinese
headers, unit names, labels, dates as Excel dates and as text). Each run is a fresh process:

  import    `python -m liandong import SHEET --type powers` into a fresh copy; must exit 0 and
            write N files (the whole registry is validated twice: before, and with the N new files)
  validate  `python -m liandong validate` of the result; must exit 0
  export    `python -m liandong export --type powers` of the result (N + 5 rows)

Wall times are the best of --repeat runs.
"""

from __future__ import annotations

import argparse
import datetime
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

REPO = Path(__file__).resolve().parents[1]
TODAY = "2026-11-25"
HEADER = ["序号", "事项名称", "职权类别", "实施主体", "委托·委托机关", "委托·受委托机关", "委托·委托权限范围", "委托·委托起始日期"]
HEADER += ["受理窗口", "审批部门", "监管部门", "办件类型", "法定办结时限", "承诺办结时限", "是否收费", "申请材料", "实施依据", "政策依据·文件", "政策依据·条款"]
OPINION = "关于建立推进中国东兴—越南芒街跨境经济合作区东兴园区与东兴市政区协同发展联动工作机制的实施意见"


def write_sheet(path: Path, count: int) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "委托事项清单"
    sheet.append(HEADER)
    categories = ["行政许可", "行政检查", "行政确认", "公共服务", "penalty"]
    for n in range(1, count + 1):
        start = datetime.date(2026, 3, 1) + datetime.timedelta(days=n % 60)
        dates = [start, f"{start.year}/{start.month}/{start.day}", f"{start.year}年{start.month}月{start.day}日", start.isoformat()]
        sheet.append(
            [
                n,
                f"合成委托事项第{n}项",
                categories[n % len(categories)],
                "防城港市住房和城乡建设局",
                "防城港市住房和城乡建设局",
                "东兴市住房和城乡建设局",
                "受理、审查；决定" if n % 2 else "受理\n送达",
                dates[n % 4],
                "跨合区综合服务专门窗口",
                "东兴市住房和城乡建设局",
                "防城港市住房和城乡建设局、东兴市住房和城乡建设局",
                "承诺件" if n % 3 else "即办件",
                20,
                5 + n % 10,
                "否",
                "申请表｜是\n身份证明材料｜是｜是",
                "《中华人民共和国行政许可法》｜第二十四条",
                OPINION,
                "三(一)1",
            ]
        )
    book.save(path)


def fresh_copy(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name in ("registry", "schemas"):
        shutil.copytree(REPO / name, folder / name)
    return folder


def timed(argv: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True)
    return time.perf_counter() - start, done


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200,2000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    liandong = [sys.executable, "-m", "liandong"]
    ok = True
    with tempfile.TemporaryDirectory() as temp:
        base = Path(temp)
        for count in (int(s) for s in args.sizes.split(",")):
            sheet = base / f"powers-{count}.xlsx"
            write_sheet(sheet, count)
            best: dict[str, float] = {}
            for _ in range(args.repeat):
                root = fresh_copy(base / f"repo-{count}")
                runs = {
                    "import": [*liandong, "import", str(sheet), "--type", "powers", "--today", TODAY, "--root", str(root)],
                    "validate": [*liandong, "validate", "--today", TODAY, "--root", str(root)],
                    "export": [*liandong, "export", "--type", "powers", "-o", str(base / "out.xlsx"), "--today", TODAY, "--root", str(root)],
                }
                for name, argv in runs.items():
                    seconds, done = timed(argv)
                    if done.returncode != 0 or (name == "import" and len(done.stdout.split()) != count):
                        print(f"{name} of {count} rows failed ({done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-2000:]}", file=sys.stderr)
                        ok = False
                    best[name] = min(best.get(name, seconds), seconds)
            print(f"{count:>6} rows: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in best.items()))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
