"""Files for Neo4j's offline importer (`neo4j-admin database import full`): the bulk path for a
first load of a very large list into a database that is replaced.

The graph written is the one the online load writes (same labels, properties and version
scheme, as version 1 with its meta node), so the Neo4j store reads it unchanged; chain counts
and constraints are added once the server is back (`Neo4jStore.finish_bulk_import`).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Iterable

from .. import units
from ..dataset import Dataset
from . import cypher
from . import properties as props

VERSION = 1


def write_import_files(ds: Dataset, out: Path) -> Path:
    """Node and relationship CSVs plus `import.args` (the importer's arguments) in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    unit_of = {link.id: link.unit for link in ds.links}
    local_active = ds.local_active()
    files = {
        "--nodes": [
            _nodes(out, props.CHAIN, ((c.id, props.CHAIN.values(c, ord=i), "") for i, c in enumerate(ds.chains))),
            _nodes(out, props.LINK, ((l.id, props.LINK.values(l, ord=i), "") for i, l in enumerate(ds.links))),
            _nodes(out, props.FIRM, ((f.id, props.FIRM.values(
                f, local=ds.region.is_local(f.province, f.city), active=f.status.active),
                cypher.LOCAL if f.id in local_active else "") for f in ds.firms)),
            _nodes(out, props.PROJECT, ((p.id, props.PROJECT.values(p, ord=i), "") for i, p in enumerate(ds.projects))),
            _table(out / "meta.csv", "key:ID(CG_Meta),version:int,fingerprint,region,:LABEL",
                   [["active", VERSION, ds.fingerprint(), ds.region.model_dump_json(), cypher.META]]),
        ],
        "--relationships": [
            _relationships(out, props.FEEDS, props.LINK, props.LINK, (
                (e.source, e.target, props.FEEDS.values(e, ord=i)) for i, e in enumerate(ds.feeds))),
            _relationships(out, props.OPERATES_IN, props.FIRM, props.LINK, ((r.firm_id, r.link_id, props.OPERATES_IN.values(
                r, local_link=r.link_id if r.firm_id in local_active else None)) for r in ds.operates_in)),
            _relationships(out, props.SUPPLIES, props.FIRM, props.FIRM, (
                (s.supplier_id, s.customer_id, props.SUPPLIES.values(s)) for s in ds.supplies)),
            _table(out / "makes.csv", ":START_ID(CG_Project),:END_ID(CG_Link),capacity:double,:TYPE",
                   ([p.id, link_id, units.capacity_in(p.capacity, unit_of.get(link_id)), "MAKES"]
                    for p in ds.projects for link_id in p.link_ids)),
            _table(out / "by_firm.csv", ":START_ID(CG_Project),:END_ID(CG_Firm),:TYPE",
                   ([p.id, p.firm_id, "BY_FIRM"] for p in ds.projects if p.firm_id)),
        ],
    }
    args = ["--multiline-fields=true", "--ignore-empty-strings=true"]  # arrays split on ';', as tags are
    args += [f"{flag}={path.name}" for flag, paths in files.items() for path in paths]
    (out / "import.args").write_text("\n".join(args) + "\n", encoding="utf-8")
    return out


def _nodes(out: Path, shape: props.Shape, rows: Iterable[tuple[str, dict, str]]) -> Path:
    """A label's nodes: (id, properties, a second label or '') each, in version VERSION."""
    names = [name for name, _ in shape.properties]
    header = ",".join([f"id:ID({shape.label})", "v:int", *(f"{n}:{t}" for n, t in shape.properties), ":LABEL"])
    return _table(out / f"{shape.label.lower()}.csv", header, (
        [key, VERSION, *(values.get(n) for n in names), f"{shape.label};{extra}" if extra else shape.label]
        for key, values, extra in rows))


def _relationships(out: Path, shape: props.Shape, start: props.Shape, end: props.Shape,
                   rows: Iterable[tuple[str, str, dict]]) -> Path:
    names = [name for name, _ in shape.properties]
    header = ",".join([f":START_ID({start.label})", f":END_ID({end.label})",
                       *(f"{n}:{t}" for n, t in shape.properties), ":TYPE"])
    return _table(out / f"{shape.label.lower()}.csv", header, (
        [a, b, *(values.get(n) for n in names), shape.label] for a, b, values in rows))


def _table(path: Path, header: str, rows: Iterable[list]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(header + "\n")
        writer = csv.writer(handle)
        for row in rows:
            writer.writerow([_cell(v) for v in row])
    return path


def _cell(value: object) -> object:
    """A property as the importer reads it: arrays joined by ';', booleans lower-case, nothing empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return ";".join(str(item) for item in value)
    return value
