"""`import`: an enterprise list or a project ledger exported from a platform, merged into --data."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer


from .common import FORMAT, Format, app, context_of, emit, err, fail, lang, out, print_table, say, show_problems

if TYPE_CHECKING:  # for annotations only; imported where used, so --help starts fast
    from loaders.import_report import ImportReport

REVIEW_SHOWN = 50


class Kind(str, Enum):
    firms = "firms"
    projects = "projects"


@app.command("import")
def import_command(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="CSV (UTF-8 or GBK) or XLSX export, Chinese headers"),
    kind: Kind = typer.Option(Kind.firms, "--kind", help="firms (an enterprise list) or projects (a ledger)"),
    sheet: Optional[str] = typer.Option(None, "--sheet", help="XLSX sheet to read (default: the first)"),
    dry_run: bool = typer.Option(False, "--dry-run", help="check and report, write nothing"),
    out_report: Optional[Path] = typer.Option(None, "--out-report", help="also write the report CSV (and review.csv beside it)"),
    mapping: Optional[Path] = typer.Option(None, "--mapping", help="YAML of `your header: column` for headers not known"),
    format: Format = FORMAT,
) -> None:
    """Import firms (placed on chain links, with evidence) or projects into the data directory."""
    from chain_graph_app.service.importing import import_file
    from chain_graph_app.service.importing import report_csv
    c = context_of(ctx)
    if not c.data.is_dir():
        fail(say("cli.no_data_dir", path=str(c.data)))
    if not file.is_file():
        fail(say("cli.no_file", path=str(file)))
    if out_report is not None and not out_report.parent.is_dir():
        fail(say("cli.no_report_folder", path=str(out_report), folder=str(out_report.parent)))
    report = import_file(file, file.name, c.data, kind.value, sheet, dry_run, _mapping(mapping) if mapping else None)
    if out_report is not None:
        _write_report(report, out_report)
    if format is Format.table:
        _print(report, c.data, c.store_url)
    elif format is Format.csv:
        sys.stdout.buffer.write(report_csv(report, lang()))
    else:
        emit(report.rows(lang()), format, report.as_dict(lang()))
    if not report.ok:
        raise typer.Exit(1)


def _mapping(path: Path) -> dict[str, str]:
    from loaders import yamlfile
    import yaml
    try:
        doc = yamlfile.load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        fail(say("cli.mapping_unreadable", path=str(path), detail=e.__class__.__name__))
    if not isinstance(doc, dict) or not all(isinstance(v, str) for v in doc.values()):
        fail(say("cli.mapping_shape", path=str(path)))
    return {str(k): v for k, v in doc.items()}


def _write_report(report: ImportReport, path: Path) -> None:
    from chain_graph_app.service.importing import report_csv
    from chain_graph_app.service.importing import review_csv
    review = path.with_name("review.csv")
    try:
        path.write_bytes(report_csv(report, lang()))
        review.write_bytes(review_csv(report, lang()))
    except OSError as e:
        fail(say("cli.cannot_write", path=str(path), detail=str(e)))
    err.print(say("cli.report_written", path=str(path), n=len(report.review), review=str(review)),
              markup=False, highlight=False)


def _safe(rows: list[dict]) -> list[dict]:
    """Cells from the file are shown as typed: rich markup in them is not interpreted."""
    from rich.markup import escape
    return [{k: escape(v) if isinstance(v, str) else v for k, v in row.items()} for row in rows]


def _print(report: ImportReport, data: Path, store_url: str) -> None:
    from chain_graph.store import is_server
    columns = ", ".join(f"{h}→{c}" for h, c in report.columns.items())
    out.print(say("cli.import_head", file=report.file, kind=report.kind, data=str(data), columns=columns)
              + (say("cli.import_ignored", columns=", ".join(report.ignored)) if report.ignored else ""),
              markup=False, highlight=False)
    print_table(_safe(report.summary_rows(lang())))
    if report.issues:
        out.print(say("cli.import_issues"))
        print_table(_safe(report.rows(lang())))
    if report.by_link:
        out.print(say("cli.import_by_link"))
        print_table(_safe(report.by_link))
    if report.review:
        out.print(say("cli.import_review", n=len(report.review)), markup=False)
        shown = [{k: r[k] for k in ("row", "firm_id", "name", "verdict", "reason", "candidates")}
                 for r in report.review_rows(lang())[:REVIEW_SHOWN]]
        print_table(_safe(shown))
        if len(report.review) > REVIEW_SHOWN:
            out.print(say("cli.import_more", n=len(report.review) - REVIEW_SHOWN))
    show_problems(report.problems)
    if report.failure:
        err.print(report.failure_text(lang()), markup=False, highlight=False)
    elif not report.ok:
        err.print(say("cli.import_none_accepted", file=report.file), markup=False, highlight=False)
    elif report.dry_run:
        out.print(say("cli.import_dry_run", files=", ".join(report.written) or say("cli.nothing")), markup=False)
    elif report.written:
        refresh = (say("cli.refresh_neo4j", data=str(data), store=store_url) if is_server(store_url)
                   else say("cli.refresh_memory"))
        out.print(say("cli.import_wrote", files=", ".join(report.written), data=str(data), refresh=refresh), markup=False)
    else:
        out.print(say("cli.import_unchanged", data=str(data), file=report.file), markup=False)
