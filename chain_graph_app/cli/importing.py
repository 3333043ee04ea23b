"""`import`: an enterprise list or a project ledger exported from a platform, merged into --data."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
import yaml
from rich.markup import escape

from chain_graph_app.service.importing import import_file, report_csv, review_csv
from loaders.import_report import ImportReport

from chain_graph.store import is_server
from .common import FORMAT, Format, app, context_of, emit, err, fail, out, print_table

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
    c = context_of(ctx)
    if not c.data.is_dir():
        fail(f"data directory {c.data} does not exist; pass --data DIR (a folder with region.yaml and chains/)")
    if not file.is_file():
        fail(f"{file}: no such file")
    if out_report is not None and not out_report.parent.is_dir():
        fail(f"--out-report {out_report}: folder {out_report.parent} does not exist")
    report = import_file(file, file.name, c.data, kind.value, sheet, dry_run, _mapping(mapping) if mapping else None)
    if out_report is not None:
        _write_report(report, out_report)
    if format is Format.table:
        _print(report, c.data, c.store_url)
    elif format is Format.csv:
        sys.stdout.buffer.write(report_csv(report))
    else:
        emit(report.rows(), format, report.as_dict())
    if not report.ok:
        raise typer.Exit(1)


def _mapping(path: Path) -> dict[str, str]:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        fail(f"--mapping {path}: cannot read it as YAML ({e.__class__.__name__}); write lines `your header: column`")
    if not isinstance(doc, dict) or not all(isinstance(v, str) for v in doc.values()):
        fail(f"--mapping {path}: must be lines `your header: column`, e.g. `公司全称: name`")
    return {str(k): v for k, v in doc.items()}


def _write_report(report: ImportReport, path: Path) -> None:
    review = path.with_name("review.csv")
    try:
        path.write_bytes(report_csv(report))
        review.write_bytes(review_csv(report))
    except OSError as e:
        fail(f"cannot write {path}: {e}")
    err.print(f"wrote the report to {path} and {len(report.review)} firm(s) for review to {review}",
              markup=False, highlight=False)


def _safe(rows: list[dict]) -> list[dict]:
    """Cells from the file are shown as typed: rich markup in them is not interpreted."""
    return [{k: escape(v) if isinstance(v, str) else v for k, v in row.items()} for row in rows]


def _print(report: ImportReport, data: Path, store_url: str) -> None:
    columns = ", ".join(f"{h}→{c}" for h, c in report.columns.items())
    out.print(f"{report.file} ({report.kind}) into {data}: columns {columns}"
              + (f"; not used: {', '.join(report.ignored)}" if report.ignored else ""), markup=False, highlight=False)
    print_table(_safe(report.summary_rows()))
    if report.issues:
        out.print("rejected, merged and kept-apart rows:")
        print_table(_safe(report.rows()))
    if report.by_link:
        out.print("firms placed per link:")
        print_table(_safe(report.by_link))
    if report.review:
        out.print(f"for review ({len(report.review)}; fix a firm by adding its row to placements.csv with a link_id "
                  "and action add, then import again):", markup=False)
        shown = [{k: r[k] for k in ("row", "firm_id", "name", "verdict", "reason", "candidates")}
                 for r in report.review_rows()[:REVIEW_SHOWN]]
        print_table(_safe(shown))
        if len(report.review) > REVIEW_SHOWN:
            out.print(f"… {len(report.review) - REVIEW_SHOWN} more: write them all with --out-report FILE")
    for problem in report.problems:
        (err if problem.is_error else out).print(str(problem), markup=False, highlight=False)
    if report.failure:
        err.print(report.failure, markup=False, highlight=False)
    elif not report.ok:
        err.print(f"no row of {report.file} was accepted; nothing was changed", markup=False, highlight=False)
    elif report.dry_run:
        out.print(f"dry run: would change {', '.join(report.written) or 'nothing'}", markup=False)
    elif report.written:
        refresh = (f"`chain-graph --data {data} --store {store_url} load --replace` refreshes Neo4j"
                   if is_server(store_url) else "the memory store reads it on every run; for Neo4j run "
                   "`chain-graph load --replace --store bolt://…`")
        out.print(f"wrote {', '.join(report.written)} in {data}; {refresh}", markup=False)
    else:
        out.print(f"nothing changed: {data} already holds every row of {report.file}", markup=False)
