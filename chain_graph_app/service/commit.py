"""Write changed data-directory tables back, all at once or not at all.

`commit` writes the changed tables into the stage of a data-directory transaction
(loaders.datadir), validates the directory as it would be, and only then lets the transaction
commit them, all in one step; with any error nothing is replaced.
"""

from __future__ import annotations

import csv
from pathlib import Path

from loaders.datadir import DataDirWriter
from loaders.directory import LoadResult, load_directory
from loaders.table_edit import EditableTable
from loaders.tables import is_xlsx


def write_table(table: EditableTable, path: Path) -> None:
    """Write a table in its own format, encoding and line ends."""
    width = len(table.header)
    rows = ([*row, *[""] * (width - len(row))] for row in table.rows)
    if is_xlsx(path.name):
        _write_xlsx(path, table.header, rows)
        return
    with path.open("w", encoding=table.encoding, newline="") as handle:
        writer = csv.writer(handle, lineterminator=table.newline)
        writer.writerow(table.header)
        writer.writerows(rows)


def _write_xlsx(path: Path, header: list[str], rows) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for values in (header, *rows):
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value or None)
            if value:
                cell.data_type = "s"  # text stays text: a cell starting with '=' is not a formula
            cells.append(cell)
        sheet.append(cells)
    book.save(path)


def commit(tx: DataDirWriter, tables: list[EditableTable], dry_run: bool = False) -> tuple[list[str], LoadResult]:
    """Stage the changed tables in `tx`, validate the directory as it would be, and keep them only when it loads.

    Returns the names of the files replaced (or, in a dry run, that would be) and the directory as
    it would be loaded (its dataset when valid, its problems); with any error, or a dry run, the
    transaction is discarded and nothing is replaced. The tables' rows are let go once written:
    validating a large directory needs that memory.
    """
    changed = [t for t in tables if t.changed]
    if not changed:
        return [], LoadResult(None)
    for table in changed:
        write_table(table, tx.path(table.path.name))
    for table in tables:
        table.rows.clear()
    result = load_directory(tx.view())
    if not result.ok or dry_run:
        tx.discard()
        return ([] if not result.ok else [t.path.name for t in changed]), result
    return [t.path.name for t in changed], result
