"""What is one zone's lives in its registry and configuration, not in the product (#19): the package
(code and templates), the schemas, the site's hand-written pages and assets, mkdocs.yml and the
forge files under .github/ name none of the bundled registry's bodies, places, documents or ids.

The words are read from the bundled registry itself: every organisation and document whose name
carries one of the zone's place names, with its ids and other names, and the place names. Not
searched: registry/ (the data, including registry/liandong.yaml), .github/CODEOWNERS (generated from
the records by `liandong codeowners`), the tests and the documentation (which describe the bundled
registry)."""

from __future__ import annotations

from pathlib import Path

from liandong.yamlio.loader import load_bytes

REPO = Path(__file__).resolve().parents[2]
# The zone's place names as its documents write them; a body's name carrying one is the zone's.
PLACES = ("东兴", "防城港", "广西", "芒街", "跨合区", "北仑河")
# Their romanised forms, as ids and Vietnamese text write them.
LATIN = ("dongxing", "fangchenggang", "guangxi", "kuahequ", "dxsyq", "mongcai", "móng cái")
SEARCHED = ("src/liandong", "schemas", "site", ".github", "mkdocs.yml")
GENERATED = {".github/CODEOWNERS"}


def _records(type_name: str) -> list[dict[str, object]]:
    found = []
    for file in sorted((REPO / "registry" / type_name).glob("*.yaml")):
        data = load_bytes(file.name, file.read_bytes()).data
        assert data is not None, file
        found.append(data)
    return found


def zone_words() -> set[str]:
    words = set(PLACES) | set(LATIN)
    for data in _records("organizations") + _records("documents"):
        names = [data.get("title"), data.get("short_name"), *(n.get("name") for n in data.get("other_names") or [] if isinstance(n, dict))]  # type: ignore[union-attr]
        named = [str(n) for n in names if n]
        if any(place in name for name in named for place in PLACES):
            words.update(named)
            words.add(str(data["id"]))
    return words


def _files() -> list[Path]:
    found = []
    for entry in SEARCHED:
        path = REPO / entry
        for file in [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file()):
            relative = file.relative_to(REPO).as_posix()
            if relative not in GENERATED and "__pycache__" not in file.parts:
                found.append(file)
    return found


def hits(files: list[Path], words: set[str]) -> list[str]:
    found = []
    for file in files:
        try:
            text = file.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # images, fonts
        for number, line in enumerate(text.splitlines(), 1):
            lowered = line.lower()
            named = sorted(w for w in words if w.lower() in lowered)
            if named:
                where = file.relative_to(REPO).as_posix() if file.is_relative_to(REPO) else file.name
                found.append(f"{where}:{number}: {'、'.join(named)}")
    return found


def test_the_words_come_from_the_bundled_registry() -> None:
    words = zone_words()
    assert {"东兴市人民政府", "org-dongxing-gov", "doc-kuahequ-liandong-opinion", "东兴试验区管委会"} <= words
    assert "电力部门" not in words  # a generic name the policy uses is not the zone's


def test_the_product_names_no_body_or_place_of_the_bundled_registry() -> None:
    assert hits(_files(), zone_words()) == []


def test_a_zone_word_in_a_template_is_found(tmp_path: Path) -> None:
    """The search can fail: a template naming the zone is reported with its line."""
    template = tmp_path / "home.md.j2"
    template.write_text("<h1>标题</h1>\n<p>东兴市人民政府牵头</p>\n", encoding="utf-8")
    found = hits([template], zone_words())
    assert len(found) == 1 and found[0].endswith(":2: 东兴、东兴市人民政府")
