"""What an upload or import would change, table by table, before anyone confirms it.

Two datasets (the directory as it is and as it would be) are compared record by record on each
table's key: a record is 新增 (new), 修改 (changed: the fields that differ, old and new), 不变
(unchanged) or 未出现 (in the directory but not in the result: an upload replaces its table, so such
rows go; an import keeps them, so it reports none).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .dataset import Dataset

# table → (the dataset's records, the key of one record)
_TABLES: dict[str, tuple[str, Callable]] = {
    "chains": ("chains", lambda r: r.id),
    "links": ("links", lambda r: r.id),
    "feeds": ("feeds", lambda r: f"{r.source} → {r.target}"),
    "firms": ("firms", lambda r: r.id),
    "firm_links": ("operates_in", lambda r: f"{r.firm_id} → {r.link_id}"),
    "supplies": ("supplies", lambda r: f"{r.supplier_id} → {r.customer_id}"),
    "projects": ("projects", lambda r: r.id),
}


@dataclass
class TableChange:
    table: str
    new: list[dict] = field(default_factory=list)  # the new records, as their fields
    changed: list[dict] = field(default_factory=list)  # one row per changed field: key, field, before, after
    unchanged: int = 0
    absent: list[dict] = field(default_factory=list)  # records of the directory not in the result
    changed_records: int = 0

    @property
    def any(self) -> bool:
        return bool(self.new or self.changed or self.absent)

    def counts(self) -> dict[str, int]:
        return {"new": len(self.new), "changed": self.changed_records, "unchanged": self.unchanged,
                "absent": len(self.absent)}


def compare(before: Dataset | None, after: Dataset) -> list[TableChange]:
    """Every table whose records differ between `before` (None: nothing yet) and `after`."""
    out = []
    for table, (attribute, key) in _TABLES.items():
        old = {key(r): r for r in (getattr(before, attribute) if before else [])}
        change = TableChange(table)
        for record in getattr(after, attribute):
            k = key(record)
            now = _fields(record)
            if k not in old:
                change.new.append({"key": k, **now})
                continue
            was = _fields(old.pop(k))
            differ = [(name, was.get(name), value) for name, value in now.items() if was.get(name) != value]
            change.changed.extend({"key": k, "field": name, "before": a, "after": b} for name, a, b in differ)
            change.changed_records += bool(differ)
            change.unchanged += not differ
        change.absent = [{"key": k, **_fields(r)} for k, r in old.items()]
        if change.any:
            out.append(change)
    return out


def _fields(record) -> dict:
    return {name: _cell(value) for name, value in record.model_dump(mode="json").items()}


def _cell(value: object) -> object:
    return "；".join(map(str, value)) if isinstance(value, list) else value
