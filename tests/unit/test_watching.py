"""site/watching.py: the preview hears of a save from the system (inotify here), of nothing else."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from liandong.site import watching
from liandong.site.watching import Told


@pytest.fixture
def told(tmp_path: Path) -> Iterator[Told]:
    for folder in ("registry/tasks", "schemas", ".git"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "registry/tasks/task-0001.yaml").write_text("id: task-0001\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    found = Told(tmp_path, ("registry", "schemas", "site"), ("mkdocs.yml",))
    assert found.observer is not None, "this machine's system could not watch the folder"
    yield found
    found.close()


def _wait(told: Told, seconds: float = 1.0) -> set[str] | None:
    """What `told` says within `seconds`; an empty set when it said nothing."""
    stop = threading.Event()
    timer = threading.Timer(seconds, stop.set)
    timer.start()
    try:
        return told.wait(stop)
    finally:
        timer.cancel()


def test_a_save_is_told_by_its_path(told: Told) -> None:
    (told.root / "registry/tasks/task-0001.yaml").write_text("id: task-0001\ntitle: 改\n", encoding="utf-8")
    (told.root / "mkdocs.yml").write_text("site_name: y\n", encoding="utf-8")
    assert _wait(told) == {"registry/tasks/task-0001.yaml", "mkdocs.yml"}
    assert _wait(told, 0.5) == set()  # told once


def test_an_editors_save_by_rename_tells_both_names(told: Told) -> None:
    temporary = told.root / "registry/tasks/.task-0001.yaml.swp"
    temporary.write_text("id: task-0001\ntitle: 新\n", encoding="utf-8")
    temporary.replace(told.root / "registry/tasks/task-0001.yaml")
    (told.root / "schemas/task.schema.json").write_text("{}", encoding="utf-8")
    (told.root / "registry/tasks/task-0001.yaml").unlink()
    paths = _wait(told)
    assert paths is not None and {"registry/tasks/task-0001.yaml", "schemas/task.schema.json"} <= paths
    assert all(p.startswith(("registry/", "schemas/")) for p in paths)


def test_reading_and_files_outside_the_sources_are_not_told(told: Told) -> None:
    (told.root / "registry/tasks/task-0001.yaml").read_bytes()  # the validation reads every record
    (told.root / ".git/index").write_bytes(b"x")
    (told.root / "notes.txt").write_text("x", encoding="utf-8")
    assert _wait(told, 0.8) == set()


def test_a_new_folder_means_looking_at_every_file(told: Told) -> None:
    (told.root / "registry/meetings").mkdir()
    assert _wait(told) is None


def test_without_the_system_every_file_is_looked_at_each_poll(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: object, *args: object, **kwargs: object) -> None:
        raise OSError("inotify watch limit reached")

    monkeypatch.setattr(watching.Observer, "schedule", refuse)
    found = Told(tmp_path, ("registry",), ())
    assert found.observer is None
    assert _wait(found, 5.0) is None  # after POLL_SECONDS, not after the 5 s
    found.close()
