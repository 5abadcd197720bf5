"""Counts by state at each month's end (history/trend.py) as a small stacked bar chart, static
inline SVG laid out at build time: carried out, open, and of the open the overdue ones, hatched,
so the chart reads without colour; each bar's figures are written above it and in its <title>,
and the page's table gives them all in text (_trend.html.j2). The same counts give the same bytes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape

from liandong.history.trend import MonthCount

WIDTH, HEIGHT = 480, 200
LEFT, RIGHT, TOP, BOTTOM = 8, 8, 34, 40  # the legend above, the month labels below
MAX_MONTHS = 24  # the latest this many months are drawn (the table lists every month)
KINDS = (  # (what, colour, hatched): bottom to top
    ("done", "#1b5e20", False, "已办结"),
    ("current", "#90a4ae", False, "未办结（未逾期）"),
    ("overdue", "#b71c1c", True, "逾期"),
)

# The figure's summary and a bar's tooltip (labels: their words in each edition).
MONTH_SUMMARY = "{label} 未办结 {open} 项（其中逾期 {overdue} 项）、已办结 {done} 项"
MONTH_TOOLTIP = "{label}：未办结 {open} 项，其中逾期 {overdue} 项；已办结 {done} 项"


@dataclass(frozen=True)
class TrendView:
    """A trend as the page shows it.

    months: the counts at each month's end, oldest first (all of them: the table lists every one)
    svg: the chart of the latest MAX_MONTHS
    real_only: whether example records were left out (a real subject's chart; an example's counts its examples)
    """

    months: list[MonthCount]
    svg: Markup
    real_only: bool
    ident: str = ""  # its ids' prefix, to draw it again in another edition's words


def _parts(month: MonthCount) -> dict[str, int]:
    return {"done": month.done, "current": month.open - month.overdue, "overdue": month.overdue}


def _chinese(text: str, /, **values: object) -> str:
    """The chart's words as the Chinese edition writes them (a Language's t without translations)."""
    return text.format(**values) if values else text


def trend_svg(months: list[MonthCount], title: str, ident: str, real_only: bool = True, t: Callable[..., str] = _chinese, char_width: float = 12) -> TrendView:
    """The chart of `months`; `t` gives the edition's words (i18n.Language.t), `char_width` the legend's
    width of a character (a Han character's 12; less for Latin letters)."""
    drawn = months[-MAX_MONTHS:]
    tallest = max((m.open + m.done for m in drawn), default=0) or 1
    slot = (WIDTH - LEFT - RIGHT) / max(len(drawn), 1)
    width = min(slot * 0.6, 36)
    plot = HEIGHT - TOP - BOTTOM
    summary = t("；").join(t(MONTH_SUMMARY, label=t(m.label), open=m.open, overdue=m.overdue, done=m.done) for m in drawn)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ld-trend" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{escape(ident)}-title {escape(ident)}-desc">',
        f'<title id="{escape(ident)}-title">{escape(title)}</title><desc id="{escape(ident)}-desc">{escape(summary)}</desc>',
        '<defs><pattern id="ld-trend-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#fff"/><rect width="3" height="6" fill="#b71c1c"/></pattern></defs>',
        '<g class="ld-trend-legend" font-size="11" fill="currentColor">',
    ]
    x = float(LEFT)
    for _kind, colour, hatched, words in KINDS:
        fill = "url(#ld-trend-hatch)" if hatched else colour
        shown = t(words)
        parts.append(f'<rect x="{x:.1f}" y="6" width="12" height="12" fill="{fill}" stroke="{colour}"/><text x="{x + 16:.1f}" y="16">{escape(shown)}</text>')
        x += 16 + char_width * len(shown) + 14
    parts.append("</g>")
    for index, month in enumerate(drawn):
        left = LEFT + slot * index + (slot - width) / 2
        bottom = float(TOP + plot)
        counts = _parts(month)
        tooltip = t(MONTH_TOOLTIP, label=t(month.label), open=month.open, overdue=month.overdue, done=month.done)
        parts.append(f'<g class="ld-trend-month" data-day="{month.day.isoformat()}"><title>{escape(tooltip)}</title>')
        for kind, colour, hatched, _words in KINDS:
            height = plot * counts[kind] / tallest
            if height > 0:
                bottom -= height
                fill = "url(#ld-trend-hatch)" if hatched else colour
                parts.append(
                    f'<rect class="ld-trend-{kind}" x="{left:.1f}" y="{bottom:.1f}" width="{width:.1f}" height="{height:.1f}" fill="{fill}" stroke="{colour}"/>'
                )
        centre = left + width / 2
        total = month.open + month.done
        parts.append(f'<text x="{centre:.1f}" y="{bottom - 4:.1f}" font-size="11" text-anchor="middle" fill="currentColor">{total}</text>')
        label = t(month.label) if index == 0 or month.day.month == 1 else t("{month}月", month=month.day.month)
        parts.append(f'<text x="{centre:.1f}" y="{HEIGHT - BOTTOM + 16}" font-size="10" text-anchor="middle" fill="currentColor">{escape(label)}</text>')
        parts.append("</g>")
    parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot}" y2="{TOP + plot}" stroke="currentColor"/>')
    parts.append("</svg>")
    return TrendView(months, Markup("".join(parts)), real_only, ident)
