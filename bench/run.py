"""The scale benchmark: both stores side by side at 10k, 100k and 1M firms, one table per run.

    scripts/bench                      # what the README names; or, with a server up:
    .venv/bin/python bench/run.py --sizes 10000 100000 1000000

Each size is generated once (chain-graph synth, cached under ~/.cache/chain-graph/bench) and each
store is measured in a fresh process. Neo4j runs on its own port (default 17690) with a bigger heap.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
CLI = str(ROOT / ".venv" / "bin" / "chain-graph")
CACHE = Path(os.environ.get("CHAIN_GRAPH_CACHE", Path.home() / ".cache" / "chain-graph")) / "bench"
ROWS = [
    ("read_s", "read + validate files, s"), ("load_s", "load into store, s"), ("load_rows_s", "load, firm rows/s"),
    ("rss_after_load_mb", "RSS after load, MB"), ("rss_per_100k_mb", "RSS per 100k firms, MB"),
    ("gaps_one_ms", "gaps, one chain, ms"), ("gaps_all_ms", "gaps, all chains, ms"),
    ("overview_ms", "overview (chains), ms"), ("targets_link_ms", "top-50 targets, one link, ms"),
    ("targets_all_ms", "targets, all wanted links, ms"), ("kpis_ms", "project KPIs, ms"),
    ("baseline_rows_s", "one row per tx, firm rows/s"), ("bulk_s", "bulk path after validation (files+import+restart+counts), s"),
    ("admin_import_s", "neo4j-admin import alone, s"),
]


def sh(*args: str, env: dict | None = None) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, env={**os.environ, **(env or {})}).stdout


def dataset(firms: int) -> Path:
    out = CACHE / f"firms-{firms}"
    if not (out / "firms.csv").exists():
        sh(CLI, "--data", str(ROOT / "data"), "synth", "--firms", str(firms), "--out", str(out), "--seed", "1")
    return out


def measure(data: Path, store: str) -> dict:
    result = json.loads(sh(PY, str(ROOT / "bench" / "measure.py"), str(data), store).strip().splitlines()[-1])
    result["load_rows_s"] = round(result["firms"] / result["load_s"]) if result.get("load_s") else None
    result["rss_per_100k_mb"] = round(result["rss_after_load_mb"] * 100_000 / result["firms"])
    return result


def neo4j_extras(data: Path, uri: str, port: str) -> dict:
    """One-row-per-transaction baseline on a 1,000-firm slice, and the bulk path."""
    small = CACHE / "firms-1000"
    if not (small / "firms.csv").exists():
        sh(CLI, "--data", str(ROOT / "data"), "synth", "--firms", "1000", "--out", str(small), "--seed", "1")
    baseline = sh(PY, str(ROOT / "bench" / "one_row_baseline.py"), str(small), uri)
    output = subprocess.run([CLI, "--data", str(data), "--store", uri, "load", "--bulk", "--replace"],
                            capture_output=True, text=True, env={**os.environ, "NEO4J_BOLT_PORT": port}, check=True)
    text = output.stderr + output.stdout
    admin = re.search(r"import took (\d+) s", text)
    bulk = re.search(r" in ([\d.]+) s \(files", text)  # after the input is validated, as neo4j-admin's own
    return {"baseline_rows_s": float(baseline.strip()), "bulk_s": float(bulk.group(1)) if bulk else None,
            "admin_import_s": float(admin.group(1)) if admin else None}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--port", default=os.environ.get("CHAIN_GRAPH_BENCH_PORT", "17690"))
    args = parser.parse_args()
    env = {"NEO4J_BOLT_PORT": args.port, "NEO4J_HEAP": os.environ.get("NEO4J_HEAP", "2g"),
           "NEO4J_PAGECACHE": os.environ.get("NEO4J_PAGECACHE", "1g")}
    sh(str(ROOT / "scripts" / "neo4j"), "start", env=env)
    os.environ.update(dict(re.findall(r"export (\w+)=(\S+)", sh(str(ROOT / "scripts" / "neo4j"), "env", env=env))))
    os.environ.update(env)
    uri = os.environ["NEO4J_URI"]
    results: dict[tuple[str, int], dict] = {}
    for size in args.sizes:
        data = dataset(size)
        results[("memory", size)] = measure(data, "memory")
        results[("neo4j", size)] = measure(data, uri) | neo4j_extras(data, uri, args.port)
        print(f"measured {size:,} firms", file=sys.stderr)
    print_table(results, args.sizes)


def print_table(results: dict, sizes: list[int]) -> None:
    columns = [(store, size) for size in sizes for store in ("memory", "neo4j")]
    head = ["measure"] + [f"{store} {size // 1000}k" for store, size in columns]
    if len(sizes) > 1:
        head += [f"{store} ×{sizes[-1] // sizes[0]} firms" for store in ("memory", "neo4j")]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for key, label in ROWS:
        cells = [_fmt(results[c].get(key)) for c in columns]
        if len(sizes) > 1:
            for store in ("memory", "neo4j"):
                first, last = results[(store, sizes[0])].get(key), results[(store, sizes[-1])].get(key)
                cells.append(f"×{last / first:.1f}" if first and last else "")
        if any(cells):
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    print("\n".join(lines))


def _fmt(value) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}" if value >= 1 else f"{value:.2f}"


if __name__ == "__main__":
    main()
