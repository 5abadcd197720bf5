"""Shared by the tests, one of each: throwaway repositories that use the real schemas, the one way
to run Git in them (`Git`), the one record builder (`record`), and the case-directory layout
(`lay_out_case`, see tests/cases/README.md)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from liandong.validation.rules.header import expected_line
from liandong.yamlio.loader import parse_text

REPO = Path(__file__).resolve().parents[1]
CASES = REPO / "tests" / "cases"
# The registry every case starts from (tests/cases/README.md).
SHARED = CASES / "shared"


def copy_tree(source: Path, target: Path) -> None:
    """Copy a folder (over what is there; symlinks kept as links). Files get the time of the copy,
    not the source's: a file replaced by one of the same size and the source's old time could
    look unchanged to Git's index."""
    shutil.copytree(source, target, symlinks=True, dirs_exist_ok=True, copy_function=shutil.copy)


def make_repo(root: Path, registry: Path | None = None) -> Path:
    """A repository in `root`: the real schemas plus a registry (copied, symlinks kept as links)."""
    copy_tree(REPO / "schemas", root / "schemas")
    if registry is not None:
        copy_tree(registry, root / "registry")
    else:
        (root / "registry").mkdir()
    return root


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- Git --------------------------------------------------------------------------------------

IDENTITY = {
    "GIT_AUTHOR_NAME": "联动测试",
    "GIT_AUTHOR_EMAIL": "tests@example.invalid",
    "GIT_COMMITTER_NAME": "联动测试",
    "GIT_COMMITTER_EMAIL": "tests@example.invalid",
}
# Settings that would otherwise come from the user's or the system's configuration.
SETTINGS = ("-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", "-c", "protocol.file.allow=always")


def clean_env(**extra: str) -> dict[str, str]:
    """The environment for git, and for the liandong command (which runs git), in a test: the
    caller's less whatever would point Git elsewhere or change what liandong does (GIT_*,
    LIANDONG_*, SOURCE_DATE_EPOCH), with a fixed identity and no system or global Git configuration."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "LIANDONG_")) and k != "SOURCE_DATE_EPOCH"}
    return env | IDENTITY | {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "HOME": env.get("HOME", "/nonexistent")} | extra


class Git:
    """A real Git repository in a temporary folder, driven through the git command line with
    clean_env(): every test that makes or changes a repository does it through this class.

    `Git(root)` creates `root` and runs `git init` (branch main); `Git(root, init=False)` works
    in an existing repository or clone. Calling it runs `git ARGS` and returns stdout; a non-zero
    exit fails the test with git's stderr, unless check=False."""

    def __init__(self, root: Path, *, init: bool = True) -> None:
        self.root = root
        if init:
            root.mkdir(parents=True, exist_ok=True)
            self("init", "-q", "-b", "main")

    def run(self, *args: str, date: str | None = None, author: str | None = None) -> subprocess.CompletedProcess[str]:
        """`git ARGS` in the repository; `date` (ISO 8601) is the author and committer date, `author` the author's name."""
        env = clean_env()
        if date:
            env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        if author:
            env["GIT_AUTHOR_NAME"] = author
        return subprocess.run(["git", *SETTINGS, *args], cwd=self.root, capture_output=True, text=True, env=env, timeout=60)

    def __call__(self, *args: str, date: str | None = None, author: str | None = None, check: bool = True) -> str:
        done = self.run(*args, date=date, author=author)
        if check:
            assert done.returncode == 0, f"git {' '.join(args)} (in {self.root}):\n{done.stderr}"
        return done.stdout

    def write(self, files: Mapping[str, str | None]) -> None:
        """Write each file (text, UTF-8); None deletes it."""
        for rel, text in files.items():
            if text is None:
                (self.root / rel).unlink()
            else:
                write(self.root, rel, text)

    def commit(
        self,
        message: str,
        *,
        date: str | None = None,
        author: str | None = None,
        files: Mapping[str, str | None] | None = None,
        allow_empty: bool = False,
    ) -> str:
        """Write `files`, stage everything (`git add -A`) and commit; the new commit's id. Without
        allow_empty, a commit that changes nothing fails the test."""
        self.write(files or {})
        self("add", "-A")
        self("commit", "-q", *(["--allow-empty"] if allow_empty else []), "-m", message, date=date, author=author)
        return self("rev-parse", "HEAD").strip()

    def clone(self, target: Path, *args: str) -> Git:
        """`git clone ARGS file://ROOT TARGET` (a file:// address, so that --depth makes a shallow clone)."""
        target.parent.mkdir(parents=True, exist_ok=True)
        Git(target.parent, init=False)("clone", "-q", *args, self.root.as_uri(), str(target))
        return Git(target, init=False)


