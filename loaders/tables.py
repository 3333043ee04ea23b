"""Read a CSV (UTF-8, UTF-8 with BOM, GBK/GB18030), XLSX or old-format XLS table into numbered rows;
a .zip (天眼查 zips its exports) is read as the one table file inside it.

Data keepers export from Excel on Chinese Windows, which writes GBK; rows keep the
number a user sees in Excel (the header is row 1) so problems can point at them.
`stream_table` reads rows one at a time (an enterprise list of 100 MB is never held whole, neither
as bytes nor as text); `frame_table` and `read_frame` give the whole table as polars columns, for
readers that work on columns (the import, the data-directory loader).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import itertools
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable, Generator, Iterator, Union

from chain_graph import hygiene
from chain_graph.dataset import Location
from chain_graph.i18n import Failure, Message, msg
from chain_graph.validation import Problem

ENCODINGS = ("utf-8-sig", "gb18030")
SAMPLE_BYTES = 1 << 20  # the encoding is decided on the first MiB
SNIFF_CHARS = 8192
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[ >/]")
_BARE_CR = re.compile(rb"\r(?!\n)")  # old Mac line ends: the csv module splits rows there, polars does not
HEADER_SEARCH_ROWS = 20  # platform exports may put a title or a disclaimer above the header
TABLE_SUFFIXES_IN_ZIP = (".xlsx", ".xls", ".csv")
MAX_ZIPPED_BYTES = 512 << 20  # a zipped table larger than this unpacked is refused, not unpacked (it is read whole)
MAX_COLUMNS = 16_384  # Excel's own limit


@dataclass(frozen=True)
class Limits:
    """What a table may hold before it is refused: a file that says it is small is not trusted, so
    a zip or an XLSX is measured (declared sizes, then an XLSX's rows and cells counted in its raw
    XML) before it is unpacked or parsed, and every file is counted as it is read. The defaults fit
    a 1,000,000-firm list."""

    rows: int = 2_000_000
    cells: int = 60_000_000
    unzipped_mb: int = 2048

    @classmethod
    def from_env(cls) -> "Limits":
        """CHAIN_GRAPH_MAX_ROWS, CHAIN_GRAPH_MAX_CELLS, CHAIN_GRAPH_MAX_UNZIPPED_MB override the defaults."""
        env = {"rows": "CHAIN_GRAPH_MAX_ROWS", "cells": "CHAIN_GRAPH_MAX_CELLS", "unzipped_mb": "CHAIN_GRAPH_MAX_UNZIPPED_MB"}
        return cls(**{field: int(os.environ[name]) for field, name in env.items() if os.environ.get(name)})

Source = Union[bytes, Path, BinaryIO]


class TableError(Failure, ValueError):
    """A file that cannot be read as a table at all."""


@dataclass(frozen=True)
class Row:
    number: int
    values: dict[str, str]
    flaws: dict[str, Message] = field(default_factory=dict)  # header → why its cell is refused (chain_graph.hygiene)


@dataclass
class Table:
    """The header (stripped), where it was, and the non-empty rows below it, read lazily; the rows
    above the header (a title such as `（单位：亿元、万元）`, a disclaimer) are kept in `preamble`."""

    header: list[str]
    header_row: int
    rows: Iterator[Row]
    preamble: list[list[str]] = field(default_factory=list)
    found: bool = True  # False when `is_header` accepted no row and row 1 was taken
    warnings: list[Problem] = field(default_factory=list)  # filled as the rows are read (formula cells without a value)


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
    raise TableError(msg("table.encoding", file=name))


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
            raise TableError(msg("table.mixed_encoding", file=name, row=reader.line_num + 1, encoding=encoding)) from None
        except csv.Error as err:
            raise TableError(msg("table.csv_error", file=name, row=reader.line_num, detail=str(err))) from None
    finally:
        text.detach()  # the caller's stream stays open; the caller closes it


def _xlsx_rows(stream: BinaryIO, name: str, sheet: str | None, warnings: list[Problem]) -> Iterator[list[str]]:
    """The saved values of the sheet's cells. A formula cell whose workbook was saved without its
    result (written by a program, not Excel) reads as empty and is a warning naming the cell."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    _measure_xlsx(stream, name, Limits.from_env())
    stream.seek(0)
    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many types for a damaged file
        raise TableError(msg("table.bad_xlsx", file=name, detail=err.__class__.__name__)) from None
    formulas = None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise TableError(msg("table.no_sheet", file=name, sheet=sheet, sheets="、".join(book.sheetnames)))
        title = sheet or book.sheetnames[0]
        if _has_formulas(book[title]):  # a second reader, in step, sees the formulas behind empty values
            stream.seek(0)
            formulas = load_workbook(stream, read_only=True, data_only=False)
            formulas[title].reset_dimensions()
        book[title].reset_dimensions()  # read to the real end: the <dimension> tag may be stale or false
        written = formulas[title].iter_rows(values_only=True) if formulas else itertools.repeat(())
        for number, (values, behind) in enumerate(zip(book[title].iter_rows(values_only=True), written), start=1):
            for i, formula in enumerate(behind):
                if isinstance(formula, str) and formula.startswith("=") and (i >= len(values) or values[i] is None):
                    cell = f"{title}!{get_column_letter(i + 1)}{number}"
                    warnings.append(Problem(Location(name, number, get_column_letter(i + 1)),
                                            msg("table.formula_no_value", cell=cell, formula=formula),
                                            msg("table.formula_hint"), "warning"))
            yield ["" if v is None else _cell_text(v) for v in values]
    finally:
        book.close()
        if formulas is not None:
            formulas.close()


