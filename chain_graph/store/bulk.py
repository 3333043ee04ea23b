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

VERSION = 1


def write_import_files(ds: Dataset, out: Path) -> Path:
    """Node and relationship CSVs plus `import.args` (the importer's arguments) in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    unit_of = {link.id: link.unit for link in ds.links}
    local_active = ds.local_active()
    files = {
        "--nodes": [
            _table(out / "chains.csv", "id:ID(CG_Chain),v:int,name,ord:int,doc,:LABEL",
                   ([c.id, VERSION, c.name, i, c.model_dump_json(), "CG_Chain"] for i, c in enumerate(ds.chains))),
            _table(out / "links.csv", "id:ID(CG_Link),v:int,name,chain,unit,ord:int,doc,:LABEL",
                   ([l.id, VERSION, l.name, l.chain, l.unit, i, l.model_dump_json(), "CG_Link"]
                    for i, l in enumerate(ds.links))),
            _table(out / "firms.csv",
                   "id:ID(CG_Firm),v:int,name,local:boolean,active:boolean,province,city,tags:string[],"
                   "capital:double,currency,source,doc,:LABEL",
                   (_firm(ds, f) for f in ds.firms)),
            _table(out / "projects.csv", "id:ID(CG_Project),v:int,name,status,investment:double,ord:int,doc,:LABEL",
                   ([p.id, VERSION, p.name, p.status.value, p.investment, i, p.model_dump_json(), "CG_Project"]
                    for i, p in enumerate(ds.projects))),
            _table(out / "meta.csv", "key:ID(CG_Meta),version:int,fingerprint,region,:LABEL",
                   [["active", VERSION, ds.fingerprint(), ds.region.model_dump_json(), cypher.META]]),
        ],
        "--relationships": [
            _table(out / "feeds.csv", ":START_ID(CG_Link),:END_ID(CG_Link),ord:int,doc,:TYPE",
                   ([e.source, e.target, i, e.model_dump_json(), "FEEDS"] for i, e in enumerate(ds.feeds))),
            _table(out / "operates_in.csv",
                   ":START_ID(CG_Firm),:END_ID(CG_Link),capacity:double,evidence,source,local_link,:TYPE",
                   ([r.firm_id, r.link_id, r.capacity, r.evidence, r.source,
                     r.link_id if r.firm_id in local_active else None, "OPERATES_IN"] for r in ds.operates_in)),
            _table(out / "supplies.csv", ":START_ID(CG_Firm),:END_ID(CG_Firm),product,:TYPE",
                   ([s.supplier_id, s.customer_id, s.product, "SUPPLIES"] for s in ds.supplies)),
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


def _firm(ds: Dataset, f) -> list:
    local = ds.region.is_local(f.province, f.city)
    labels = "CG_Firm;CG_Local" if local and f.status.active else "CG_Firm"
    return [f.id, VERSION, f.name, local, f.status.active, f.province, f.city, ";".join(f.tags),
            f.registered_capital, f.capital_currency, f.source, f.model_dump_json(), labels]


def _table(path: Path, header: str, rows: Iterable[list]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(header + "\n")
        writer = csv.writer(handle)
        for row in rows:
            writer.writerow(["" if v is None else str(v).lower() if isinstance(v, bool) else v for v in row])
    return path
