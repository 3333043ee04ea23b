"""Read a CSV (UTF-8, UTF-8 with BOM, GBK/GB18030) or XLSX table into numbered rows.

Data keepers export from Excel on Chinese Windows, which writes GBK; rows keep the
number a user sees in Excel (the header is row 1) so problems can point at them.
Rows are read one at a time: an enterprise list of 100 MB is never held whole, neither
as bytes nor as text.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Generator, Iterator, Union

ENCODINGS = ("utf-8-sig", "gb18030")
SAMPLE_BYTES = 1 << 20  # the encoding is decided on the first MiB
SNIFF_CHARS = 8192
HEADER_SEARCH_ROWS = 20  # platform exports may put a title or a disclaimer above the header

Source = Union[bytes, Path, BinaryIO]


class TableError(ValueError):
    """A file that cannot be read as a table at all."""


@dataclass(frozen=True)
class Row:
    number: int
    values: dict[str, str]


@dataclass
class Table:
    """The header (stripped), where it was, and the non-empty rows below it, read lazily."""

    header: list[str]
    header_row: int
    rows: Iterator[Row]


def _binary(source: Source) -> BinaryIO:
    if isinstance(source, bytes):
        return io.BytesIO(source)
    if isinstance(source, Path):
        return source.open("rb")
    return source


def detect_encoding(sample: bytes, name: str) -> str:
    """The first of ENCODINGS the sample decodes in; a character cut at the sample's end is fine."""
    for encoding in ENCODINGS:
        try:
            codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
            return encoding
        except UnicodeDecodeError:
            continue
    raise TableError(f"{name}: not UTF-8 or GBK/GB18030 text; save it as CSV UTF-8 or as .xlsx")


def _csv_rows(stream: BinaryIO, name: str) -> Iterator[list[str]]:
    encoding = detect_encoding(stream.read(SAMPLE_BYTES), name)
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    try:
        sample = text.read(SNIFF_CHARS)
        try:  # only the delimiter is guessed: a sniffed dialect can turn off Excel's "" quoting
            delimiter = csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
        except csv.Error:
            delimiter = ","
        text.seek(0)
        reader = csv.reader(text, csv.excel, delimiter=delimiter)
        try:
            yield from reader
        except UnicodeDecodeError:
            raise TableError(
                f"{name}: row {reader.line_num + 1} is not {encoding} text like the rows above it; "
                "the file mixes encodings: save it again as CSV UTF-8 or as .xlsx"
            ) from None
        except csv.Error as err:
            raise TableError(f"{name}: row {reader.line_num}: {err}") from None
    finally:
        text.detach()  # the caller's stream stays open; the caller closes it


def _xlsx_rows(stream: BinaryIO, name: str, sheet: str | None) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many types for a damaged file
        raise TableError(f"{name}: not a readable .xlsx workbook ({err.__class__.__name__})") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise TableError(f"{name}: no sheet {sheet!r}; sheets are {', '.join(book.sheetnames)}")
        for values in book[sheet or book.sheetnames[0]].iter_rows(values_only=True):
            yield ["" if v is None else _cell_text(v) for v in values]
    finally:
        book.close()


def _cell_text(value: object) -> str:
    if hasattr(value, "date") and hasattr(value, "hour"):
        value = value.date()  # Excel stores dates as datetimes at midnight
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def is_xlsx(name: str) -> bool:
    return Path(name).suffix.lower() in (".xlsx", ".xlsm")


def stream_table(
    source: Source, name: str, sheet: str | None = None, is_header: Callable[[list[str]], bool] | None = None,
) -> Table:
    """A table whose rows are read as they are iterated; a file opened here is closed at their end.

    The header is row 1, or with `is_header` the first of the first HEADER_SEARCH_ROWS rows it
    accepts, the rows above it skipped (row 1 when it accepts none, so the caller can say what
    the header lacks).
    """
    stream = _binary(source)
    reader = _xlsx_rows(stream, name, sheet) if is_xlsx(name) else _csv_rows(stream, name)
    rows = _rows(reader, stream if isinstance(source, Path) else None)
    head = list(itertools.islice(rows, 1 if is_header is None else HEADER_SEARCH_ROWS))
    if not head:
        rows.close()
        raise TableError(f"{name}: the file is empty; the first row must name the columns")
    found = next((i for i, (_, cells) in enumerate(head) if is_header and is_header(cells)), 0)
    header_row, header = head[found]
    return Table(header, header_row, _records(itertools.chain(head[found + 1:], rows), header, rows))


def _rows(reader: Generator[list[str], None, None], owned: BinaryIO | None) -> Generator[tuple[int, list[str]], None, None]:
    """Numbered rows with stripped cells; the reader, then the file opened for it, closed at the end."""
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, [c.strip() for c in cells]
    finally:
        reader.close()
        if owned is not None:
            owned.close()


def _records(numbered: Iterator[tuple[int, list[str]]], header: list[str], rows: Generator) -> Iterator[Row]:
    try:
        for number, cells in numbered:
            if any(cells):
                yield Row(number, {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h})
    finally:
        rows.close()

