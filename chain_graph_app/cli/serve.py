"""`serve`: the app on the same data and store as the command line."""

from __future__ import annotations

import os
import sys
from importlib.resources import as_file, files

import typer

from .common import app, context_of


@app.command()
def serve(ctx: typer.Context, port: int = typer.Option(8501, "--port")) -> None:
    """Start the app on this data and store."""
    c = context_of(ctx)
    env = {**os.environ, "CHAIN_GRAPH_DATA": str(c.data.resolve()), "CHAIN_GRAPH_STORE": c.store_url}
    command = [sys.executable, "-m", "streamlit", "run", "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true",
               "--browser.gatherUsageStats", "false"]
    # The package is installed as files, so the path stays valid; exec makes the server this
    # process, so a stop signal to `chain-graph serve` stops the server and leaves no child behind.
    with as_file(files("chain_graph_app.web") / "streamlit_app.py") as app_file:
        command.insert(4, str(app_file))
        os.execve(sys.executable, command, env)
