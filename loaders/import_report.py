"""What an import did, as rows: the counts, every rejected or merged row, the review list.

The same rows feed the command line's tables, the app's st.dataframe and the CSV files a data
keeper works through; chain_graph_app.service.importing writes them as CSV.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chain_graph.changes import TableChange
from chain_graph.i18n import Message, t, text
from chain_graph.validation import Problem

COUNTS = ("read", "accepted", "rejected", "merged", "records", "new", "updated", "unchanged", "classified",
          "unclassified", "inactive", "placements_added", "placements_removed", "fixes_applied", "placed", "review",
          "builders_matched", "builders_unmatched", "missing")


def count_label(key: str, lang: str = "zh") -> str:
    """What a count means (catalogue key count.<key>)."""
    return t(f"count.{key}", lang) if key in COUNTS else key


@dataclass(frozen=True)
class Issue:
    section: str  # "rejected", "merged", "kept_apart", "note", "builder_unmatched" or "missing"
    row: int | None
    column: str
    value: str
    message: Message
    hint: Message | None = None
    sheet: str = ""  # the workbook sheet the row is in ("" for a CSV)

    def as_row(self, lang: str = "zh") -> dict:
        where = {"sheet": self.sheet} if self.sheet else {}
        return {"section": self.section, **where, "row": self.row, "column": self.column, "value": self.value,
                "message": self.message.text(lang), "hint": text(self.hint, lang)}


@dataclass(frozen=True)
class ReviewItem:
    """A firm not placed: fix it by adding rows to placements.csv (this row's first four columns)."""

    row: int
    firm_id: str
    name: str
    status: str
    verdict: str  # "ambiguous" or "unmatched"
    reason: Message | None
    candidates: str
    key_column: str = "firm_id"  # project_id for ledger projects (the column project_placements.csv takes)

    def as_row(self, lang: str = "zh") -> dict:
        return {self.key_column: self.firm_id, "link_id": "", "action": "", "note": "", "name": self.name,
                "row": self.row, "status": self.status, "verdict": self.verdict, "reason": text(self.reason, lang),
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
    failure: Message | None = None
    changes: list[TableChange] = field(default_factory=list)  # what it would change, per table (a dry run)

    @property
    def ok(self) -> bool:
        """False when the file could not be imported at all or no row was accepted."""
        return not self.failure and self.counts.get("accepted", 0) > 0

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def failure_text(self, lang: str = "zh") -> str:
        return text(self.failure, lang)

    def summary_rows(self, lang: str = "zh") -> list[dict]:
        return [{"count": key, "value": n, "meaning": count_label(key, lang)} for key, n in self.counts.items()]

    def rows(self, lang: str = "zh") -> list[dict]:
        """Every rejected, merged or kept-apart row."""
        return [issue.as_row(lang) for issue in self.issues]

    def rejected_rows(self, lang: str = "zh") -> list[dict]:
        return [issue.as_row(lang) for issue in self.issues if issue.section == "rejected"]

    def review_rows(self, lang: str = "zh") -> list[dict]:
        return [item.as_row(lang) for item in self.review]

    def as_dict(self, lang: str = "zh") -> dict:
        return {
            "file": self.file, "kind": self.kind, "data_dir": self.data_dir, "dry_run": self.dry_run, "ok": self.ok,
            "family": self.family or None, "sheets": self.sheets,
            "failure": self.failure_text(lang) or None, "counts": self.counts, "columns": self.columns,
            "ignored": self.ignored, "issues": self.rows(lang), "review": self.review_rows(lang), "by_link": self.by_link,
            "written": self.written, "problems": [p.as_row(lang) for p in self.problems],
        }
