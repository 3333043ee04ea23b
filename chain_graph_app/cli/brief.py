"""`chain-graph brief`: the one-click 产业链招商简报 of a chain, as Word, PowerPoint or PDF."""

from __future__ import annotations

from pathlib import Path

import typer

from .common import app, context_of, err, fail, known_chain, say


@app.command()
def brief(
    ctx: typer.Context,
    chain: str = typer.Option(..., "--chain"),
    out_file: Path = typer.Option(..., "--out", help="FILE.docx, FILE.pptx or FILE.pdf"),
    landed: bool = typer.Option(False, "--landed", help="count pipeline projects as built"),
) -> None:
    """产业链招商简报: map, status, break points, opportunities, top targets, projects, 口径 (DOCX/PPTX/PDF)."""
    from chain_graph.output.brief import SUFFIXES
    from chain_graph.output.brief import briefing
    from chain_graph.output.brief import write_briefing
    c = context_of(ctx)
    if out_file.suffix.lower() not in SUFFIXES:
        fail(say("brief.bad_suffix", suffix=out_file.suffix or out_file.name, supported="、".join(SUFFIXES)))
    store, settings = c.open()
    known_chain(store, chain)
    from chain_graph.i18n import Failure
    try:
        data = write_briefing(briefing(store, settings, chain, c.lang, landed=landed), out_file.suffix)
    except Failure as e:  # e.g. no CJK font for the PDF
        fail(e.message)
    try:
        out_file.write_bytes(data)
    except OSError as e:
        fail(say("cli.cannot_write", path=str(out_file), detail=str(e)))
    err.print(say("brief.written", path=str(out_file)), markup=False, highlight=False)
