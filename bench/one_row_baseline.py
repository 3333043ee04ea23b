"""The naive load the batched one is compared with: one transaction per row. Prints firm rows/s.

    .venv/bin/python bench/one_row_baseline.py DATA_DIR bolt://...
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from chain_graph.store import neo4j as neo4j_store
from chain_graph.store.neo4j import Neo4jStore
from loaders import load_directory


def main(data: Path, uri: str) -> float:
    ds = load_directory(data).dataset
    store = Neo4jStore(uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ["NEO4J_PASSWORD"],
                       os.environ.get("NEO4J_DATABASE", "neo4j"))
    store.clear()
    neo4j_store.BATCH = 1
    started = time.perf_counter()
    store.load(ds)
    return len(ds.firms) / (time.perf_counter() - started)


if __name__ == "__main__":
    print(round(main(Path(sys.argv[1]), sys.argv[2]), 1))