# -- records ----------------------------------------------------------------------------------

# Plain scalars the loader would read as another type (it reads plain scalars as JSON would).
_TYPED = re.compile(r"^(?:true|false|null|~|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+(?:[eE][-+]?[0-9]+)?)?)$")
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@` ")


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if not isinstance(value, str):
        raise TypeError(f"record() cannot write {value!r}")
    plain = (
        value != ""
        and value[0] not in _INDICATORS
        and value == value.strip()
        and not any(c in value for c in "\n\r\t")
        and ": " not in value
        and " #" not in value
        and not value.endswith(":")
        and not _TYPED.match(value)
    )
    return value if plain else json.dumps(value, ensure_ascii=False)


def _lines(data: Mapping[str, Any], indent: int) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    for key, value in data.items():
        if isinstance(value, Mapping):
            out.append(f"{pad}{key}:")
            out.extend(_lines(value, indent + 2))
        elif isinstance(value, list) and value:
            out.append(f"{pad}{key}:")
            for item in value:
                if isinstance(item, Mapping):
                    inner = _lines(item, indent + 4)
                    out.append(f"{pad}  - {inner[0][indent + 4 :]}")
                    out.extend(inner[1:])
                else:
                    out.append(f"{pad}  - {_scalar(item)}")
        elif isinstance(value, list):
            out.append(f"{pad}{key}: []")
        else:
            out.append(f"{pad}{key}: {_scalar(value)}")
    return out


def clause_task(task_id: str, status: str = "in_progress", **fields: Any) -> dict[str, Any]:
    """A task of the case registry's doc-a, clause 三(一)1, led by org-a and assigned on 2026-01-10,
    with `fields` added or put over those (write it with record("tasks", …))."""
    task = {
        "id": task_id,
        "title": f"任务 {task_id}",
        "status": status,
        "visibility": "public",
        "source": {"document": "doc-a", "clause": "三(一)1"},
        "lead": ["org-a"],
        "assigned": "2026-01-10",
    }
    return {**task, **fields}


def record(type_name: str, fields: Mapping[str, Any] | None = None, /, **more: Any) -> str:
    """A record file's text as staff write one: the editor line of its type, then the fields in
    the order given, in block style with lists indented under their key (as in registry/), plain
    scalars wherever the loader reads them back as the same value. Fields that are None are left
    out. The text is read back with the production loader and must give exactly the fields."""
    data = {key: value for key, value in {**(fields or {}), **more}.items() if value is not None}
    text = "\n".join([expected_line(type_name), *_lines(data, 0)]) + "\n"
    parsed, problems = parse_text(f"registry/{type_name}/record.yaml", text)
    assert (parsed, problems) == (data, []), f"record() wrote text that does not read back as its fields:\n{text}"
    return text


# -- case directories -------------------------------------------------------------------------


def _apply_special(state: Path, root: Path) -> None:
    """special.txt: what Git cannot carry portably, or what a case takes away from the shared
    registry; one line each, paths from the repository root (see tests/cases/README.md)."""
    special = state / "special.txt"
    if not special.is_file():
        return
    for line in special.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        verb, path, *rest = line.split()
        target = root / path
        if verb == "symlink":
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(rest[0])
        elif verb == "fifo":
            target.parent.mkdir(parents=True, exist_ok=True)
            os.mkfifo(target)
        elif verb == "pad":
            with target.open("a", encoding="utf-8") as out:
                out.write(("# " + "填充" * 40 + "\n") * (int(rest[0]) // 80 + 1))
        elif verb == "remove" and target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif verb == "remove":
            target.unlink()
            folder = target.parent
            while folder != root and not any(folder.iterdir()):  # nor leave the folders it emptied
                folder.rmdir()
                folder = folder.parent
        else:
            raise ValueError(f"{special}: unknown verb {verb}")


def lay_out_case(state: Path | None, root: Path) -> Path:
    """Lay one state of a case into the repository at `root` (made with make_repo when it does
    not exist yet): its registry/ becomes the shared registry with the state's own registry files
    added or put over it; every other folder of the state (schemas/, archive/, …) is copied over
    the repository's; then special.txt. `state` None: the shared registry alone."""
    if not root.exists():
        make_repo(root)
    shutil.rmtree(root / "registry")
    copy_tree(SHARED / "registry", root / "registry")
    if state is None or not state.is_dir():
        return root
    for item in sorted(state.iterdir()):
        if item.is_dir():
            copy_tree(item, root / item.name)
    _apply_special(state, root)
    return root


def case_repo(root: Path, case: str) -> Path:
    """A repository holding the real schemas and the registry of one validation case, named by its
    folder under tests/cases (e.g. "valid/minimal")."""
    return lay_out_case(CASES / case, make_repo(root))
