"""A ledger's balance over time as a chart: static inline SVG laid out here at build time.

No chart library and no script: the page makes no request outside the site and works without
JavaScript (as the lifecycle diagrams of lifecycle_diagram.py). The chart is a step line, since a
balance holds from one day's entries to the next; each day with entries has a point whose <title>
gives the exact figure, and the page's table beside it gives every figure in text. Figures are
written from Decimals (model/funds.py); floats only place the lines. Every text is escaped.

The SVG is accessible: role="img", a <title> and a <desc> named by aria-labelledby, axis titles in
the edition's words (`t`, a Language's t: the context draws the Chinese chart once, the Renderer
again for another edition from the same BalanceChart)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from markupsafe import Markup, escape

from liandong.model.funds import ZERO, yuan
from liandong.site.chart_axes import month_ticks
from liandong.site.i18n import CHINESE

WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 84, 24, 24, 56  # margins: room for the tick labels and the axis titles
TEN_THOUSAND = Decimal(10000)
_STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))


def nice_step(span: Decimal, ticks: int = 4) -> Decimal:
    """A round step (1, 2, 2.5 or 5 times a power of ten) that divides `span` into about `ticks`."""
    if span <= ZERO:
        return Decimal(1)
    raw = span / ticks
    magnitude = Decimal(10) ** (raw.adjusted())
    return next(s * magnitude for s in _STEPS if s * magnitude >= raw)


def _wan(value: Decimal) -> str:
    """A tick in 万元, without trailing zeros: 3,000 or 2.5."""
    text = f"{(value / TEN_THOUSAND):,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class BalanceChart:
    """What a ledger's chart shows: the balance at the end of each day with entries (date order),
    the ledger's title and kind (Chinese: the record's title, the schema's label), its last
    balance in yuan; `ident` makes the ids of the SVG's title and description unique on the page.
    `svg` is the chart in Chinese."""

    points: Sequence[tuple[datetime.date, Decimal]]
    title: str
    kind: str
    balance: Decimal
    ident: str

    @property
    def svg(self) -> Markup:
        return balance_svg(self)


def balance_svg(chart: BalanceChart, t: Callable[..., str] = CHINESE.t) -> Markup:
    """The chart of `chart` in the words of `t`."""
    points, ident = chart.points, chart.ident
    title = t("{title}：每日余额", title=chart.title)
    description = t(
        "{kind}每天结束时的余额（万元），共 {days} 个有收支的日子；最后余额 {balance} 元。数字见下表。",
        kind=t(chart.kind),
        days=len(points),
        balance=yuan(chart.balance),
    )
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ld-funds-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{escape(ident)}-title {escape(ident)}-desc">'
        f'<title id="{escape(ident)}-title">{escape(title)}</title><desc id="{escape(ident)}-desc">{escape(description)}</desc>'
    )
    if not points:
        return Markup(head + f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle">{escape(t("尚无收支记录"))}</text></svg>')
    first, last = points[0][0], points[-1][0]
    if last == first:
        first, last = first - datetime.timedelta(days=15), last + datetime.timedelta(days=15)
    low = min(ZERO, *(v for _, v in points))
    high = max(ZERO, *(v for _, v in points))
    step = nice_step(high - low)
    bottom = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
    top = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
    if top == bottom:
        top = bottom + step
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    days = (last - first).days

    def x(day: datetime.date) -> float:
        return LEFT + plot_w * (day - first).days / days

    def y(value: Decimal) -> float:
        return TOP + plot_h * float((top - value) / (top - bottom))

    parts = [head, '<g class="ld-funds-grid" font-size="12" fill="currentColor">']
    tick = bottom
    while tick <= top:
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="currentColor" stroke-opacity="0.15"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{escape(_wan(tick))}</text>')
        tick += step
    for month in month_ticks(first, last):
        parts.append(f'<line x1="{x(month):.1f}" x2="{x(month):.1f}" y1="{TOP}" y2="{HEIGHT - BOTTOM}" stroke="currentColor" stroke-opacity="0.08"/>')
        tick_label = t("{year}年{month}月", year=month.year, month=month.month)
        parts.append(f'<text x="{x(month):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">{escape(tick_label)}</text>')
    parts.append("</g>")
    parts.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(ZERO):.1f}" y2="{y(ZERO):.1f}" stroke="currentColor"/>'
        f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{HEIGHT - BOTTOM}" stroke="currentColor"/>'
    )
    path = [f"M{x(points[0][0]):.1f},{y(ZERO):.1f}", f"V{y(points[0][1]):.1f}"]
    for day, value in points[1:]:
        path.append(f"H{x(day):.1f}V{y(value):.1f}")
    path.append(f"H{x(last):.1f}")
    parts.append(f'<path class="ld-funds-line" d="{"".join(path)}" fill="none" stroke="#1565c0" stroke-width="2"/>')
    for day, value in points:
        label = t("{date} 余额 {amount} 元", date=day.isoformat(), amount=yuan(value))
        parts.append(f'<circle cx="{x(day):.1f}" cy="{y(value):.1f}" r="3.5" fill="#1565c0"><title>{escape(label)}</title></circle>')
    parts.append(
        f'<text class="ld-funds-axis" x="{LEFT + plot_w / 2}" y="{HEIGHT - 8}" text-anchor="middle" font-size="13" '
        f'fill="currentColor">{escape(t("日期"))}</text>'
        f'<text class="ld-funds-axis" transform="translate(16 {TOP + plot_h / 2}) rotate(-90)" text-anchor="middle" font-size="13" '
        f'fill="currentColor">{escape(t("余额（万元）"))}</text>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))
