"""Each unit's own subscriptions (#15 part 4) and the calendars' stable DTSTAMP (#16 part 3), from
real MkDocs builds of the bundled registry in a real Git repository with fixed dates: every unit's
Atom feed read with feedparser, every .ics with the icalendar library, the organisation pages'
autodiscovery links read from the built HTML."""

from __future__ import annotations

import datetime
import html.parser
import re
import subprocess
from pathlib import Path
from typing import Any

import feedparser
import icalendar
import pytest

from liandong.model.model import Model
from liandong.model.status import deadline, is_open
from liandong.validation.pipeline import validate

from ..helpers import Git, clean_env
from .conftest import DESKTOP, TODAY, Site, Tab, copy_project, liandong, serve

pytestmark = pytest.mark.slow

TASK = "registry/tasks/task-0013.yaml"
MEETING = "registry/meetings/mtg-0004.yaml"
# Commit subjects in another language, which no feed may show as a title.
SUBJECTS = ("Initial import of the registry", "Move the Q4 joint meeting", "task-0013 progress report")
LATER = "2026-12-20"  # a second build on another day
SITE_URL = "https://example.org/r/"


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled registry over three commits: all of it; the Q4 meeting moved to another room;
    a progress entry on task-0013."""
    root = copy_project(tmp_path_factory.mktemp("unit-feeds") / "repo")
    git = Git(root)
    git.commit(SUBJECTS[0], date="2026-06-15T09:00:00+08:00")
    meeting = (root / MEETING).read_text(encoding="utf-8")
    assert "place: " in meeting, "mtg-0004 no longer has a place: update this test"
    (root / MEETING).write_text(re.sub(r"(?m)^place: .*$", "place: 东兴市政务服务中心三楼会议室（示例）", meeting), encoding="utf-8")
    git.commit(SUBJECTS[1], date="2026-11-20T16:45:00+08:00")
    task = (root / TASK).read_text(encoding="utf-8")
    assert "\nreminders:\n" in task, "task-0013's progress list no longer comes before its reminders: update this test"
    entry = "  - date: 2026-11-21\n    text: 规划委员会已审议通过。\n    by: org-example-dongxing-natural-resources\n"
    (root / TASK).write_text(task.replace("\nreminders:\n", "\n" + entry + "reminders:\n", 1), encoding="utf-8")
    git.commit(SUBJECTS[2], date="2026-11-21T10:00:00+08:00")
    return root


def _built(root: Path, name: str, today: str = TODAY, env: dict[str, str] | None = None) -> Path:
    output = root.parent / name
    done = liandong(root, "build", "--today", today, "--output", str(output), env=env)
    assert done.returncode == 0, done.stderr
    return output


@pytest.fixture(scope="module")
def site(repo: Path) -> Path:
    return _built(repo, "public")


@pytest.fixture(scope="module")
def published(repo: Path) -> Path:
    return _built(repo, "published", env={"LIANDONG_SITE_URL": SITE_URL})


@pytest.fixture(scope="module")
def model(repo: Path) -> Model:
    result = validate(repo, today=datetime.date.fromisoformat(TODAY))
    return Model.build(result.schemas, result.valid).public()


def last_commit(root: Path, item: Any) -> datetime.datetime:
    out = Git(root, init=False)("log", "-1", "--format=%aI", "--", f"registry/{item.type}/{item.id}.yaml").strip()
    return datetime.datetime.fromisoformat(out)


def concerned(model: Model, unit_id: str, item: Any) -> bool:
    """Whether `item` concerns the unit, said independently of unit_feeds.py: the unit itself, a
    record it leads (Model.leads), or one whose fields name it."""
    return item.id == unit_id or unit_id in model.leads(item) or any(r.target.id == unit_id for r in model.refers_to(item))


def units(model: Model) -> list[Any]:
    units = model.of_type("organizations")
    assert len(units) > 10
    return units


def record_of(uid: str) -> str:
    """The record an event is made from: mtg-0004@liandong, task-0013-deadline@liandong…"""
    return re.sub(r"-(deadline|answer|inspection)$", "", uid.removesuffix("@liandong"))


# -- Atom -------------------------------------------------------------------------------------------


def test_every_units_feed_parses_and_says_in_chinese_what_changed(site: Path, model: Model) -> None:
    task = model.items["task-0013"]
    for unit in units(model):
        parsed = feedparser.parse((site / f"data/organizations/{unit.id}.atom").read_bytes())
        assert not parsed.bozo, (unit.id, parsed.get("bozo_exception"))
        assert unit.title in parsed.feed.title
        titles = [e.title for e in parsed.entries]
        assert titles, unit.id  # its own record was created, at least
        assert not any(subject in title for title in titles for subject in SUBJECTS), unit.id
        assert all(re.match(r"^\S+《.+》：\S", title) for title in titles), titles
        # Unpublished: a reader could not resolve a relative link, so there is none.
        assert all(not e.get("links") for e in parsed.entries) and not parsed.feed.get("links"), unit.id
        progress = [e for e in parsed.entries if e.title == f"督办任务《{task.title}》：新增办理进度"]
        assert len(progress) == (1 if concerned(model, unit.id, task) else 0), unit.id
        if progress:
            assert progress[0].updated_parsed[:5] == (2026, 11, 21, 2, 0)  # 10:00 in Beijing
            assert parsed.entries[0] is progress[0]  # newest first


def test_a_leads_feed_has_the_change_to_what_it_leads(site: Path, model: Model) -> None:
    """The unit that leads task-0013 (as the model says: Model.leads) has its progress; the
    meeting's move reaches the units it names and its mechanism's lead."""
    task, meeting = model.items["task-0013"], model.items["mtg-0004"]
    lead = model.leads(task)[0]
    titles = [e.title for e in feedparser.parse((site / f"data/organizations/{lead}.atom").read_bytes()).entries]
    assert titles[0] == f"督办任务《{task.title}》：新增办理进度"
    named = {r.target.id for r in model.refers_to(meeting) if r.target.type == "organizations"}
    assert named
    for unit_id in named | set(model.leads(meeting)):
        titles = [e.title for e in feedparser.parse((site / f"data/organizations/{unit_id}.atom").read_bytes()).entries]
        assert any(t.startswith(f"会议《{meeting.title}》：") for t in titles), unit_id


def test_published_unit_feeds_link_to_the_record(published: Path, model: Model) -> None:
    task = model.items["task-0013"]
    lead = model.leads(task)[0]
    parsed = feedparser.parse((published / f"data/organizations/{lead}.atom").read_bytes())
    assert not parsed.bozo
    links = {link.rel: link.href for link in parsed.feed.links}
    assert links == {"self": f"{SITE_URL}data/organizations/{lead}.atom", "alternate": f"{SITE_URL}organizations/{lead}/"}
    assert parsed.entries[0].link == f"{SITE_URL}tasks/task-0013/"


# -- iCalendar --------------------------------------------------------------------------------------


def calendars(output: Path) -> dict[str, bytes]:
    found = {p.relative_to(output).as_posix(): p.read_bytes() for p in sorted((output / "data/organizations").glob("*.ics"))}
    found["data/calendar.ics"] = (output / "data/calendar.ics").read_bytes()
    found["data/inspections.ics"] = (output / "data/inspections.ics").read_bytes()
    return found


def test_every_calendar_parses_and_dates_its_events_by_their_records_last_commit(repo: Path, site: Path, model: Model) -> None:
    commits = {item.id: last_commit(repo, item) for item in model.items.values()}
    assert commits["task-0013"] == datetime.datetime(2026, 11, 21, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    seen = 0
    for path, data in calendars(site).items():
        parsed = icalendar.Calendar.from_ical(data)
        assert str(parsed["VERSION"]) == "2.0", path
        for event in parsed.walk("VEVENT"):
            uid = str(event["UID"])
            item = model.items[record_of(uid)]
            assert event.decoded("DTSTAMP") == commits[item.id], (path, uid)
            assert "URL" not in event and "http" not in str(event.get("DESCRIPTION", "")), (path, uid)
            if item.type == "meetings":
                assert ("DTEND" in event) == ("end_time" in item.data), (path, uid)
                assert "DURATION" not in event
                if "agenda" in item.data:
                    assert all(a in str(event["DESCRIPTION"]) for a in item.data["agenda"]), uid
            seen += 1
    assert seen > 50


def test_a_units_calendar_holds_the_meetings_it_attends_and_its_deadlines(site: Path, model: Model) -> None:
    for unit in units(model):
        uids = {str(e["UID"]) for e in icalendar.Calendar.from_ical((site / f"data/organizations/{unit.id}.ics").read_bytes()).walk("VEVENT")}
        for meeting in model.of_type("meetings"):
            if unit.id in meeting.data.get("attendees", []) or unit.id in model.leads(meeting):
                assert f"{meeting.id}@liandong" in uids, (unit.id, meeting.id)
        for type_name in ("tasks", "coordination"):
            for item in model.of_type(type_name):
                expected = deadline(item) is not None and is_open(item) and concerned(model, unit.id, item)
                assert (f"{item.id}-deadline@liandong" in uids) == expected, (unit.id, item.id)
    # The stated end of the example Q4 meeting (#16 part 3) reaches the calendar of the unit that chairs it.
    meeting = model.items["mtg-0004"]
    chair = meeting.data["chair"]["organization"]
    found = icalendar.Calendar.from_ical((site / f"data/organizations/{chair}.ics").read_bytes()).walk("VEVENT")
    event = next(e for e in found if str(e["UID"]) == "mtg-0004@liandong")
    assert event.decoded("DTEND").strftime("%H:%M") == meeting.data["end_time"]
    assert str(event["LOCATION"]) == "东兴市政务服务中心三楼会议室（示例）"


def test_published_calendars_carry_the_records_address(published: Path, model: Model) -> None:
    for path, data in calendars(published).items():
        for event in icalendar.Calendar.from_ical(data).walk("VEVENT"):
            uid = str(event["UID"])
            assert str(event["URL"]) == f"{SITE_URL}{model.items[record_of(uid)].url}", (path, uid)


def test_a_build_on_another_day_writes_the_same_calendars_and_feeds(repo: Path, site: Path) -> None:
    later = _built(repo, "later", LATER)
    assert calendars(later) == calendars(site)
    feeds = sorted(p.relative_to(site) for p in (site / "data/organizations").glob("*.atom"))
    assert feeds and all((later / f).read_bytes() == (site / f).read_bytes() for f in feeds)


# -- the pages --------------------------------------------------------------------------------------


class Links(html.parser.HTMLParser):
    """The <link> elements of a page's head, and the <a> elements of its body, as attribute dicts."""

    def __init__(self) -> None:
        super().__init__()
        self.head: list[dict[str, str]] = []
        self.anchors: list[dict[str, str]] = []
        self.in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "head":
            self.in_head = True
        elif tag == "link" and self.in_head:
            self.head.append(values)
        elif tag == "a":
            self.anchors.append(values)

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False