def _has_formulas(sheet) -> bool:
    """Whether the sheet's XML holds a formula element (<f>), read as bytes: most exports hold none."""
    try:
        with sheet.parent._archive.open(sheet._worksheet_path) as xml:
            tail = b""
            while chunk := xml.read(1 << 20):
                if _FORMULA_TAG.search(tail + chunk):
                    return True
                tail = chunk[-3:]
    except (AttributeError, KeyError):
        return True  # the layout is not what this openpyxl version has: look with the second reader
    return False


def _measure_xlsx(stream: BinaryIO, name: str, limits: Limits) -> None:
    """Refuse a workbook that expands past the limits (a zip bomb) in seconds, before it is parsed:
    the declared sizes of its parts, then each sheet's rows and cells counted in its raw XML (a
    part cannot inflate past its declared size: zipfile stops there and fails its CRC)."""
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError):
        return  # not a zip: openpyxl says it is no workbook
    with archive:
        _check_unzipped(archive.infolist(), name, limits)
        for info in archive.infolist():
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                _count_sheet(archive, info, name, limits)


def _check_unzipped(members: list[zipfile.ZipInfo], name: str, limits: Limits) -> None:
    if sum(info.file_size for info in members) > limits.unzipped_mb << 20:
        raise TableError(msg("limit.unzipped", file=name, limit_mb=limits.unzipped_mb))


def _count_sheet(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limits: Limits) -> None:
    rows = cells = 0
    tail = b""
    with archive.open(info) as part:
        while chunk := part.read(1 << 22):
            data = tail + chunk  # a tag cut at a chunk's end is counted in the next
            rows += data.count(b"<row") + data.count(b":row ")  # <row …> and <x:row …>
            cells += data.count(b"<c ") + data.count(b"<c>") + data.count(b":c ")
            tail = data[-2:]
            if rows > limits.rows:
                raise TableError(msg("limit.rows", file=name, limit=f"{limits.rows:,}"))
            if cells > limits.cells:
                raise TableError(msg("limit.cells", file=name, limit=f"{limits.cells:,}"))


def _xls_rows(stream: BinaryIO, name: str, sheet: str | None) -> Iterator[list[str]]:
    """Old-format .xls (爱企查's exports), read with python-calamine."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(stream)
    except Exception as err:  # calamine raises its own error types for a damaged file
        raise TableError(msg("table.bad_xlsx", file=name, detail=err.__class__.__name__)) from None
    try:
        if sheet is not None and sheet not in book.sheet_names:
            raise TableError(msg("table.no_sheet", file=name, sheet=sheet, sheets="、".join(book.sheet_names)))
        for values in book.get_sheet_by_name(sheet or book.sheet_names[0]).iter_rows():
            yield ["" if v is None or v == "" else _cell_text(v) for v in values]
    finally:
        book.close()


def sheet_names(source: Source, name: str) -> list[str]:
    """The sheets of a workbook (XLSX or XLS, zipped or not); [] for a CSV."""
    source, name = unzipped(source, name)
    if not is_workbook(name):
        return []
    stream = _binary(source)
    try:
        if is_xlsx(name):
            from openpyxl import load_workbook
            book = load_workbook(stream, read_only=True)
            names = list(book.sheetnames)
            book.close()
            return names
        from python_calamine import CalamineWorkbook
        return list(CalamineWorkbook.from_filelike(stream).sheet_names)
    except TableError:
        raise
    except Exception as err:
        raise TableError(msg("table.bad_xlsx", file=name, detail=err.__class__.__name__)) from None
    finally:
        if isinstance(source, Path):
            stream.close()
        else:
            stream.seek(0)


def unzipped(source: Source, name: str) -> tuple[Source, str]:
    """A .zip's one table file (its bytes and name); any other file as it is."""
    if Path(name).suffix.lower() != ".zip":
        return source, name
    stream = _binary(source)
    try:
        with zipfile.ZipFile(stream) as archive:
            members = [m for m in archive.infolist() if not m.is_dir() and not m.filename.startswith("__MACOSX")
                       and Path(m.filename).suffix.lower() in TABLE_SUFFIXES_IN_ZIP]
            if len(members) != 1:
                found = "no" if not members else f"{len(members)}"
                raise TableError(msg("table.zip_count", file=name, n=found))
            member = members[0]
            if member.file_size > MAX_ZIPPED_BYTES:
                raise TableError(msg("table.zip_large", file=name, member=member.filename, mb=MAX_ZIPPED_BYTES >> 20))
            inner = member.filename if member.flag_bits & 0x800 else _zip_name(member.filename)
            return archive.read(member), Path(inner).name
    except zipfile.BadZipFile:
        raise TableError(msg("table.bad_zip", file=name)) from None
    finally:
        if isinstance(source, Path):
            stream.close()


