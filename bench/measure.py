"""One size, one store, measured in a fresh process (so peak RSS is this run's alone); prints JSON.

Called by bench/run.py; alone: .venv/bin/python bench/measure.py DATA_DIR memory|bolt://...
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from chain_graph.analysis.gaps import chain_gaps
from chain_graph.analysis.overview import overview
from chain_graph.analysis.projects import ledger
from chain_graph.settings import AnalysisSettings
from chain_graph.analysis.targets import chain_targets
from chain_graph.store import is_server, open_store
from loaders import load_directory

CHAIN = "new_energy_battery"
REPEATS = 5


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def median_ms(fn) -> float:
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def main(data: Path, store_url: str, load: bool = True) -> dict:
    settings = AnalysisSettings()
    out: dict = {"store": "neo4j" if is_server(store_url) else "memory"}
    started = time.perf_counter()
    result = load_directory(data)
    out["read_s"] = round(time.perf_counter() - started, 2)
    ds = result.dataset
    out["firms"] = len(ds.firms)
    out["rows"] = len(ds.firms) + len(ds.operates_in)
    store = open_store(store_url)
    if load:
        if out["store"] == "neo4j":
            store.clear()
        started = time.perf_counter()
        store.load(ds)
        out["load_s"] = round(time.perf_counter() - started, 2)
    out["rss_after_load_mb"] = round(rss_mb())
    del ds, result
    gaps = chain_gaps(store, CHAIN, settings)
    wanted = gaps.wanted[0].link.id
    out["gaps_one_ms"] = median_ms(lambda: chain_gaps(store, CHAIN, settings))
    out["gaps_all_ms"] = median_ms(lambda: [chain_gaps(store, c.id, settings) for c in store.chains()])
    out["overview_ms"] = median_ms(lambda: overview(store, settings))
    out["targets_link_ms"] = median_ms(lambda: chain_targets(store, gaps, settings, top=50, link_id=wanted))
    out["targets_all_ms"] = median_ms(
        lambda: [chain_targets(store, chain_gaps(store, c.id, settings), settings, top=50) for c in store.chains()])
    out["kpis_ms"] = median_ms(lambda: ledger(store.projects(), date(2026, 6, 30)))
    out["peak_rss_mb"] = round(rss_mb())
    return out


if __name__ == "__main__":
    args = sys.argv[1:]
    print(json.dumps(main(Path(args[0]), args[1], load="--no-load" not in args)))
