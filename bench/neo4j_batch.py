"""How big an UNWIND batch the Neo4j load should use: firm rows/s per batch size, side by side,
against one row per transaction. Needs a running server (NEO4J_* as `scripts/neo4j env` prints).

    eval "$(scripts/neo4j env)"; .venv/bin/python bench/neo4j_batch.py [--firms 20000]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from chain_graph.store import neo4j as neo4j_store
from chain_graph.store.neo4j import Neo4jStore
from chain_graph.synth import synthesize
from loaders import load_directory

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--firms", type=int, default=20_000)
    parser.add_argument("--baseline-rows", type=int, default=300)
    args = parser.parse_args()
    base = load_directory(ROOT / "data").dataset
    ds = synthesize(base, firms=args.firms, seed=11)
    store = Neo4jStore(os.environ["NEO4J_URI"], os.environ.get("NEO4J_USER", "neo4j"),
                       os.environ["NEO4J_PASSWORD"], os.environ.get("NEO4J_DATABASE", "neo4j"))
    rows = len(ds.firms) + len(ds.operates_in)
    print(f"{len(ds.firms):,} firms, {len(ds.operates_in):,} firm→link edges, {rows:,} rows in all")
    print(f"{'batch':>8} {'seconds':>8} {'firm rows/s':>12} {'rows/s':>10}")
    small = synthesize(base, firms=args.baseline_rows, seed=11)
    results = {}
    for batch in (1, 500, 2000, 5000, 10000, 20000):
        data = small if batch == 1 else ds
        store.clear()
        neo4j_store.BATCH = batch
        started = time.perf_counter()
        store.load(data)
        seconds = time.perf_counter() - started
        n = len(data.firms) + len(data.operates_in)
        results[batch] = len(data.firms) / seconds
        label = "1 (baseline)" if batch == 1 else str(batch)
        print(f"{label:>12} {seconds:8.2f} {len(data.firms) / seconds:12,.0f} {n / seconds:10,.0f}")
    best = max((b for b in results if b > 1), key=results.get)
    print(f"best batch {best}: {results[best] / results[1]:.0f}x the one-row-per-transaction baseline")
    store.clear()


if __name__ == "__main__":
    main()
