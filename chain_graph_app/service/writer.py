"""Write a dataset's tables back as the CSV files `load_directory` reads (UTF-8 with BOM).

Used to produce generated datasets and to hand the current data back to a user;
what it writes loads back into the same records.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Iterable

from chain_graph.dataset import Dataset
from chain_graph.i18n import number

from loaders.columns import ALIASES
from loaders.datadir import DataDirWriter

_CURRENCY_WORD = {"CNY": "元", "USD": "美元", "HKD": "港元", "EUR": "欧元", "JPY": "日元"}


def write_tables(ds: Dataset, root: Path) -> None:
    """firms.csv, firm_links.csv, supplies.csv and projects.csv of `ds` in `root`, replaced together in one commit."""
    with DataDirWriter(root, purpose="write tables") as tx:
        _write_all(ds, tx)


def _write_all(ds: Dataset, tx: DataDirWriter) -> None:
    unit_of = {link.id: link.unit for link in ds.links}
    _write(tx.path("firms.csv"), "firms", ({
        "id": f.id, "name": f.name, "status": f.status.value, "province": f.province, "city": f.city,
        "district": f.district, "tags": ";".join(f.tags), "founded": f.founded,
        "registered_capital": None if f.registered_capital is None
        else f"{number(f.registered_capital)}万{_CURRENCY_WORD.get(f.capital_currency, '元')}",
        "source": f.source,
    } for f in ds.firms))
    _write(tx.path("firm_links.csv"), "firm_links", ({
        "firm_id": r.firm_id, "link_id": r.link_id, "evidence": r.evidence, "source": r.source,
        "capacity": r.capacity_text or (None if r.capacity is None else f"{r.capacity!r}{unit_of[r.link_id]}"),
    } for r in ds.operates_in))
    _write(tx.path("supplies.csv"), "supplies", (s.model_dump() for s in ds.supplies))
    _write(tx.path("projects.csv"), "projects", ({
        **p.model_dump(exclude={"link_ids"}), "links": ";".join(p.link_ids),
    } for p in ds.projects))


def _write(path: Path, kind: str, rows: Iterable[dict]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, list(ALIASES[kind]), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if v is None else v for k, v in row.items()})
