"""Table exports that users open in Excel on Chinese Windows, safe against formula injection."""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..rules import LIST_SHOW, formula_start

SUPPORTED_SUFFIXES = (".csv", ".xlsx")
MAX_COLUMN_WIDTH = 60
MAX_SHEET_NAME = 31

_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sanitize_cell(value: Any) -> Any:
    """Quote a string a spreadsheet would run as a formula; numbers and other values are data."""
    if isinstance(value, str) and formula_start(value):
        return "'" + value
    return value


def _flatten(value: Any) -> Any:
    """Lists cannot go into a cell; one joined string reads naturally in Chinese."""
    if isinstance(value, (list, tuple)):
        return LIST_SHOW.join(str(item) for item in value)
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy fit for export: headers reach the sheet as cells too, so they are sanitized as well."""
    safe = df.map(lambda value: sanitize_cell(_flatten(value)))
    safe.columns = [sanitize_cell(column) for column in df.columns]
    return safe


def csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, since Excel on Chinese Windows reads a BOM-less CSV as GBK."""
    text = safe_frame(df).to_csv(index=False, lineterminator="\r\n")
    return text.encode("utf-8-sig")


def _sheet_name(sheet: str) -> str:
    """Excel rejects names over 31 characters, with []:*?/\\ or with apostrophes at either end."""
    name = _SHEET_NAME_FORBIDDEN.sub("_", sheet)[:MAX_SHEET_NAME].strip("'")
    return name or "Sheet1"


def _display_width(value: Any) -> int:
    """Width in Latin characters: CJK characters take two columns in Excel's fonts."""
    if value is None:
        return 0
    return max(
        sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)
        for line in str(value).split("\n")
    )


def xlsx_bytes(df: pd.DataFrame, sheet: str = "Sheet1") -> bytes:
    """A workbook ready to read: bold frozen header and columns sized to their content."""
    name = _sheet_name(sheet)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe_frame(df).to_excel(writer, sheet_name=name, index=False)
        worksheet = writer.sheets[name]
        worksheet.freeze_panes = "A2"
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
        for index, column in enumerate(worksheet.iter_cols(), start=1):
            width = max(_display_width(cell.value) for cell in column) + 2
            worksheet.column_dimensions[get_column_letter(index)].width = min(width, MAX_COLUMN_WIDTH)
    return buffer.getvalue()


def write_file(df: pd.DataFrame, path: Path, sheet: str = "Sheet1") -> None:
    """Write the export the file name asks for."""
    match path.suffix.lower():
        case ".csv":
            data = csv_bytes(df)
        case ".xlsx":
            data = xlsx_bytes(df, sheet)
        case _:
            raise ValueError(
                f"cannot export to {path.name!r}: supported suffixes are {', '.join(SUPPORTED_SUFFIXES)}"
            )
    path.write_bytes(data)
