"""One field list per record: the table files, the Neo4j properties and the bulk files all come from
the models through chain_graph.schema, so a field added to a model reaches every one of them."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from pydantic import Field, create_model

from chain_graph import schema
from chain_graph.model import Firm, FirmStatus, OperatesIn, Project
from chain_graph.store import properties
from chain_graph.store.base import COUNTED
from chain_graph.store.bulk import write_import_files
from chain_graph.store.memory import MemoryStore
from chain_graph.store.neo4j import _write_steps
from chain_graph_app.service.writer import write_tables
from loaders import load_directory
from loaders.columns import ALIASES, REQUIRED, _DATA
from tests.conftest import mini_dataset

DATA = Path(__file__).resolve().parent.parent / "data"


def test_a_field_added_to_a_model_reaches_every_serialisation():
    Bigger = create_model("Bigger", __base__=Firm, abroad=(int | None, Field(None, ge=0)),
                          yearly=(list[float], Field(default_factory=list)), by_year=(dict[int, float], {}))
    table = schema.Schema(Bigger, "firms", columns=schema.FIRM.columns)
    firm = Bigger(id="X", name="甲", registered_capital=100, capital_currency="USD", abroad=120, yearly=[1.5, 2.0])
    assert table.table_columns[-3:] == ("abroad", "yearly", "by_year")
    assert table.row(firm, {})["abroad"] == 120 and table.row(firm, {})["yearly"] == "1.5;2.0"
    assert dict(table.properties)["abroad"] == "long" and dict(table.properties)["yearly"] == "double[]"
    assert "by_year" not in dict(table.properties)  # no Neo4j property type: it travels in the record's JSON
    assert table.property_values(firm)["abroad"] == 120
    shape = properties.Shape("CG_Firm", table, ("doc",))
    assert "abroad" in dict(shape.properties) and shape.values(firm)["abroad"] == 120


def test_table_cells_say_what_the_loader_reads_back():
    firm = Firm(id="X", name="甲", status="注销", tags=["链主", "上市"], registered_capital=12000,
                capital_currency="USD", founded=date(2010, 5, 1))
    row = schema.FIRM.row(firm, {})
    assert {k: row[k] for k in ("id", "status", "province", "tags", "registered_capital", "founded")} == {
        "id": "X", "status": "deregistered", "province": None, "tags": "链主;上市", "registered_capital": "12,000万美元",
        "founded": date(2010, 5, 1),
    }
    assert "capital_currency" not in row  # it is written inside registered_capital
    placed = OperatesIn(firm_id="X", link_id="cathode", capacity=5.0)
    assert schema.OPERATES_IN.row(placed, {"cathode": "万吨"})["capacity"] == "5.0万吨"
    assert schema.OPERATES_IN.row(placed.model_copy(update={"capacity_text": "5万吨/年"}), {})["capacity"] == "5万吨/年"
    project = Project(id="P", name="乙", status="在建", link_ids="a;b")
    assert schema.PROJECT.row(project, {})["links"] == "a;b" and "link_ids" not in schema.PROJECT.row(project, {})


def test_columns_and_required_columns_come_from_the_models():
    assert schema.FIRM.table_columns == tuple(f for f in Firm.model_fields if f != "capital_currency")
    assert REQUIRED["firms"] == ("id", "name") and REQUIRED["projects"] == ("id", "name", "status")
    assert schema.PROJECT.field_of("links") == "link_ids" and schema.PROJECT.column("link_ids") == "links"
    for kind, table in schema.TABLES.items():
        assert tuple(ALIASES[kind]) == table.table_columns
        stray = set(_DATA[kind]) - set(table.table_columns)
        assert not stray, f"platform_headers.yaml names columns {stray} that {kind} does not have"


def test_written_tables_load_back_into_the_same_records(tmp_path):
    shipped = load_directory(DATA).dataset
    for name in ("region.yaml", "chains"):
        target = tmp_path / name
        source = DATA / name
        if source.is_dir():
            target.mkdir()
            for path in source.iterdir():
                (target / path.name).write_bytes(path.read_bytes())
        else:
            target.write_bytes(source.read_bytes())
    write_tables(shipped, tmp_path)
    again = load_directory(tmp_path)
    assert again.ok, again.problems[:3]
    assert again.dataset.firms == shipped.firms and again.dataset.projects == shipped.projects
    assert [r.model_copy(update={"capacity_text": None}) for r in again.dataset.operates_in] == [
        r.model_copy(update={"capacity_text": None}) for r in shipped.operates_in]


def test_online_rows_and_bulk_files_hold_the_same_properties(tmp_path):
    ds = mini_dataset()
    steps = dict(_write_steps(ds))
    firm_rows = next(rows for query, rows in steps.items() if "CG_Firm" in query and "UNWIND row.links" in query)
    online = set().union(*(row["props"] for row in firm_rows))
    write_import_files(ds, tmp_path)
    with (tmp_path / "cg_firm.csv").open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert {h.split(":")[0] for h in header if not h.startswith(("id:", "v:", ":"))} == online
    assert online == set(Firm.model_fields) - {"id"} | {"local", "active", "doc"}
    assert "founded:date" in header and "tags:string[]" in header and "registered_capital:double" in header


def test_counts_use_the_models_words():
    store = MemoryStore()
    ds = mini_dataset()
    store.load(ds)
    counts = store.counts()
    assert tuple(counts) == COUNTED
    assert (counts["firms"], counts["links"], counts["projects"]) == (len(ds.firms), len(ds.links), len(ds.projects))


@pytest.mark.parametrize("status", list(FirmStatus))
def test_enums_are_written_as_their_codes(status):
    firm = Firm(id="X", name="甲", status=status)
    assert schema.FIRM.row(firm, {})["status"] == status.value
    assert schema.FIRM.property_values(firm)["status"] == status.value
