"""The 参与贡献 pages: generated from the schemas, the lifecycles and the rule catalog, so these
tests compare them with those sources, not with the generator's own idea of them; and a real
Chromium shows the lifecycle diagram without any request leaving the site's origin."""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from liandong.model.model import Model
from liandong.site import contribute as contrib
from liandong.site import lifecycle_diagram
from liandong.site.render import Page, Renderer, href
from liandong.validation.catalog import RULES
from liandong.validation.pipeline import validate
from liandong.validation.schema import TypeSchema

from ..helpers import REPO


@pytest.fixture(scope="module")
def site_pages() -> dict[str, Page]:
    result = validate(REPO)
    renderer = Renderer(Model.build(result.schemas, result.valid).public(), datetime.date(2026, 11, 25))
    return {page.url: page for page in contrib.pages(renderer, REPO)}


@pytest.fixture(scope="module")
def schemas() -> dict[str, TypeSchema]:
    return validate(REPO).schemas.types


def _keys(ts: TypeSchema, node: dict[str, Any], depth: int = 0) -> Iterator[str]:
    """Every property name in a schema, one level of objects (and list items) down."""
    node = ts.resolve(node)
    for key, child in node.get("properties", {}).items():
        yield key
        child = ts.resolve(child)
        inner = ts.resolve(child.get("items", {})) if child.get("type") == "array" else child
        if depth < 1:
            yield from _keys(ts, inner, depth + 1)


def _enums(ts: TypeSchema, node: dict[str, Any]) -> Iterator[tuple[str, str]]:
    node = ts.resolve(node)
    yield from node.get("x-enum-labels", {}).items()
    for child in node.get("properties", {}).values():
        yield from _enums(ts, child)
    if isinstance(node.get("items"), dict):
        yield from _enums(ts, node["items"])


