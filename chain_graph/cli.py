"""The `chain-graph` command: the same answers as the app, for scripts and terminals.

Like app.py it is a front end, so it is the one module of the package that reads
files through `loaders`. Exit codes: 0 ok, 1 invalid data, 2 usage or connection error.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any, Callable, Optional

import pandas as pd
import typer
from typer.core import TyperGroup
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from loaders import LoadResult, load_directory, open_data

from . import export, rows
from .analysis.gaps import chain_gaps
from .analysis.overview import overview
from .analysis.projects import ledger
from .analysis.settings import AnalysisSettings
from .analysis.targets import chain_targets
from .store import GraphStore, StoreError, is_server, open_store
from .store.base import FirmQuery
from .validation import Problem

class _Commands(TyperGroup):
    """Turns a store failure in any command into its one-line message and exit code 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except StoreError as e:
            err.print(str(e), markup=False, highlight=False)
            raise typer.Exit(2) from None


app = typer.Typer(cls=_Commands, add_completion=False, no_args_is_help=True,
                  help="Industrial-chain graph explorer: 缺什么、招什么.")
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


@dataclass
class Context:
    data: Path
    store_url: str
    lang: str
    _loaded: tuple[GraphStore, AnalysisSettings] | None = None

    def open(self) -> tuple[GraphStore, AnalysisSettings]:
        """The store with its data and the analysis settings, once per command."""
        if self._loaded is None:
            self._need_data_dir()
            opened = open_data(self.data, self.store_url)
            if opened.problems and opened.store is None:
                _invalid(self.data, opened.errors)
            if opened.failure:
                _fail(opened.failure)
            self._loaded = (opened.store, opened.settings)
        return self._loaded

    def connect(self) -> GraphStore:
        try:
            return open_store(self.store_url)
        except StoreError as e:
            _fail(str(e))

    def validated(self) -> LoadResult:
        """The data directory's dataset; every error printed and exit 1 when there is any."""
        self._need_data_dir()
        result = load_directory(self.data)
        if not result.ok:
            _invalid(self.data, [p for p in result.problems if p.is_error])
        return result

    def _need_data_dir(self) -> None:
        if not self.data.is_dir():
            _fail(f"data directory {self.data} does not exist; pass --data DIR (a folder with region.yaml and chains/)")


def _invalid(data: Path, errors: list[Problem]) -> None:
    for problem in errors:
        err.print(str(problem), markup=False, highlight=False)
    err.print(f"{len(errors)} error(s) in {data}; fix them and run again (`chain-graph validate`)")
    raise typer.Exit(1)


def _fail(message: str, code: int = 2) -> None:
    err.print(message, markup=False, highlight=False)
    raise typer.Exit(code)


def _ctx(ctx: typer.Context) -> Context:
    return ctx.obj


FORMAT = typer.Option(Format.table, "--format", "-f", help="table, json or csv")


@app.callback()
def main(
    ctx: typer.Context,
    data: Path = typer.Option(Path("data"), "--data", envvar="CHAIN_GRAPH_DATA", help="data directory"),
    store: str = typer.Option("memory", "--store", envvar="CHAIN_GRAPH_STORE", help="memory (default)"),
    lang: Lang = typer.Option(Lang.zh, "--lang", help="language of evidence and reasons"),
) -> None:
    ctx.obj = Context(data, store, lang.value)


@app.command()
def validate(ctx: typer.Context, format: Format = FORMAT) -> None:
    """Check every file of the data directory and report all problems at once."""
    c = _ctx(ctx)
    result = load_directory(c.data)
    problems = [p.as_row() for p in result.problems]
    if format is Format.table:
        for p in result.problems:
            (err if p.is_error else out).print(str(p), markup=False, highlight=False)
        ds = result.dataset
        if ds:
            out.print(f"ok: {len(ds.chains)} chains, {len(ds.links)} links, {len(ds.firms)} firms, "
                      f"{len(ds.projects)} projects, {len(result.problems)} warning(s)")
    else:
        _emit(problems, format, {"ok": result.ok, "problems": problems})
    if not result.ok:
        raise typer.Exit(1)


