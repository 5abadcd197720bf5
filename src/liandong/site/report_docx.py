"""The overdue/escalation report as a Word 督办通报 (.docx): `liandong report --format docx` and the
site's data/report.docx. It lays out the report page's context (contexts.ReportContext, the same
sections in the same order, numbered 一、二、三…) as a printed notice: A4, 仿宋 body text, 黑体
section headings, ruled tables whose header row repeats on every page, the page number in the
footer. It computes no fact of its own. The same context and day give the same bytes."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from liandong.site.contexts import ReportContext, Unit
from liandong.site.render import chinese_date
from liandong.tabular.exporter import pinned

BODY_FONT = "仿宋"  # the body text, as GB/T 9704 sets it (仿宋_GB2312 where installed; 仿宋 is everywhere)
HEADING_FONT = "黑体"  # the numbered section headings
TITLE_FONT = "宋体"  # the title, bold (小标宋 is not on every computer)
LATIN_FONT = "Times New Roman"  # digits and Latin letters
TABLE_STYLE, HEADER_STYLE, TITLE_STYLE = "通报表格文字", "通报表头", "通报标题"
NUMERALS = "一二三四五六七八九十"
# A4 with the margins of GB/T 9704 (党政机关公文格式): 156 mm of text across.
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top_margin": Mm(37), "bottom_margin": Mm(35), "left_margin": Mm(28), "right_margin": Mm(26)}
TEXT_WIDTH_MM = 156


@dataclass(frozen=True)
class Column:
    """A table column: its header, its share of the text width, its cell of a row."""

    header: str
    width: float
    cell: Callable[[Any], str]


def _leads(units: Sequence[Unit]) -> str:
    return "、".join(unit.name for unit in units) or "无"


def _item(row: Any) -> str:
    title: str = row.item.title
    return title + ("（示例）" if row.item.example else "")


def _days(days: int) -> str:
    return f"{days}天"


NUMBER = Column("序号", 0.6, lambda _row: "")  # filled in by _table
OVERDUE = [
    NUMBER,
    Column("事项", 3.2, _item),
    Column("类型", 1.2, lambda row: row.item.type_label),
    Column("牵头单位", 2.2, lambda row: _leads(row.leads)),
    Column("办理时限", 1.5, lambda row: row.deadline.isoformat()),
    Column("逾期天数", 1.0, lambda row: _days(row.days)),
    Column("最近进度", 1.5, lambda row: row.last_progress.isoformat() if row.last_progress else "无"),
]
LAPSED = [
    NUMBER,
    Column("事项", 3.0, _item),
    Column("牵头单位", 2.0, lambda row: _leads(row.leads)),
    Column("到期的办理时限", 1.5, lambda row: row.lapse.deadline.isoformat()),
    Column("申请延期日期", 1.5, lambda row: row.lapse.requested.isoformat()),
    Column("曾逾期天数", 1.0, lambda row: _days(row.lapse.days)),
    Column("现办理时限", 1.5, lambda row: str(row.deadline or "无")),
]
ESCALATIONS = [
    NUMBER,
    Column("事项", 4.0, _item),
    Column("上报对象", 2.6, lambda row: row.to_name),
    Column("上报日期", 1.6, lambda row: row.reported_on.isoformat()),
    Column("已等待", 1.2, lambda row: _days(row.days)),
]
UNSIGNED = [
    NUMBER,
    Column("事项", 3.2, _item),
    Column("类型", 1.2, lambda row: row.item.type_label),
    Column("牵头单位", 2.4, lambda row: _leads(row.leads)),
    Column("交办或提出日期", 1.6, lambda row: row.since.isoformat()),
    Column("未签收", 1.0, lambda row: _days(row.days)),
]


@dataclass(frozen=True)
class Section:
    """One numbered section: the report page's heading (without its number), a note under it when
    it has rows, its rows and columns, and what it says when it has none."""

    heading: str
    note: str
    rows: Sequence[Any]
    columns: list[Column]
    empty: str


def _count(count: int, examples: int) -> str:
    return f"（{count}项" + (f"，另有示例{examples}项" if examples else "") + "）"


def sections(c: ReportContext) -> list[Section]:
    """The report page's sections in its order (report.md.j2); the late extensions only when there are any."""
    found = [Section("逾期未办结的任务和协调事项" + _count(c.overdue_count, c.examples.get("overdue", 0)), "", c.overdue, OVERDUE, "没有逾期事项。")]
    if c.lapsed:
        found.append(
            Section(
                "办理时限到期后才延期的未办结事项" + _count(c.lapsed_count, c.examples.get("lapsed", 0)),
                "这些事项的延期是在原办理时限过后才申请、经批准作为例外办理的；延期不抹去此前的逾期。",
                c.lapsed,
                LAPSED,
                "",
            )
        )
    found.append(
        Section("已上报、待答复的事项" + _count(c.escalation_count, c.examples.get("escalations", 0)), "", c.escalations, ESCALATIONS, "没有待答复的上报事项。")
    )
    found.append(
        Section(
            "未签收的任务和协调事项" + _count(c.unsigned_count, c.examples.get("unsigned", 0)),
            "自交办（协调事项自提出）之日起计算；签收以前已开始办理的事项不在此列。",
            c.unsigned,
            UNSIGNED,
            "没有未签收的事项。",
        )
    )
    return found


