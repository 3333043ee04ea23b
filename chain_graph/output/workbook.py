"""Leader-ready workbooks: a title block (what, chain, date, data version, filters and weights), the
口径 note, a 示例数据 notice, then the table with autofilter, wrapped long text and a print set-up
(landscape, fit to width, header repeated on every page). One style for every export, so a workbook
a 招商 officer downloads can be handed to a leader as it comes out.

Reuse: build a `Heading` and one `Sheet` per table, then `workbook_bytes(heading, sheets)`;
`file_name(heading)` gives the Chinese, dated file name.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..i18n import t
from .export import _display_width, _flatten, _sheet_name, sanitize_cell

WRAP_WIDTH = 48  # a column wider than this (Latin characters) wraps instead of growing
MIN_WIDTH = 8
PERCENT_FORMAT = "0.0%"
DECIMAL_FORMAT = "#,##0.00"
INTEGER_FORMAT = "#,##0"
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_NOTICE_FONT = Font(bold=True, color="C00000")
_FILE_FORBIDDEN = re.compile(r'[\\/:*?"<>|\s]+')


@dataclass(frozen=True)
class Heading:
    """What a workbook (or briefing) is: printed above every sheet and in the file name."""

    title: str  # what, e.g. 招商目标清单
    made: date
    chain: str | None = None  # the chain's name
    version: str = ""  # the data version the numbers come from
    conditions: tuple[str, ...] = ()  # filters and weights, each "名称：取值"
    method: str = ""  # 口径: how the numbers are made
    sources: str = ""  # where the data comes from
    sample: bool = False  # illustrative rows are in: say so in red
    lang: str = "zh"


@dataclass(frozen=True)
class Sheet:
    """One table: its rows (header → value), and which headers hold 0–1 shares shown as percent."""

    name: str
    rows: list[dict]
    percent: tuple[str, ...] = field(default=())


def heading_lines(h: Heading) -> list[tuple[str, str]]:
    """The title block as (kind, text) lines; kinds: title, meta, notice. Shared with the briefings."""
    zh = h.lang == "zh"
    lines = [("title", f"{h.title}（{h.chain}）" if h.chain and zh else f"{h.title} ({h.chain})" if h.chain
              else h.title)]
    meta = [t("wb.made", h.lang, date=h.made.isoformat())]
    if h.version:
        meta.append(t("wb.version", h.lang, version=h.version))
    lines.append(("meta", "　".join(meta) if zh else "; ".join(meta)))
    if h.conditions:
        lines.append(("meta", t("wb.conditions", h.lang, text=("；" if zh else "; ").join(h.conditions))))
    if h.method:
        lines.append(("meta", t("wb.method", h.lang, text=h.method)))
    if h.sources:
        lines.append(("meta", t("wb.sources", h.lang, text=h.sources)))
    if h.sample:
        lines.append(("notice", t("wb.sample", h.lang)))
    return lines


def file_name(h: Heading, suffix: str = ".xlsx") -> str:
    """招商目标清单_新能源和新能源电池_2026-12-02.xlsx: what, chain and date, safe on every system."""
    parts = [h.title, h.chain or "", h.made.isoformat()]
    return "_".join(_FILE_FORBIDDEN.sub("-", p).strip("-") for p in parts if p) + suffix


def unknown(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _cell(value: Any, lang: str) -> Any:
    """Unknown reads as the one unknown marker, never as a blank or a zero; text is formula-safe."""
    if unknown(value):
        return t("word.na", lang)
    return sanitize_cell(_flatten(value))


def _number_format(value: Any, percent: bool) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if percent:
        return PERCENT_FORMAT
    return INTEGER_FORMAT if isinstance(value, int) else DECIMAL_FORMAT


def _write_sheet(ws: Worksheet, h: Heading, sheet: Sheet) -> None:
    headers = list(sheet.rows[0]) if sheet.rows else []
    width = max(len(headers), 1)
    row = 1
    for kind, text in heading_lines(h):
        cell = ws.cell(row=row, column=1, value=sanitize_cell(text))
        cell.font = Font(bold=True, size=14) if kind == "title" else _NOTICE_FONT if kind == "notice" else Font()
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        if kind != "title":  # long notes wrap inside the merged cell; give them room to
            ws.row_dimensions[row].height = 15 * max(1, math.ceil(_display_width(text) / max(40, width * 14)))
        row += 1
    row += 1
    header_row = row
    if not headers:
        ws.cell(row=row, column=1, value=t("wb.empty", h.lang))
        return
    for col, name in enumerate(headers, start=1):
        cell = ws.cell(row=row, column=col, value=sanitize_cell(name))
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    widths = [_display_width(name) + 2 for name in headers]
    for record in sheet.rows:
        row += 1
        for col, name in enumerate(headers, start=1):
            value = record.get(name)
            cell = ws.cell(row=row, column=col, value=_cell(value, h.lang))
            fmt = _number_format(value, name in sheet.percent)
            if fmt:
                cell.number_format = fmt
            widths[col - 1] = max(widths[col - 1], _display_width(cell.value) + 2)
    for col, w in enumerate(widths, start=1):
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = max(MIN_WIDTH, min(w, WRAP_WIDTH))
        if w > WRAP_WIDTH:  # long reason text wraps in its column rather than running off the page
            for (cell,) in ws.iter_rows(min_row=header_row + 1, min_col=col, max_col=col):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    last = get_column_letter(len(headers))
    ws.auto_filter.ref = f"A{header_row}:{last}{row}"
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True


def workbook_bytes(heading: Heading, sheets: Sequence[Sheet]) -> bytes:
    """The workbook, one worksheet per sheet, each with the same title block."""
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for sheet in sheets:
        name = _sheet_name(sheet.name)
        while name in used:
            name = _sheet_name(name[:28] + f"_{len(used)}")
        used.add(name)
        _write_sheet(book.create_sheet(name), heading, sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def header_row_of(ws: Worksheet) -> int:
    """The row of the table's header in a sheet written here (its autofilter's first row)."""
    return int(re.match(r"[A-Z]+(\d+)", ws.auto_filter.ref).group(1))
