"""Change data-directory tables the way a data keeper would: rows kept as written, all at once or not at all.

A hand-kept table must not come back in another shape, so its rows are kept as text, only the
cells an import changes are touched, and the file keeps its format (.csv or .xlsx) and its
headers (Chinese or English); a CSV keeps its encoding and line ends, so a table under version
control shows only the rows that changed. A new CSV is UTF-8 with BOM, which Excel reads.

Writing the tables back is the service's job (chain_graph_app.service.commit).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path

from .columns import ALIASES, header_map
from .directory import table_path
from .tables import SAMPLE_BYTES, detect_encoding, frame_table, is_xlsx



@dataclass
class EditableTable:
    path: Path
    header: list[str]
    rows: list[list[str]]
    columns: dict[str, int]  # column name → position in the header
    encoding: str = "utf-8-sig"
    newline: str = "\r\n"
    changed: bool = False
    _index: dict[str, dict[str, int]] = field(default_factory=dict, repr=False)

    @classmethod
    def read(cls, root: Path, kind: str) -> "EditableTable":
        """The table as it is, or an empty CSV with the standard columns when there is none."""
        path = table_path(root, kind)
        if path is None:
            header = list(ALIASES[kind])
            return cls(root / f"{kind}.csv", header, [], {c: i for i, c in enumerate(header)})
        table, frame = frame_table(path, path.name)  # a CSV parsed by polars, not row by row
        blank = [""] * frame.height
        cells = [frame.get_column(h).to_list() if h else blank for h in table.header]
        rows = [list(row) for row in zip(*cells)]
        mapping = header_map(kind, table.header)
        columns = {c: table.header.index(h) for h, c in reversed(mapping.items())}
        if is_xlsx(path.name):
            return cls(path, table.header, rows, columns)
        with path.open("rb") as handle:
            head = handle.read(SAMPLE_BYTES)
        encoding = detect_encoding(head, path.name)
        if encoding == "utf-8-sig" and not head.startswith(codecs.BOM_UTF8):
            encoding = "utf-8"  # no BOM added to a file that had none
        return cls(path, table.header, rows, columns, encoding, "\r\n" if b"\r\n" in head else "\n")

    def get(self, row: list[str], column: str) -> str:
        i = self.columns.get(column)
        return row[i] if i is not None and i < len(row) else ""

    def set(self, row: list[str], column: str, value: str) -> None:
        if column not in self.columns:
            self.columns[column] = len(self.header)
            self.header.append(column)
        i = self.columns[column]
        row.extend([""] * (i + 1 - len(row)))
        if row[i] != value:
            row[i] = value
            self.changed = True

    def append(self, cells: dict[str, str]) -> list[str]:
        row = [""] * len(self.header)
        self.rows.append(row)
        for column, value in cells.items():
            if value:
                i = self.columns.get(column)
                if i is None:
                    self.set(row, column, value)  # a column the table did not have
                else:
                    row[i] = value
        self.changed = True
        for column, index in self._index.items():
            index.setdefault(self.get(row, column), len(self.rows) - 1)
        return row

    def keep(self, rows: list[list[str]]) -> None:
        if len(rows) != len(self.rows):
            self.changed = True
        self.rows = rows
        self._index.clear()

    def find(self, column: str, value: str) -> list[str] | None:
        """The first row whose `column` is `value`."""
        if column not in self._index:
            index: dict[str, int] = {}
            for i, row in enumerate(self.rows):
                index.setdefault(self.get(row, column), i)
            self._index[column] = index
        i = self._index[column].get(value)
        return None if i is None else self.rows[i]
