"""The generator behind the benchmarks, and the bulk path into a real Neo4j."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chain_graph import creditcode
from chain_graph_app.cli import app
from chain_graph.store.memory import MemoryStore
from chain_graph.store.neo4j import Neo4jStore
from chain_graph.synth import synthesize
from loaders import load_directory
from tests.conftest import server

ROOT = Path(__file__).resolve().parent.parent
BULK_PORT = os.environ.get("CHAIN_GRAPH_BULK_TEST_PORT", "17689")


@pytest.fixture(scope="module")
def base():
    return load_directory(ROOT / "data").dataset


def test_same_seed_same_data_other_seed_other_data(base):
    one, again, other = (synthesize(base, 2000, seed=s) for s in (5, 5, 6))
    assert one.fingerprint() == again.fingerprint()
    assert one.fingerprint() != other.fingerprint()


def test_generated_data_is_valid_and_realistic(base, tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["--data", str(ROOT / "data"), "synth", "--firms", "3000", "--out", str(tmp_path),
                                 "--seed", "3"])
    assert result.exit_code == 0, result.output
    loaded = load_directory(tmp_path)
    assert loaded.ok, [str(p) for p in loaded.problems][:5]
    ds = loaded.dataset
    assert ds.fingerprint() == synthesize(base, 3000, seed=3).fingerprint()  # files round-trip exactly
    assert len(ds.firms) == 3000 and all(creditcode.is_valid(f.id) for f in ds.firms)
    local = sum(ds.region.is_local(f.province, f.city) for f in ds.firms) / len(ds.firms)
    inactive = sum(not f.status.active for f in ds.firms) / len(ds.firms)
    per_firm = len(ds.operates_in) / len(ds.firms)
    assert 0.01 < local < 0.08 and 0.02 < inactive < 0.12 and 1.3 < per_firm < 2.2
    assert {p.status for p in ds.projects} == {p.status for p in base.projects} | {p.status for p in ds.projects}
    assert len({p.status for p in ds.projects}) == 8  # every lifecycle status
    capitals = sorted(f.registered_capital for f in ds.firms)
    assert capitals[-30] > 20 * capitals[len(capitals) // 2]  # heavy-tailed: the top 1% dwarf the median
    assert ds.supplies and any(f.tags for f in ds.firms)


def test_synth_refuses_to_overwrite_the_data_directory():
    result = CliRunner().invoke(app, ["--data", str(ROOT / "data"), "synth", "--firms", "10",
                                      "--out", str(ROOT / "data")])
    assert result.exit_code == 2


@pytest.mark.neo4j
def test_bulk_path_gives_the_counts_of_the_online_load(base, tmp_path):
    ds = synthesize(base, 1500, seed=9)
    env = {**os.environ, "NEO4J_BOLT_PORT": BULK_PORT}
    subprocess.run([str(ROOT / "scripts" / "neo4j"), "reset"], env=env, check=True, capture_output=True)
    try:
        data = tmp_path / "data"
        subprocess.run([str(ROOT / ".venv" / "bin" / "chain-graph"), "--data", str(ROOT / "data"), "synth",
                        "--firms", "1500", "--seed", "9", "--out", str(data)], check=True, capture_output=True)
        uri = f"bolt://127.0.0.1:{BULK_PORT}"
        subprocess.run([str(ROOT / "scripts" / "neo4j"), "start"], env=env, check=True, capture_output=True)
        result = CliRunner().invoke(app, ["--data", str(data), "--store", uri, "load", "--bulk"], env=env)
        assert result.exit_code == 0, result.output
        bulk = Neo4jStore(uri, *server()[1:])
        memory = MemoryStore()
        memory.load(ds)
        assert bulk.counts() == memory.counts()
        assert bulk.version() == ds.fingerprint()
        imported = _properties(bulk)
        bulk.load(ds)  # the online load of the same data: the same properties, of the same types
        assert _properties(bulk) == imported
        # an import that fails leaves the database as it was, served all along
        broken = tmp_path / "broken"
        broken.mkdir()
        (broken / "import.args").write_text("--nodes=missing.csv\n", encoding="utf-8")
        failed = subprocess.run([str(ROOT / "scripts" / "neo4j"), "import", str(broken)], env=env,
                                capture_output=True, text=True)
        assert failed.returncode != 0 and "database was not changed" in failed.stderr
        assert bulk.version() == ds.fingerprint() and bulk.counts() == memory.counts()
        bulk.close()
        # --replace --bulk: other data is replaced by the import, the team's leads kept
        shipped = load_directory(ROOT / "data").dataset
        result = CliRunner().invoke(app, ["--data", str(ROOT / "data"), "--store", uri, "load", "--bulk", "--replace"],
                                    env=env)
        assert result.exit_code == 0, result.output
        replaced = Neo4jStore(uri, *server()[1:])
        memory.load(shipped)
        assert replaced.version() == shipped.fingerprint() and replaced.counts() == memory.counts()
        replaced.close()
    finally:
        subprocess.run([str(ROOT / "scripts" / "neo4j"), "reset"], env=env, capture_output=True)


def _properties(store: Neo4jStore) -> dict:
    """Every node's and relationship's properties but the version, empty arrays as absent (the bulk
    importer skips empty cells), keyed by what they are."""
    def clean(props: dict) -> dict:
        return {k: v for k, v in props.items() if k != "v" and v != []}

    nodes = "MATCH (n) WHERE n.v IS NOT NULL RETURN labels(n) AS labels, n.id AS id, properties(n) AS p"
    edges = "MATCH (a)-[r]->(b) WHERE a.v IS NOT NULL RETURN type(r) AS t, a.id AS a, b.id AS b, properties(r) AS p"
    out = {(tuple(sorted(r["labels"])), r["id"]): clean(r["p"]) for r in store._read(nodes)}
    out.update({(r["t"], r["a"], r["b"]): clean(r["p"]) for r in store._read(edges)})
    return out