def test_every_type_has_a_reference_page_reached_from_the_nav(site_pages: dict[str, Page], schemas: dict[str, TypeSchema]) -> None:
    forms = {f"contribute/{name}/new/" for name in schemas}
    assert {f"contribute/{name}/" for name in schemas} | forms | {"contribute/", "contribute/rules/"} == set(site_pages)
    # only the nav section: the rest of mkdocs.yml has !ENV tags that safe_load refuses
    nav = yaml.safe_load("nav:" + (REPO / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:", 1)[1])["nav"]
    # One nav entry (every page embeds the nav); the index links to each of the other pages.
    assert {"参与贡献": "contribute/index.md"} in nav
    index = site_pages["contribute/"].text
    assert [url for url in site_pages if url != "contribute/" and f'href="{href("contribute/", url)}"' not in index] == []


def test_reference_pages_show_every_field_enum_value_and_state(site_pages: dict[str, Page], schemas: dict[str, TypeSchema]) -> None:
    for name, ts in schemas.items():
        text = site_pages[f"contribute/{name}/"].text
        missing = [key for key in _keys(ts, ts.schema) if not re.search(rf"<code[^>]*>(?:[\w\[\].]*[.\]])?{re.escape(key)}</code>", text)]
        assert missing == [], name
        for code, label in _enums(ts, ts.schema):
            assert f"<code>{html.escape(code)}</code> {html.escape(label)}" in text, (name, code)
        for key, node in ts.schema["properties"].items():
            assert html.escape(ts.label((key,))) in text and html.escape(ts.resolve(node)["description"]) in text, (name, key)
        for state in ts.states:
            assert f'data-state="{state}"' in text and f'id="state-{state}"' in text, (name, state)
        for t in ts.lifecycle.transitions:
            assert f"{t.source} --&gt; {t.target}" in text, (name, t)  # the Mermaid source, HTML-escaped
        for state, fields in ts.lifecycle.requires.items():
            for field in fields:
                assert f"（<code>{field}</code>）" in text, (name, state, field)


def test_examples_are_shown_as_yaml_that_reads_back_as_the_example(site_pages: dict[str, Page], schemas: dict[str, TypeSchema]) -> None:
    from liandong.yamlio.loader import parse_text

    text = site_pages["contribute/tasks/"].text
    shown = [html.unescape(m) for m in re.findall(r'<code class="ld-contrib-example"[^>]*>(.*?)</code>', text, re.S)]
    read = [parse_text("example", s)[0] for s in shown]
    for key, node in schemas["tasks"].schema["properties"].items():
        for example in schemas["tasks"].resolve(node)["examples"]:
            assert {key: example} in read, key


def test_rules_page_lists_every_rule_with_its_real_diagnostic(site_pages: dict[str, Page]) -> None:
    text = site_pages["contribute/rules/"].text
    for rule_id, doc in RULES.items():
        assert f'id="rule-{rule_id}"' in text, rule_id
        assert html.escape(doc.summary) in text and html.escape(doc.explanation) in text, rule_id
        cases = sorted((REPO / "tests/cases/invalid" / rule_id).glob("*/expected.txt"))
        if cases:
            first = next(line for line in cases[0].read_text(encoding="utf-8").splitlines() if f"[{rule_id}]" in line)
            assert html.escape(first, quote=False) in text or html.escape(first) in text, rule_id
    assert text.count('<section class="ld-rule">') == len(RULES)


def _hostile(ts: TypeSchema) -> TypeSchema:
    schema = yaml.safe_load(yaml.safe_dump(ts.schema))  # a deep copy
    first = ts.states[0]
    schema["properties"]["status"]["x-enum-labels"][first] = '<script>alert(1)</script>" ; x --> y\n[*] --> z'
    return TypeSchema(ts.name, schema, ts.lifecycle, ts.common)


def test_diagram_text_is_escaped(schemas: dict[str, TypeSchema]) -> None:
    ts = _hostile(schemas["tasks"])
    labels = {key: ts.label((key,)) for key in ts.schema["properties"]}
    svg, _notes = lifecycle_diagram.lifecycle_svg(ts, labels)
    assert "<script" not in svg and "&lt;script&gt;" in svg
    mermaid = lifecycle_diagram.lifecycle_mermaid(ts, labels)
    first = mermaid.splitlines()[1]
    assert first.startswith('    state "') and first.endswith(f'" as {ts.states[0]}')
    assert first.count('"') == 2 and "-->" not in first and "<" not in first
    assert len(mermaid.splitlines()) == len(lifecycle_diagram.lifecycle_mermaid(schemas["tasks"], labels).splitlines())


def test_diagram_draws_every_transition_once(schemas: dict[str, TypeSchema]) -> None:
    for ts in schemas.values():
        labels = {key: ts.label((key,)) for key in ts.schema["properties"]}
        svg, notes = lifecycle_diagram.lifecycle_svg(ts, labels)
        assert svg.count("marker-end=") == len(ts.lifecycle.transitions), ts.name
        assert len(notes) == sum(1 for t in ts.lifecycle.transitions if t.adds), ts.name
        assert re.fullmatch(r'<svg [^>]*viewBox="0 0 \d+ \d+".*</svg>', str(svg), re.S), ts.name


# -- in a real browser --------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.slow
def test_lifecycle_diagram_renders_and_nothing_leaves_the_origin(public_url: str, browser: Any, schemas: dict[str, TypeSchema]) -> None:
    """In the bundled public site, the session's build (tests/site/conftest.py)."""
    requested: list[str] = []
    errors: list[str] = []
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.on("request", lambda request: requested.append(request.url))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(public_url + "contribute/tasks/", wait_until="networkidle")
        diagram = page.locator("svg.ld-lifecycle")
        diagram.scroll_into_view_if_needed()
        assert diagram.is_visible()
        box = diagram.bounding_box()
        assert box is not None and box["width"] > 250 and box["height"] > 400, box
        ts = schemas["tasks"]
        for state in ts.states:
            rect = page.locator(f'svg.ld-lifecycle g[data-state="{state}"] rect')
            rect_box = rect.bounding_box()
            assert rect_box is not None and rect_box["width"] > 100 and rect_box["height"] > 30, state
        # the labels are laid out as text the browser measured, inside the drawing
        label = page.locator('svg.ld-lifecycle g[data-state="assigned"] text').first
        assert "已交办" in label.text_content()
        label_box = label.bounding_box()
        assert label_box is not None and box["x"] <= label_box["x"] and label_box["x"] + label_box["width"] <= box["x"] + box["width"]
        page.get_by_text("Mermaid 源码").click()
        assert page.locator("details.ld-mermaid-source pre").is_visible()
        for url in ("contribute/", "contribute/rules/"):
            page.goto(public_url + url, wait_until="networkidle")
    finally:
        page.close()
    assert requested and all(url.startswith(public_url) or url.startswith(("data:", "about:", "blob:")) for url in requested), [
        url for url in requested if not url.startswith(public_url)
    ]
    assert errors == []


def test_no_internal_record_text_reaches_the_contributor_pages(site_pages: dict[str, Page]) -> None:
    """Schema examples are often taken from the registry; never from an internal record."""
    records = validate(REPO).records

    def strings(value: Any) -> Iterator[str]:
        if isinstance(value, str):
            yield value
        elif isinstance(value, (list, dict)):
            for item in value.values() if isinstance(value, dict) else value:
                yield from strings(item)

    public = {s for r in records if r.public for s in strings(r.data)}
    codes = {word for file in (REPO / "schemas").glob("*.json") for word in re.findall(r'"([a-z_]+)"', file.read_text(encoding="utf-8"))}
    secret = {s for r in records if not r.public for s in strings(r.data) if len(s) > 6} - public - codes
    assert secret, "the bundled registry should hold an internal record to check against"
    text = "".join(html.unescape(page.text) for page in site_pages.values())
    assert sorted(s for s in secret if s in text) == []
