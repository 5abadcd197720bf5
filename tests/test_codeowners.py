"""liandong codeowners: .github/CODEOWNERS generated from the registry (which units own which
record, their reviewer teams inherited from parents), `--check` against the committed file, and
the repository's own CODEOWNERS being up to date."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from liandong.cli import main
from liandong.codeowners import CODEOWNERS_PATH, MAINTAINED, MAINTAINERS, compare, entries, generate
from liandong.validation.files import load_registry
from liandong.validation.schema import SchemaSet

from .helpers import REPO, write

RECORDS = {
    "organizations/org-a.yaml": "id: org-a\ntitle: 甲单位\nreviewer_team: '@team/a'\n",
    "organizations/org-a-sub.yaml": "id: org-a-sub\ntitle: 甲单位处室\nparent: [org-a]\n",
    "organizations/org-b.yaml": "id: org-b\ntitle: 乙单位\nreviewer_team: '@team/b'\n",
    "organizations/org-c.yaml": "id: org-c\ntitle: 丙单位（无团队）\nparent: [org-none]\n",
    # founded by two: the first parent has no team, the second, as near, has one
    "organizations/org-joint.yaml": "id: org-joint\ntitle: 丙乙共建单位\nparent: [org-c, org-b]\n",
    "organizations/org-loop-1.yaml": "id: org-loop-1\ntitle: 环一\nparent: [org-loop-2]\n",
    "organizations/org-loop-2.yaml": "id: org-loop-2\ntitle: 环二\nparent: [org-loop-1]\n",
    "tasks/task-0001.yaml": "id: task-0001\ntitle: 甲乙共办\nlead: [org-b, org-a-sub]\ncooperating: [org-c]\n",
    "tasks/task-0002.yaml": "id: task-0002\ntitle: 丙办\nlead: [org-c]\n",
    "tasks/task-0003.yaml": "id: task-0003\ntitle: 配合单位不算\nlead: [org-c]\ncooperating: [org-a]\n",
    "coordination/coord-0001.yaml": "id: coord-0001\ntitle: 乙负责\nresponsible: [org-b]\nraised_by: org-a\n",
    "mechanisms/mech-x.yaml": "id: mech-x\ntitle: 会商\nlead: [org-b]\nsecretariat: [org-a-sub]\n",
    "mechanisms/mech-y.yaml": "id: mech-y\ntitle: 无办事机构\nlead: [org-b]\n",
    # co-convened: two conveners, two secretariats; its meetings are organised by both secretariats
    "mechanisms/mech-z.yaml": "id: mech-z\ntitle: 共同召集\nlead: [org-c, org-joint]\nsecretariat: [org-c, org-a-sub]\n",
    "meetings/mtg-0003.yaml": "id: mtg-0003\ntitle: 第3次\nmechanism: mech-z\n",
    "meetings/mtg-0001.yaml": "id: mtg-0001\ntitle: 第1次\nmechanism: mech-x\nchair:\n  holder: 主任\n  organization: org-c\n",
    "meetings/mtg-0002.yaml": "id: mtg-0002\ntitle: 第2次\nmechanism: mech-y\n",
    "powers/power-0001.yaml": "id: power-0001\ntitle: 委托\nmode: delegated\ngranted_by: org-c\nimplementer: org-a-sub\n",
    "documents/doc-x.yaml": "id: doc-x\ntitle: 文件\nissuers: [org-b, org-c]\n",
    "documents/doc-none.yaml": "id: doc-none\ntitle: 无发文机关\n",
    "tasks/task-0005.yaml": "id: task-0005\ntitle: 按原文分工\nroles:\n  - {role: entrust, units: [org-b]}\n  - {role: supervise, units: [org-a]}\n",
    "tasks/Task 4.yaml": "id: task-0004\ntitle: 文件名不合规\nlead: [org-a]\n",
}
EXPECTED = [
    ("/registry/coordination/coord-0001.yaml", ["@team/b"]),
    ("/registry/documents/doc-x.yaml", ["@team/b"]),
    ("/registry/mechanisms/mech-x.yaml", ["@team/a", "@team/b"]),
    ("/registry/mechanisms/mech-y.yaml", ["@team/b"]),
    ("/registry/mechanisms/mech-z.yaml", ["@team/a", "@team/b"]),
    ("/registry/meetings/mtg-0001.yaml", ["@team/a"]),
    ("/registry/meetings/mtg-0002.yaml", ["@team/b"]),
    ("/registry/meetings/mtg-0003.yaml", ["@team/a"]),
    ("/registry/organizations/org-a-sub.yaml", ["@team/a"]),
    ("/registry/organizations/org-a.yaml", ["@team/a"]),
    ("/registry/organizations/org-b.yaml", ["@team/b"]),
    ("/registry/organizations/org-joint.yaml", ["@team/b"]),
    ("/registry/powers/power-0001.yaml", ["@team/a"]),
    ("/registry/tasks/task-0001.yaml", ["@team/a", "@team/b"]),
    ("/registry/tasks/task-0005.yaml", ["@team/b"]),  # a leading role (委托) owns it, a supervising one does not
]


def _registry(repo: Path) -> Path:
    for rel, text in RECORDS.items():
        write(repo, f"registry/{rel}", text)
    return repo


def _run(repo: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["codeowners", "--root", str(repo), *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_owners_follow_lead_units_and_inherited_teams(repo: Path) -> None:
    schemas = SchemaSet(repo / "schemas")
    loaded = load_registry(_registry(repo), list(schemas.types))
    assert entries(loaded.records, schemas) == EXPECTED
    assert entries(reversed(loaded.records), schemas) == EXPECTED  # order of reading does not matter


# What the maintainers must review, whatever the records say (see .github/BRANCH_PROTECTION.md).
# Written out here rather than read from MAINTAINED, so dropping one from the code fails a test.
MAINTAINED_PATHS = [
    "/.github/",
    "/.ci/",
    "/src/",
    "/schemas/",
    "/tests/",
    "/site/",
    "/pyproject.toml",
    "/mkdocs.yml",
    "/.pre-commit-config.yaml",
    "/.pre-commit-hooks.yaml",
    "/.gitattributes",
]


def _rules(text: str) -> list[str]:
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def maintained_problems(text: str) -> list[str]:
    """Each maintained path that is not owned by the maintainers in a line after every record line
    (in CODEOWNERS the last matching line wins, so only there can no record line override it)."""
    rules = _rules(text)
    last_record = max((i for i, line in enumerate(rules) if line.startswith("/registry/")), default=-1)
    problems = []
    for path in MAINTAINED_PATHS:
        found = [i for i, line in enumerate(rules) if line.split()[0] == path]
        if not found:
            problems.append(f"{path} 缺少维护团队审核行")
        elif rules[found[-1]] != f"{path} {MAINTAINERS}":
            problems.append(f"{path} 的最后一行不是维护团队：{rules[found[-1]]}")
        elif found[-1] < last_record:
            problems.append(f"{path} 在记录行之前，可被记录行覆盖")
    return problems


def test_generated_file_layout(repo: Path) -> None:
    text = generate(_registry(repo))
    lines = text.splitlines()
    assert lines[0].startswith("# 本文件由 liandong codeowners 根据登记册自动生成")
    assert _rules(text)[0] == f"* {MAINTAINERS}"
    # Record lines come after the default, and the maintained paths after the records: in CODEOWNERS
    # the last matching line wins.
    records = [f"{path} {' '.join(teams)}" for path, teams in EXPECTED]
    maintained = [f"{path} {MAINTAINERS}" for path in MAINTAINED_PATHS]
    assert _rules(text) == [f"* {MAINTAINERS}", *records, *maintained]
    assert lines[-len(maintained) :] == maintained
    assert maintained_problems(text) == []
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_maintained_paths_come_last_even_without_records(repo: Path) -> None:
    text = generate(repo)
    assert _rules(text) == [f"* {MAINTAINERS}", *(f"{path} {MAINTAINERS}" for path in MAINTAINED_PATHS)]


def test_maintained_paths_exist() -> None:
    # A misspelt path would protect nothing.
    assert list(MAINTAINED) == MAINTAINED_PATHS
    for path in MAINTAINED_PATHS:
        target = REPO / path.strip("/")
        assert target.is_dir() if path.endswith("/") else target.is_file(), path


def test_maintained_check_finds_each_problem(repo: Path) -> None:
    text = generate(_registry(repo))
    assert "\n/registry/tasks/task-0001.yaml @team/a @team/b\n" in text  # there are record lines to come after
    dropped = text.replace(f"/src/ {MAINTAINERS}\n", "")
    assert maintained_problems(dropped) == ["/src/ 缺少维护团队审核行"]
    moved = text.replace(f"/schemas/ {MAINTAINERS}\n", "").replace(f"* {MAINTAINERS}\n", f"* {MAINTAINERS}\n/schemas/ {MAINTAINERS}\n")
    assert maintained_problems(moved) == ["/schemas/ 在记录行之前，可被记录行覆盖"]
    overridden = text + "/site/ @team/a\n"
    assert maintained_problems(overridden) == ["/site/ 的最后一行不是维护团队：/site/ @team/a"]


@pytest.mark.parametrize("path", MAINTAINED_PATHS)
def test_check_fails_when_a_maintained_line_is_removed(repo: Path, path: str) -> None:
    _registry(repo)
    assert _run(repo)[0] == 0
    target = repo / CODEOWNERS_PATH
    line = f"{path} {MAINTAINERS}\n"
    text = target.read_text(encoding="utf-8")
    assert line in text
    target.write_text(text.replace(line, ""), encoding="utf-8")
    code, out, err = _run(repo, "--check")
    assert code == 1
    assert f"+{line}" in out
    assert "与登记册不一致" in err


def test_check_fails_when_maintained_lines_are_moved_before_the_records(repo: Path) -> None:
    _registry(repo)
    assert _run(repo)[0] == 0
    target = repo / CODEOWNERS_PATH
    text = target.read_text(encoding="utf-8")
    block = "".join(f"{path} {MAINTAINERS}\n" for path in MAINTAINED_PATHS)
    default = f"* {MAINTAINERS}\n"
    target.write_text(text.replace(block, "").replace(default, default + block), encoding="utf-8")
    assert _run(repo, "--check")[0] == 1


def test_write_then_check(repo: Path) -> None:
    _registry(repo)
    code, _, err = _run(repo)
    assert code == 0, err
    assert (repo / CODEOWNERS_PATH).read_text(encoding="utf-8") == generate(repo)
    code, out, err = _run(repo, "--check")
    assert (code, out) == (0, ""), err
    assert "与登记册一致" in err


def test_check_fails_when_out_of_date(repo: Path) -> None:
    _registry(repo)
    assert _run(repo, "--write")[0] == 0
    write(repo, "registry/organizations/org-b.yaml", "id: org-b\ntitle: 乙单位\nreviewer_team: '@team/b2'\n")
    code, out, err = _run(repo, "--check")
    assert code == 1
    assert "-/registry/tasks/task-0001.yaml @team/a @team/b\n" in out
    assert "+/registry/tasks/task-0001.yaml @team/a @team/b2\n" in out
    assert f"{repo / CODEOWNERS_PATH} 与登记册不一致" in err
    assert "请运行 liandong codeowners 重新生成并提交" in err
    assert _run(repo)[0] == 0 and _run(repo, "--check")[0] == 0


def test_check_fails_when_missing(repo: Path) -> None:
    _registry(repo)
    code, out, err = _run(repo, "--check")
    assert code == 1
    assert f"+* {MAINTAINERS}" in out
    assert f"{repo / CODEOWNERS_PATH} 不存在" in err
    assert not (repo / CODEOWNERS_PATH).exists()


def test_check_and_write_together_is_a_usage_error(repo: Path) -> None:
    code, _, err = _run(repo, "--check", "--write")
    assert code == 2
    assert "--check 与 --write 不能同时使用" in err


def test_committed_codeowners_is_up_to_date() -> None:
    difference = compare(REPO, generate(REPO))
    assert difference is None, f"{CODEOWNERS_PATH} 已过期，请运行 liandong codeowners：\n{difference.diff if difference else ''}"


def test_committed_codeowners_keeps_the_maintained_paths_last() -> None:
    assert maintained_problems((REPO / CODEOWNERS_PATH).read_text(encoding="utf-8")) == []
