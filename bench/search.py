"""The search box's store read (GraphStore.search) on a synthetic city: ms per search on the embedded
store, and on Neo4j when NEO4J_URI is set (NEO4J_USER, NEO4J_PASSWORD; the database is replaced).

Words: a frequent one (有限), a rare firm's whole name, a credit-code prefix, a link word, none found.

    .venv/bin/python bench/search.py [--firms 100000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from chain_graph.store.memory import MemoryStore
from chain_graph.synth import synthesize
from loaders import load_directory

ROOT = Path(__file__).resolve().parent.parent


def median_ms(store, words: str, repeat: int) -> tuple[float, dict]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        found = store.search(words, 8)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), found.total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    ds = synthesize(load_directory(ROOT / "data").dataset, firms=args.firms, seed=7)
    stores = [("memory", MemoryStore())]
    if os.environ.get("NEO4J_URI"):
        from chain_graph.store.neo4j import Neo4jStore
        stores.append(("neo4j", Neo4jStore(os.environ["NEO4J_URI"], os.environ.get("NEO4J_USER", "neo4j"),
                                           os.environ.get("NEO4J_PASSWORD", ""))))
    rare = ds.firms[len(ds.firms) // 2]
    words = ["有限", rare.name, rare.id[:8], ds.links[0].name[:2], "无此企业"]
    print(f"{len(ds.firms):,} firms, {len(ds.links)} links, {len(ds.projects)} projects; median of {args.repeat}")
    for name, store in stores:
        store.load(ds)
        store.search("warm", 8)
        for w in words:
            ms, total = median_ms(store, w, args.repeat)
            print(f"{name:7} {w[:16]:16} {ms:8.1f} ms  found {total}")


if __name__ == "__main__":
    main()
