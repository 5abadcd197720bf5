from __future__ import annotations

import csv
import datetime
import io
import json
from pathlib import Path

from liandong.model.model import Model
from liandong.model.status import Status
from liandong.site.downloads import downloads
from liandong.site.ical import _fold, _text
from liandong.validation.pipeline import validate
from tests.helpers import REPO, make_repo, write

TODAY = datetime.date(2024, 5, 15)


def _files(tmp_path: Path) -> dict[str, bytes]:
    root = make_repo(tmp_path / "repo", REPO / "tests/golden/registry")
    write(
        root,
        "registry/meetings/mtg-0002.yaml",
        'id: mtg-0002\ntitle: =HYPERLINK("http://x"), 会议; 第二次\nstatus: planned\nvisibility: public\nmechanism: mech-a\n'
        "date: 2024-06-03\nstart_time: 09:30\nplace: 会议室, 三楼\n",
    )
    result = validate(root)
    model = Model.build(result.schemas, result.valid).public()
    return downloads(model, Status(model, TODAY), TODAY)


def test_json_has_public_records_only(tmp_path: Path) -> None:
    data = json.loads(_files(tmp_path)["data/registry.json"])
    ids = {record["id"] for group in data["types"].values() for record in group["records"]}
    assert "task-0002" in ids and "org-hidden" not in ids


def test_csv_has_a_bom_and_defuses_formulas(tmp_path: Path) -> None:
    raw = _files(tmp_path)["data/meetings.csv"].decode("utf-8")
    assert raw.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(raw.removeprefix("\ufeff"))))
    titles = {row["id"]: row["title"] for row in rows}
    assert titles["mtg-0002"].startswith("'=HYPERLINK")
    assert {row["id"]: row["attendees"] for row in rows}["mtg-0001"] == "org-a"


def test_calendar_has_timed_meetings_deadlines_and_escaped_text(tmp_path: Path) -> None:
    text = _files(tmp_path)["data/calendar.ics"].decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    unfolded = text.replace("\r\n ", "")
    assert "DTSTART;TZID=Asia/Shanghai:20240603T093000" in unfolded
    assert "LOCATION:会议室\\, 三楼" in unfolded
    assert 'SUMMARY:=HYPERLINK("http://x")\\, 会议\\; 第二次（计划召开）' in unfolded
    assert "UID:task-0002-deadline@liandong" in unfolded and "DTSTART;VALUE=DATE:20240430" in unfolded
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))


def test_folding_never_splits_a_character() -> None:
    folded = _fold("SUMMARY:" + "联动" * 40)
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "SUMMARY:" + "联动" * 40


def test_calendar_text_stays_on_its_line_whatever_the_record_holds() -> None:
    # The schema refuses control characters in one-line fields; this is the second wall.
    assert _text("会议室\rEND:VEVENT\r\nUID:evil\nX\x00;,\\") == "会议室\\nEND:VEVENT\\nUID:evil\\nX \\;\\,\\\\"