def _zip_name(raw: str) -> str:
    """A member name a Chinese Windows zip tool wrote in GBK (zipfile decodes it as cp437)."""
    try:
        return raw.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return raw


def _cell_text(value: object) -> str:
    if hasattr(value, "date") and hasattr(value, "hour"):
        value = value.date()  # Excel stores dates as datetimes at midnight
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def is_xlsx(name: str) -> bool:
    return Path(name).suffix.lower() in (".xlsx", ".xlsm")


def is_workbook(name: str) -> bool:
    return is_xlsx(name) or Path(name).suffix.lower() == ".xls"


def stream_table(
    source: Source, name: str, sheet: str | None = None, is_header: Callable[[list[str]], bool] | None = None,
) -> Table:
    """A table whose rows are read as they are iterated; a file opened here is closed at their end.

    The header is row 1, or with `is_header` the first of the first HEADER_SEARCH_ROWS rows it
    accepts, the rows above it skipped (row 1 when it accepts none, so the caller can say what
    the header lacks).
    """
    source, name = unzipped(source, name)
    stream = _binary(source)
    warnings: list[Problem] = []
    if is_xlsx(name):
        reader = _xlsx_rows(stream, name, sheet, warnings)
    elif is_workbook(name):
        reader = _xls_rows(stream, name, sheet)
    else:
        reader = _csv_rows(stream, name)
    rows = _rows(reader, stream if isinstance(source, Path) else None, name)
    head = list(itertools.islice(rows, 1 if is_header is None else HEADER_SEARCH_ROWS))
    if not head:
        rows.close()
        raise TableError(msg("table.empty", file=name))
    accepted = next((i for i, (_, cells) in enumerate(head) if is_header and is_header(cells)), None)
    found = accepted or 0
    header_row, header = head[found]
    header = [h.replace("\ufeff", "") for h in header]  # a stray BOM in a header still names its column
    preamble = [cells for _, cells in head[:found]]
    return Table(header, header_row, _records(itertools.chain(head[found + 1:], rows), header, rows), preamble,
                 accepted is not None or is_header is None, warnings)


def _rows(reader: Generator[list[str], None, None], owned: BinaryIO | None, name: str) -> Generator[tuple[int, list[str]], None, None]:
    """Numbered rows with stripped cells, within the limits; the reader, then the file opened for it,
    closed at the end."""
    limits, cells_read = Limits.from_env(), 0
    try:
        for number, cells in enumerate(reader, start=1):
            cells_read += len(cells)
            if number > limits.rows:
                raise TableError(msg("limit.rows", file=name, limit=f"{limits.rows:,}"))
            if len(cells) > MAX_COLUMNS:
                raise TableError(msg("limit.columns", file=name, row=number, limit=f"{MAX_COLUMNS:,}"))
            if cells_read > limits.cells:
                raise TableError(msg("limit.cells", file=name, limit=f"{limits.cells:,}"))
            yield number, [c.strip() for c in cells]
    finally:
        reader.close()
        if owned is not None:
            owned.close()


def _records(numbered: Iterator[tuple[int, list[str]]], header: list[str], rows: Generator) -> Iterator[Row]:
    try:
        for number, cells in numbered:
            if any(cells):
                values = {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h}
                yield Row(number, values, hygiene.flaws(values))
    finally:
        rows.close()



# the characters str.strip() removes: the columnar reader strips cells exactly like the row reader
_PY_WHITESPACE = "".join(c for c in map(chr, range(0x3000 + 1)) if c.isspace())


