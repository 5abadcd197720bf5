"""Where the registry is, and how it is reached in Git: the root folder, the repository that
holds it, whether that repository is shallow, and the garbage-collector pause that loading
many small objects needs. Only this module and the Git readers (history/, changes/) import
GitPython, and only when they are called: GitPython refuses to import without a git executable."""

from __future__ import annotations

import datetime
import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import git

REGISTRY_DIR = "registry"
SCHEMAS_DIR = "schemas"
# The rule cases: a small registry per rule and the exact output it gives (tests/cases/README.md).
# The test suite runs them, and the contributor pages quote them as each rule's example, so the
# examples shown are the ones that are tested.
RULE_CASES_DIR = "tests/cases"


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` that holds both registry/ and schemas/."""
    for folder in (start, *start.parents):
        if (folder / REGISTRY_DIR).is_dir() and (folder / SCHEMAS_DIR).is_dir():
            return folder
    return None


@contextmanager
def no_gc() -> Iterator[None]:
    """The cyclic garbage collector paused: reading a registry or its history allocates millions
    of small objects that all stay alive, and the collector would only walk them again and again
    (about a tenth of the load time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class RepositoryError(Exception):
    """`root` is not in a usable working tree; `kind` says why (the callers word it for their readers)."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind  # "no-git", "not-a-repository", "bare" or "outside"
        self.detail = detail


@dataclass
class Repository:
    repo: git.Repo
    prefix: str  # the root's path inside the working tree, "" at its top

    def path(self, rel: str) -> str:
        """A root-relative path as a path in the repository's tree."""
        return f"{self.prefix}/{rel}" if self.prefix else rel


def open_repository(root: Path) -> Repository:
    """The Git working tree that holds `root` (searching upwards, as git does)."""
    try:
        import git
    except ImportError as err:  # raised by GitPython itself when no git executable is found
        raise RepositoryError("no-git", str(err).splitlines()[0] if str(err) else "") from err
    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as err:
        raise RepositoryError("not-a-repository", f"not a git repository: {err}") from err
    if repo.working_tree_dir is None:
        repo.close()
        raise RepositoryError("bare", "bare repository")
    try:
        prefix = Path(root).resolve().relative_to(Path(repo.working_tree_dir).resolve()).as_posix()
    except ValueError as err:  # GIT_DIR / GIT_WORK_TREE point elsewhere
        repo.close()
        raise RepositoryError("outside", f"{root} is outside {repo.working_tree_dir}") from err
    return Repository(repo, "" if prefix == "." else prefix)


def last_commit_date(root: Path) -> datetime.datetime | None:
    """When the commit checked out at `root` was made (its committer date), None outside Git or
    before the first commit: `liandong remind` says from it how long the repository has been quiet."""
    try:
        repository = open_repository(root)
    except RepositoryError:
        return None
    try:
        return repository.repo.head.commit.committed_datetime
    except ValueError:  # no commit yet
        return None
    finally:
        repository.repo.close()


def is_shallow(repo: git.Repo) -> bool:
    import git

    try:
        answer = str(repo.git.rev_parse("--is-shallow-repository")).strip()
    except git.GitCommandError:
        answer = ""
    if answer in ("true", "false"):
        return answer == "true"
    # A Git older than 2.15 does not know the option; its marker file says the same.
    return os.path.exists(os.path.join(repo.common_dir, "shallow"))