@app.command()
def load(ctx: typer.Context,
         replace: bool = typer.Option(False, "--replace", help="replace chain-graph data the database already holds")) -> None:
    """Validate the data directory and load it into a Neo4j store (--store bolt://HOST:PORT)."""
    c = _ctx(ctx)
    if not is_server(c.store_url):
        _fail("`load` writes to Neo4j: pass --store bolt://HOST:PORT (the memory store reads --data on every run)")
    result = c.validated()
    store = c.connect()
    held = store.version()
    if held not in ("empty", result.dataset.fingerprint()) and not replace:
        _fail(f"{c.store_url} already holds other chain-graph data (version {held}); pass --replace to replace it")
    started = time.perf_counter()
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=err, transient=True) as bar:
            task = bar.add_task("loading", total=None)
            if replace:
                store.clear()
            store.load(result.dataset, progress=lambda done, total: bar.update(task, completed=done, total=total))
        counts = store.counts()
    except StoreError as e:
        _fail(str(e))
    seconds = time.perf_counter() - started
    rows = sum(counts.values())
    out.print(f"loaded {c.data} into {c.store_url}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
              + f" in {seconds:.1f} s ({rows / seconds:,.0f} nodes+relationships/s)")


@app.command()
def chains(ctx: typer.Context, format: Format = FORMAT,
           landed: bool = typer.Option(False, "--landed", help="count pipeline projects as built")) -> None:
    """Every chain with its links, firms, projects and missing/pipeline/weak/strong counts."""
    store, settings = _ctx(ctx).open()
    _emit([rows.chain_row(s) for s in overview(store, settings, landed)], format, view=_chain_view)


@app.command()
def links(ctx: typer.Context, chain: Optional[str] = typer.Option(None, "--chain"), format: Format = FORMAT) -> None:
    """Links with their stage and FEEDS neighbours (cross-chain ones included)."""
    store, _ = _ctx(ctx).open()
    if chain:
        _known_chain(store, chain)
    feeds = store.feeds()
    _emit([rows.link_row(link, feeds) for link in store.links(chain)], format,
          view=lambda r: _pick(r, "id", "name", "chain", "stage", "feeds_to", "fed_by"))


@app.command()
def firms(
    ctx: typer.Context,
    chain: Optional[str] = typer.Option(None, "--chain"),
    link: Optional[str] = typer.Option(None, "--link"),
    local: Optional[bool] = typer.Option(None, "--local/--non-local", help="only local or only non-local firms"),
    query: Optional[str] = typer.Option(None, "--query", "-q", help="part of the name or credit code"),
    limit: Optional[int] = typer.Option(None, "--limit", min=1),
    format: Format = FORMAT,
) -> None:
    """Firms, filtered by chain, link, locality or name."""
    store, _ = _ctx(ctx).open()
    if chain:
        _known_chain(store, chain)
    found = store.firms(FirmQuery(chain, link, local, query, limit))
    _emit([rows.firm_row(r) for r in found], format,
          view=lambda r: _pick(r, "id", "name", "status", "province", "city", "local", "tags", "links"))


@app.command()
def gaps(ctx: typer.Context, chain: str = typer.Option(..., "--chain"), format: Format = FORMAT,
         landed: bool = typer.Option(False, "--landed", help="count pipeline projects as built")) -> None:
    """缺什么: each link's status with evidence, supply rate and break points."""
    c = _ctx(ctx)
    store, settings = c.open()
    _known_chain(store, chain)
    doc = rows.gaps_doc(chain_gaps(store, chain, settings, landed), c.lang)
    _emit(doc["links"], format, doc, view=_gap_view)


@app.command()
def targets(
    ctx: typer.Context,
    chain: str = typer.Option(..., "--chain"),
    link: Optional[str] = typer.Option(None, "--link", help="only this wanted link"),
    top: int = typer.Option(10, "--top", min=1, help="targets kept per link"),
    out_file: Optional[Path] = typer.Option(None, "--out", help="also write FILE.csv or FILE.xlsx"),
    format: Format = FORMAT,
) -> None:
    """招什么: non-local firms ranked for the chain's missing and weak links, with reasons."""
    c = _ctx(ctx)
    store, settings = c.open()
    _known_chain(store, chain)
    found = chain_targets(store, chain_gaps(store, chain, settings), settings, top, link_id=link)
    table = [rows.target_row(t, c.lang) for t in found]
    if out_file is not None:
        try:
            export.write_file(pd.DataFrame(rows.target_sheet(found, c.lang)), out_file, sheet="招商目标")
        except (ValueError, OSError) as e:
            _fail(f"cannot write {out_file}: {e}")
        err.print(f"wrote {len(table)} target(s) to {out_file}")
    _emit(table, format, {"targets": table},
          view=lambda r: _pick(r, "rank", "link_name", "firm_name", "province", "score", "reasons"))


