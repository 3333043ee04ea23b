"""Import one enterprise list or project ledger into a data directory: plan it, then commit it."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import pandas as pd

from chain_graph.output import export

from chain_graph.changes import compare
from chain_graph.i18n import msg
from loaders.directory import load_directory
from loaders.datadir import DataDirWriter
from loaders.import_report import ImportReport, count_label
from loaders.importing import plan_import

from .commit import commit


def import_file(
    source: bytes | Path | str | BinaryIO, name: str, data_dir: Path, kind: str = "firms", sheet: str | None = None,
    dry_run: bool = False, mapping: dict[str, str] | None = None,
) -> ImportReport:
    """Merge the rows of one file into `data_dir`'s tables, all or nothing, and say what happened.

    The data directory is locked from reading the tables to writing them, so two imports at once
    run one after the other and both are kept (loaders.datadir).

    With `dry_run` everything is checked and reported, and nothing is written.
    """
    before = load_directory(Path(data_dir)).dataset if dry_run else None  # outside: the transaction holds the lock
    with DataDirWriter(Path(data_dir), purpose=f"import {Path(str(name)).name}") as tx:  # planned on what it replaces
        report, tables = plan_import(source, name, data_dir, kind, sheet, dry_run, mapping)
        if not tables:
            tx.discard()
            return report
        report.written, after = commit(tx, tables, dry_run)
        report.problems = after.problems
    if dry_run and after.dataset is not None:
        report.changes = compare(before, after.dataset)
    errors = [p for p in report.problems if p.is_error]
    if errors:
        report.written = []
        report.failure = msg("import.would_not_load", file=report.file, n=len(errors))
    return report


def report_csv(report: ImportReport, lang: str = "zh") -> bytes:
    """The report file: the counts (section 'count'), then one row per issue; no cell runs as a formula."""
    counts = [{"section": "count", "row": None, "column": key, "value": n, "message": count_label(key, lang),
               "hint": ""} for key, n in report.counts.items()]
    frame = pd.DataFrame([*counts, *report.rows(lang)], columns=["section", "sheet", "row", "column", "value", "message", "hint"])
    frame["row"] = frame["row"].astype("Int64")
    return export.csv_bytes(frame)


def review_csv(report: ImportReport, lang: str = "zh") -> bytes:
    """The firms (projects) left for review, in the columns placements.csv (project_placements.csv) takes back."""
    key = "project_id" if report.kind == "projects" else "firm_id"
    columns = [key, "link_id", "action", "note", "name", "row", "status", "verdict", "reason", "candidates"]
    return export.csv_bytes(pd.DataFrame(report.review_rows(lang), columns=columns))
