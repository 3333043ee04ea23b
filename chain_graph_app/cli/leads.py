"""`chain-graph leads`: the 招商 pipeline from a terminal — list, add, update, export, import a team ledger.

Bad input (an unknown firm, link or lead, a status jump the lifecycle forbids, a stale --version) is one
line on stderr and exit 1, with nothing written; usage errors exit 2.
"""

from __future__ import annotations

import getpass
from datetime import date
from pathlib import Path
from typing import Optional

import typer


from .common import FORMAT, Format, app, context_of, emit, fail, lang, out, pick

leads_app = typer.Typer(no_args_is_help=True, help="招商线索: the lead pipeline from 线索 to 落地.")
app.add_typer(leads_app, name="leads")

BY = typer.Option(None, "--by", help="who makes the change (default: the login name)")


def _book(ctx: typer.Context) -> LeadBook:
    from chain_graph_app.service.leads import LeadBook
    c = context_of(ctx)
    store, _ = c.open()
    return LeadBook.open(c.data, store, c.store_url)


def _status(text: str | None, lang: str) -> LeadStatus | None:
    from chain_graph.i18n import t
    from chain_graph.leads import LeadStatus
    if text is None:
        return None
    try:
        return LeadStatus(text)
    except ValueError:
        fail(t("lead_err.unknown_status", lang, value=text), 1)


def _date(text: str | None) -> date | None:
    from loaders.cleaning import CleaningError
    from loaders.cleaning import parse_date
    try:
        return parse_date(text) if text else None
    except CleaningError as e:
        fail(f"--next-date: {e.text(lang())}", 1)


def _names(book: LeadBook) -> tuple[dict[str, str], dict[str, str]]:
    return {x.id: x.name for x in book.store.links()}, {c.id: c.name for c in book.store.chains()}


@leads_app.command("list")
def list_(ctx: typer.Context, chain: Optional[str] = typer.Option(None, "--chain"),
          link: Optional[str] = typer.Option(None, "--link"), status: Optional[str] = typer.Option(None, "--status"),
          owner: Optional[str] = typer.Option(None, "--owner"),
          overdue_only: bool = typer.Option(False, "--overdue", help="only open leads whose next action is overdue"),
          format: Format = FORMAT) -> None:
    """Leads with their status, owner and next action (JSON: with their whole history)."""
    from chain_graph.output.lead_rows import lead_row
    book, today = _book(ctx), date.today()
    wanted = _status(status, context_of(ctx).lang)
    found = [x for x in book.leads() if (chain is None or x.chain_id == chain) and (link is None or x.link_id == link)
             and (wanted is None or x.status is wanted) and (owner is None or x.owner == owner)
             and (not overdue_only or x.overdue(today))]
    links, _ = _names(book)
    emit([lead_row(x, links, today) for x in found], format,
         view=lambda r: pick(r, "id", "firm_name", "link_name", "status", "owner", "next_action", "next_date",
                             "overdue", "project_id", "version"))


@leads_app.command()
def add(ctx: typer.Context, firm: str = typer.Option(..., "--firm", help="the firm's credit code"),
        link: Optional[str] = typer.Option(None, "--link"), chain: Optional[str] = typer.Option(None, "--chain"),
        owner: str = typer.Option("", "--owner"), next_action: str = typer.Option("", "--next-action"),
        next_date: Optional[str] = typer.Option(None, "--next-date"), notes: str = typer.Option("", "--notes"),
        by: Optional[str] = BY, format: Format = FORMAT) -> None:
    """Add a firm as a 线索 for a link (or a whole chain)."""
    from chain_graph_app.service.leads import LeadError
    book = _book(ctx)
    try:
        lead = book.add(by or getpass.getuser(), "cli", firm_id=firm, link_id=link, chain_id=chain, owner=owner,
                        next_action=next_action, next_date=_date(next_date), notes=notes)
    except LeadError as e:
        fail(e.text(context_of(ctx).lang), 1)
    _print(book, lead, format)


