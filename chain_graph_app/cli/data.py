"""Commands that check and move data: validate, load."""

from __future__ import annotations

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from loaders import load_directory

from chain_graph.store import StoreError, is_server
from chain_graph_app.service.loading import load_data
from .bulk import bulk_load
from .common import FORMAT, Format, app, context_of, emit, err, fail, out


@app.command()
def validate(ctx: typer.Context, format: Format = FORMAT) -> None:
    """Check every file of the data directory and report all problems at once."""
    c = context_of(ctx)
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
        emit(problems, format, {"ok": result.ok, "problems": problems})
    if not result.ok:
        raise typer.Exit(1)


@app.command()
def load(ctx: typer.Context,
         replace: bool = typer.Option(False, "--replace", help="replace chain-graph data the database already holds"),
         bulk: bool = typer.Option(False, "--bulk", help="offline neo4j-admin import: server stopped, database replaced")
         ) -> None:
    """Validate the data directory and load it into a Neo4j store (--store bolt://HOST:PORT).

    The new data is written beside the old and switched to in one transaction (--replace too), one
    loader at a time; readers see the old answers until the switch.
    """
    c = context_of(ctx)
    if not is_server(c.store_url):
        fail("`load` writes to Neo4j: pass --store bolt://HOST:PORT (the memory store reads --data on every run)")
    result = c.validated()
    store = c.connect()
    if bulk:
        bulk_load(c, result.dataset, store, replace)
        return
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=err, transient=True) as bar:
            task = bar.add_task("loading", total=None)
            loaded = load_data(c.data, store, replace, result,
                               progress=lambda done, total: bar.update(task, completed=done, total=total))
    except StoreError as e:
        fail(str(e))
    if loaded.refused:
        fail(f"{c.store_url} already holds other chain-graph data (version {loaded.refused}); pass --replace to replace it")
    rows = sum(loaded.counts.values())
    out.print(f"loaded {c.data} into {c.store_url}: "
              + ", ".join(f"{k} {v}" for k, v in sorted(loaded.counts.items()))
              + f" in {loaded.seconds:.1f} s ({rows / loaded.seconds:,.0f} nodes+relationships/s)")
