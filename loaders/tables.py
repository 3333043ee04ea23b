"""Read a CSV (UTF-8, UTF-8 with BOM, GBK/GB18030) or XLSX table into numbered rows.

Data keepers export from Excel on Chinese Windows, which writes GBK; rows keep the
number a user sees in Excel (the header is row 1) so problems can point at them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

ENCODINGS = ("utf-8-sig", "gb18030")


class TableError(ValueError):
    """A file that cannot be read as a table at all."""


@dataclass(frozen=True)
class Row:
    number: int
    values: dict[str, str]


def decode(raw: bytes, name: str) -> str:
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError(f"{name}: not UTF-8 or GBK/GB18030 text; save it as CSV UTF-8 or as .xlsx")


def _csv_rows(text: str, name: str) -> Iterator[list[str]]:
    sample = text[:8192]
    try:  # only the delimiter is guessed: a sniffed dialect can turn off Excel's "" quoting
        delimiter = csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
    except csv.Error:
        delimiter = ","
    yield from csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter)


def _xlsx_rows(raw: bytes, name: str, sheet: str | None) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many types for a damaged file
        raise TableError(f"{name}: not a readable .xlsx workbook ({err.__class__.__name__})") from None
    if sheet is not None and sheet not in book.sheetnames:
        raise TableError(f"{name}: no sheet {sheet!r}; sheets are {', '.join(book.sheetnames)}")
    for values in book[sheet or book.sheetnames[0]].iter_rows(values_only=True):
        yield ["" if v is None else _cell_text(v) for v in values]


def _cell_text(value: object) -> str:
    if hasattr(value, "date") and hasattr(value, "hour"):
        value = value.date()  # Excel stores dates as datetimes at midnight
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_table(raw: bytes, name: str, sheet: str | None = None) -> tuple[list[str], list[Row]]:
    """Header (stripped) and non-empty rows of a table file given as bytes."""
    if Path(name).suffix.lower() in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(raw, name, sheet)
    else:
        rows = _csv_rows(decode(raw, name), name)
    header: list[str] | None = None
    out: list[Row] = []
    for number, cells in enumerate(rows, start=1):
        if header is None:
            header = [c.strip() for c in cells]
            continue
        if not any(c.strip() for c in cells):
            continue
        values = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header) if h}
        out.append(Row(number, values))
    if header is None:
        raise TableError(f"{name}: the file is empty; the first row must name the columns")
    return header, out