def links(page: Path) -> Links:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def feeds_in_head(page: Path) -> dict[str, tuple[str, str]]:
    """Site path of every feed the page's head announces → (type, title); every rel holds the token
    alternate and is never "alternate" alone (the theme fetches a sitemap beside those)."""
    found = {}
    for link in links(page).head:
        rel = link.get("rel", "").split()
        if "alternate" not in rel:
            continue
        assert link["rel"] != "alternate", link
        target = (page.parent / link["href"]).resolve()
        assert target.is_file(), link
        found[target.relative_to(page.parents[2].resolve()).as_posix()] = (link["type"], link.get("title", ""))
    return found


def test_an_organisation_page_announces_its_own_feeds_and_the_sites(site: Path, model: Model) -> None:
    for unit in units(model):
        page = site / unit.url / "index.html"
        assert feeds_in_head(page) == {
            "data/changes.atom": ("application/atom+xml", "联动登记册 · 最近修改"),
            f"data/organizations/{unit.id}.atom": ("application/atom+xml", f"联动登记册 · {unit.title} · 最近修改"),
            f"data/organizations/{unit.id}.ics": ("text/calendar", f"联动 {unit.title} 会议和办理时限"),
        }, unit.id
        # The 订阅 line: both files, linked from the page itself.
        hrefs = {(page.parent / a["href"]).resolve() for a in links(page).anchors if "href" in a}
        assert {(site / f"data/organizations/{unit.id}.{ext}").resolve() for ext in ("atom", "ics")} <= hrefs, unit.id
    # A record that is not a unit announces the site's feed only.
    assert list(feeds_in_head(site / "tasks/task-0013/index.html")) == ["data/changes.atom"]


