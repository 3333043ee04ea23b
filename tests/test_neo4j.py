"""The Neo4j store against a real server (scripts/test starts one and sets NEO4J_*).

No mock: a missing server fails these tests, it never skips them.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from neo4j import GraphDatabase
from typer.testing import CliRunner

from chain_graph_app.cli import app
from chain_graph.store import cypher
from chain_graph.store.base import StoreError
from chain_graph.store.memory import MemoryStore
from chain_graph.store.neo4j import Neo4jStore
from loaders import load_directory
from tests.conftest import mini_dataset, server

pytestmark = pytest.mark.neo4j

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def empty(neo) -> Neo4jStore:
    neo.clear()
    return neo


def shipped():
    return load_directory(DATA).dataset


def test_load_and_read_back_the_shipped_data(empty):
    ds = shipped()
    empty.load(ds)
    assert empty.version() == ds.fingerprint()
    assert [c.id for c in empty.chains()] == [c.id for c in ds.chains]
    assert empty.links() == ds.links
    assert empty.feeds() == ds.feeds
    assert empty.projects() == ds.projects
    assert empty.region() == ds.region


def test_reload_is_idempotent(empty):
    ds = shipped()
    empty.load(ds)
    first = empty.counts()
    empty.load(ds)
    assert empty.counts() == first
    memory = MemoryStore()
    memory.load(ds)
    assert first == memory.counts()


def test_failed_load_leaves_the_previous_data(empty, monkeypatch):
    empty.load(mini_dataset())
    before = (empty.counts(), empty.version())
    # a statement the real server rejects, after the nodes of the new version are written
    monkeypatch.setattr(cypher, "MERGE_SUPPLIES", "UNWIND $rows AS row CALL no.such.procedure()")
    with pytest.raises(StoreError, match="原有数据不变"):
        empty.load(shipped())
    assert (empty.counts(), empty.version()) == before
    with GraphDatabase.driver(server()[0], auth=server()[1:3]) as driver:
        records, _, _ = driver.execute_query("MATCH (n:CG_Firm) RETURN count(DISTINCT n.v) AS versions")
    assert records[0]["versions"] == 1  # nothing of the failed load is left behind


def test_cypher_syntax_in_values_is_stored_verbatim(empty):
    nasty = "A'B\"C `D` })-[x]->(y) // MATCH (n) DETACH DELETE n; \\ 企业"
    ds = mini_dataset()
    firm = ds.firms[0].model_copy(update={"name": nasty})
    link = ds.links[0].model_copy(update={"name": nasty, "keywords": [nasty]})
    ds = replace(ds, firms=[firm, *ds.firms[1:]], links=[link, *ds.links[1:]])
    empty.load(ds)
    assert empty.links()[0].name == nasty and empty.links()[0].keywords == [nasty]
    [record] = [r for r in empty.firms(_query(text="MATCH")) if r.firm.id == firm.id]
    assert record.firm.name == nasty
    assert empty.counts()["firms"] == len(ds.firms)


def test_clear_and_replace_touch_only_our_labels(empty):
    with GraphDatabase.driver(server()[0], auth=server()[1:3]) as driver:
        driver.execute_query("CREATE (:Firm {id: 'theirs'}), (:Other {x: 1})")
        try:
            empty.load(mini_dataset())
            empty.clear()
            records, _, _ = driver.execute_query("MATCH (n) WHERE n:Firm OR n:Other RETURN count(n) AS n")
            assert records[0]["n"] == 2
        finally:
            driver.execute_query("MATCH (n) WHERE n:Firm OR n:Other DETACH DELETE n")


def _query(**kw):
    from chain_graph.store.base import FirmQuery

    return FirmQuery(**kw)


# -- the CLI against the server ---------------------------------------------------------
runner = CliRunner()


def cli(*args, env=None):
    return runner.invoke(app, ["--data", str(DATA), "--store", server()[0], *args], env=env)


def test_cli_load_then_report(empty):
    result = cli("load")
    assert result.exit_code == 0, result.output
    assert f"firms {len(shipped().firms)}" in result.stdout
    again = cli("load")
    assert again.exit_code == 0
    gaps = cli("gaps", "--chain", "new_energy_battery", "-f", "json")
    assert gaps.exit_code == 0 and '"break_point"' in gaps.stdout


def test_cli_refuses_to_overwrite_other_data_without_replace(empty):
    empty.load(mini_dataset())
    result = cli("load")
    assert result.exit_code == 2 and "--replace" in result.output
    assert cli("load", "--replace").exit_code == 0
    assert empty.version() == shipped().fingerprint()


def test_cli_wrong_password_is_one_line_exit_2():
    result = cli("chains", env={"NEO4J_PASSWORD": "not-the-password"})
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "拒绝了用户" in result.output
    assert "Traceback" not in result.output


def test_cli_stopped_server_is_one_line_exit_2():
    result = runner.invoke(app, ["--data", str(DATA), "--store", "bolt://127.0.0.1:9", "chains"])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "无法连接 Neo4j" in result.output


def test_reading_an_empty_database_says_to_load(empty):
    result = cli("chains")
    assert result.exit_code == 2 and "chain-graph load" in result.output


def test_candidates_carry_the_firms_signals_as_memory_does(empty):
    """参保人数, 企业规模, 实缴资本, founding date and 上市/融资 come back from Neo4j's properties unchanged."""
    from datetime import date

    from tests.conftest import N
    ds = mini_dataset()
    signals = {N["N1"]: {"insured": 99, "scale": "中型", "paid_in_capital": 25000.0, "founded": date(2015, 1, 1),
                         "financing": "A股上市"},
               N["N4"]: {"scale": "micro", "founded": date(2020, 6, 30)}}
    ds = replace(ds, firms=[type(f).model_validate({**f.model_dump(), **signals[f.id]}) if f.id in signals else f
                            for f in ds.firms])
    memory = MemoryStore()
    memory.load(ds)
    empty.load(ds)
    ids = ["electrolyte", "separator", "salt"]
    assert empty.candidates(ids) == memory.candidates(ids)
    n1 = next(c for c in empty.candidates(ids) if c.firm_id == N["N1"])
    assert (n1.insured, n1.scale, n1.paid_in_capital, n1.founded, n1.financing) == (
        99, "medium", 25000.0, date(2015, 1, 1), "A股上市")
