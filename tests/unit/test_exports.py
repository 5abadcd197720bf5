from __future__ import annotations

import csv
import datetime
import html
import io
import json
import re
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from liandong.model.model import Model
from liandong.model.status import Status
from liandong.site.downloads import REPORT_DOCX, downloads, template_path, workbook_path
from liandong.site.ical import _fold, _text
from liandong.tabular.columns import Layout
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
    return dict(downloads(model, Status(model, TODAY), TODAY))


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


# -- the office files: each type's 台账 and template, the 督办通报 --------------------------------


def _texts(data: bytes) -> str:
    """Every XML part of an .xlsx or .docx package, unpacked, as one text, character references
    resolved (openpyxl writes Chinese as &#32534;)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return html.unescape("\n".join(package.read(name).decode("utf-8") for name in package.namelist() if name.endswith((".xml", ".rels"))))


def _models(tmp_path: Path) -> tuple[Model, Model]:
    root = make_repo(tmp_path / "repo", REPO / "tests/golden/registry")
    result = validate(root)
    full = Model.build(result.schemas, result.valid)
    return full.public(), full


def test_every_type_has_a_workbook_with_the_importers_headers_and_a_template(tmp_path: Path) -> None:
    public, _ = _models(tmp_path)
    files = dict(downloads(public, Status(public, TODAY), TODAY))
    for type_name in public.types:
        ts = public.schemas.types[type_name]
        sheet = load_workbook(io.BytesIO(files[workbook_path(type_name)])).worksheets[0]
        headers = [cell.value for cell in sheet[1]]
        assert headers[: len(Layout(ts).headers())] == Layout(ts).headers(), type_name
        titles = [cell.value for cell in sheet["B"][1:]] if headers[1] == ts.schema["properties"]["title"]["title"] else []
        assert titles == [item.title for item in public.of_type(type_name)], type_name
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref, type_name
        template = load_workbook(io.BytesIO(files[template_path(type_name)])).worksheets[0]
        assert [cell.value for cell in template[1]] == Layout(ts).headers()
        assert template.max_row == 2  # the headers and the note row, no record


def test_the_public_files_hold_no_internal_record_and_the_internal_ones_do(tmp_path: Path) -> None:
    public, full = _models(tmp_path)
    hidden = [item for item in full.items.values() if item.id not in public.items]
    assert hidden, "the golden registry has an internal record"
    public_files = dict(downloads(public, Status(public, TODAY), TODAY))
    internal_files = dict(downloads(full, Status(full, TODAY), TODAY, internal=True))
    for path in (*(workbook_path(t) for t in public.types), REPORT_DOCX):
        text = _texts(public_files[path])
        assert not any(item.id in text or item.title in text for item in hidden), path
    for item in hidden:
        assert item.title in _texts(internal_files[workbook_path(item.type)])


def test_the_office_files_are_stamped_with_the_day_not_the_clock(tmp_path: Path) -> None:
    public, _ = _models(tmp_path)
    files = dict(downloads(public, Status(public, TODAY), TODAY))
    day = TODAY.isoformat()
    for path in (*(workbook_path(t) for t in public.types), *(template_path(t) for t in public.types), REPORT_DOCX):
        with zipfile.ZipFile(io.BytesIO(files[path])) as package:
            times = {info.date_time for info in package.infolist()}
            core = package.read("docProps/core.xml").decode("utf-8")
        stamps = re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core)
        assert stamps, path
        if path == REPORT_DOCX or not path.startswith("data/templates/"):
            assert times == {(TODAY.year, TODAY.month, TODAY.day, 0, 0, 0)}, path
            assert set(stamps) == {f"{day}T00:00:00Z"}, path
        else:  # a template depends on the schemas only: one fixed day, whatever today is
            assert len(times) == 1 and len(set(stamps)) == 1, path
    assert dict(downloads(public, Status(public, TODAY), TODAY)) == files