def test_the_downloads_page_lists_every_units_feeds(site: Path, model: Model) -> None:
    page = site / "downloads/index.html"
    hrefs = {(page.parent / a["href"]).resolve() for a in links(page).anchors if "href" in a}
    for unit in units(model):
        assert (site / f"data/organizations/{unit.id}.atom").resolve() in hrefs, unit.id
        assert (site / f"data/organizations/{unit.id}.ics").resolve() in hrefs, unit.id


def test_a_hostile_units_name_stays_text_in_the_head_and_the_feeds(hostile_site: Site) -> None:
    unit_id = "org-example-hostile"
    page = hostile_site.output / "organizations" / unit_id / "index.html"
    head = links(page).head
    titles = [link.get("title", "") for link in head if link.get("href", "").endswith(f"{unit_id}.atom")]
    assert titles == ['联动登记册 · <img src=x onerror="window.__xss=1">注入测试单位 · 最近修改']  # an attribute's text, no element
    assert "<img src=x" not in page.read_text(encoding="utf-8").split("</head>", 1)[0]
    parsed = feedparser.parse((hostile_site.output / f"data/organizations/{unit_id}.atom").read_bytes())
    assert not parsed.bozo
    calendar = icalendar.Calendar.from_ical((hostile_site.output / f"data/organizations/{unit_id}.ics").read_bytes())
    assert str(calendar["X-WR-CALNAME"]) == '联动 <img src=x onerror="window.__xss=1">注入测试单位 会议和办理时限'