@app.command()
def projects(
    ctx: typer.Context,
    chain: Optional[str] = typer.Option(None, "--chain"),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="date the rates are measured at (YYYY-MM-DD)"),
    format: Format = FORMAT,
) -> None:
    """The project ledger: totals in 亿元 by status and the ledger rates (开工率 …)."""
    c = _ctx(ctx)
    store, _ = c.open()
    if chain:
        _known_chain(store, chain)
    try:
        when = date.fromisoformat(as_of) if as_of else date.today()
    except ValueError:
        _fail(f"--as-of {as_of!r} is not a date; write YYYY-MM-DD")
    items = store.projects(chain)
    doc = rows.ledger_doc(ledger(items, when), items, c.lang)
    if format is Format.table:
        _table(doc["by_status"])
        _table(doc["rates"])
    _emit(doc["projects"], format, doc,
          view=lambda r: _pick(r, "id", "name", "status", "investment", "link_ids", "firm_id"))


@app.command()
def serve(ctx: typer.Context, port: int = typer.Option(8501, "--port")) -> None:
    """Start the app on this data and store."""
    c = _ctx(ctx)
    app_file = Path(__file__).resolve().parent.parent / "app.py"
    env = {**os.environ, "CHAIN_GRAPH_DATA": str(c.data.resolve()), "CHAIN_GRAPH_STORE": c.store_url}
    command = [sys.executable, "-m", "streamlit", "run", str(app_file), "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true",
               "--browser.gatherUsageStats", "false"]
    raise typer.Exit(subprocess.call(command, env=env))


def _known_chain(store: GraphStore, chain: str) -> None:
    known = [c.id for c in store.chains()]
    if chain not in known:
        _fail(f"unknown chain {chain!r}; known chains: {', '.join(known)}")


def _emit(table: list[dict], format: Format, doc: Any = None, view: Callable[[dict], dict] | None = None) -> None:
    """JSON prints the whole contract, CSV every field flattened, a table the few columns a terminal fits."""
    if format is Format.json:
        sys.stdout.write(json.dumps(table if doc is None else doc, ensure_ascii=False, indent=2, default=str) + "\n")
    elif format is Format.csv:
        sys.stdout.buffer.write(export.csv_bytes(pd.DataFrame([_flat(r) for r in table])))
    else:
        _table([view(r) for r in table] if view else table)


def _pick(row: dict, *keys: str) -> dict:
    return {k: row[k] for k in keys}


def _share(x: float | None) -> str:
    return "—" if x is None else f"{x:.0%}"


def _chain_view(r: dict) -> dict:
    return {**_pick(r, "id", "name", "links", "local_firms", "projects"), "亿元": f"{r['investment']:,.1f}",
            **_pick(r, "missing", "pipeline", "weak", "strong", "break_points"),
            "supply": _share(r["local_supply_rate"]), "basis": r["basis"]}


def _gap_view(r: dict) -> dict:
    return {**_pick(r, "id", "name", "stage", "status"), "local": len(r["local_firms"]),
            "pipeline": len(r["pipeline_projects"]), "supply": _share(r["local_supply_rate"]), "basis": r["basis"],
            "break": f"#{r['break_point']['rank']}" if r["break_point"] else ""}


def _flat(row: dict) -> dict:
    return {k: _cell(v) for k, v in row.items()}


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return "；".join(str(v.get("name", v)) if isinstance(v, dict) else str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _table(table: list[dict]) -> None:
    if not table:
        out.print("(none)")
        return
    grid = Table(show_lines=False)
    for key in table[0]:
        grid.add_column(key, overflow="fold")
    for row in table:
        grid.add_row(*("" if v is None else str(v) for v in _flat(row).values()))
    out.print(grid)


def run() -> None:
    """Console entry point: a closed pipe (`| head`) or Ctrl-C ends quietly."""
    try:
        app()
    except (BrokenPipeError, KeyboardInterrupt):
        sys.exit(1)