def numbered(n: int) -> str:
    """1 → 一、, 11 → 十一、 (the first-level numbering of a Chinese notice)."""
    if n <= 10:
        return NUMERALS[n - 1] + "、"
    tens, ones = divmod(n, 10)
    return (NUMERALS[tens - 1] if tens > 1 else "") + "十" + (NUMERALS[ones - 1] if ones else "") + "、"


# -- fonts, styles, page --------------------------------------------------------------------------


def _fonts(rpr: Any, east_asia: str) -> None:
    """Name the fonts in a run's or style's properties: `east_asia` for Chinese, LATIN_FONT for the
    rest; the theme's fonts, which would win over names, are dropped."""
    fonts = rpr.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asia)


def _style(document: WordDocument, name: str, font: str, size: float, bold: bool = False, base: str | None = "Normal") -> ParagraphStyle:
    styles = document.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    assert isinstance(style, ParagraphStyle)
    if base is not None:
        style.base_style = styles[base]
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.color.rgb = RGBColor(0, 0, 0)
    _fonts(style.element.get_or_add_rPr(), font)
    return style


def _styles(document: WordDocument) -> None:
    # The defaults of every run: the body font in place of the theme's, Chinese as the East Asian language.
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(rpr, BODY_FONT)
    language = rpr.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        rpr.append(language)
    language.set(qn("w:eastAsia"), "zh-CN")
    normal = _style(document, "Normal", BODY_FONT, 16, base=None)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)
    heading = _style(document, "Heading 1", HEADING_FONT, 16)
    heading.paragraph_format.space_before = Pt(6)
    heading.paragraph_format.space_after = Pt(6)
    heading.paragraph_format.keep_with_next = True
    title = _style(document, TITLE_STYLE, TITLE_FONT, 22, bold=True)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(36)
    title.paragraph_format.space_after = Pt(12)
    for name, font, bold in ((TABLE_STYLE, BODY_FONT, False), (HEADER_STYLE, HEADING_FONT, False)):
        cells = _style(document, name, font, 10.5, bold)
        cells.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        cells.paragraph_format.first_line_indent = Pt(0)
    document.styles[HEADER_STYLE].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _page(document: WordDocument) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for side, length in MARGINS.items():
        setattr(section, side, length)
    section.footer_distance = Mm(20)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(footer, "— ", TITLE_FONT, 14)
    _page_field(footer)
    _run(footer, " —", TITLE_FONT, 14)


def _page_field(paragraph: Paragraph) -> None:
    """The page number: a PAGE field (begin, instruction, separate, the shown 1, end)."""
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = _run(paragraph, "", TITLE_FONT, 14)
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._r.append(instruction)
        else:
            run.text = text or ""


def _run(paragraph: Paragraph, text: str, font: str, size: float | None = None, bold: bool | None = None) -> Run:
    run = paragraph.add_run(text)
    _fonts(run._r.get_or_add_rPr(), font)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold
    return run


def _body(document: WordDocument, text: str) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(32)  # two characters
    _run(paragraph, text, BODY_FONT)
    return paragraph


# -- tables ---------------------------------------------------------------------------------------


