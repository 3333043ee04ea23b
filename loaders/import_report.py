"""What an import did, as rows: the counts, every rejected or merged row, the review list.

The same rows feed the command line's tables, the app's st.dataframe and the CSV files a data
keeper works through; chain_graph_app.service.importing writes them as CSV.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chain_graph.validation import Problem

COUNT_LABELS = {
    "read": "rows read", "accepted": "rows accepted", "rejected": "rows rejected",
    "merged": "rows merged into an earlier row with the same key", "records": "distinct records",
    "new": "new in the data directory", "updated": "updated", "unchanged": "unchanged",
    "classified": "firms placed on a link", "unclassified": "firms for review (ambiguous or unmatched)",
    "inactive": "inactive firms (kept, never targets)", "placements_added": "placements added",
    "placements_removed": "placements removed", "fixes_applied": "fixes from placements.csv applied",
    "placed": "projects placed on a link", "review": "projects for review (ambiguous or unmatched)",
    "builders_matched": "builders matched to a firm", "builders_unmatched": "builders not in the firm table",
    "missing": "projects of earlier imports not in this file (kept)",
}


@dataclass(frozen=True)
class Issue:
    section: str  # "rejected", "merged", "kept_apart", "note", "builder_unmatched" or "missing"
    row: int | None
    column: str
    value: str
    message: str
    hint: str = ""

    def as_row(self) -> dict:
        return {"section": self.section, "row": self.row, "column": self.column, "value": self.value,
                "message": self.message, "hint": self.hint}


@dataclass(frozen=True)
class ReviewItem:
    """A firm not placed: fix it by adding rows to placements.csv (this row's first four columns)."""

    row: int
    firm_id: str
    name: str
    status: str
    verdict: str  # "ambiguous" or "unmatched"
    reason: str
    candidates: str
    key_column: str = "firm_id"  # project_id for ledger projects (the column project_placements.csv takes)

    def as_row(self) -> dict:
        return {self.key_column: self.firm_id, "link_id": "", "action": "", "note": "", "name": self.name,
                "row": self.row, "status": self.status, "verdict": self.verdict, "reason": self.reason,
                "candidates": self.candidates}


@dataclass
class ImportReport:
    file: str
    kind: str
    data_dir: str
    dry_run: bool = False
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(("read", "accepted", "rejected", "merged"), 0))
    columns: dict[str, str] = field(default_factory=dict)  # the file's header → the column it fills
    ignored: list[str] = field(default_factory=list)  # headers not used
    issues: list[Issue] = field(default_factory=list)
    review: list[ReviewItem] = field(default_factory=list)
    by_link: list[dict] = field(default_factory=list)  # link id, name and firms (or projects) placed on it
    family: str = ""  # the ledger family recognised (key_projects, monthly_progress, attraction) or ""
    sheets: list[str] = field(default_factory=list)  # the workbook sheets read
    written: list[str] = field(default_factory=list)  # files replaced (or, in a dry run, that would be)
    problems: list[Problem] = field(default_factory=list)  # of the data directory as it would be
    failure: str = ""

    @property
    def ok(self) -> bool:
        """False when the file could not be imported at all or no row was accepted."""
        return not self.failure and self.counts.get("accepted", 0) > 0

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def summary_rows(self) -> list[dict]:
        return [{"count": key, "value": n, "meaning": COUNT_LABELS.get(key, key)} for key, n in self.counts.items()]

    def rows(self) -> list[dict]:
        """Every rejected, merged or kept-apart row."""
        return [issue.as_row() for issue in self.issues]

    def rejected_rows(self) -> list[dict]:
        return [issue.as_row() for issue in self.issues if issue.section == "rejected"]

    def review_rows(self) -> list[dict]:
        return [item.as_row() for item in self.review]

    def as_dict(self) -> dict:
        return {
            "file": self.file, "kind": self.kind, "data_dir": self.data_dir, "dry_run": self.dry_run, "ok": self.ok,
            "family": self.family or None, "sheets": self.sheets,
            "failure": self.failure or None, "counts": self.counts, "columns": self.columns, "ignored": self.ignored,
            "issues": self.rows(), "review": self.review_rows(), "by_link": self.by_link, "written": self.written,
            "problems": [p.as_row() for p in self.problems],
        }
