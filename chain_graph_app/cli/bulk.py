"""`load --bulk` (and `load --replace --bulk`): Neo4j's offline importer for a very large list.

neo4j-admin imports into a new database beside the live one while the server goes on serving it,
then the server is restarted on the import (scripts/neo4j import): a failed import changes nothing.
Trade-offs (docs/neo4j.md): the whole database is replaced, other data included (hence --replace
when it holds any node); the server is down for the restart; only a server this machine runs
through scripts/neo4j can be bulk-loaded.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path
from urllib.parse import urlparse

from chain_graph.dataset import Dataset
from chain_graph.store.base import BulkLoader, GraphStore
from .common import Context, err, fail, out

# The command that replaces a stopped server's database from import files: `<command> import DIR`.
# Set CHAIN_GRAPH_NEO4J_SCRIPT to your own wrapper of neo4j-admin; a checkout's scripts/neo4j is the default.
_CHECKOUT_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "neo4j"
CACHE = Path(os.environ.get("CHAIN_GRAPH_CACHE", Path.home() / ".cache" / "chain-graph"))


def bulk_load(c: Context, ds: Dataset, store: GraphStore, replace: bool) -> None:
    loader = _bulk_loader(c, store)
    url = urlparse(c.store_url)
    if url.hostname not in ("127.0.0.1", "localhost") or not url.port:
        fail("--bulk runs neo4j-admin beside the server, so it needs the local server of scripts/neo4j "
             "(bolt://127.0.0.1:PORT); load a remote server without --bulk")
    script = os.environ.get("CHAIN_GRAPH_NEO4J_SCRIPT") or (_CHECKOUT_SCRIPT if _CHECKOUT_SCRIPT.exists() else None)
    if script is None:
        fail("--bulk needs the command that runs neo4j-admin: set CHAIN_GRAPH_NEO4J_SCRIPT (see docs/neo4j.md)")
    nodes = loader.node_count()
    if nodes and not replace:
        fail(f"--bulk replaces the whole database, which holds {nodes:,} nodes; pass --replace to drop them")
    started = time.perf_counter()
    files = loader.write_import_files(ds, CACHE / "bulk" / str(url.port))
    written = time.perf_counter() - started
    leads = store.leads()  # the team's leads are not in the import files: kept aside and written back
    loader.close()
    run = subprocess.run([str(script), "import", str(files)], env={**os.environ, "NEO4J_BOLT_PORT": str(url.port)},
                         capture_output=True, text=True)
    if run.returncode != 0:
        fail(f"bulk import into {c.store_url} failed: {(run.stderr or run.stdout).strip().splitlines()[-1]}")
    err.print(run.stdout.strip())
    store = c.connect()
    _bulk_loader(c, store).finish_bulk_import()
    store.replace_leads(leads)
    counts = store.counts()
    seconds = time.perf_counter() - started
    out.print(f"bulk-loaded {c.data} into {c.store_url}: "
              + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
              + f" in {seconds:.1f} s (files {written:.1f} s; {len(ds.firms) / seconds:,.0f} firms/s)")


def _bulk_loader(c: Context, store: GraphStore) -> BulkLoader:
    if not isinstance(store, BulkLoader):
        fail(f"--bulk needs a store with an offline importer (Neo4j); {c.store_url} has none")
    return store
