"""Write changed data-directory tables back, all at once or not at all.

`commit` writes the changed tables into a staging folder inside the data directory, validates
the directory as it would be, and only then moves the files over the old ones (firms first, so
the directory stays valid even between two moves); with any error nothing is replaced.
"""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
from pathlib import Path

from chain_graph.validation import Problem
from loaders.directory import TABLES, load_directory, table_path
from loaders.table_edit import EditableTable
from loaders.tables import is_xlsx

_CONFIG = ("region.yaml", "analysis.yaml")


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


def commit(root: Path, tables: list[EditableTable], dry_run: bool = False) -> tuple[list[str], list[Problem]]:
    """Replace the changed tables together, or none when the result would not load.

    Returns the names of the files replaced (or, in a dry run, that would be) and the problems of
    the directory as it would be; with any error nothing is replaced. The tables' rows are let go
    once written: validating a large directory needs that memory.
    """
    changed = [t for t in tables if t.changed]
    if not changed:
        return [], []
    stage = Path(tempfile.mkdtemp(prefix=".import-", dir=root))
    try:
        for name in _CONFIG:
            if (root / name).exists():
                shutil.copy2(root / name, stage / name)
        shutil.copytree(root / "chains", stage / "chains")
        for kind in TABLES:
            path = table_path(root, kind)
            if path is not None and all(t.path != path for t in changed):
                shutil.copy2(path, stage / path.name)
        for table in changed:
            write_table(table, stage / table.path.name)
        for table in tables:
            table.rows.clear()
        result = load_directory(stage)
        if not result.ok or dry_run:
            return ([] if not result.ok else [t.path.name for t in changed]), result.problems
        for table in changed:
            os.replace(stage / table.path.name, table.path)
        return [t.path.name for t in changed], result.problems
    finally:
        shutil.rmtree(stage, ignore_errors=True)
