"""Shared by the tests: throwaway repositories that use the real schemas, and the one way to run
Git in them (`Git`)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def make_repo(root: Path, registry: Path | None = None) -> Path:
    """A repository in `root`: the real schemas plus a registry (copied, symlinks kept as links)."""
    shutil.copytree(REPO / "schemas", root / "schemas")
    if registry is not None:
        shutil.copytree(registry, root / "registry", symlinks=True)
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
        Git(target.parent, init=False)("clone", "-q", *args, self.root.as_uri(), str(target))
        return Git(target, init=False)
