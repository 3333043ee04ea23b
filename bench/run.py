"""The scale benchmark: chain-graph beside polars, DuckDB and pandas, and both stores side by side.

    scripts/bench                      # what the README names; or:
    .venv/bin/python bench/run.py --sizes 10000 100000 1000000            # peers table only
    .venv/bin/python bench/run.py --sizes 10000 100000 --stores          # also memory vs Neo4j

Each size is generated once (chain-graph synth, cached under ~/.cache/chain-graph/bench). Every
tool answers the same three questions (bench/peers.py) in a fresh process, timed end to end with
interpreter start, its peak RSS read from the kernel (wait4); the answers must be equal or the run
stops. chain-graph runs twice: on new files (an empty cache: read + validate + answer) and on
unchanged files (the cache of the first run). The table gives wall seconds, CPU seconds (user +
system, from the kernel: what a process did, whatever else the machine runs), peak MB and the
ratios to polars in wall and CPU time, all from one run, since this shared machine's speed changes
from minute to minute. With --stores,
each store is also measured in a fresh process (bench/measure.py); Neo4j runs on its own port
(default 17690) with a bigger heap.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
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


PEERS = ("polars", "duckdb", "pandas")


def peers(data: Path, repeat: int) -> dict[str, tuple[float, float, float]]:
    """Wall seconds, CPU seconds and MB of each tool on `data`, the median of `repeat` runs; answers checked equal."""
    results: dict[str, list[tuple[float, float, float]]] = {}
    answers: dict[str, str] = {}
    cache = Path(tempfile.mkdtemp(prefix="cg-bench-cache-"))
    try:
        for _ in range(repeat):
            for tool in PEERS:
                *measured, out = _popen_rss([PY, str(ROOT / "bench" / "peers.py"), tool, str(data)])
                results.setdefault(tool, []).append(tuple(measured))
                answers[tool] = out
            shutil.rmtree(cache / "tables", ignore_errors=True)
            env = {"CHAIN_GRAPH_CACHE": str(cache)}
            for label in ("chain-graph, new files", "chain-graph, unchanged files"):
                *measured, out = _popen_rss([PY, str(ROOT / "bench" / "peers.py"), "chain-graph", str(data)], env)
                results.setdefault(label, []).append(tuple(measured))
                answers[label] = out
            *measured, _ = _popen_rss([PY, str(ROOT / "bench" / "peers.py"), "floor", str(data)])
            results.setdefault("read floor (polars reads the two files)", []).append(tuple(measured))
            shutil.rmtree(cache / "tables", ignore_errors=True)
            for label, args in (("`validate`, new files", ["validate"]),
                                ("`gaps`, unchanged files", ["gaps", "--chain", "new_energy_battery"])):
                *measured, _ = _popen_rss([CLI, "--data", str(data), *args], env)
                results.setdefault(label, []).append(tuple(measured))
            *measured, _ = _popen_rss([CLI, "--help"])
            results.setdefault("`chain-graph --help`", []).append(tuple(measured))
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    if len(set(answers.values())) != 1:
        raise SystemExit(f"the tools answer differently on {data}: " + ", ".join(
            f"{tool}: {out[:200]}" for tool, out in answers.items()))
    return {k: tuple(statistics.median(m[i] for m in v) for i in range(3)) for k, v in results.items()}


def _popen_rss(args: list[str], env: dict | None = None) -> tuple[float, float, float, str]:
    """(wall seconds, CPU seconds, peak RSS MB, stdout) of one fresh process, from wait4 (this child alone)."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **(env or {})})
    with proc.stdout, proc.stderr:
        out = proc.stdout.read()
        errors = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if proc.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{errors.decode()[-2000:]}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.decode()


def print_peers(results: dict[int, dict[str, tuple[float, float, float]]]) -> None:
    sizes = list(results)
    head = ["firms"] + [f"{size // 1000}k: wall s / CPU s / MB / ×polars wall, CPU" for size in sizes]
    if len(sizes) > 1:
        head.append(f"growth {sizes[0] // 1000}k→{sizes[-1] // 1000}k (wall, CPU, memory)")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for label in results[sizes[0]]:
        cells = []
        for size in sizes:
            sec, cpu, mb = results[size][label]
            base_sec, base_cpu, _ = results[size]["polars"]
            cells.append(f"{_fmt(sec)} / {_fmt(cpu)} / {mb:,.0f} / ×{sec / base_sec:.1f}, ×{cpu / base_cpu:.1f}")
        if len(sizes) > 1:
            (s0, c0, m0), (s1, c1, m1) = results[sizes[0]][label], results[sizes[-1]][label]
            cells.append(f"×{s1 / s0:.1f}, ×{c1 / c0:.1f}, ×{m1 / m0:.1f}")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=1, help="runs per tool and size; the median is shown")
    parser.add_argument("--stores", action="store_true", help="also measure the memory and Neo4j stores")
    parser.add_argument("--port", default=os.environ.get("CHAIN_GRAPH_BENCH_PORT", "17690"))
    args = parser.parse_args()
    by_size = {}
    start = os.getloadavg()
    for size in args.sizes:
        by_size[size] = peers(dataset(size), args.repeat)
        print(f"compared the tools on {size:,} firms", file=sys.stderr)
    print_peers(by_size)
    print(f"\nload average (1, 5, 15 min) on {os.cpu_count()} CPUs: {', '.join(f'{x:.1f}' for x in start)} at the start, "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())} at the end")
    if args.stores:
        stores(args.sizes, args.port)


def stores(sizes: list[int], port: str) -> None:
    env = {"NEO4J_BOLT_PORT": port, "NEO4J_HEAP": os.environ.get("NEO4J_HEAP", "2g"),
           "NEO4J_PAGECACHE": os.environ.get("NEO4J_PAGECACHE", "1g")}
    sh(str(ROOT / "scripts" / "neo4j"), "start", env=env)
    os.environ.update(dict(re.findall(r"export (\w+)=(\S+)", sh(str(ROOT / "scripts" / "neo4j"), "env", env=env))))
    os.environ.update(env)
    uri = os.environ["NEO4J_URI"]
    results: dict[tuple[str, int], dict] = {}
    for size in sizes:
        data = dataset(size)
        results[("memory", size)] = measure(data, "memory")
        results[("neo4j", size)] = measure(data, uri) | neo4j_extras(data, uri, port)
        print(f"measured {size:,} firms", file=sys.stderr)
    print()
    print_table(results, sizes)


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
