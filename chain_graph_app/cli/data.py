"""Commands that check and move data: validate, load."""

from __future__ import annotations

import typer

from .common import FORMAT, Format, app, context_of, emit, err, fail, lang, out, say, show_problems


@app.command()
def validate(ctx: typer.Context, format: Format = FORMAT) -> None:
    """Check every file of the data directory and report all problems at once."""
    from loaders import load_directory
    c = context_of(ctx)
    result = load_directory(c.data)
    problems = [p.as_row(lang()) for p in result.problems]
    if format is Format.table:
        show_problems(result.problems)
        t = result.tables  # the columns: a million firms are counted, not made into records
        if t:
            out.print(say("cli.valid", chains=len(t.chains), links=len(t.links), firms=t.firms.height,
                          projects=len(t.projects), warnings=len(result.problems)))
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
    from chain_graph.store import StoreError
    from chain_graph.store import is_server
    from chain_graph_app.service.loading import load_data
    from rich.progress import BarColumn
    from rich.progress import MofNCompleteColumn
    from rich.progress import Progress
    from rich.progress import TextColumn
    from rich.progress import TimeElapsedColumn
    c = context_of(ctx)
    if not is_server(c.store_url):
        fail(say("cli.load_needs_neo4j"))
    result = c.validated()
    store = c.connect()
    if bulk:
        from .bulk import bulk_load  # the Neo4j driver only when a server is loaded

        bulk_load(c, result.dataset, store, replace)
        return
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=err.made(), transient=True) as bar:
            task = bar.add_task("loading", total=None)
            loaded = load_data(c.data, store, replace, result,
                               progress=lambda done, total: bar.update(task, completed=done, total=total))
    except StoreError as e:
        fail(e.message)
    if loaded.refused:
        fail(say("cli.load_other_data", store=c.store_url, version=loaded.refused))
    rows = sum(loaded.counts.values())
    out.print(say("cli.loaded", data=str(c.data), store=c.store_url, seconds=f"{loaded.seconds:.1f}",
                  rate=f"{rows / loaded.seconds:,.0f}", counts=", ".join(f"{k} {v}" for k, v in sorted(loaded.counts.items()))))
