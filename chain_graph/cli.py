"""The `chain-graph` command: the same answers as the app, for scripts and terminals.

Like app.py it is a front end, so it is the one module of the package that reads
files through `loaders`. Exit codes: 0 ok, 1 invalid data, 2 usage or connection error.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any, Callable, Optional

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from loaders import load_directory

from . import export, rows
from .analysis.gaps import chain_gaps
from .analysis.overview import overview
from .analysis.projects import ledger
from .analysis.settings import AnalysisSettings
from .analysis.targets import chain_targets
from .store import GraphStore, StoreError, open_store
from .store.base import FirmQuery

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Industrial-chain graph explorer: 缺什么、招什么.")
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
        """Validate the data directory and load it into the store, once per command."""
        if self._loaded is None:
            if not self.data.is_dir():
                _fail(f"data directory {self.data} does not exist; pass --data DIR (a folder with region.yaml and chains/)")
            result = load_directory(self.data)
            errors = [p for p in result.problems if p.is_error]
            if not result.ok:
                for problem in errors:
                    err.print(str(problem), markup=False, highlight=False)
                err.print(f"{len(errors)} error(s) in {self.data}; fix them and run again (`chain-graph validate`)")
                raise typer.Exit(1)
            try:
                store = open_store(self.store_url)
                store.load(result.dataset)
            except StoreError as e:
                _fail(str(e))
            self._loaded = (store, result.settings)
        return self._loaded


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
    """Console entry point: usage errors exit 2 through click; nothing else may leak a traceback."""
    try:
        app()
    except StoreError as e:
        err.print(str(e), markup=False)
        sys.exit(2)
    except (BrokenPipeError, KeyboardInterrupt):
        sys.exit(1)
