"""`liandong build -o DIR` replaces DIR as a whole, so it must refuse every DIR that is not a
site it wrote itself (issue #10: `-o ..` deleted the clone, .git included, and a file beside it).

The refusals run in a layout like a real clone: a temporary folder holding the repository (a Git
work tree with a commit) and an unrelated file. Each asserts exit 2, the Chinese message, and that
every file and folder of that whole temporary folder is byte-identical afterwards. The registry
holds an invalid record, so a refusal can only come from the guard, before anything is built: were
the guard skipped or run later, the build would stop at validation with exit 1."""

from __future__ import annotations

import fcntl
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from liandong.site.build import LOCK, MARKER, MARKER_TEXT, OutputRefused, _swap

from ..helpers import Git, write
from .conftest import TODAY, case_project, fingerprint

# A liandong build process for each of two dozen refusals, and two full builds.
pytestmark = pytest.mark.slow


MINIMAL = "valid/minimal"
INVALID = "id: task-0999\ntitle: 坏记录\nstatus: done\nvisibility: public\nlead: [org-nowhere]\n"
USER_FILE = "我的笔记，不是网站。\n"


def run_build(cwd: Path, output: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "LIANDONG_SITE_URL"} | (env or {})
    return subprocess.run(
        [sys.executable, "-m", "liandong", "build", "--today", TODAY, "-o", output], cwd=cwd, capture_output=True, text=True, timeout=300, env=environment
    )


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """tmp_path/repo: a committed Git work tree of the project with one tracked extra folder
    (notes/) and an invalid record; tmp_path/unrelated.txt beside it."""
    root = case_project(tmp_path / "repo", MINIMAL)
    write(root, "notes/plan.md", "# 计划\n")
    write(root, "registry/tasks/task-0999.yaml", INVALID)
    (tmp_path / "unrelated.txt").write_text("别的项目的文件\n", encoding="utf-8")
    Git(root).commit("initial")
    return root


def _user_folder(root: Path) -> str:
    write(root.parent / "mine", "notes.txt", USER_FILE)
    return "../mine"


def _false_marker(root: Path) -> str:
    """A marker file that is not ours (another text) does not make a folder replaceable."""
    write(root.parent / "mine", "notes.txt", USER_FILE)
    write(root.parent / "mine", MARKER, "something else\n")
    return "../mine"


def _linked_marker(root: Path) -> str:
    """Nor does a link named like the marker."""
    write(root.parent / "theirs", MARKER, MARKER_TEXT)
    write(root.parent / "mine", "notes.txt", USER_FILE)
    (root.parent / "mine" / MARKER).symlink_to(root.parent / "theirs" / MARKER)
    return "../mine"


def _a_file(root: Path) -> str:
    (root.parent / "site.zip").write_bytes(b"PK\x03\x04 not a folder")
    return "../site.zip"


def _link_to(target: str) -> Callable[[Path], str]:
    def make(root: Path) -> str:
        (root.parent / "link").symlink_to(root / target if target else root, target_is_directory=True)
        return "../link"

    return make


def _dangling_link(root: Path) -> str:
    (root.parent / "link").symlink_to(root.parent / "nowhere", target_is_directory=True)
    return "../link"


def _registry_linked(root: Path) -> str:
    """registry/ a link to a folder elsewhere: that folder is the registry too, by any name."""
    shutil.move(root / "registry", root.parent / "real-registry")
    (root / "registry").symlink_to(root.parent / "real-registry", target_is_directory=True)
    return "../real-registry/new"


def _other_docs_dir(root: Path) -> str:
    """docs_dir is read from mkdocs.yml, not assumed to be site/."""
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("docs_dir: site\n", "docs_dir: pages\n"), encoding="utf-8")
    return "pages/out"


