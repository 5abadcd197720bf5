"""The task timeline (#20) as static inline SVG, laid out here at build time: one bar per task from
交办 to its deadline, the first deadline and each approved extension marked on it, the completion
day, today's line, and overdue time drawn past the deadline. No script and no request elsewhere.

Colour is never the only signal: each bar carries its state in words (逾期 12 天, 按期办结…) and
overdue or late spans are hatched, so the figure reads in black and white on paper. Every mark has
a <title> (its tooltip), and the page lists the same bars in a table (_schedule.html.j2), so the
figure is never the only way to the facts. The same schedule gives the same bytes."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape

from liandong.model.schedule import Bar, Schedule
from liandong.site.chart_axes import month_ticks
from liandong.site.citations import clause_number

WIDTH = 480  # the viewBox; the page scales it to the column (a phone's 390 px reads 11 px text at ~9 px)
LEFT, RIGHT = 8, 8
AXIS, GROUP, ROW = 30, 22, 36  # heights: the month axis, a group's heading, one task
MAX_BARS = 40  # the most pressing this many are drawn (model/schedule.py chooses them); the page says how many more there are
TITLE_CHARS = 26  # a task's title on its row, cut with … (its full title is in the tooltip and the table)
# Fill and hatching per state (the badges' tones: danger, warning, ok; neutral for an open task).
TONES = {
    "overdue": ("#b71c1c", True),
    "due-soon": ("#8a4b00", False),
    "late": ("#8a4b00", True),
    "on-time": ("#1b5e20", False),
    "open": ("#37474f", False),
    "closed": ("#757575", False),
}


@dataclass(frozen=True)
class ScheduleView:
    """A timeline as the page shows it.

    schedule: the items and their bars (model/schedule.py), listed in the table below the figure
    svg: the figure
    """

    schedule: Schedule
    svg: Markup
    ident: str = ""  # its ids' prefix, to draw it again in another edition's words


def _cut(text: str) -> str:
    return text if len(text) <= TITLE_CHARS else text[: TITLE_CHARS - 1] + "…"


def _chinese(text: str, /, **values: object) -> str:
    """The figure's words as the Chinese edition writes them (a Language's t without translations)."""
    return text.format(**values) if values else text


Words = Callable[..., str]  # an edition's t(): a Chinese label (with {fields}) in its words


def _bar(bar: Bar, top: float, x: Callable[[datetime.date], float], today: datetime.date, t: Words = _chinese, translated: bool = False) -> list[str]:
    colour, hatched = TONES.get(bar.state, TONES["open"])
    if translated:  # the title stays Chinese, marked, on its row; the tooltip holds the edition's words only
        tooltip = t("{start} 交办，办理时限 {deadline}；{label}", start=bar.start.isoformat(), deadline=bar.deadline.isoformat(), label=t(bar.label))
        title = f'<tspan lang="zh">{escape(_cut(bar.item.title))}</tspan>{escape(t("〔示例〕")) if bar.item.example else ""}'
    else:
        tooltip = f"{bar.item.title}：{bar.start.isoformat()} 交办，办理时限 {bar.deadline.isoformat()}；{bar.label}"
        title = f"{escape(_cut(bar.item.title))}{'〔示例〕' if bar.item.example else ''}"
    parts = [
        f'<g class="ld-gantt-bar" data-item="{escape(bar.item.id)}" data-state="{escape(bar.state)}"><title>{escape(tooltip)}</title>',
        f'<text x="{LEFT}" y="{top + 12:.1f}" font-size="11" fill="currentColor">{title}</text>',
        f'<text x="{WIDTH - RIGHT}" y="{top + 12:.1f}" font-size="11" text-anchor="end" fill="{colour}">{escape(t(bar.label))}</text>',
    ]
    y = top + 17
    x0 = x(bar.start)
    x1 = max(x(bar.deadline), x0 + 2)
    fill = f"url(#ld-hatch-{bar.state})" if hatched else colour
    parts.append(f'<rect x="{x0:.1f}" y="{y:.1f}" width="{x1 - x0:.1f}" height="10" fill="{fill}" stroke="{colour}"/>')
    if bar.state == "overdue":  # the time past the deadline, up to today
        parts.append(f'<rect x="{x1:.1f}" y="{y + 2:.1f}" width="{max(x(today) - x1, 0):.1f}" height="6" fill="url(#ld-hatch-overdue)" stroke="{colour}"/>')
    if bar.first_deadline is not None and bar.extensions:
        fx = x(bar.first_deadline)
        parts.append(
            f'<line class="ld-gantt-first" x1="{fx:.1f}" x2="{fx:.1f}" y1="{y - 3:.1f}" y2="{y + 13:.1f}" stroke="currentColor" stroke-width="2">'
            f"<title>{escape(t('原办理时限 {date}', date=bar.first_deadline.isoformat()))}</title></line>"
        )
    for extension in bar.extensions:
        ex = x(extension.requested)
        if translated:  # the approver's name is on the page's table
            words = t("{requested} 申请延期，办理时限改为 {new}", requested=extension.requested.isoformat(), new=extension.new.isoformat())
        else:
            words = f"{extension.requested.isoformat()} 申请延期，{extension.approver}批准，办理时限改为 {extension.new.isoformat()}"
        parts.append(
            f'<path class="ld-gantt-extension" d="M{ex:.1f},{y - 4:.1f}l5,9l-5,9l-5,-9z" fill="#fff" stroke="currentColor" stroke-width="1.5">'
            f"<title>{escape(words)}</title></path>"
        )
    if bar.done is not None:
        parts.append(
            f'<circle class="ld-gantt-done" cx="{x(bar.done):.1f}" cy="{y + 5:.1f}" r="5" fill="#fff" stroke="{colour}" stroke-width="2">'
            f"<title>{escape(t('{date} 办结', date=bar.done.isoformat()))}</title></circle>"
        )
    parts.append("</g>")
    return parts


def group_words(label: str, t: Callable[..., str] = _chinese, translated: bool = False) -> str:
    """A group's heading as SVG text: the source's own words (a clause, a meeting's name) marked Chinese
    in another edition, the site's words (协调事项, 第 2 项议定事项) in the edition's."""
    if not translated:
        return str(escape(clause_number(label)))
    if label in ("协调事项", "其他", "会议"):
        return str(escape(t(label)))
    name, found, number = label.rpartition(" 第 ")
    if found and number.endswith(" 项议定事项"):
        decision = t("第 {number} 项议定事项", number=number[: -len(" 项议定事项")])
        return f'<tspan lang="zh">{escape(name)}</tspan> {escape(decision)}'
    return f'<tspan lang="zh">{escape(clause_number(label))}</tspan>'


def gantt_svg(found: Schedule, title: str, ident: str, t: Callable[..., str] = _chinese, translated: bool = False) -> ScheduleView:
    """The figure of `found`. `ident` keeps its ids unique on the page. `t` gives the edition's words
    (i18n.Language.t) and `translated` marks the records' own text as Chinese; the Chinese figure by
    default."""
    first = found.first - datetime.timedelta(days=3)
    last = found.last + datetime.timedelta(days=3)
    span = max((last - first).days, 1)

    def x(day: datetime.date) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * (day - first).days / span

    rows: list[str] = []
    top = float(AXIS)
    for group in found.groups:
        heading = group_words(group.label, t, translated)
        rows.append(f'<text class="ld-gantt-group" x="{LEFT}" y="{top + 15:.1f}" font-size="12" font-weight="bold" fill="currentColor">{heading}</text>')
        top += GROUP
        for bar in group.bars:
            rows.extend(_bar(bar, top, x, found.today, t, translated))
            top += ROW
    height = top + 8
    summary = "{count} 项的交办日期、办理时限、延期和办结情况，{today} 的状态；图下的表格列出同样的内容。"
    description = t(summary, count=len(found.bars), today=found.today.isoformat())
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ld-gantt" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
        f'aria-labelledby="{escape(ident)}-title {escape(ident)}-desc">',
        f'<title id="{escape(ident)}-title">{escape(title)}</title><desc id="{escape(ident)}-desc">{escape(description)}</desc>',
        "<defs>",
    ]
    for state, (colour, hatched) in TONES.items():
        if hatched:
            head.append(
                f'<pattern id="ld-hatch-{state}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
                f'<rect width="6" height="6" fill="#fff"/><rect width="3" height="6" fill="{colour}"/></pattern>'
            )
    head.append("</defs>")
    axis = ['<g class="ld-gantt-axis" font-size="10" fill="currentColor">']
    months = month_ticks(first, last)
    for month in months:
        mx = x(month)
        words = t("{year}年{month}月", year=month.year, month=month.month) if month.month == 1 or month == months[0] else t("{month}月", month=month.month)
        axis.append(f'<line x1="{mx:.1f}" x2="{mx:.1f}" y1="{AXIS - 6}" y2="{height:.0f}" stroke="currentColor" stroke-opacity="0.12"/>')
        anchor = ' text-anchor="end"' if mx > WIDTH - 60 else ""  # the last label would run off the figure
        axis.append(f'<text x="{mx + 2:.1f}" y="{AXIS - 10}"{anchor}>{escape(words)}</text>')
    tx = x(found.today)
    axis.append(
        f'<line class="ld-gantt-today" x1="{tx:.1f}" x2="{tx:.1f}" y1="{AXIS - 6}" y2="{height:.0f}" stroke="#b71c1c" stroke-dasharray="4 3">'
        f"<title>{escape(t('今天 {date}', date=found.today.isoformat()))}</title></line>"
    )
    axis.append(f'<text x="{tx:.1f}" y="{AXIS - 20}" text-anchor="middle" fill="#b71c1c">{escape(t("今天"))}</text>')
    axis.append("</g>")
    svg = Markup("".join(head + axis + rows + ["</svg>"]))
    return ScheduleView(found, svg, ident)
