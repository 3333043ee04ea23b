"""`synth`: a generated data directory of any size on the shipped chains, for scale work."""

from __future__ import annotations

import shutil
from pathlib import Path

import typer


from .common import app, context_of, fail, out, say


@app.command()
def synth(
    ctx: typer.Context,
    firms: int = typer.Option(..., "--firms", min=1, help="how many firms to generate"),
    out_dir: Path = typer.Option(..., "--out", help="directory to write (created; tables replaced)"),
    seed: int = typer.Option(1, "--seed", help="same seed, same data"),
) -> None:
    """Generate firms, placements, supply ties and projects on --data's chains into a new data directory."""
    from chain_graph.synth import synthesize
    from chain_graph_app.service.writer import write_tables
    c = context_of(ctx)
    base = c.validated().dataset
    if out_dir.resolve() == c.data.resolve():
        fail(say("cli.synth_same_dir"))
    ds = synthesize(base, firms, seed)
    (out_dir / "chains").mkdir(parents=True, exist_ok=True)
    for name in ("region.yaml", "analysis.yaml"):
        if (c.data / name).exists():
            shutil.copy2(c.data / name, out_dir / name)
    for chain_file in sorted((c.data / "chains").glob("*.yaml")):
        shutil.copy2(chain_file, out_dir / "chains" / chain_file.name)
    write_tables(ds, out_dir)
    out.print(say("cli.synth_wrote", path=str(out_dir), firms=f"{len(ds.firms):,}", placements=f"{len(ds.operates_in):,}",
                  supplies=f"{len(ds.supplies):,}", projects=f"{len(ds.projects):,}", seed=seed))