@leads_app.command()
def update(ctx: typer.Context, lead_id: str = typer.Argument(..., metavar="ID"),
           version: int = typer.Option(..., "--version", help="the version you read (list shows it)"),
           status: Optional[str] = typer.Option(None, "--status"), owner: Optional[str] = typer.Option(None, "--owner"),
           next_action: Optional[str] = typer.Option(None, "--next-action"),
           next_date: Optional[str] = typer.Option(None, "--next-date"),
           notes: Optional[str] = typer.Option(None, "--notes"),
           reason: Optional[str] = typer.Option(None, "--reason", help="why the lead is dropped (放弃原因)"),
           by: Optional[str] = BY, format: Format = FORMAT) -> None:
    """Change a lead over the version you read; 签约 puts a 签约 project into the ledger."""
    from chain_graph.leads import LeadConflict
    from chain_graph_app.service.leads import LeadError
    book, lang = _book(ctx), context_of(ctx).lang
    fields = {k: v for k, v in {"status": _status(status, lang), "owner": owner, "next_action": next_action,
                                "next_date": _date(next_date), "notes": notes, "drop_reason": reason}.items()
              if v is not None}
    try:
        saved = book.update(lead_id, version, by or getpass.getuser(), **fields)
    except (LeadError, LeadConflict) as e:
        fail(e.text(lang), 1)
    if saved.project_note and format is Format.table:
        out.print(saved.project_note.text(lang))
    _print(book, saved.lead, format)


@leads_app.command("export")
def export_(ctx: typer.Context, out_path: Path = typer.Option(..., "--out", help="a .xlsx workbook or a .csv of the leads"),
            chain: Optional[str] = typer.Option(None, "--chain")) -> None:
    """The pipeline as a workbook: leads, funnel per chain and link, overdue next actions, per owner."""
    from chain_graph.output import export
    from chain_graph.output.lead_rows import lead_sheet
    from chain_graph.output.lead_rows import pipeline_workbook
    import pandas as pd
    book, today, lang = _book(ctx), date.today(), context_of(ctx).lang
    if out_path.suffix.lower() not in export.SUPPORTED_SUFFIXES:
        fail(f"cannot export to {out_path.name!r}: use .xlsx or .csv", 2)
    leads = [x for x in book.leads() if chain is None or x.chain_id == chain]
    links, chains = _names(book)
    if out_path.suffix.lower() == ".csv":
        out_path.write_bytes(export.csv_bytes(pd.DataFrame(lead_sheet(leads, links, chains, today, lang))))
    else:
        _, made = pipeline_workbook(leads, links, chains, today, book.store.version(), chains.get(chain or ""), lang)
        out_path.write_bytes(made)
    out.print(f"wrote {len(leads)} lead(s) to {out_path}")


@leads_app.command("import")
def import_(ctx: typer.Context, file: Path = typer.Argument(..., exists=True, dir_okay=False),
            link: Optional[str] = typer.Option(None, "--link", help="the link every row is for"),
            chain: Optional[str] = typer.Option(None, "--chain", help="the chain, when the rows are for no one link"),
            by: Optional[str] = BY, format: Format = FORMAT) -> None:
    """Import a team's 招商 ledger (项目名称, 投资方, 固定资产投资, ...); importing it again adds nothing."""
    from chain_graph.i18n import t
    from chain_graph_app.service.leads import LeadError
    from chain_graph_app.service.leads import import_ledger
    from loaders.tables import TableError
    book, lang = _book(ctx), context_of(ctx).lang
    try:
        report = import_ledger(book, file, file.name, by or getpass.getuser(), chain, link)
    except LeadError as e:
        fail(e.text(lang), 1)
    except TableError as e:
        fail(e.message, 1)
    problems = [p.text(lang) for p in report.problems]
    doc = {"file": report.file, "added": report.added, "kept": report.kept, "problems": problems}
    if format is Format.table:
        for line in problems:
            out.print(line, markup=False, highlight=False)
        out.print(t("lead_imp.summary", lang, file=report.file, added=len(report.added), kept=len(report.kept),
                    skipped=len(problems)), markup=False, highlight=False)
    else:
        emit([{"lead_id": x, "result": "added"} for x in report.added]
             + [{"lead_id": x, "result": "kept"} for x in report.kept], format, doc)


def _print(book: LeadBook, lead, format: Format) -> None:
    from chain_graph.output.lead_rows import lead_row
    links, _ = _names(book)
    row = lead_row(lead, links, date.today())
    emit([row], format, row, view=lambda r: pick(r, "id", "firm_name", "link_name", "status", "owner", "next_action",
                                                  "next_date", "project_id", "version"))
