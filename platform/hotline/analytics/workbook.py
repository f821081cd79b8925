"""A report's figures as an Excel workbook (openpyxl): one sheet per table, Chinese headings."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

KIND_NAMES = {"daily": "日通报", "weekly": "周汇总", "monthly": "月分析"}
TABLES = (("by_channel", "渠道", ("渠道", "工单量")), ("by_request_type", "诉求类型", ("类型", "工单量")),
          ("by_category", "分类", ("分类", "名称", "工单量")), ("by_place", "地区", ("区划", "名称", "工单量")),
          ("by_tenant", "下级热线", ("热线", "工单量")))
DEADLINES = (("派单", "dispatched"), ("已签收", "signed"), ("按时签收", "signed_on_time"), ("已反馈", "replied"),
             ("按时反馈", "replied_on_time"), ("超期未办结", "overdue_open"))
BOARD_HEADINGS = ("单位代码", "单位", "派单量", "按时反馈率", "满意率")


def volume_row(row: dict[str, Any], columns: int) -> list[Any]:
    return [row["key"], row["label"], row["count"]] if columns == 3 else [row["label"] or row["key"], row["count"]]


def board_row(row: dict[str, Any]) -> list[Any]:
    return [row["code"], row["name"], row["assigned"], row["on_time_rate"], row["satisfaction_rate"]]


def build(content: dict[str, Any]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "概况"
    bold = Font(bold=True)
    ws.append([f"{content['tenant_name']} {KIND_NAMES.get(content['kind'], content['kind'])}"])
    ws["A1"].font = bold
    ws.append(["统计期间", f"{content['period_start']} 至 {content['period_end']}（不含）"])
    ws.append(["工单总量", content["total"]])
    d = content["deadlines"]
    for label, key in DEADLINES:
        ws.append([label, d[key]])
    for key, title, headings in TABLES:
        rows = content.get(key) or []
        if key == "by_tenant" and not content.get("roll_up"):
            continue
        sheet = wb.create_sheet(title)
        sheet.append(list(headings))
        for cell in sheet[1]:
            cell.font = bold
        for row in rows:
            sheet.append(volume_row(row, len(headings)))
    for key, title in (("red_list", "红榜"), ("black_list", "黑榜")):
        sheet = wb.create_sheet(title)
        sheet.append(list(BOARD_HEADINGS))
        for cell in sheet[1]:
            cell.font = bold
        for row in content[key]:
            sheet.append(board_row(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