@pytest.mark.browser
def test_an_organisation_page_fetches_nothing_it_announces_in_chromium(browser: Any, site: Path, model: Model) -> None:
    """The theme fetches sitemap.xml beside every link[rel=alternate] it finds: the page's feeds,
    announced as "alternate feed", make it request nothing that fails (and no feed at all)."""
    unit = model.items[model.leads(model.items["task-0013"])[0]]
    server = serve(site)
    base = next(server)
    tab = Tab(browser, DESKTOP)
    requested: list[str] = []
    failed: list[str] = []
    tab.context.on("request", lambda request: requested.append(request.url))
    tab.context.on("response", lambda response: failed.append(f"{response.url} ({response.status})") if response.status >= 400 else None)
    try:
        tab.page.goto(base + unit.url)
        tab.page.wait_for_load_state("networkidle")
        assert failed == [] and tab.errors == []
        assert not [url for url in requested if url.endswith(("sitemap.xml", ".atom", ".ics"))], requested
        feeds = tab.page.eval_on_selector_all("head link[rel~=alternate]", "links => links.map(l => l.getAttribute('rel'))")
        assert feeds == ["alternate feed"] * 3
        assert tab.page.locator(".ld-subscribe a").count() == 2
    finally:
        tab.close()
        server.close()


def test_git_dates_are_the_authors_in_this_repository(repo: Path) -> None:
    """The dates above come from the fixture's commits (author dates), not from the clock."""
    log = subprocess.run(["git", "log", "--format=%aI %s"], cwd=repo, capture_output=True, text=True, env=clean_env(), check=True).stdout.splitlines()
    assert log == ["2026-11-21T10:00:00+08:00 " + SUBJECTS[2], "2026-11-20T16:45:00+08:00 " + SUBJECTS[1], "2026-06-15T09:00:00+08:00 " + SUBJECTS[0]]