CASES: dict[str, tuple[Callable[[Path], str], str]] = {
    # the reported case: the folder holding the clone
    "parent": (lambda root: "..", "包含仓库"),
    "root": (lambda root: ".", "是仓库根目录"),
    "root-absolute": (lambda root: str(root), "是仓库根目录"),
    "filesystem-root": (lambda root: "/", "包含仓库"),
    ".git": (lambda root: ".git", "仓库的 .git"),
    "inside-.git": (lambda root: ".git/site", "仓库的 .git"),
    "registry": (lambda root: "registry", "仓库的 registry/"),
    "new-folder-in-registry": (lambda root: "registry/site", "仓库的 registry/"),
    "schemas": (lambda root: "schemas", "仓库的 schemas/"),
    "docs-dir": (lambda root: "site", "仓库的 site/（MkDocs 从这里读取网页源文件）"),
    "docs-dir-spelt-through-registry": (lambda root: "./registry/../site", "仓库的 site/"),
    "docs-dir-from-mkdocs-yml": (_other_docs_dir, "仓库的 pages/"),
    "tracked-folder": (lambda root: "notes", "受 Git 管理的文件（如 notes/plan.md）"),
    "tracked-file": (lambda root: "mkdocs.yml", "受 Git 管理的文件（如 mkdocs.yml）"),
    "link-to-root": (_link_to(""), "是仓库根目录"),
    "link-to-docs-dir": (_link_to("site"), "仓库的 site/"),
    "dangling-link": (_dangling_link, "符号链接"),
    "registry-linked-elsewhere": (_registry_linked, "仓库的 registry/"),
    "folder-with-a-user-file": (_user_folder, f"不是 liandong build 生成的（其顶层没有 {MARKER} 标记文件）"),
    "folder-with-a-false-marker": (_false_marker, "不是 liandong build 生成的"),
    "folder-with-a-linked-marker": (_linked_marker, "不是 liandong build 生成的"),
    "a-file": (_a_file, "不是目录"),
    "under-a-file": (lambda root: _a_file(root) + "/public", "不是目录"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_build_refuses_an_output_that_is_not_its_own(case: str, clone: Path) -> None:
    make, expected = CASES[case]
    output = make(clone)
    before = fingerprint(clone.parent)
    done = run_build(clone, output)
    assert done.returncode == 2, done.stderr
    assert expected in done.stderr and "未做任何改动" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and "Error" not in done.stderr
    assert fingerprint(clone.parent) == before  # nothing deleted, changed or created (no staging folder either)


def test_build_dot_dot_in_a_clone_deletes_nothing(clone: Path) -> None:
    """The report: `liandong build -o ..` run in the clone printed "已生成" and removed the clone."""
    before = fingerprint(clone.parent)
    assert sorted(p.name for p in clone.parent.iterdir()) == ["repo", "unrelated.txt"]
    assert ".git/HEAD" in {k.removeprefix("repo/") for k in before}
    done = run_build(clone, "..")
    assert done.returncode == 2
    assert "已生成" not in done.stderr
    assert f"输出目录 {clone.parent.resolve()} 包含仓库 {clone.resolve()}" in done.stderr
    assert fingerprint(clone.parent) == before
    assert (clone.parent / "unrelated.txt").read_text(encoding="utf-8") == "别的项目的文件\n"


def test_build_refuses_the_home_folder(clone: Path) -> None:
    home = clone.parent / "home"
    write(home, ".bashrc", "# 用户配置\n")
    before = fingerprint(clone.parent)
    done = run_build(clone, str(home), env={"HOME": str(home)})
    assert done.returncode == 2, done.stderr
    assert "用户主目录" in done.stderr and "未做任何改动" in done.stderr
    assert fingerprint(clone.parent) == before


def test_swap_looks_again_before_it_replaces(tmp_path: Path) -> None:
    """Files put into the output while the build ran are not deleted by the swap."""
    staging = tmp_path / ".public.building-abcd1234"
    write(staging, "index.html", "<p>新</p>")
    write(staging, MARKER, MARKER_TEXT)
    write(tmp_path / "public", "notes.txt", USER_FILE)
    before = fingerprint(tmp_path)
    with pytest.raises(OutputRefused, match="不是 liandong build 生成的"):
        _swap(staging, tmp_path / "public")
    assert fingerprint(tmp_path) == before


def test_build_marks_its_output_and_replaces_only_what_is_its_own(tmp_path: Path) -> None:
    """One real build into an empty folder, then a rebuild over it: the marker is there, the
    rebuild replaces the site, a killed build's staging folder is cleaned up, and nothing that
    merely looks like ours (a user's .out.old, a folder with our prefix but not our lock, a staging
    folder whose build still holds its lock) is touched."""
    root = case_project(tmp_path / "repo", MINIMAL)
    out = tmp_path / "out"
    out.mkdir()
    first = run_build(root, "../out")
    assert first.returncode == 0, first.stderr
    assert (out / MARKER).read_text(encoding="utf-8") == MARKER_TEXT
    assert (out / "index.html").is_file() and not (out / LOCK).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "repo"]
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o777 & ~umask  # as mkdir makes it, not mkdtemp's 0700
    site = fingerprint(out)

    write(out, "stale.html", "<p>上一次生成留下的页面</p>")  # inside our own output: replaced by design
    abandoned = tmp_path / ".out.building-dead0000"  # a killed build's staging folder
    write(abandoned, "index.html", "<p>半成品</p>")
    write(abandoned, LOCK, "")
    moved = tmp_path / ".out.old-dead0000"  # a previous output a killed build had moved aside
    write(moved, MARKER, MARKER_TEXT)
    write(moved, "index.html", "<p>旧</p>")
    keep = {
        ".out.old": USER_FILE,  # the fixed name older versions removed unconditionally
        ".out.old-user0000": USER_FILE,  # our pattern, but no marker
        ".out.building-user0000": USER_FILE,  # our pattern, but no lock file
        ".out.building-toolong00": USER_FILE,  # not our pattern
    }
    for name, text in keep.items():
        write(tmp_path / name, "notes.txt", text)
    running = tmp_path / ".out.building-busy0000"  # another build's, still running
    write(running, "index.html", "<p>进行中</p>")
    write(running, LOCK, "")
    kept = {name: fingerprint(tmp_path / name) for name in [*keep, running.name]}

    with (running / LOCK).open("r") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        second = run_build(root, str(out))
    assert second.returncode == 0, second.stderr
    assert fingerprint(out) == site  # the same site again, marker included; stale.html gone
    assert not abandoned.exists() and not moved.exists()
    assert {name: fingerprint(tmp_path / name) for name in kept} == kept
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out", "repo", *kept])
