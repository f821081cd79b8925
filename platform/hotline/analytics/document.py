"""A report's figures as a PDF (reportlab), the same tables as the Excel workbook.

Chinese text uses reportlab's built-in CID font STSong-Light (Adobe-GB1): the PDF names the font and the
reader supplies the glyphs, so no font file is shipped or embedded and the text stays extractable.
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from hotline.analytics.workbook import BOARD_HEADINGS, DEADLINES, KIND_NAMES, TABLES, board_row, volume_row

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
TITLE = ParagraphStyle("title", fontName=FONT, fontSize=16, leading=22)
HEADING = ParagraphStyle("heading", fontName=FONT, fontSize=12, leading=18, spaceBefore=6)
GRID = TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), 9),
                   ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                   ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke)])


def _table(headings: tuple[str, ...], rows: list[list[Any]]) -> Table:
    table = Table([list(headings), *[["" if v is None else str(v) for v in row] for row in rows]], repeatRows=1)
    table.setStyle(GRID)
    return table


def build(content: dict[str, Any]) -> bytes:
    title = f"{content['tenant_name']} {KIND_NAMES.get(content['kind'], content['kind'])}"
    story: list[Any] = [Paragraph(title, TITLE),
                        Paragraph(f"统计期间 {content['period_start']} 至 {content['period_end']}（不含）", HEADING),
                        Spacer(1, 4 * mm)]
    d = content["deadlines"]
    story.append(_table(("项目", "数量"), [["工单总量", content["total"]],
                                          *[[label, d[key]] for label, key in DEADLINES]]))
    for key, heading, headings in TABLES:
        if key == "by_tenant" and not content.get("roll_up"):
            continue
        story += [Paragraph(heading, HEADING),
                  _table(headings, [volume_row(row, len(headings)) for row in content.get(key) or []])]
    for key, heading in (("red_list", "红榜"), ("black_list", "黑榜")):
        story += [Paragraph(heading, HEADING), _table(BOARD_HEADINGS, [board_row(row) for row in content[key]])]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title=title, leftMargin=15 * mm, rightMargin=15 * mm,
                      topMargin=15 * mm, bottomMargin=15 * mm).build(story)
    return out.getvalue()
