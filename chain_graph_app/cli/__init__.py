"""The `chain-graph` command: the same answers as the app, for scripts and terminals.

Like app.py it is a front end, so it is the part of the package that reads files
through `loaders`. Exit codes: 0 ok, 1 invalid data, 2 usage or connection error.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from . import brief, data as data_commands, importing, leads, reports, serve, synth  # noqa: F401 - importing registers the commands
from .common import Context, Lang, app, use_lang

__all__ = ["app", "run"]


@app.callback()
def main(
    ctx: typer.Context,
    data: Path = typer.Option(Path("data"), "--data", envvar="CHAIN_GRAPH_DATA", help="data directory"),
    store: str = typer.Option("memory", "--store", envvar="CHAIN_GRAPH_STORE", help="memory (default, in process) or a Neo4j URL such as bolt://127.0.0.1:7687"),
    lang: Lang = typer.Option(Lang.zh, "--lang", help="language of every message, table header, evidence and reason"),
) -> None:
    ctx.obj = Context(data, store, lang.value)
    use_lang(lang.value)


def run() -> None:
    """Console entry point: a closed pipe (`| head`) or Ctrl-C ends quietly."""
    try:
        app()
    except (BrokenPipeError, KeyboardInterrupt):
        sys.exit(1)