def read_frame(path: Path, name: str, row_column: str = "_row"):
    """(header, frame, warnings): the whole table as a polars frame of stripped text cells, one column per named header cell,
    `row_column` the row a user sees in Excel; the header is row 1. Empty rows are left out, as
    in `stream_table`. CSV files are parsed by polars in native code; an XLSX file, or a CSV whose
    quoted cells hold line breaks (polars would split them), goes through the row reader.
    Raises TableError like `stream_table`."""
    import polars as pl

    header, frame, warnings = None, None, []
    if not is_xlsx(name):
        header, frame = _polars_csv(path, name)
    if frame is None:
        table = stream_table(path, name)
        frame = _rows_frame(table, row_column)
        header, warnings = table.header, table.warnings
    else:
        frame = frame.rename({"__row": row_column})
    return header, frame, warnings


def _rows_frame(table: Table, row_column: str):
    """A table's rows (read by the row reader) as a frame: one text column per named header cell."""
    import polars as pl

    named = [h for h in dict.fromkeys(table.header) if h]
    numbers, columns = [], {h: [] for h in named}
    for row in table.rows:
        numbers.append(row.number)
        for h in named:
            columns[h].append(row.values.get(h, ""))
    return pl.DataFrame(columns, schema={h: pl.String for h in named}).with_columns(
        pl.Series(row_column, numbers, dtype=pl.Int64))


def frame_rows(frame, header: list[str], row_column: str = "_row") -> Iterator[Row]:
    """The rows of a frame from `frame_table` as the row reader gives them (cells, hidden-character flaws)."""
    named = [h for h in dict.fromkeys(header) if h]
    for cells in frame.select([*named, row_column]).iter_rows():
        values = dict(zip(named, cells))
        yield Row(cells[-1], values, hygiene.flaws(values))


def frame_table(source: Source, name: str, sheet: str | None = None,
                is_header: Callable[[list[str]], bool] | None = None, row_column: str = "_row"):
    """(table, frame): `stream_table`'s table (header, header row, preamble, warnings; its `rows`
    empty) and all its rows as one polars frame of stripped text cells, one column per named
    header cell, `row_column` the row number a user sees — for readers that work on columns.

    A CSV in UTF-8 or GBK/GB18030 is parsed by polars in native code (a GBK file is decoded to a
    temporary UTF-8 file first, in chunks); a workbook, or a CSV polars might read otherwise than
    the row reader (a quoted cell spanning lines, a file that mixes encodings), goes through
    `stream_table`, so its failures are the row reader's, word for word."""
    source, name = unzipped(source, name)
    if not is_workbook(name):
        got = _polars_table(source, name, is_header, row_column)
        if got is not None:
            return got
    table = stream_table(source, name, sheet, is_header)
    return table, _rows_frame(table, row_column)


def _polars_table(source: Source, name: str, is_header, row_column: str):
    import tempfile

    stream = _binary(source)
    try:
        head = stream.read(SAMPLE_BYTES)
        encoding = detect_encoding(head, name)
        stream.seek(0)
        if _BARE_CR.search(head) or _quoted_line_breaks(stream):
            return None
        stream.seek(0)
        sample = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        with tempfile.TemporaryFile() if encoding != "utf-8-sig" else contextlib.nullcontext() as utf8:
            if utf8 is not None:  # decoded in chunks, never held whole
                decoder = codecs.getincrementaldecoder(encoding)()
                try:
                    while chunk := stream.read(1 << 23):
                        utf8.write(decoder.decode(chunk).encode("utf-8"))
                    utf8.write(decoder.decode(b"", final=True).encode("utf-8"))
                except UnicodeDecodeError:
                    return None  # the row reader says at which row the encoding changes
                utf8.seek(0)
            complete = len(head) < SAMPLE_BYTES
            return _polars_rows(utf8 if utf8 is not None else stream, sample, complete, name, is_header, row_column)
    finally:
        if isinstance(source, Path):
            stream.close()
        else:
            stream.seek(0)


