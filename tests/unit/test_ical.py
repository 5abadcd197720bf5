"""calendar.ics read back with the icalendar library: a meeting ends only where its record says,
DTSTAMP is the record's last commit (the build's day only without one), each event describes its
record (agenda, duty, a review's limit), and a URL only with the site's address."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import icalendar
import pytest

from liandong.model.model import Model
from liandong.site.ical import calendar
from liandong.validation.pipeline import validate
from tests.helpers import REPO, make_repo, write

TODAY = datetime.date(2024, 5, 15)
BEIJING = datetime.timezone(datetime.timedelta(hours=8))
SITE = "https://example.org/ld/"
MEETING = """# yaml-language-server: $schema=../../schemas/meetings.schema.json
id: {id}
title: 第{n}次联席会议
status: planned
visibility: public
mechanism: mech-a
date: 2024-06-0{n}
"""


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Model:
    """The golden registry and three planned meetings: timed with a stated end, timed without
    one, and dated only (with an agenda)."""
    root = make_repo(tmp_path_factory.mktemp("ical") / "repo", REPO / "tests/golden/registry")
    write(root, "registry/meetings/mtg-0002.yaml", MEETING.format(id="mtg-0002", n=2) + "start_time: 09:30\nend_time: 11:45\n")
    write(root, "registry/meetings/mtg-0003.yaml", MEETING.format(id="mtg-0003", n=3) + "start_time: 15:00\n")
    write(root, "registry/meetings/mtg-0004.yaml", MEETING.format(id="mtg-0004", n=4) + "agenda:\n  - 听取办理情况\n  - 研究下一步工作；安排, 分工\n")
    result = validate(root)
    assert [d.rule for d in result.diagnostics if d.severity == "error"] == []
    return Model.build(result.schemas, result.valid).public()


def events(data: bytes) -> dict[str, Any]:
    parsed = icalendar.Calendar.from_ical(data)
    return {str(e["UID"]): e for e in parsed.walk("VEVENT")}


def test_a_meeting_ends_only_where_its_record_says(model: Model) -> None:
    found = events(calendar(model, TODAY))
    stated = found["mtg-0002@liandong"]
    assert stated.decoded("DTSTART") == datetime.datetime(2024, 6, 2, 9, 30, tzinfo=stated.decoded("DTSTART").tzinfo)
    assert stated.decoded("DTEND") - stated.decoded("DTSTART") == datetime.timedelta(hours=2, minutes=15)
    assert str(stated.decoded("DTEND").tzinfo) == "Asia/Shanghai"
    # No end in the record: no DTEND and no DURATION (no invented two hours), timed or dated.
    for uid in ("mtg-0003@liandong", "mtg-0004@liandong", "mtg-0001@liandong"):
        assert "DTEND" not in found[uid] and "DURATION" not in found[uid], uid
    assert found["mtg-0004@liandong"].decoded("DTSTART") == datetime.date(2024, 6, 4)


def test_dtstamp_is_the_records_last_commit_and_the_day_only_without_one(model: Model) -> None:
    changed = {"mtg-0002": datetime.datetime(2024, 5, 2, 17, 30, tzinfo=BEIJING), "task-0002": datetime.datetime(2024, 3, 20, 8, 0, tzinfo=BEIJING)}
    found = events(calendar(model, TODAY, changed=changed))
    assert found["mtg-0002@liandong"].decoded("DTSTAMP") == datetime.datetime(2024, 5, 2, 9, 30, tzinfo=datetime.UTC)
    assert found["task-0002-deadline@liandong"].decoded("DTSTAMP") == datetime.datetime(2024, 3, 20, 0, 0, tzinfo=datetime.UTC)
    assert found["mtg-0003@liandong"].decoded("DTSTAMP") == datetime.datetime(2024, 5, 15, tzinfo=datetime.UTC)  # no history for it
    # Every record with its commit: another day builds the same bytes.
    every = {record_id: changed["mtg-0002"] for record_id in model.items}
    assert calendar(model, TODAY, changed=every) == calendar(model, TODAY + datetime.timedelta(days=40), changed=every)


def test_each_event_describes_its_record(model: Model) -> None:
    found = events(calendar(model, TODAY))
    agenda = str(found["mtg-0004@liandong"]["DESCRIPTION"])
    assert agenda == "所属机制：联席会议\n议题：\n1. 听取办理情况\n2. 研究下一步工作；安排, 分工"  # escaped in the file, read back whole
    duty = str(found["task-0002-deadline@liandong"]["DESCRIPTION"])
    task = model.items["task-0002"]
    assert f"{task.type_label}，{task.status_label}" in duty
    assert "牵头单位：" + "、".join(model.items[u].title for u in model.leads(task)) in duty
    if "duty" in task.data:
        assert task.data["duty"] in duty


def test_a_url_only_with_the_site_address(model: Model) -> None:
    unpublished = calendar(model, TODAY)
    assert b"URL:" not in unpublished and b"http" not in unpublished.replace(b"\r\n ", b"")
    found = events(calendar(model, TODAY, SITE))
    assert str(found["mtg-0002@liandong"]["URL"]) == SITE + "meetings/mtg-0002/"
    assert str(found["task-0002-deadline@liandong"]["URL"]) == SITE + "tasks/task-0002/"
    assert str(found["mtg-0002@liandong"]["DESCRIPTION"]).endswith("详情：" + SITE + "meetings/mtg-0002/")


def test_open_joint_reviews_answer_deadlines_are_events(tmp_path: Path) -> None:
    """The bundled registry's open 集中审理: each with a computable limit is an all-day event on
    the limit's last day (working days counted with the registry's holidays)."""
    from liandong.model.reviews import limit_of
    from liandong.model.status import is_open

    root = make_repo(tmp_path / "repo", REPO / "registry")
    result = validate(root, today=datetime.date(2026, 11, 25))
    bundled = Model.build(result.schemas, result.valid).public()
    found = events(calendar(bundled, TODAY))
    expected = {}
    for review in bundled.of_type("reviews"):
        limit = limit_of(review.data["notice"], bundled.calendar)
        if is_open(review) and limit is not None and limit.end is not None:
            expected[f"{review.id}-answer@liandong"] = limit
    assert expected, "the bundled registry has an open review with a time limit"
    assert {uid for uid in found if uid.endswith("-answer@liandong")} == set(expected)
    for uid, limit in expected.items():
        assert found[uid].decoded("DTSTART") == limit.end
        assert limit.described in str(found[uid]["DESCRIPTION"])
        assert str(found[uid]["SUMMARY"]).startswith("集中审理答复期限：")
