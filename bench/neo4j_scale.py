"""The Neo4j store at scale beside the embedded store and polars, in one run (a benchmark, not a test).

    .venv/bin/python bench/neo4j_scale.py [--sizes 100000 1000000] [--online-max 100000] [--port 17821] [--reuse]

For each size (chain-graph synth, cached under ~/.cache/chain-graph/bench), both stores hold the
same data: Neo4j by the online load up to --online-max firms (timed: firm rows/s with their
placements), above it by the bulk path (scripts/neo4j import: files, neo4j-admin, switch, counts).
Then each store answers the questions of issue 13 — gaps of one chain, gaps of every chain, the
top 50 targets of one link — first call (cold) and the median of 5; polars answers bench/peers.py's
three questions from the CSVs, end to end, as the yardstick. The two stores' answers must be equal
(every chain's gaps, the battery chain's top-50 targets) or the run stops. Neo4j runs on its own
port with a bigger heap (NEO4J_HEAP, default 3g; NEO4J_PAGECACHE, default 3g), started if needed.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import peers  # noqa: E402  (bench/peers.py: the polars answers)
from run import dataset  # noqa: E402  (bench/run.py: the cached synth data)

from chain_graph.analysis.gaps import chain_gaps  # noqa: E402
from chain_graph.analysis.targets import chain_targets  # noqa: E402
from chain_graph.settings import AnalysisSettings  # noqa: E402
from chain_graph.store import bulk  # noqa: E402
from chain_graph.store.memory import MemoryStore  # noqa: E402
from chain_graph.store.neo4j import Neo4jStore  # noqa: E402
from loaders import load_directory  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = str(ROOT / "scripts" / "neo4j")
CHAIN = "new_energy_battery"
SETTINGS = AnalysisSettings()
REPEATS = 5


def timed(fn) -> tuple[float, float]:
    """(first call, median of REPEATS more) in ms."""
    started = time.perf_counter()
    fn()
    first = (time.perf_counter() - started) * 1000
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return first, statistics.median(times)


def questions(store) -> dict[str, tuple[float, float]]:
    gaps = chain_gaps(store, CHAIN, SETTINGS)
    link = gaps.wanted[0].link.id
    return {
        "gaps, one chain": timed(lambda: chain_gaps(store, CHAIN, SETTINGS)),
        "gaps, all chains": timed(lambda: [chain_gaps(store, c.id, SETTINGS) for c in store.chains()]),
        "top-50 targets, one link": timed(lambda: chain_targets(store, gaps, SETTINGS, top=50, link_id=link)),
    }


def same_answers(memory: MemoryStore, neo: Neo4jStore) -> None:
    for chain in memory.chains():
        if chain_gaps(memory, chain.id, SETTINGS) != chain_gaps(neo, chain.id, SETTINGS):
            raise SystemExit(f"the stores answer the gaps of {chain.id} differently")
    gaps = chain_gaps(memory, CHAIN, SETTINGS)
    shown = [[(t.rank, t.firm_id, t.score, t.features) for t in chain_targets(store, gaps, SETTINGS, top=50)]
             for store in (memory, neo)]
    if shown[0] != shown[1]:
        raise SystemExit(f"the stores rank the targets of {CHAIN} differently")


def server(port: str) -> tuple[dict, Neo4jStore]:
    env = {**os.environ, "NEO4J_BOLT_PORT": port, "NEO4J_HEAP": os.environ.get("NEO4J_HEAP", "3g"),
           "NEO4J_PAGECACHE": os.environ.get("NEO4J_PAGECACHE", "3g")}
    subprocess.run([SCRIPT, "start"], env=env, check=True, capture_output=True)
    env.update(re.findall(r"export (\w+)=(\S+)", subprocess.run([SCRIPT, "env"], env=env, check=True,
                                                                  capture_output=True, text=True).stdout))
    return env, connect(env)


def connect(env: dict) -> Neo4jStore:
    return Neo4jStore(env["NEO4J_URI"], env["NEO4J_USER"], env["NEO4J_PASSWORD"].strip("'"), env["NEO4J_DATABASE"])


def measure(size: int, online_max: int, env: dict, neo: Neo4jStore, reuse: bool) -> tuple[dict, dict, Neo4jStore]:
    """({figure: value}, {question: (memory (first, median), Neo4j (first, median))}, the store to go on with)."""
    data = dataset(size)
    started = time.perf_counter()
    result = load_directory(data)
    memory = MemoryStore()
    memory.load(result.tables)
    figures = {"read + validate (load_directory), s": time.perf_counter() - started}
    if reuse and neo.version() == result.dataset.fingerprint():
        figures["Neo4j load"] = "skipped: the server already held this data (--reuse)"
    elif size <= online_max:
        ds = result.dataset
        neo.clear()
        started = time.perf_counter()
        neo.load(ds)
        seconds = time.perf_counter() - started
        figures["Neo4j online load, s"] = seconds
        figures["Neo4j online load, firm rows/s (with their placements)"] = len(ds.firms) / seconds
        del ds
    else:
        ds = result.dataset
        started = time.perf_counter()
        files = bulk.write_import_files(ds, Path.home() / ".cache" / "chain-graph" / "bulk" / env["NEO4J_BOLT_PORT"])
        neo.close()
        subprocess.run([SCRIPT, "import", str(files)], env=env, check=True, capture_output=True)
        neo = connect(env)
        neo.finish_bulk_import()
        figures["Neo4j bulk path (files, neo4j-admin, switch, counts and tallies), s"] = time.perf_counter() - started
        del ds
    del result
    same_answers(memory, neo)
    started = time.perf_counter()
    peers.with_polars(data, "nickel_sulfate")
    figures["polars: bench/peers.py's three questions from the CSVs, ms"] = (time.perf_counter() - started) * 1000
    on_memory, on_neo = questions(memory), questions(neo)
    return figures, {name: (on_memory[name], on_neo[name]) for name in on_memory}, neo


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--online-max", type=int, default=100_000, help="larger sizes go through the bulk path")
    parser.add_argument("--port", default=os.environ.get("CHAIN_GRAPH_BENCH_PORT", "17821"))
    parser.add_argument("--reuse", action="store_true", help="do not load a size the server already holds")
    args = parser.parse_args()
    env, neo = server(args.port)
    for size in args.sizes:
        figures, answers, neo = measure(size, args.online_max, env, neo, args.reuse)
        polars = figures["polars: bench/peers.py's three questions from the CSVs, ms"]
        print(f"\n{size:,} firms (both stores gave the same answers)\n")
        for name, value in figures.items():
            print(f"- {name}: {_fmt(value)}")
        print("\n| question | memory ms, first / median | Neo4j ms, first / median | Neo4j ÷ memory | Neo4j ÷ polars |")
        print("|---|---|---|---|---|")
        for name, ((m_first, m_median), (n_first, n_median)) in answers.items():
            print(f"| {name} | {_fmt(m_first)} / {_fmt(m_median)} | {_fmt(n_first)} / {_fmt(n_median)} "
                  f"| ×{n_median / m_median:.1f} | ×{n_median / polars:.3f} |")
        sys.stdout.flush()
    neo.close()


def _fmt(v: float | str) -> str:
    if isinstance(v, str):
        return v
    return f"{v:,.0f}" if v >= 100 else f"{v:,.1f}" if v >= 1 else f"{v:.2f}"


if __name__ == "__main__":
    main()
