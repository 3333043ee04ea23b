"""Write a dataset's tables back as the CSV files `load_directory` reads (UTF-8 with BOM).

Used to produce generated datasets and to hand the current data back to a user;
what it writes loads back into the same records.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Iterable

from chain_graph import schema
from chain_graph.dataset import Dataset

from loaders.datadir import DataDirWriter


def write_tables(ds: Dataset, root: Path) -> None:
    """firms.csv, firm_links.csv, supplies.csv and projects.csv of `ds` in `root`, replaced together in one commit."""
    with DataDirWriter(root, purpose="write tables") as tx:
        _write_all(ds, tx)


def _write_all(ds: Dataset, tx: DataDirWriter) -> None:
    """Each table's columns and cells from the record schema (chain_graph.schema)."""
    unit_of = {link.id: link.unit for link in ds.links}
    for kind, records in (("firms", ds.firms), ("firm_links", ds.operates_in), ("supplies", ds.supplies),
                          ("projects", ds.projects)):
        table = schema.TABLES[kind]
        _write(tx.path(f"{kind}.csv"), table.table_columns, (table.row(r, unit_of) for r in records))


def _write(path: Path, columns: tuple[str, ...], rows: Iterable[dict]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if v is None else v for k, v in row.items()})
