"""How a power is held, on the pages' contexts (site/contexts.py, site/lists.py), on models built by
hand: the powers list shows 受理窗口 and 审批部门 only when a listed power has them, and 授予单位
only when one was granted; a power's page context carries its mode and granting unit; a document
known only from reprints says so."""

from __future__ import annotations

import datetime
from typing import Any

from liandong.history.timeline import Timeline
from liandong.history.types import History
from liandong.model.model import Model
from liandong.model.status import Status
from liandong.site import contexts
from liandong.site.lists import LISTS, shown
from liandong.validation.files import Record
from liandong.validation.schema import SchemaSet
from tests.helpers import REPO

TODAY = datetime.date(2026, 11, 25)
SCHEMAS = SchemaSet(REPO / "schemas")


def rec(type_name: str, record_id: str, **data: Any) -> Record:
    return Record(type_name, record_id, f"registry/{type_name}/{record_id}.yaml", {"id": record_id, "title": record_id, "visibility": "public", **data}, "")


UNITS = [
    rec("organizations", "org-city", title="某市人民政府", status="active", level="prefecture", kind="government"),
    rec("organizations", "org-a", title="甲局", status="active", level="county", kind="department"),
    rec("organizations", "org-window", title="××窗口", status="active", level="county", kind="department"),
]
DIRECT = rec("powers", "power-1", status="in_force", category="inspection", mode="direct", implementer="org-a")
AUTHORIZED = rec("powers", "power-2", status="in_force", category="licensing", mode="authorized", granted_by="org-city", implementer="org-a")
FRONT_AND_BACK = rec(
    "powers", "power-3", status="in_force", category="licensing", mode="direct", implementer="org-a", front_desk="org-window", back_office="org-a"
)


def status(*records: Record) -> Status:
    return Status(Model.build(SCHEMAS, [*UNITS, *records]), TODAY)


def columns(found: Status) -> list[str]:
    return contexts.list_context(found, "powers").columns


def test_the_front_desk_and_back_office_columns_show_only_when_a_listed_power_has_them() -> None:
    assert columns(status(DIRECT, AUTHORIZED)) == ["事项名称", "职权类别", "行使方式", "授予单位", "实施主体", "状态"]
    with_desk = status(DIRECT, AUTHORIZED, FRONT_AND_BACK)
    assert columns(with_desk) == ["事项名称", "职权类别", "行使方式", "授予单位", "实施主体", "受理窗口", "审批部门", "状态"]
    page = contexts.list_context(with_desk, "powers")
    cells = {row.item.id: [(cell.label, cell.kind) for cell in row.cells] for row in page.rows}
    assert ("受理窗口", "none") in cells["power-1"] and ("受理窗口", "value") in cells["power-3"]


def test_the_granting_unit_column_and_filter_show_only_when_a_listed_power_was_granted() -> None:
    only_direct = contexts.list_context(status(DIRECT), "powers")
    assert "授予单位" not in only_direct.columns and [f.label for f in only_direct.filters] == ["职权类别", "行使方式", "实施主体", "状态"]
    granted = contexts.list_context(status(DIRECT, AUTHORIZED), "powers")
    mode = next(f for f in granted.filters if f.path == "mode")
    assert mode.options == [("authorized", "授权"), ("direct", "直接行使")]
    assert next(f for f in granted.filters if f.path == "granted_by").options == [("org-city", "某市人民政府")]


def test_shown_leaves_a_spec_without_optional_columns_as_it_is() -> None:
    tasks = LISTS["tasks"]
    assert tasks.if_filled == () and shown(tasks, []) is tasks


def test_a_power_page_context_has_its_mode_and_granting_unit() -> None:
    found = status(DIRECT, AUTHORIZED)
    timeline = Timeline(History(False, note="未读取"), found.model)
    authorized = contexts.record_context(found, timeline, found.model.items["power-2"])
    assert isinstance(authorized, contexts.PowerRecordContext)
    assert (authorized.mode, authorized.mode_label, authorized.granted_by, authorized.implementer) == ("authorized", "授权", "org-city", "org-a")
    direct = contexts.record_context(found, timeline, found.model.items["power-1"])
    assert isinstance(direct, contexts.PowerRecordContext) and (direct.mode_label, direct.granted_by) == ("直接行使", None)


def test_a_document_known_only_from_a_reprint_says_so() -> None:
    reprint = [{"url": "https://news.example.com/1.html", "note": "据此转载登记。"}]
    found = status(
        rec("documents", "doc-r", status="issued", doc_type="local_government_rule", reprints=reprint),
        rec("documents", "doc-o", status="issued", doc_type="notice", url="https://www.example.gov.cn/1.html", reprints=reprint),
    )
    timeline = Timeline(History(False, note="未读取"), found.model)
    pages = {i: contexts.record_context(found, timeline, found.model.items[i]) for i in ("doc-r", "doc-o")}
    assert all(isinstance(p, contexts.DocumentRecordContext) for p in pages.values())
    assert [p.reprint_only for p in pages.values() if isinstance(p, contexts.DocumentRecordContext)] == [True, False]
