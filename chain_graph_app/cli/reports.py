"""The reports: chains, links, firms, gaps, targets, projects — the app's answers as text."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Optional

import typer

from .common import (
    FORMAT, Format, app, chain_view, context_of, emit, err, fail, gap_view, known_chain, out, pick, print_table, say,
    share,
)


@app.command()
def chains(ctx: typer.Context, format: Format = FORMAT,
           landed: bool = typer.Option(False, "--landed", help="count pipeline projects as built")) -> None:
    """Every chain with its links, firms, projects and missing/pipeline/weak/strong counts."""
    from chain_graph.analysis.overview import overview
    from chain_graph.output import rows
    store, settings = context_of(ctx).open()
    emit([rows.chain_row(s) for s in overview(store, settings, landed)], format, view=chain_view)


@app.command()
def links(ctx: typer.Context, chain: Optional[str] = typer.Option(None, "--chain"), format: Format = FORMAT) -> None:
    """Links with their stage and FEEDS neighbours (cross-chain ones included)."""
    from chain_graph.output import rows
    store, _ = context_of(ctx).open()
    if chain:
        known_chain(store, chain)
    feeds = store.feeds()
    emit([rows.link_row(link, feeds) for link in store.links(chain)], format,
          view=lambda r: pick(r, "id", "name", "chain", "stage", "feeds_to", "fed_by"))


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
    from chain_graph.output import rows
    from chain_graph.store.base import FirmQuery
    store, _ = context_of(ctx).open()
    if chain:
        known_chain(store, chain)
    found = store.firms(FirmQuery(chain, link, local, query, limit))
    emit([rows.firm_row(r) for r in found], format,
          view=lambda r: pick(r, "id", "name", "status", "province", "city", "local", "tags", "links"))


@app.command()
def gaps(ctx: typer.Context, chain: str = typer.Option(..., "--chain"), format: Format = FORMAT,
         landed: bool = typer.Option(False, "--landed", help="count pipeline projects as built")) -> None:
    """缺什么: each link's status with evidence, supply rate and break points."""
    from chain_graph.analysis.gaps import chain_gaps
    from chain_graph.output import rows
    c = context_of(ctx)
    store, settings = c.open()
    known_chain(store, chain)
    doc = rows.gaps_doc(chain_gaps(store, chain, settings, landed), c.lang)
    emit(doc["links"], format, doc, view=gap_view)


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
    from chain_graph.analysis.gaps import chain_gaps
    from chain_graph.analysis.stability import ranking_stability
    from chain_graph.analysis.targets import chain_targets
    from chain_graph.i18n import t
    from chain_graph.output import export
    from chain_graph.output import rows
    from chain_graph.output.deliverables import targets_workbook
    import pandas as pd
    c = context_of(ctx)
    store, settings = c.open()
    known_chain(store, chain)
    gaps = chain_gaps(store, chain, settings)
    found = chain_targets(store, gaps, settings, top, link_id=link)
    listed = [rows.target_row(t, c.lang) for t in found]
    if out_file is not None:
        try:
            if out_file.suffix.lower() == ".xlsx":  # the leader-ready workbook: title block, 口径, print set-up
                conditions = [f"--top {top}"] + ([f"--link {link}"] if link else [])
                out_file.write_bytes(targets_workbook(gaps, found, settings.weights, store.version(), conditions,
                                                      c.lang)[1])
            else:
                export.write_file(pd.DataFrame(rows.target_sheet(found, c.lang)), out_file)
        except (ValueError, OSError) as e:
            fail(say("cli.cannot_write", path=str(out_file), detail=str(e)))
        err.print(say("cli.targets_written", n=len(listed), path=str(out_file)))
    stability = rows.stability_doc(ranking_stability(found, settings))
    emit(listed, format, {"targets": listed, "stability": stability},
          view=lambda r: pick(r, "rank", "link_name", "firm_name", "province", "score", "reasons"))
    if format is Format.table:
        out.print(t("stability.line", c.lang, kept=stability["kept"], top=stability["top"],
                    movers="、".join(m["firm_name"] for m in stability["dropped"] + stability["entered"]) or "—"),
                  markup=False, highlight=False)


@app.command("next")
def next_links(
    ctx: typer.Context, chain: Optional[str] = typer.Option(None, "--chain", help="only this chain's missing links"),
    top: Optional[int] = typer.Option(None, "--top", min=1, help="keep the first N"), format: Format = FORMAT,
) -> None:
    """下一步招什么: missing links ranked by relatedness density (how much around them is local), with reasons."""
    from chain_graph.analysis.relatedness import read_next_links
    from chain_graph.output import rows
    c = context_of(ctx)
    store, settings = c.open()
    if chain:
        known_chain(store, chain)
    names = {link.id: link.name for link in store.links()}
    listed = [rows.next_row(n, names, c.lang) for n in read_next_links(store, settings, chain)][:top]
    emit(listed, format, {"chain": chain, "links": listed},
          view=lambda r: {**pick(r, "rank", "id", "name", "chain"), "density": share(r["density"]),
                          **pick(r, "support", "reasons")})


@app.command()
def leaders(ctx: typer.Context, chain: Optional[str] = typer.Option(None, "--chain", help="only leaders on this chain"),
            format: Format = FORMAT) -> None:
    """链主配套: each local chain leader, the inputs it lacks locally, its outside suppliers, who could make them."""
    from chain_graph.analysis.sourcing import leader_needs
    from chain_graph.output import rows
    c = context_of(ctx)
    store, settings = c.open()
    if chain:
        known_chain(store, chain)
    links = store.links()
    names = {link.id: link.name for link in links}
    on_chain = {link.id for link in links if link.chain == chain}
    listed = [rows.leader_row(n, names, c.lang) for n in leader_needs(store, settings)
              if chain is None or on_chain.intersection(n.leader.links)]
    emit(listed, format, {"leaders": listed},
          view=lambda r: {**pick(r, "name", "basis"), "links": [x["name"] for x in r["links"]],
                          "needs": [f"{i['name']}（{i['status']}）" for i in r["inputs"]],
                          "suppliers": [f"{x['name']}（{x['product'] or '—'}）" for x in r["suppliers"]]})


@app.command()
def projects(
    ctx: typer.Context,
    chain: Optional[str] = typer.Option(None, "--chain"),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="date the rates are measured at (YYYY-MM-DD)"),
    format: Format = FORMAT,
) -> None:
    """The project ledger: totals in 亿元 by status and the ledger rates (开工率 …)."""
    from chain_graph.analysis.projects import ledger
    from chain_graph.output import rows
    c = context_of(ctx)
    store, _ = c.open()
    if chain:
        known_chain(store, chain)
    try:
        when = date.fromisoformat(as_of) if as_of else date.today()
    except ValueError:
        fail(say("cli.bad_as_of", value=as_of))
    items = store.projects(chain)
    doc = rows.ledger_doc(ledger(items, when), items, c.lang)
    if format is Format.table:
        print_table(doc["by_status"])
        print_table(doc["rates"])
    emit(doc["projects"], format, doc,
          view=lambda r: pick(r, "id", "name", "status", "investment", "link_ids", "firm_id"))
