from __future__ import annotations

from pathlib import Path

from liandong.model.model import Model
from liandong.validation.pipeline import validate
from liandong.validation.rules.header import expected_line
from tests.helpers import case_repo, write

MINIMAL = "valid/minimal"  # tests/cases/valid/minimal on the shared registry


def _model(tmp_path: Path) -> Model:
    root = case_repo(tmp_path / "repo", MINIMAL)
    write(
        root,
        "registry/organizations/org-secret.yaml",
        f"{expected_line('organizations')}\nid: org-secret\ntitle: 内部单位\nstatus: active\nvisibility: internal\nlevel: county\nkind: department\n",
    )
    write(
        root,
        "registry/tasks/task-0002.yaml",
        f"{expected_line('tasks')}\nid: task-0002\ntitle: 会议任务\nstatus: assigned\nvisibility: public\nsource:\n  meeting: mtg-0001\n  decision: 1\n"
        "lead:\n  - org-a\ncooperating:\n  - org-secret\n  - org-fcg\n",
    )
    result = validate(root)
    assert [d.rule for d in result.diagnostics] == ["publish.internal-ref"]
    return Model.build(result.schemas, result.valid)


def test_relations_in_both_directions(tmp_path: Path) -> None:
    model = _model(tmp_path)
    org = model.items["org-a"]
    leads = [(r.label, r.source.id) for r in model.referred_by(org) if r.field == "lead"]
    assert leads == [("牵头单位", "task-0001"), ("牵头单位", "task-0002")]
    meeting = model.items["mtg-0001"]
    assert [t.id for t in model.created_by_decision(meeting, 1)] == ["task-0002"]
    assert model.created_by_decision(meeting, 2) == []
    document = model.items["doc-a"]
    assert [r.source.id for r in model.citing_clause(document, "三(一)1")] == ["task-0001"]
    assert [r.source.id for r in model.citing_clause(document, "三(三)1")] == ["mech-a"]


def test_public_model_drops_internal_records_and_references_to_them(tmp_path: Path) -> None:
    model = _model(tmp_path)
    public = model.public()
    assert "org-secret" not in public.items
    assert public.items["task-0002"].data["cooperating"] == ["org-fcg"]
    assert model.items["task-0002"].data["cooperating"] == ["org-secret", "org-fcg"], "the full model is untouched"
    assert all(r.target.id != "org-secret" for rels in public.outgoing.values() for r in rels)


def test_relative_links_between_directory_urls() -> None:
    from liandong.site.render import href

    assert href("", "tasks/task-0001/") == "tasks/task-0001/"
    assert href("tasks/", "organizations/org-a/") == "../organizations/org-a/"
    assert href("tasks/task-0001/", "documents/doc-a/#clause-x") == "../../documents/doc-a/#clause-x"
    assert href("search/", "") == "../"
    assert href("", "") == "./"
