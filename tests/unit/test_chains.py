"""The chain from a clause or decision to closure (#20) on the bundled registry: the steps are the
records made from the source and where each stands, the figure draws each of them (linked), the
caption says the same in text, and a real clause's chain holds real records only."""

from __future__ import annotations

import datetime
import re

import pytest

from liandong.model.chains import CAP, clause_chain, decision_chain
from liandong.model.model import Model
from liandong.model.status import Status
from liandong.site.chain_diagram import chain_svg
from liandong.site.render import Renderer
from liandong.validation.pipeline import validate

from ..helpers import REPO

TODAY = datetime.date(2026, 12, 2)


@pytest.fixture(scope="module")
def status() -> Status:
    result = validate(REPO, today=TODAY)
    return Status(Model.build(result.schemas, result.valid).public(), TODAY)


def test_the_policys_clause_3_3_3_shows_its_chain(status: Status) -> None:
    opinion = status.model.items["doc-kuahequ-liandong-opinion"]
    chain = clause_chain(status, opinion, "三(三)3", "建立定期工作会商机制")
    assert chain is not None
    assert [s.item.id for s in chain.steps] == ["task-0009", "mech-coordination-meeting"]  # tasks first, real ones only
    assert [s.outcome for s in chain.steps] == ["原文部署；尚无进度记录", "原文规定；尚无进度记录"]
    svg = str(chain_svg(chain, "t"))
    assert re.findall(r'<g class="ld-chain-step" data-item="([^"]+)"', svg) == ["task-0009", "mech-coordination-meeting"]
    assert "三（三）3 建立定期" in svg and "<a " not in svg  # an image holds no links: its caption does
    assert "<script" not in svg


def test_a_decision_chain_follows_its_tasks_and_matters_to_where_they_stand(status: Status) -> None:
    meeting = status.model.items["mtg-0003"]
    third = decision_chain(status, meeting, 3)
    assert third is not None and [s.item.id for s in third.steps] == ["coord-0003"]
    (step,) = third.steps
    assert step.tone == "danger" and step.outcome.startswith("2026-09-10 报防城港市人民政府，待答复 83 天")
    first = decision_chain(status, meeting, 1)
    assert first is not None and all(s.item.type == "tasks" for s in first.steps)
    assert decision_chain(status, status.model.items["mtg-0002"], 3) is None  # a decision that set nothing in motion


def test_the_pages_show_each_chain_with_its_text(status: Status) -> None:
    pages = {p.path: p.text for p in Renderer(status.model, TODAY).pages()}
    opinion = pages["documents/doc-kuahequ-liandong-opinion.md"]
    figures = re.findall(r'<figure class="ld-chain-figure"[^>]*>(.*?)</figure>', opinion, re.S)
    assert figures and len(figures) <= len(re.findall(r'<section class="ld-clause"', opinion))
    for figure in figures:
        drawn = re.findall(r'<g class="ld-chain-step" data-item="([^"]+)"', figure)
        caption = figure[figure.index("<figcaption>") :]
        linked = re.findall(r'<a href="\.\./\.\./[a-z]+/([a-z0-9-]+)/">', caption)
        assert drawn == linked[: len(drawn)] and 0 < len(drawn) <= CAP
    meeting = pages["meetings/mtg-0003.md"]
    assert meeting.count('<figure class="ld-chain-figure"') == 3
