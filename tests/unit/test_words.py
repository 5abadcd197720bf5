"""Words on the site (#13 part 4), one test per class of wording, each against the one place it is
said: the schemas' labels, the formatting helpers (site/render.py), the page contexts, the history's
display name of an author, and the registry's names of its bodies."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from liandong.history.timeline import FALLBACK_AUTHOR, Timeline, display_author
from liandong.history.types import History
from liandong.model.model import Model
from liandong.model.status import Status
from liandong.site import contexts
from liandong.site.render import Renderer, beijing, chinese_date, chinese_time, citation, clause_number
from liandong.validation.pipeline import validate
from liandong.validation.schema import SchemaSet

REPO = Path(__file__).resolve().parents[2]
TODAY = datetime.date(2026, 11, 25)
BEIJING = datetime.timezone(datetime.timedelta(hours=8))


@pytest.fixture(scope="module")
def model() -> Model:
    result = validate(REPO, today=TODAY)
    return Model.build(result.schemas, result.valid).public()


@pytest.fixture(scope="module")
def status(model: Model) -> Status:
    return Status(model, TODAY)


def _context(status: Status, record_id: str) -> contexts.RecordContext:
    item = status.model.get(record_id)
    assert item is not None
    return contexts.record_context(status, Timeline(History(False, note=""), status.model), item)


# -- the schemas' labels ----------------------------------------------------------------------------


def test_labels_say_what_the_text_and_practice_say() -> None:
    types = SchemaSet.for_root(REPO).types
    organizations, mechanisms = types["organizations"], types["mechanisms"]
    assert organizations.enum_labels(("status",))["active"] == "现行"
    assert organizations.enum_labels(("kind",))["collective"] == "统称"
    # 试验区 and 跨合区 are functional zones: their 管委会 are not a level of administrative division.
    assert organizations.enum_labels(("level",))["zone"] == "功能区"
    kinds = mechanisms.enum_labels(("kind",))
    assert kinds["joint_inspection"] == "联合检查和检查周" and kinds["approval_window"] == "前台受理、后台审批"
    assert mechanisms.label(("posts", 0, "holder")) == "担任人"


def test_a_time_limit_carries_its_unit(model: Model) -> None:
    powers = model.schemas.types["powers"]
    assert powers.subschema(("statutory_limit_days",))["x-unit"] == "个工作日"  # type: ignore[index]
    power = next(p for p in model.of_type("powers") if "statutory_limit_days" in p.data)
    shown = Renderer(model, TODAY).value(power, ("statutory_limit_days",), power.data["statutory_limit_days"], power.url)
    assert str(shown) == f"{power.data['statutory_limit_days']}个工作日"


# -- the formatting helpers --------------------------------------------------------------------------


def test_times_are_written_the_usual_chinese_way() -> None:
    assert beijing(datetime.datetime(2026, 7, 16, 9, 30, tzinfo=BEIJING)) == "2026年7月16日上午9:30"
    assert beijing(datetime.datetime(2026, 7, 16, 6, 30, tzinfo=datetime.UTC)) == "2026年7月16日下午2:30"
    assert chinese_date("2026-07-06") == "2026年7月6日"
    assert [chinese_time(t) for t in ("05:10", "12:00", "19:45")] == ["凌晨5:10", "中午12:00", "晚上7:45"]


def test_a_clause_is_cited_the_usual_way() -> None:
    assert clause_number("三(一)2") == "三（一）2"
    assert citation("关于建立推进……的实施意见", "三(一)2") == "《关于建立推进……的实施意见》三（一）2"


def test_a_task_page_cites_its_clause_with_the_documents_title(model: Model) -> None:
    task = next(t for t in model.of_type("tasks") if "document" in t.data.get("source", {}))
    document = model.get(task.data["source"]["document"])
    assert document is not None
    shown = str(Renderer(model, TODAY).value(task, ("source",), task.data["source"], task.url))
    assert f"《{document.title}》{clause_number(task.data['source']['clause'])}</a>" in shown


def test_a_cadence_is_said_in_the_texts_words(status: Status) -> None:
    context = _context(status, "mech-joint-meeting")
    assert isinstance(context, contexts.MechanismRecordContext) and context.cadence is not None
    assert context.cadence.rule == "每季度召开一次"  # 三(三)1, not 每季度至少 1 次
    assert [contexts.times_in_words(n) for n in (1, 2, 10, 12)] == ["一次", "两次", "十次", "十二次"]


# -- who made a change ---------------------------------------------------------------------------------


def test_an_author_is_never_shown_in_english() -> None:
    assert display_author("Seed b3e27ae3 maintainers") == "登记册维护人员"
    assert display_author("Liandong Bot") == FALLBACK_AUTHOR
    assert display_author("东兴市自然资源局 李明") == "东兴市自然资源局 李明"


def test_the_public_changes_page_does_not_print_commit_messages(model: Model) -> None:
    """A commit message is written for the maintainers (in any language, with file names and field
    codes); the public page says what changed in Chinese, the staff edition adds the message."""
    assert contexts._change_heading(3, 1) == "新建 3 条记录、修改 1 条记录"
    empty = Timeline(History(False, note=""), model)
    assert contexts.changes_context(model, empty).changes == []


# -- a document's clauses -----------------------------------------------------------------------------


def test_a_clause_names_who_carries_it_out_each_once(status: Status) -> None:
    context = _context(status, "doc-kuahequ-liandong-opinion")
    assert isinstance(context, contexts.DocumentRecordContext) and context.clauses
    model = status.model
    for clause in context.clauses:
        assert all(record.type != "organizations" for record in clause.citing), clause.number
        assert len({r.id for r in clause.citing}) == len(clause.citing), clause.number
        expected = list(dict.fromkeys(u for record in clause.citing for u in model.leads(record)))
        assert [unit.id for unit in clause.leads] == [u for u in expected if model.get(u) is not None], clause.number
    assert any(clause.leads for clause in context.clauses)


# -- the names of bodies -------------------------------------------------------------------------------


def test_party_committees_and_the_committee_carry_their_full_names(model: Model) -> None:
    for party in (o for o in model.of_type("organizations") if o.data["kind"] == "party_committee"):
        assert party.title.startswith("中国共产党") and party.title.endswith("委员会"), party.title
        assert party.data.get("other_names"), f"{party.title}: the text's short form belongs among its other names"
    committee = model.get("org-dxsyq-committee")
    assert committee is not None
    # As 桂政办发〔2019〕63号 writes the zone (广西东兴重点开发开放试验区), the other form beside it.
    assert committee.title == "广西东兴重点开发开放试验区管理委员会"
    assert {n["name"] for n in committee.data["other_names"]} >= {"广西东兴国家重点开发开放试验区管理委员会"}