def _borders(table: Table) -> None:
    """Single lines around and between every cell (a ruled table), whatever the style says."""
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{side}")
        for name, value in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "000000")):
            line.set(qn(f"w:{name}"), value)
        borders.append(line)
    properties = table._tbl.tblPr
    old = properties.find(qn("w:tblBorders"))
    if old is not None:
        properties.remove(old)
    properties.append(borders)


def _shade(cell: Any) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), "D9D9D9")
    cell._tc.get_or_add_tcPr().append(shading)


def _row_flag(row: Any, name: str) -> None:
    flag = OxmlElement(f"w:{name}")
    row._tr.get_or_add_trPr().append(flag)


def _cell(cell: Any, text: str, style_id: str) -> None:
    paragraph = cell.paragraphs[0]
    # By id, set in the XML: python-docx's paragraph.style = name looks the name up among all the
    # styles for every cell (most of the build's time at 10,000 records).
    paragraph._p.style = style_id
    # The fonts are the cell styles' (_styles): none named again on every run, which at 100,000
    # records was a million XML elements more.
    paragraph.add_run(text)


def _table(document: WordDocument, columns: list[Column], rows: Sequence[Any]) -> None:
    table: Table = document.add_table(rows=1 + len(rows), cols=len(columns))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _borders(table)
    share = sum(c.width for c in columns)
    widths = [Mm(TEXT_WIDTH_MM * c.width / share) for c in columns]
    header_style, body_style = document.styles[HEADER_STYLE].style_id, document.styles[TABLE_STYLE].style_id
    header = table.rows[0]
    _row_flag(header, "tblHeader")  # repeated at the top of every page the table runs onto
    _row_flag(header, "cantSplit")
    for cell, column, width in zip(header.cells, columns, widths):
        cell.width = width
        _shade(cell)
        _cell(cell, column.header, header_style)
    for n, (row, cells) in enumerate(zip(rows, table.rows[1:]), start=1):
        _row_flag(cells, "cantSplit")
        for cell, column, width in zip(cells.cells, columns, widths):
            cell.width = width
            _cell(cell, str(n) if column is NUMBER else column.cell(row), body_style)


# -- the document ---------------------------------------------------------------------------------


def document_title(site_title: str) -> str:
    return f"{site_title}逾期和上报事项通报"


def report_docx(context: ReportContext, site_title: str, internal: bool = False) -> bytes:
    """The 督办通报 of `context` (report_context of the published model) under the registry's title
    (its configuration's site.title), stamped with the report's day; `internal` says on it that it
    holds internal records."""
    document = Document()
    _styles(document)
    _page(document)
    title = document_title(site_title)
    heading = document.add_paragraph(style=TITLE_STYLE)
    _run(heading, title, TITLE_FONT)
    date = document.add_paragraph()
    date.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(date, f"（截至{chinese_date(context.today)}）", BODY_FONT)
    if internal:
        mark = document.add_paragraph()
        mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(mark, "内部版：含内部记录，不得公开", HEADING_FONT)
    _body(document, f"现将截至{chinese_date(context.today)}登记的有关事项通报如下。逾期、等待和未签收的天数由办理时限、上报或交办日期和当日日期自动计算。")
    for n, section in enumerate(sections(context), start=1):
        paragraph = document.add_paragraph(style="Heading 1")
        _run(paragraph, numbered(n) + section.heading, HEADING_FONT)
        if not section.rows:
            _body(document, section.empty)
            continue
        if section.note:
            _body(document, section.note)
        _table(document, section.columns, section.rows)
    closing = document.add_paragraph()
    closing.paragraph_format.space_before = Pt(12)
    _run(closing, f"本通报由登记册自动生成，数据截至{chinese_date(context.today)}。", BODY_FONT, 12)
    when = datetime.datetime(context.today.year, context.today.month, context.today.day)
    properties = document.core_properties
    properties.title = title
    properties.author = properties.last_modified_by = "liandong"
    properties.comments = ""  # the template's says "generated by python-docx"
    properties.created = properties.modified = when
    properties.revision = 1
    properties.language = "zh-CN"
    raw = io.BytesIO()
    document.save(raw)
    return pinned(raw.getvalue(), context.today)
