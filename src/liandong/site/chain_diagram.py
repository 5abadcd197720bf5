"""The chain from a clause or decision to closure (model/chains.py) as a small directed graph, laid
out here at build time: it is always a tree of three columns (the source, what was made from it,
where each stands), so it needs no layout library. Static inline SVG without script; every node has
a <title> of its full words, and tones are never the only signal (the outcome says 办结, 逾期 or
待答复 in words). The figure is an image (role="img"), so it holds no links: the caption below lists
the same steps in text, each linked to its page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape

from liandong.model.chains import Chain
from liandong.site.citations import clause_number

WIDTH = 480
COLUMN = (4, 168, 332)  # left edges of the three columns
BOX_W, BOX_H, ROW = 144, 40, 48
LINE_CHARS = 11  # characters on a line of a box (two lines; the full words are in its <title>)
TONES = {"done": "#1b5e20", "danger": "#b71c1c", "open": "#37474f"}


def _lines(text: str, chars: int = LINE_CHARS) -> list[str]:
    first, rest = text[:chars], text[chars:]
    if len(rest) > chars:
        rest = rest[: chars - 1] + "…"
    return [first, rest] if rest else [first]


def _box(x: float, y: float, words: str, tooltip: str, colour: str, dashed: bool = False, lang: str = "", chars: int = LINE_CHARS) -> str:
    said = f' lang="{lang}"' if lang else ""
    text = "".join(
        f'<text x="{x + 6:.1f}" y="{y + 16 + 15 * i:.1f}" font-size="12" fill="currentColor"{said}>{escape(line)}</text>'
        for i, line in enumerate(_lines(words, chars))
    )
    dash = ' stroke-dasharray="4 2"' if dashed else ""
    box = f'<rect x="{x:.1f}" y="{y:.1f}" width="{BOX_W}" height="{BOX_H}" rx="4" fill="#fff" stroke="{colour}" stroke-width="1.5"{dash}/>'
    title = f'<title lang="{lang}">' if lang else "<title>"
    return f"<g>{title}{escape(tooltip)}</title>{box}{text}</g>"


def _edge(x1: float, y1: float, x2: float, y2: float) -> str:
    middle = (x1 + x2) / 2
    curve = f"M{x1:.1f},{y1:.1f}C{middle:.1f},{y1:.1f} {middle:.1f},{y2:.1f} {x2 - 6:.1f},{y2:.1f}"
    return f'<path d="{curve}" fill="none" stroke="currentColor" stroke-opacity="0.6" marker-end="url(#ld-chain-arrow)"/>'


@dataclass(frozen=True)
class ChainView:
    """A chain as a page shows it: chain, the steps (listed in text below the figure); svg, the figure."""

    chain: Chain
    svg: Markup
    ident: str = ""  # its ids' prefix, to draw it again in another edition's words


def chain_view(chain: Chain | None, ident: str) -> ChainView | None:
    return ChainView(chain, chain_svg(chain, ident), ident) if chain is not None and chain.steps else None


def chain_svg(chain: Chain, ident: str, t: Callable[..., str] | None = None, outcomes: list[str] | None = None) -> Markup:
    """The figure of one chain, drawn on a record's page (its links go up from type/id/). In another
    edition, `t` gives its words (i18n.Language.t) and `outcomes` each step's outcome in them; the
    records' own text (titles, a clause's heading) is marked Chinese."""
    if t is not None:
        return _translated(chain, ident, t, outcomes or [s.outcome for s in chain.steps])
    rows = max(len(chain.steps), 1)
    height = rows * ROW + 8
    described = "；".join(f"{s.item.title}：{s.outcome}" for s in chain.steps)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ld-chain" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{escape(ident)}-title {escape(ident)}-desc">',
        f'<title id="{escape(ident)}-title">{escape(clause_number(chain.source))}：从部署到办结</title>',
        f'<desc id="{escape(ident)}-desc">{escape(described)}</desc>',
        '<defs><marker id="ld-chain-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">'
        '<path d="M0,0L10,5L0,10z" fill="currentColor"/></marker></defs>',
    ]
    source_y = (height - BOX_H) / 2
    source = clause_number(chain.source)
    parts.append(_box(COLUMN[0], source_y, source, source, "#1565c0"))
    for index, step in enumerate(chain.steps):
        y = 4 + index * ROW
        colour = TONES.get(step.tone, TONES["open"])
        parts.append(_edge(COLUMN[0] + BOX_W, source_y + BOX_H / 2, COLUMN[1], y + BOX_H / 2))
        named = f"{step.item.type_label}：{step.item.title}（{step.item.status_label}）"
        parts.append(
            f'<g class="ld-chain-step" data-item="{escape(step.item.id)}" data-tone="{escape(step.tone)}">'
            + _box(COLUMN[1], y, step.item.title, named, "currentColor")
            + _edge(COLUMN[1] + BOX_W, y + BOX_H / 2, COLUMN[2], y + BOX_H / 2)
            + _box(COLUMN[2], y, step.outcome, step.outcome, colour, dashed=step.tone == "open")
            + "</g>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _source_words(source: str, t: Callable[..., str]) -> tuple[str, str]:
    """A chain's source in an edition: (words, lang): a decision's number in its words, a clause as written."""
    if source.startswith("第 ") and source.endswith(" 项议定事项"):
        return t("第 {number} 项议定事项", number=source[2 : -len(" 项议定事项")]), ""
    return clause_number(source), "zh"


def _translated(chain: Chain, ident: str, t: Callable[..., str], outcomes: list[str]) -> Markup:
    rows = max(len(chain.steps), 1)
    height = rows * ROW + 8
    source, lang = _source_words(chain.source, t)
    described = t("；").join(outcomes)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ld-chain" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{escape(ident)}-title {escape(ident)}-desc">',
        f'<title id="{escape(ident)}-title">{escape(t("从部署到办结"))}</title>',
        f'<desc id="{escape(ident)}-desc">{escape(described)}</desc>',
        '<defs><marker id="ld-chain-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">'
        '<path d="M0,0L10,5L0,10z" fill="currentColor"/></marker></defs>',
    ]
    source_y = (height - BOX_H) / 2
    parts.append(_box(COLUMN[0], source_y, source, source, "#1565c0", lang=lang, chars=LINE_CHARS if lang else 2 * LINE_CHARS))
    for index, (step, outcome) in enumerate(zip(chain.steps, outcomes)):
        y = 4 + index * ROW
        colour = TONES.get(step.tone, TONES["open"])
        parts.append(_edge(COLUMN[0] + BOX_W, source_y + BOX_H / 2, COLUMN[1], y + BOX_H / 2))
        parts.append(
            f'<g class="ld-chain-step" data-item="{escape(step.item.id)}" data-tone="{escape(step.tone)}">'
            + _box(COLUMN[1], y, step.item.title, step.item.title, "currentColor", lang="zh")
            + _edge(COLUMN[1] + BOX_W, y + BOX_H / 2, COLUMN[2], y + BOX_H / 2)
            + _box(COLUMN[2], y, outcome, outcome, colour, dashed=step.tone == "open", chars=2 * LINE_CHARS)
            + "</g>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