def _polars_rows(stream: BinaryIO, sample: str, complete: bool, name: str, is_header, row_column: str):
    """`_polars_table` once the text is UTF-8: the header found in the sample's first rows, as
    stream_table finds it, then every row parsed by polars at the header's width (cells past it are
    not read, as in the row reader)."""
    import polars as pl

    if not sample.strip():
        return None
    try:
        delimiter = csv.Sniffer().sniff(sample[:SNIFF_CHARS], delimiters=",\t;|").delimiter
    except csv.Error:
        delimiter = ","
    lines = list(io.StringIO(sample, newline=""))  # split where the csv module splits
    head = list(csv.reader(lines if complete else lines[:-1], csv.excel, delimiter=delimiter))
    head = [[c.strip() for c in cells] for cells in head[:1 if is_header is None else HEADER_SEARCH_ROWS]]
    if not head:
        return None
    accepted = next((i for i, cells in enumerate(head) if is_header and is_header(cells)), None)
    found = accepted or 0
    header = [h.replace("\ufeff", "") for h in head[found]]
    if not 0 < len(header) <= MAX_COLUMNS:
        return None
    limits = Limits.from_env()
    try:
        raw = pl.read_csv(stream, has_header=False, infer_schema=False, separator=delimiter, quote_char='"',
                          schema={f"c{i}": pl.String for i in range(len(header))}, missing_columns="insert",
                          truncate_ragged_lines=True, encoding="utf8")
    except Exception:  # noqa: BLE001 - whatever polars cannot parse, the row reader reports precisely
        return None
    if raw.height > limits.rows:
        raise TableError(msg("limit.rows", file=name, limit=f"{limits.rows:,}"))
    if raw.height * len(header) > limits.cells:
        raise TableError(msg("limit.cells", file=name, limit=f"{limits.cells:,}"))
    raw = raw.with_columns(pl.all().fill_null("").str.strip_chars(_PY_WHITESPACE))
    named = {h: f"c{i}" for i, h in enumerate(header) if h}  # a repeated header: the last one wins
    body = raw.with_row_index(row_column, offset=1).slice(found + 1)
    body = body.filter(pl.any_horizontal([pl.col(c) != "" for c in raw.columns]))
    frame = body.select([pl.col(c).alias(h) for h, c in named.items()] + [pl.col(row_column).cast(pl.Int64)])
    table = Table(header, found + 1, (r for r in ()), head[:found], accepted is not None or is_header is None)
    return table, frame


def _polars_csv(path: Path, name: str):
    """(header, frame) read by polars, or (None, None) when the row reader must read this file:
    not UTF-8, empty, a quoted cell spanning lines (polars would split it) or anything polars rejects."""
    import polars as pl

    with path.open("rb") as f:
        head = f.read(SAMPLE_BYTES)
        f.seek(0)
        if detect_encoding(head, name) != "utf-8-sig" or _BARE_CR.search(head) or _quoted_line_breaks(f):
            return None, None
        f.seek(0)
        sample = f.read(SNIFF_CHARS * 4).decode("utf-8", errors="ignore").lstrip("\ufeff")[:SNIFF_CHARS]
    if not sample.strip():
        return None, None
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
    except csv.Error:
        delimiter = ","
    try:
        raw = pl.read_csv(path, has_header=False, infer_schema=False, separator=delimiter,
                          truncate_ragged_lines=True, quote_char='"', encoding="utf8")
    except Exception:  # noqa: BLE001 - whatever polars cannot parse, the row reader reports precisely
        return None, None
    raw = raw.with_columns(pl.all().fill_null("").str.strip_chars(_PY_WHITESPACE))
    header = list(raw.row(0))
    header[0] = header[0].removeprefix("\ufeff").strip()  # the file's byte-order mark, if polars kept it
    named = {}
    for i, h in enumerate(header):
        if h:
            named[h] = raw.columns[i]  # a repeated header: the last one wins, as in the row reader
    body = raw.slice(1).with_row_index("__row", offset=2).with_columns(pl.col("__row").cast(pl.Int64))
    body = body.filter(pl.any_horizontal([pl.col(c) != "" for c in raw.columns]))
    frame = body.select([pl.col(c).alias(h) for h, c in named.items()] + [pl.col("__row")])
    return header, frame


def _quoted_line_breaks(stream: BinaryIO, chunk: int = 1 << 23) -> bool:
    """Whether any line has an odd number of quotes (a quoted cell goes on to the next line), read in
    chunks. Equivalently: some line break has an odd number of quotes before it in the file, or the
    whole file has an odd number; counted with numpy (a line-by-line scan took seconds at 1M rows)."""
    import numpy as np

    quotes_before = 0
    while True:
        block = stream.read(chunk)
        if not block:
            return quotes_before % 2 == 1
        if b'"' not in block:
            if quotes_before % 2 and b"\n" in block:
                return True
            continue
        data = np.frombuffer(block, dtype=np.uint8)
        quotes = np.flatnonzero(data == ord('"'))
        breaks = np.flatnonzero(data == ord("\n"))
        if ((np.searchsorted(quotes, breaks) + quotes_before) % 2).any():
            return True
        quotes_before += len(quotes)
