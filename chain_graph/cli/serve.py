"""`serve`: the app on the same data and store as the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import typer

from .common import app, context_of


@app.command()
def serve(ctx: typer.Context, port: int = typer.Option(8501, "--port")) -> None:
    """Start the app on this data and store."""
    c = context_of(ctx)
    app_file = Path(__file__).resolve().parents[2] / "app.py"
    env = {**os.environ, "CHAIN_GRAPH_DATA": str(c.data.resolve()), "CHAIN_GRAPH_STORE": c.store_url}
    command = [sys.executable, "-m", "streamlit", "run", str(app_file), "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true",
               "--browser.gatherUsageStats", "false"]
    raise typer.Exit(subprocess.call(command, env=env))
